package notify

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rs/zerolog"
)

// A webhook that answers 500 twice then 200 gets the event on the third
// attempt, and the attempts are recorded.
func TestDelivererRetriesWebhookUntilDelivered(t *testing.T) {
	t.Parallel()
	pool := installOutbox(t)
	rcv := &receiver{secret: "whsec_ZGVsaXZlcmVyLXRlc3Qtc2VjcmV0", script: []int{500, 500}}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	hook, err := NewWebhookSink(WebhookConfig{Name: "hook", URL: srv.URL, Secret: rcv.secret, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	startDeliverer(t, pool, DelivererConfig{MaxAttempts: 5}, hook)
	e := testEvent(t, "public.users.pkceRequired")
	enqueue(t, pool, e, "hook")

	pgtest.WaitFor(t, 20*time.Second, "webhook delivery", delivered(t, pool, e.ID, "hook"))
	d, err := deliveryOf(t, pool, e.ID, "hook")
	if err != nil {
		t.Fatal(err)
	}
	if d.Attempts != 3 || d.Dead || d.LastError != "" || d.LastAttemptAt == nil {
		t.Errorf("delivery after 500, 500, 200: %+v", d)
	}
	reqs := rcv.requests()
	if len(reqs) != 3 {
		t.Fatalf("receiver got %d requests, want 3", len(reqs))
	}
	for i, r := range reqs {
		if r.verr != nil {
			t.Errorf("request %d failed verification: %v", i, r.verr)
		}
		if r.header.Get("webhook-id") != e.ID {
			t.Errorf("request %d webhook-id %q, want %q", i, r.header.Get("webhook-id"), e.ID)
		}
	}
	if reqs[0].status != 500 || reqs[1].status != 500 || reqs[2].status != 200 {
		t.Errorf("statuses %d %d %d", reqs[0].status, reqs[1].status, reqs[2].status)
	}
}

// A sink that always fails ends dead after MaxAttempts; RetryDead brings the
// delivery back and it is delivered once the sink works.
func TestDelivererDeadLetterAndRetryDead(t *testing.T) {
	t.Parallel()
	pool := installOutbox(t)
	var healthy atomic.Bool
	flaky := &funcSink{name: "flaky", fn: func(context.Context, Event) error {
		if healthy.Load() {
			return nil
		}
		return errTest
	}}
	startDeliverer(t, pool, DelivererConfig{MaxAttempts: 3}, flaky)
	e := testEvent(t, "public.t")
	enqueue(t, pool, e, "flaky")

	ctx := context.Background()
	pgtest.WaitFor(t, 20*time.Second, "the delivery to be dead", func() (bool, error) {
		_, dead, err := Stats(ctx, pool)
		return dead == 1, err
	})
	dead, err := ListDeliveries(ctx, pool, DeliveryFilter{Dead: true})
	if err != nil || len(dead) != 1 {
		t.Fatalf("dead deliveries %v, %v", dead, err)
	}
	if d := dead[0]; d.Attempts != 3 || d.LastError != errTest.Error() || d.DeliveredAt != nil {
		t.Errorf("dead delivery %+v", d)
	}
	if pending, _, _ := Stats(ctx, pool); pending != 0 {
		t.Errorf("pending = %d, want 0 (dead is not pending)", pending)
	}
	if n := len(flaky.attempts()); n != 3 {
		t.Errorf("sink saw %d attempts, want 3", n)
	}

	healthy.Store(true)
	if n, err := RetryDead(ctx, pool, []int64{dead[0].ID + 1000}); err != nil || n != 0 {
		t.Errorf("RetryDead of an unknown id: %d, %v", n, err)
	}
	n, err := RetryDead(ctx, pool, nil)
	if err != nil || n != 1 {
		t.Fatalf("RetryDead = %d, %v", n, err)
	}
	pgtest.WaitFor(t, 20*time.Second, "delivery after RetryDead", delivered(t, pool, e.ID, "flaky"))
	d, _ := deliveryOf(t, pool, e.ID, "flaky")
	if d.Attempts != 1 || d.Dead {
		t.Errorf("after retry: %+v, want 1 attempt since the reset", d)
	}
	if got := flaky.accepted(); len(got) != 1 || got[0].ID != e.ID {
		t.Errorf("sink accepted %v", got)
	}
}

// NATS down: the event waits in the outbox, pending; NATS back: delivered.
func TestDelivererHoldsEventsWhileNATSIsDown(t *testing.T) {
	t.Parallel()
	pool := installOutbox(t)
	srv := startNATSServer(t)
	stream, prefix := uniqueNATS()
	sink, err := NewNATSSink(NATSConfig{URL: srv.url(), Stream: stream, SubjectPrefix: prefix, Timeout: time.Second, ReconnectWait: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sink.Close() })
	startDeliverer(t, pool, DelivererConfig{MaxAttempts: 1000, BaseBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}, sink)

	srv.stop()
	e := testEvent(t, "public.users.pkceRequired")
	enqueue(t, pool, e, sink.Name())
	ctx := context.Background()
	pgtest.WaitFor(t, 20*time.Second, "failed attempts while NATS is down", func() (bool, error) {
		d, err := deliveryOf(t, pool, e.ID, sink.Name())
		return d.Attempts >= 2 && d.LastError != "", err
	})
	if pending, dead, err := Stats(ctx, pool); err != nil || pending != 1 || dead != 0 {
		t.Fatalf("while down: pending %d dead %d %v; want 1 pending", pending, dead, err)
	}

	srv.start()
	pgtest.WaitFor(t, 30*time.Second, "delivery after NATS restarts", delivered(t, pool, e.ID, sink.Name()))
	js := jsFor(t, srv.url())
	s, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := s.GetMsg(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Nats-Msg-Id") != e.ID || msg.Subject != prefix+".app.drift.opened" {
		t.Errorf("published %s with id %q", msg.Subject, msg.Header.Get("Nats-Msg-Id"))
	}
}

// A sink that hangs and one that always fails hold up neither the caller
// nor a healthy sink.
func TestDelivererSinksAreIndependent(t *testing.T) {
	t.Parallel()
	pool := installOutbox(t)
	release := make(chan struct{})
	entered := make(chan struct{}, 16)
	slow := &funcSink{name: "slow", fn: func(ctx context.Context, _ Event) error {
		entered <- struct{}{}
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}}
	down := &funcSink{name: "down", fn: func(_ context.Context, e Event) error {
		if e.Subject == "public.first" {
			panic("sink bug") // a panicking sink fails its attempt, nothing else
		}
		return errTest
	}}
	fast := &funcSink{name: "fast"}
	startDeliverer(t, pool, DelivererConfig{SendTimeout: time.Minute, MaxAttempts: 1000}, slow, down, fast)

	first := testEvent(t, "public.first")
	enqueue(t, pool, first, "slow", "down", "fast")
	select {
	case <-entered:
	case <-time.After(20 * time.Second):
		t.Fatal("slow sink never got the event")
	}
	// The slow sink is now stuck in Send; the fast sink must still get this
	// and the next event, and enqueueing must not wait.
	pgtest.WaitFor(t, 20*time.Second, "fast delivery of the first event", delivered(t, pool, first.ID, "fast"))
	second := testEvent(t, "public.second")
	start := time.Now()
	enqueue(t, pool, second, "slow", "down", "fast")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("enqueue took %s while a sink hangs", d)
	}
	pgtest.WaitFor(t, 20*time.Second, "fast delivery of the second event", delivered(t, pool, second.ID, "fast"))
	d, err := deliveryOf(t, pool, first.ID, "slow")
	if err != nil || d.DeliveredAt != nil {
		t.Fatalf("slow delivery finished early: %+v %v", d, err)
	}
	close(release)
	pgtest.WaitFor(t, 20*time.Second, "slow delivery once released", delivered(t, pool, second.ID, "slow"))
	if d, _ := deliveryOf(t, pool, first.ID, "down"); d.DeliveredAt != nil || d.Attempts == 0 || !strings.Contains(d.LastError, "panic: sink bug") {
		t.Errorf("down sink: %+v", d)
	}
}

// A rolled-back enqueue delivers nothing.
func TestDelivererIgnoresRolledBackEnqueue(t *testing.T) {
	t.Parallel()
	pool := installOutbox(t)
	sink := &funcSink{name: "rec"}
	startDeliverer(t, pool, DelivererConfig{}, sink)
	ctx := context.Background()

	rolledBack := testEvent(t, "public.rolled_back")
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := Enqueue(ctx, tx, rolledBack, []string{"rec"}); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE public.drift_state_stand_in (id int)`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	// A committed event enqueued afterwards is the barrier: once it is
	// delivered, the deliverer has looked at the outbox after the rollback.
	committed := testEvent(t, "public.committed")
	enqueue(t, pool, committed, "rec")
	pgtest.WaitFor(t, 20*time.Second, "the committed event", delivered(t, pool, committed.ID, "rec"))
	for _, e := range sink.accepted() {
		if e.ID == rolledBack.ID {
			t.Fatal("the rolled-back event was delivered")
		}
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM driftwatch.outbox WHERE event_id = $1`, rolledBack.ID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("rolled-back event in the outbox: %d %v", n, err)
	}
}

