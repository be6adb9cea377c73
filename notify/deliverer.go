package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rs/zerolog"
)

// Deliverer defaults.
const (
	DefaultBaseBackoff     = time.Second
	DefaultMaxBackoff      = 5 * time.Minute
	DefaultMaxAttempts     = 10
	DefaultPollInterval    = 10 * time.Second
	DefaultSendTimeout     = 30 * time.Second
	DefaultShutdownTimeout = 10 * time.Second
)

// DelivererConfig tunes the delivery loop. Zero fields take the defaults.
type DelivererConfig struct {
	BaseBackoff  time.Duration // first retry delay; doubles per attempt
	MaxBackoff   time.Duration // cap of the retry delay
	MaxAttempts  int           // attempts before a delivery is dead
	PollInterval time.Duration // fallback poll when no notification arrives
	// SendTimeout bounds one Send, whatever the sink's own timeout.
	SendTimeout time.Duration
	// ShutdownTimeout is how long Close lets in-flight sends finish before
	// cancelling them.
	ShutdownTimeout time.Duration
	// NoListen disables LISTEN driftwatch_outbox; the deliverer then wakes
	// on Kick and on the poll only.
	NoListen bool
	Logger   zerolog.Logger
}

func (c *DelivererConfig) setDefaults() {
	if c.BaseBackoff <= 0 {
		c.BaseBackoff = DefaultBaseBackoff
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = DefaultMaxBackoff
	}
	if c.MaxBackoff < c.BaseBackoff {
		c.MaxBackoff = c.BaseBackoff
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.SendTimeout <= 0 {
		c.SendTimeout = DefaultSendTimeout
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
}

// Deliverer sends outbox events to their sinks: one loop per sink, so a
// sink that is down or slow never holds up another. Each delivery is
// claimed with FOR UPDATE SKIP LOCKED, counted and leased in one
// statement, and its sender holds an advisory lock for the length of the
// send, so several deliverers (replicas) may run against one database; a
// deliverer that dies mid-send loses its connection and with it the lock,
// and the delivery is sent again at once (see claimSQL). Delivery is at least once, oldest due first; an event
// waiting for a retry does not hold back later ones.
type Deliverer struct {
	pool  *pgxpool.Pool
	sinks []Sink
	cfg   DelivererConfig
	log   zerolog.Logger
	wake  map[string]chan struct{}

	ctx        context.Context // stops the loops (Close)
	cancel     context.CancelFunc
	sendCtx    context.Context // cancels in-flight sends (Close, after the grace)
	sendCancel context.CancelFunc
	wg         sync.WaitGroup
	closeOnce  sync.Once
}

// NewDeliverer returns a deliverer of the outbox in pool's database to
// sinks. Call Open to start it.
func NewDeliverer(pool *pgxpool.Pool, sinks []Sink, cfg DelivererConfig) *Deliverer {
	cfg.setDefaults()
	return &Deliverer{
		pool:  pool,
		sinks: sinks,
		cfg:   cfg,
		log:   cfg.Logger.With().Str("component", "outbox").Logger(),
		wake:  make(map[string]chan struct{}, len(sinks)),
	}
}

// SinkNames returns the names of the deliverer's sinks, what Enqueue takes.
func (d *Deliverer) SinkNames() []string {
	names := make([]string, len(d.sinks))
	for i, s := range d.sinks {
		names[i] = s.Name()
	}
	return names
}

// Open checks the sinks and starts one delivery loop per sink, plus the
// listener.
func (d *Deliverer) Open() error {
	if d.pool == nil {
		return errors.New("open deliverer: no database pool")
	}
	for _, s := range d.sinks {
		if s.Name() == "" {
			return errors.New("open deliverer: a sink has an empty name")
		}
		if _, dup := d.wake[s.Name()]; dup {
			return fmt.Errorf("open deliverer: two sinks are named %q", s.Name())
		}
		d.wake[s.Name()] = make(chan struct{}, 1)
	}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	d.sendCtx, d.sendCancel = context.WithCancel(context.Background())
	for _, s := range d.sinks {
		d.wg.Add(1)
		go d.runSink(s, d.wake[s.Name()])
	}
	if !d.cfg.NoListen {
		d.wg.Add(1)
		go d.listen()
	}
	d.warnOrphans()
	return nil
}

// Enqueue writes e to the outbox for every sink of the deliverer, in the
// caller's transaction (see the function Enqueue).
func (d *Deliverer) Enqueue(ctx context.Context, tx pgx.Tx, e Event) error {
	return Enqueue(ctx, tx, e, d.SinkNames())
}

// warnOrphans logs pending deliveries to sinks this deliverer does not
// have (a sink renamed or removed from the configuration): they wait
// until a deliverer with that sink runs.
func (d *Deliverer) warnOrphans() {
	ctx, cancel := context.WithTimeout(d.ctx, 5*time.Second)
	defer cancel()
	rows, err := d.pool.Query(ctx, `
SELECT sink, count(*) FROM driftwatch.outbox_delivery
WHERE delivered_at IS NULL AND NOT dead AND sink <> ALL($1::text[])
GROUP BY sink ORDER BY sink`, d.SinkNames())
	if err != nil {
		d.log.Warn().Err(err).Msg("look for deliveries to unknown sinks failed")
		return
	}
	defer rows.Close()
	for rows.Next() {
		var sink string
		var n int
		if err := rows.Scan(&sink, &n); err != nil {
			d.log.Warn().Err(err).Msg("look for deliveries to unknown sinks failed")
			return
		}
		d.log.Warn().Str("sink", sink).Int("pending", n).
			Msg("pending outbox deliveries to a sink that is not configured; they wait until it is")
	}
}

// Close stops the loops, lets in-flight sends finish for up to
// ShutdownTimeout, then cancels them and waits for every goroutine.
// Undelivered events stay in the outbox for the next start.
func (d *Deliverer) Close() error {
	d.closeOnce.Do(func() {
		if d.cancel == nil {
			return // never opened
		}
		d.cancel()
		done := make(chan struct{})
		go func() { d.wg.Wait(); close(done) }()
		t := time.NewTimer(d.cfg.ShutdownTimeout)
		defer t.Stop()
		select {
		case <-done:
		case <-t.C:
			d.log.Warn().Dur("timeout", d.cfg.ShutdownTimeout).Msg("cancelling in-flight sends")
			d.sendCancel()
			<-done
		}
		d.sendCancel()
	})
	return nil
}

// Kick wakes every sink's loop to look for due deliveries now. It never
// blocks.
func (d *Deliverer) Kick() {
	for _, ch := range d.wake {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

func (d *Deliverer) runSink(s Sink, wake <-chan struct{}) {
	defer d.wg.Done()
	log := d.log.With().Str("sink", s.Name()).Logger()
	for {
		wait := d.drain(s, log)
		t := time.NewTimer(wait)
		select {
		case <-d.ctx.Done():
			t.Stop()
			return
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// drain delivers every due delivery of s, then returns how long to sleep
// before the next one is due (at most the poll interval).
func (d *Deliverer) drain(s Sink, log zerolog.Logger) time.Duration {
	for d.ctx.Err() == nil {
		c, err := d.claim(s.Name())
		if err != nil {
			if d.ctx.Err() == nil {
				log.Warn().Err(err).Msg("claim outbox delivery failed")
			}
			return min(time.Second, d.cfg.PollInterval)
		}
		if c == nil {
			break
		}
		d.deliver(s, c, log)
	}
	if d.ctx.Err() != nil {
		return d.cfg.PollInterval
	}
	wait, err := d.nextDue(s.Name())
	if err != nil {
		log.Warn().Err(err).Msg("look up next outbox delivery failed")
		return min(time.Second, d.cfg.PollInterval)
	}
	return wait
}

type claimed struct {
	conn     *pgxpool.Conn // holds the delivery's advisory lock until the outcome is recorded
	id       int64
	attempts int // including this one
	event    Event
}

// deliveryKey is the advisory lock of a delivery's send, held by the
// sending session (two-int4 form, apart from driftwatch's other locks).
func deliveryKey(id string) string {
	return "pg_catalog.hashtext('driftwatch outbox delivery'), (" + id + " & 2147483647)::int4"
}

// claimSQL takes the oldest due delivery of a sink: counts the attempt,
// leases it (next_attempt_at and leased_until, now + $2 ms) and takes its
// advisory lock for the session, all in one statement.
//
// A delivery is due when its time has come, or when it is leased and its
// lock is free: the sender is gone (a kill -9 closes its connection and
// the server drops the lock), so it is sent again at once rather than
// when the lease ends. A leased delivery whose lock is held is left alone
// even when its lease has run out, while its sender is still at it, up to
// a second lease: then the sender is taken to be cut off, not slow.
// The lock is tried on candidates one at a time (LIMIT 1 over the
// candidates stops at the first taken), so no lock is taken but the one
// claimed.
var claimSQL = `
WITH candidate AS (
    SELECT id, next_attempt_at, leased_until FROM driftwatch.outbox_delivery
    WHERE sink = $1 AND delivered_at IS NULL AND NOT dead
      AND (next_attempt_at <= now() OR leased_until IS NOT NULL)
    ORDER BY next_attempt_at, id
    LIMIT 16
    FOR UPDATE SKIP LOCKED
), pick AS (
    SELECT id FROM candidate
    WHERE pg_catalog.pg_try_advisory_lock(` + deliveryKey("candidate.id") + `)
       OR leased_until <= now() - $2 * interval '1 millisecond'
    LIMIT 1
)
UPDATE driftwatch.outbox_delivery d
SET attempts = d.attempts + 1,
    last_attempt_at = now(),
    next_attempt_at = now() + $2 * interval '1 millisecond',
    leased_until = now() + $2 * interval '1 millisecond'
FROM pick, driftwatch.outbox o
WHERE d.id = pick.id AND o.id = d.outbox_id
RETURNING d.id, d.attempts, o.event`

// queueAsyncCommit starts a batch (one implicit transaction) whose commit
// does not wait for the WAL flush. The claim and the outcome of a delivery
// are bookkeeping: a server crash that loses the last of them only makes
// the event go out again, which the sinks tolerate (at-least-once, with the
// event id as Nats-Msg-Id and webhook-id). The outbox rows themselves are
// written with the drift state, durably. Waiting for the flush put a disk
// sync between every state change and its publication.
func queueAsyncCommit(b *pgx.Batch) {
	b.Queue("SELECT pg_catalog.set_config('synchronous_commit', 'off', true)")
}

// claim takes the oldest due delivery of sink (see claimSQL) on a pooled
// connection it keeps, with the delivery's lock, until deliver records
// the outcome.
func (d *Deliverer) claim(sink string) (*claimed, error) {
	lease := d.cfg.SendTimeout + 10*time.Second
	conn, err := d.pool.Acquire(d.ctx)
	if err != nil {
		return nil, fmt.Errorf("claim outbox delivery: %w", err)
	}
	c := &claimed{conn: conn}
	var (
		raw   []byte
		found bool
	)
	b := &pgx.Batch{}
	queueAsyncCommit(b)
	b.Queue(claimSQL, sink, lease.Milliseconds()).Query(func(rows pgx.Rows) error {
		_, err := pgx.ForEachRow(rows, []any{&c.id, &c.attempts, &raw}, func() error {
			found = true
			return nil
		})
		return err
	})
	if err := conn.SendBatch(d.ctx, b).Close(); err != nil || !found {
		conn.Release()
		if err != nil {
			return nil, fmt.Errorf("claim outbox delivery: %w", err)
		}
		return nil, nil
	}
	if err := json.Unmarshal(raw, &c.event); err != nil {
		// Cannot happen for rows written by Enqueue; make it a failure of
		// this delivery so that it ends up dead, not retried forever.
		c.event = Event{}
	}
	return c, nil
}

func (d *Deliverer) deliver(s Sink, c *claimed, log zerolog.Logger) {
	var err error
	if c.event.ID == "" {
		err = errors.New("decode outbox event: not a valid event")
	} else {
		err = d.send(s, c.event)
	}
	// Record the outcome even while shutting down.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	log = log.With().Int64("delivery_id", c.id).Str("event_id", c.event.ID).
		Str("event_type", c.event.Type).Int("attempt", c.attempts).Logger()
	// Every outcome ends the lease and gives the lock back, in the same
	// round trip. A connection that cannot is not returned to the pool:
	// closing it drops the lock.
	var (
		query, what string
		args        = []any{c.id}
	)
	switch {
	case err == nil:
		query = `
UPDATE driftwatch.outbox_delivery
SET delivered_at = now(), last_error = NULL, leased_until = NULL
WHERE id = $1`
		what = "mark outbox delivery delivered failed; it will be sent again"
	case d.sendCtx.Err() != nil:
		// Interrupted by Close: give the attempt back and leave it due.
		query = `
UPDATE driftwatch.outbox_delivery
SET attempts = greatest(attempts - 1, 0), next_attempt_at = now(), leased_until = NULL, last_error = $2
WHERE id = $1`
		args = append(args, "send interrupted by shutdown")
		what = "release outbox delivery failed"
	case c.attempts >= d.cfg.MaxAttempts:
		query = `
UPDATE driftwatch.outbox_delivery
SET dead = true, leased_until = NULL, last_error = $2
WHERE id = $1`
		args = append(args, err.Error())
		what = "mark outbox delivery dead failed; it will be tried again"
	default:
		wait := Backoff(d.cfg.BaseBackoff, d.cfg.MaxBackoff, c.attempts)
		query = `
UPDATE driftwatch.outbox_delivery
SET next_attempt_at = now() + $3 * interval '1 microsecond', leased_until = NULL, last_error = $2
WHERE id = $1`
		args = append(args, err.Error(), wait.Microseconds())
		what = "schedule outbox retry failed; it will be tried again"
		log = log.With().Dur("retry_in", wait).Logger()
	}
	b := &pgx.Batch{}
	queueAsyncCommit(b)
	b.Queue(query, args...)
	b.Queue(`SELECT pg_catalog.pg_advisory_unlock(`+deliveryKey("$1::bigint")+`)`, c.id)
	if berr := c.conn.SendBatch(ctx, b).Close(); berr != nil {
		log.Error().Err(berr).Msg(what)
		// The lock must not stay with a pooled session.
		_ = c.conn.Conn().Close(context.Background())
		c.conn.Release()
		return
	}
	c.conn.Release()
	switch {
	case err == nil:
		log.Debug().Msg("event delivered")
	case d.sendCtx.Err() != nil:
	case c.attempts >= d.cfg.MaxAttempts:
		log.Error().Err(err).Msg("event delivery failed for the last time; dead letter")
	default:
		log.Warn().Err(err).Msg("event delivery failed; will retry")
	}
}

// send calls s.Send under SendTimeout; a panicking sink fails the attempt
// instead of the daemon.
func (d *Deliverer) send(s Sink, e Event) (err error) {
	ctx, cancel := context.WithTimeout(d.sendCtx, d.cfg.SendTimeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("send to %s: panic: %v", s.Name(), r)
		}
	}()
	return s.Send(ctx, e)
}

// nextDue returns how long until the sink's next pending delivery is due,
// bounded by the poll interval.
func (d *Deliverer) nextDue(sink string) (time.Duration, error) {
	var secs *float64
	err := d.pool.QueryRow(d.ctx, `
SELECT extract(epoch FROM min(next_attempt_at) - now())::float8
FROM driftwatch.outbox_delivery
WHERE sink = $1 AND delivered_at IS NULL AND NOT dead`, sink).Scan(&secs)
	if err != nil {
		return 0, fmt.Errorf("look up next outbox delivery: %w", err)
	}
	if secs == nil {
		return d.cfg.PollInterval, nil
	}
	wait := time.Duration(*secs * float64(time.Second))
	return min(max(wait, 20*time.Millisecond), d.cfg.PollInterval), nil
}

// Backoff returns the delay before retry number attempt (1 for the retry
// after the first failure): base doubled per attempt, capped at max, with
// "equal jitter" (a random point in the upper half).
func Backoff(base, maxDelay time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < maxDelay; i++ {
		d *= 2
	}
	if d > maxDelay {
		d = maxDelay
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(d-half+1)
}

// listen wakes the loops on every notification on NotifyChannel, and once
// after each (re)connect to catch up.
func (d *Deliverer) listen() {
	defer d.wg.Done()
	for d.ctx.Err() == nil {
		err := d.listenOnce()
		if d.ctx.Err() != nil {
			return
		}
		d.log.Warn().Err(err).Msg("outbox listener lost its connection; reconnecting")
		select {
		case <-d.ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (d *Deliverer) listenOnce() error {
	pc, err := d.pool.Acquire(d.ctx)
	if err != nil {
		return fmt.Errorf("acquire listener connection: %w", err)
	}
	conn := pc.Hijack() // LISTEN state must not go back to the pool
	defer conn.Close(context.Background())
	if _, err := conn.Exec(d.ctx, "LISTEN "+NotifyChannel); err != nil {
		return fmt.Errorf("listen on %s: %w", NotifyChannel, err)
	}
	d.Kick()
	for {
		if _, err := conn.WaitForNotification(d.ctx); err != nil {
			return fmt.Errorf("wait for outbox notification: %w", err)
		}
		d.Kick()
	}
}