// The deliverer wakes on LISTEN/NOTIFY, and on Kick without it, long before
// its poll interval.
func TestDelivererWakesPromptly(t *testing.T) {
	t.Parallel()
	for name, noListen := range map[string]bool{"listen": false, "kick": true} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pool := installOutbox(t)
			sink := &funcSink{name: "rec"}
			d := startDeliverer(t, pool, DelivererConfig{PollInterval: time.Hour, NoListen: noListen}, sink)
			// After each delivery the sink's loop has nothing due and sleeps
			// for the poll interval (an hour): only a wake-up delivers the
			// next event in time.
			ctx := context.Background()
			for i := range 3 {
				e := testEvent(t, "public.t")
				if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return d.Enqueue(ctx, tx, e) }); err != nil {
					t.Fatal(err)
				}
				if noListen {
					d.Kick()
				}
				pgtest.WaitFor(t, 10*time.Second, "prompt delivery", delivered(t, pool, e.ID, "rec"))
				if got := len(sink.accepted()); got != i+1 {
					t.Fatalf("sink accepted %d events, want %d", got, i+1)
				}
			}
		})
	}
}

// Close lets an in-flight send finish within ShutdownTimeout, then cancels
// it; the cancelled delivery stays pending for the next start.
func TestDelivererCloseBoundsInFlightSends(t *testing.T) {
	t.Parallel()
	pool := installOutbox(t)
	entered := make(chan struct{}, 1)
	stuck := &funcSink{name: "stuck", fn: func(ctx context.Context, _ Event) error {
		entered <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	}}
	cfg := DelivererConfig{SendTimeout: time.Hour, ShutdownTimeout: 300 * time.Millisecond, MaxAttempts: 1}
	d := startDeliverer(t, pool, cfg, stuck)
	e := testEvent(t, "public.t")
	enqueue(t, pool, e, "stuck")
	select {
	case <-entered:
	case <-time.After(20 * time.Second):
		t.Fatal("send never started")
	}
	start := time.Now()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("Close took %s with a 300ms shutdown timeout", took)
	}
	got, err := deliveryOf(t, pool, e.ID, "stuck")
	if err != nil {
		t.Fatal(err)
	}
	// MaxAttempts is 1, yet the interrupted attempt must not make it dead.
	if got.Dead || got.DeliveredAt != nil || got.Attempts != 0 || got.NextAttemptAt.After(time.Now().Add(time.Second)) {
		t.Fatalf("interrupted delivery %+v, want pending and due", got)
	}

	// A new deliverer picks it up.
	ok := &funcSink{name: "stuck"}
	startDeliverer(t, pool, DelivererConfig{}, ok)
	pgtest.WaitFor(t, 20*time.Second, "delivery by the next deliverer", delivered(t, pool, e.ID, "stuck"))
}

// Two deliverers on one outbox (two replicas) send each event once.
func TestDeliverersShareTheOutbox(t *testing.T) {
	t.Parallel()
	pool := installOutbox(t)
	a, b := &funcSink{name: "rec"}, &funcSink{name: "rec"}
	startDeliverer(t, pool, DelivererConfig{}, a)
	startDeliverer(t, pool, DelivererConfig{}, b)
	var ids []string
	for range 20 {
		e := testEvent(t, "public.t")
		ids = append(ids, e.ID)
		enqueue(t, pool, e, "rec")
	}
	for _, id := range ids {
		pgtest.WaitFor(t, 20*time.Second, "delivery", delivered(t, pool, id, "rec"))
	}
	seen := map[string]int{}
	for _, e := range append(a.accepted(), b.accepted()...) {
		seen[e.ID]++
	}
	for _, id := range ids {
		if seen[id] != 1 {
			t.Errorf("event %s sent %d times", id, seen[id])
		}
	}
}

// A deliverer that loses its connection mid-send (a kill -9 of the
// daemon, a crashed pod) does not hold on to the delivery: while it is
// sending, another deliverer leaves the delivery alone; once its
// connection is gone, the other sends it at once, not after the lease (an
// hour here). The lost attempt counts, so a send that kills its sender
// every time ends as a dead letter instead of looping.
func TestDelivererCrashMidSendFreesTheDelivery(t *testing.T) {
	t.Parallel()
	pool := installOutbox(t)
	entered := make(chan struct{}, 1)
	stuck := &funcSink{name: "rec", fn: func(ctx context.Context, _ Event) error {
		entered <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	}}
	startDeliverer(t, pool, DelivererConfig{SendTimeout: time.Hour}, stuck)
	e := testEvent(t, "public.t")
	enqueue(t, pool, e, "rec")
	select {
	case <-entered:
	case <-time.After(20 * time.Second):
		t.Fatal("send never started")
	}

	ok := &funcSink{name: "rec"}
	var queries atomic.Int64
	other := startDeliverer(t, countingPool(t, pool, &queries), DelivererConfig{PollInterval: time.Second, NoListen: true}, ok)
	time.Sleep(100 * time.Millisecond) // the other's first drain
	before := queries.Load()
	for range 5 { // claims by the other deliverer: none may take it
		other.Kick()
		time.Sleep(100 * time.Millisecond)
	}
	if n := len(ok.attempts()); n != 0 {
		t.Fatalf("the delivery was sent again while its first send was in flight (%d sends)", n)
	}
	// Five kicks are five drains of two queries each (claim, next due),
	// not a busy loop on the delivery in flight.
	if n := queries.Load() - before; n > 20 {
		t.Errorf("the other deliverer ran %d queries in 0.5 s while the delivery was in flight", n)
	}

	// The crash: the server loses the sending deliverer's connection.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var killed int
	err := pool.QueryRow(ctx, `
SELECT count(*) FILTER (WHERE pg_terminate_backend(l.pid))
FROM pg_locks l JOIN pg_database db ON db.oid = l.database
WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND db.datname = current_database()`).Scan(&killed)
	if err != nil || killed != 1 {
		t.Fatalf("terminate the sending connection: %d terminated, %v", killed, err)
	}
	other.Kick()
	pgtest.WaitFor(t, 20*time.Second, "delivery by the other deliverer", delivered(t, pool, e.ID, "rec"))
	if n := len(ok.accepted()); n != 1 {
		t.Errorf("the other deliverer sent the event %d times, want once", n)
	}
	got, err := deliveryOf(t, pool, e.ID, "rec")
	if err != nil {
		t.Fatal(err)
	}
	if got.Attempts != 2 {
		t.Errorf("attempts %d, want 2: the crashed one and the delivery", got.Attempts)
	}
}

// countingPool opens a second pool on pool's database whose queries are
// counted.
func countingPool(t *testing.T, pool *pgxpool.Pool, n *atomic.Int64) *pgxpool.Pool {
	t.Helper()
	cfg := pool.Config().Copy()
	cfg.ConnConfig.Tracer = queryCounter{n}
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

type queryCounter struct{ n *atomic.Int64 }

func (q queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	q.n.Add(1)
	return ctx
}

func (queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func TestDelivererRejectsDuplicateSinkNames(t *testing.T) {
	t.Parallel()
	pool := installOutbox(t)
	d := NewDeliverer(pool, []Sink{&funcSink{name: "x"}, &funcSink{name: "x"}}, DelivererConfig{})
	if err := d.Open(); err == nil {
		_ = d.Close()
		t.Fatal("Open accepted two sinks named x")
	}
}

// Deliveries to a sink that is not configured are reported at Open.
func TestDelivererWarnsAboutUnknownSinks(t *testing.T) {
	t.Parallel()
	pool := installOutbox(t)
	enqueue(t, pool, testEvent(t, "public.t"), "rec", "webhook:gone")
	var buf pgtest.SyncBuffer
	d := NewDeliverer(pool, []Sink{&funcSink{name: "rec"}}, DelivererConfig{Logger: zerolog.New(&buf)})
	if err := d.Open(); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	out := buf.String()
	if !strings.Contains(out, `"sink":"webhook:gone"`) || !strings.Contains(out, `"pending":1`) || strings.Contains(out, `"sink":"rec","pending"`) {
		t.Fatalf("log:\n%s", out)
	}
}

func TestBackoff(t *testing.T) {
	base, maxDelay := time.Second, 5*time.Minute
	for attempt, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 9: 256 * time.Second, 10: maxDelay, 50: maxDelay} {
		for range 50 {
			got := Backoff(base, maxDelay, attempt)
			if got < want/2 || got > want {
				t.Fatalf("Backoff(attempt %d) = %s, want within [%s, %s]", attempt, got, want/2, want)
			}
		}
	}
	seen := map[time.Duration]bool{}
	for range 50 {
		seen[Backoff(base, maxDelay, 5)] = true
	}
	if len(seen) < 10 {
		t.Errorf("Backoff has little jitter: %d distinct values in 50", len(seen))
	}
}

var _ http.Handler = (*receiver)(nil)
