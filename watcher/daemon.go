package watcher

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/robfig/cron/v3"
	"github.com/rs/zerolog"

	"github.com/driftwatch/driftwatch/checker"
	pgdsn "github.com/driftwatch/driftwatch/internal/dsn"
	"github.com/driftwatch/driftwatch/internal/memlimit"
	"github.com/driftwatch/driftwatch/notify"
	dwsql "github.com/driftwatch/driftwatch/sql"
)

// DaemonStatus is what the daemon knows about itself, for /health.
// (Status is the install status; see InstallStatus.)
type DaemonStatus struct {
	// Connected: the event source is connected and listening (with no
	// source, the last sweep reached the database).
	Connected       bool
	CanonicalLoaded bool
	FirstSweepDone  bool
	LastSweep       time.Time
	// Leader: this replica holds the leader lock, so it listens, re-checks,
	// sweeps and publishes; the others only serve health and /drift.
	Leader bool
	// TriggerInstalled: driftwatch's event triggers exist and are enabled.
	// Without them the daemon runs on sweeps alone.
	TriggerInstalled bool
	// LastError is the last error of the source, a re-check or a sweep;
	// cleared by the next success.
	LastError string
}

// Daemon is the watch daemon: it listens for DDL, re-checks what changed
// against the canonical schema, keeps drift state in driftwatch.drift and
// publishes transitions through the outbox. It sweeps the whole database
// at start, after every reconnect and on a schedule. Open starts it and
// Close stops it; everything it starts, Close waits for.
type Daemon struct {
	base zerolog.Logger // as given; d.log adds component=daemon
	log  zerolog.Logger
	m    *Metrics

	mu       sync.Mutex // guards st, status, critical, cron, closers
	st       state
	status   DaemonStatus
	critical bool
	cron     *cron.Cron
	closers  []io.Closer // sinks holding connections (NATS)

	pool *pgxpool.Pool
	// checkMu serializes re-checks and sweeps: each reads the catalog and
	// then writes drift state, and must not interleave with another.
	checkMu sync.Mutex

	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once

	hooks hooks
	// memory is the soft memory limit policy FitMemory set, or nil.
	memory *memlimit.Policy
}

// state is the part of the daemon Reload replaces, read as a whole.
type state struct {
	cfg       Config
	canon     *checker.Model // searched by scope (InScope), not indexed
	diff      checker.DiffOptions
	loc       *time.Location
	origin    notify.Origin
	deliverer *notify.Deliverer
	sinks     []string
}

// hooks let tests observe and tune the daemon.
type hooks struct {
	onRecheck    func(RecheckInfo)
	pollInterval time.Duration
	leaderRetry  time.Duration
}

// NewDaemon checks cfg and returns a daemon; Open starts it. m may be nil
// (metrics are then kept but not exposed).
func NewDaemon(cfg Config, log zerolog.Logger, m *Metrics) (*Daemon, error) {
	if m == nil {
		m = NewMetrics()
	}
	d := &Daemon{base: log, log: log.With().Str("component", "daemon").Logger(), m: m}
	st, err := prepare(cfg)
	if err != nil {
		return nil, err
	}
	d.st = st
	return d, nil
}

// prepare checks a configuration and derives what does not need the
// database.
func prepare(cfg Config) (state, error) {
	var st state
	if cfg.DSN == "" {
		return st, errors.New("configure daemon: no database DSN: set dsn or DATABASE_URL")
	}
	if cfg.Canonical == "" && cfg.CanonicalDSN == "" {
		return st, errors.New("configure daemon: no canonical schema: set canonical (a SQL file, .json snapshot or migrations directory) or canonical_dsn")
	}
	if cfg.Source != "" && cfg.Source != "notify" {
		return st, fmt.Errorf("configure daemon: source %q is not supported: use notify", cfg.Source)
	}
	diff := checker.DiffOptions{
		Comments: cfg.Check.Comments, Privileges: cfg.Check.Privileges,
		ColumnOrder: cfg.Check.ColumnOrder, Ignore: cfg.Check.Ignore,
	}
	for _, s := range cfg.Check.Severity {
		r, err := checker.ParseSeverityRule(s)
		if err != nil {
			return st, fmt.Errorf("configure daemon: %w", err)
		}
		diff.Severity = append(diff.Severity, r)
	}
	tz := cfg.Sweep.TimeZone
	if tz == "" {
		tz = "UTC"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return st, fmt.Errorf("configure daemon: sweep time zone %q: %w (use an IANA name such as Europe/Berlin)", tz, err)
	}
	if cfg.Sweep.Schedule != "" {
		if _, err := cron.ParseStandard(cfg.Sweep.Schedule); err != nil {
			return st, fmt.Errorf("configure daemon: sweep schedule %q: %w (write 5 cron fields, e.g. \"0 2 * * *\")", cfg.Sweep.Schedule, err)
		}
	}
	return state{cfg: cfg, diff: diff, loc: loc}, nil
}

// current returns the state in effect.
func (d *Daemon) current() state {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.st
}

// Open connects, installs the event trigger when configured to (or
// reports that it is missing and runs on sweeps alone), makes sure the
// state tables exist, loads the canonical schema and starts the outbox
// deliverer. Then it competes for the leader lock (see lead); the leader
// starts the event source, the sweep schedule and the first sweep (which
// runs once the source has caught up).
func (d *Daemon) Open(ctx context.Context) error {
	if d.cancel != nil {
		return errors.New("open daemon: already open")
	}
	st := d.current()
	cfg := st.cfg
	poolCfg, err := pgxpool.ParseConfig(cfg.DSN)
	if err != nil {
		return fmt.Errorf("parse database DSN: %w", err)
	}
	// Re-checks and sweeps need a few connections; each sink's delivery
	// loop holds one for the length of a send (see notify.Deliverer).
	poolCfg.MaxConns = max(poolCfg.MaxConns, int32(6+len(cfg.Webhooks)))
	// The daemon's catalog queries are estimated costly on a large schema,
	// and JIT-compiling them took longer than running them (see
	// checker.Inspect); its connections never run anything else.
	poolCfg.ConnConfig.RuntimeParams["jit"] = "off"
	pool, err := pgxpool.NewWithConfig(ctx, poolCfg)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", pgdsn.Describe(cfg.DSN), err)
	}
	ok := false
	defer func() {
		if !ok {
			pool.Close()
			d.pool = nil
		}
	}()
	if err := pool.Ping(ctx); err != nil {
		return fmt.Errorf("connect to %s: %w", pgdsn.Describe(cfg.DSN), err)
	}
	d.pool = pool
	st.origin = notify.Origin{
		Host:     net.JoinHostPort(poolCfg.ConnConfig.Host, strconv.Itoa(int(poolCfg.ConnConfig.Port))),
		Database: poolCfg.ConnConfig.Database,
	}

	triggers, hasEvents, err := d.prepareDatabase(ctx, cfg.Install)
	if err != nil {
		return err
	}
	canon, err := d.loadCanonical(ctx, cfg)
	if err != nil {
		return err
	}
	st.canon = canon
	d.fitMemory()
	deliverer, closers, err := d.openDeliverer(cfg)
	if err != nil {
		return err
	}
	st.deliverer, st.sinks = deliverer, deliverer.SinkNames()

	d.ctx, d.cancel = context.WithCancel(context.Background())
	d.mu.Lock()
	d.st = st
	d.closers = closers
	d.status.CanonicalLoaded = true
	d.status.TriggerInstalled = triggers
	d.status.Connected = true
	d.mu.Unlock()

	var src Source
	if hasEvents {
		src = &NotifySource{
			Config:       poolCfg.ConnConfig,
			Coalesce:     cfg.Coalesce.D(),
			PollInterval: d.hooks.pollInterval,
			OnReconnect:  d.m.Reconnects.Inc,
			Log:          d.base.With().Str("component", "source").Logger(),
		}
	}
	d.wg.Add(1)
	go d.lead(poolCfg.ConnConfig, src)
	d.wg.Add(1)
	go d.refreshOutboxStats()
	ok = true
	d.log.Info().Str("database", st.origin.Database).Str("host", st.origin.Host).
		Bool("trigger_installed", triggers).Strs("sinks", st.sinks).Msg("driftwatch daemon started")
	return nil
}

// prepareDatabase installs when asked, reports the trigger's state, and
// makes sure the state and outbox tables exist. It returns whether the
// event triggers are installed and enabled, and whether ddl_events exists.
func (d *Daemon) prepareDatabase(ctx context.Context, install bool) (triggers, hasEvents bool, err error) {
	c, err := d.pool.Acquire(ctx)
	if err != nil {
		return false, false, fmt.Errorf("acquire connection: %w", err)
	}
	defer c.Release()
	conn := c.Conn()
	if install {
		if err := Install(ctx, conn); err != nil {
			return false, false, fmt.Errorf("install event trigger: %w", err)
		}
	}
	s, err := InstallStatus(ctx, conn)
	if err != nil {
		return false, false, err
	}
	triggers = s.Installed && len(s.Triggers) > 0
	for _, t := range s.Triggers {
		if !t.Present || t.Enabled == "D" {
			triggers = false
		}
	}
	for _, p := range s.Problems() {
		d.log.Warn().Msg(p)
	}
	if !triggers {
		d.log.Warn().Msg("DDL is not recorded: running on sweeps alone; drift is found only by the scheduled and start-up sweeps")
	}
	if err := ensureState(ctx, conn); err != nil {
		return false, false, err
	}
	if err := conn.QueryRow(ctx, `SELECT pg_catalog.to_regclass('driftwatch.ddl_events') IS NOT NULL`).Scan(&hasEvents); err != nil {
		return false, false, fmt.Errorf("look for driftwatch.ddl_events: %w", err)
	}
	return triggers, hasEvents, nil
}

// stateParts are the install files the daemon cannot run without.
var stateParts = []string{"30_state.sql", "40_outbox.sql"}

// ensureState creates the state and outbox tables when they are missing
// (an install older than the daemon, or none): they need only CREATE on
// the database, not the superuser an event trigger needs.
func ensureState(ctx context.Context, conn *pgx.Conn) error {
	var present bool
	err := conn.QueryRow(ctx, `
SELECT pg_catalog.to_regnamespace('driftwatch') IS NOT NULL
   AND pg_catalog.to_regclass('driftwatch.drift') IS NOT NULL
   AND pg_catalog.to_regclass('driftwatch.source_cursor') IS NOT NULL
   AND pg_catalog.to_regclass('driftwatch.ddl_handled') IS NOT NULL
   AND pg_catalog.to_regclass('driftwatch.last_sweep') IS NOT NULL
   AND pg_catalog.to_regclass('driftwatch.outbox_delivery') IS NOT NULL
   AND EXISTS (SELECT FROM pg_catalog.pg_attribute
               WHERE attrelid = pg_catalog.to_regclass('driftwatch.outbox_delivery') AND attname = 'leased_until')`).Scan(&present)
	if err != nil {
		return fmt.Errorf("look for driftwatch state tables: %w", err)
	}
	if present {
		return nil
	}
	script := "CREATE SCHEMA IF NOT EXISTS driftwatch;\n"
	for _, name := range stateParts {
		part, err := installPart(name)
		if err != nil {
			return err
		}
		script += part
	}
	if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, script)
		return err
	}); err != nil {
		return fmt.Errorf("create driftwatch state tables: %w (run driftwatch install as a superuser)", err)
	}
	return nil
}

// installPart returns one file of the embedded install script.
func installPart(name string) (string, error) {
	all := dwsql.InstallScript()
	marker := "-- install/" + name + "\n"
	i := strings.Index(all, marker)
	if i < 0 {
		return "", fmt.Errorf("find install/%s in the embedded install script", name)
	}
	part := all[i+len(marker):]
	if j := strings.Index(part, "\n-- install/"); j >= 0 {
		part = part[:j+1]
	}
	return part, nil
}

// loadCanonical loads the canonical model and logs the loader's warnings.
func (d *Daemon) loadCanonical(ctx context.Context, cfg Config) (*checker.Model, error) {
	start := time.Now()
	m, warnings, err := checker.LoadCanonical(ctx, checker.CanonicalSource{
		Path: cfg.Canonical, DSN: cfg.CanonicalDSN, ScratchDSN: cfg.ScratchDSN, TargetDSN: cfg.DSN,
	}, checker.LoadOptions{Debugf: func(format string, args ...any) { d.log.Debug().Msgf(format, args...) }})
	for _, w := range warnings {
		d.log.Warn().Str("canonical", cfg.Canonical).Msg(w)
	}
	if err != nil {
		return nil, err
	}
	d.log.Info().Int("objects", len(m.Objects)).Dur("took", time.Since(start)).Msg("canonical schema loaded")
	return m, nil
}

// openDeliverer builds the sinks of cfg (log always, NATS when a URL is
// set, one per webhook) and starts their deliverer.
func (d *Daemon) openDeliverer(cfg Config) (*notify.Deliverer, []io.Closer, error) {
	sinks := []notify.Sink{notify.NewLogSink(d.base.With().Str("component", "events").Logger())}
	var closers []io.Closer
	if cfg.NATS.URL != "" {
		s, err := notify.NewNATSSink(notify.NATSConfig{
			URL: cfg.NATS.URL, Stream: cfg.NATS.Stream, SubjectPrefix: cfg.NATS.Prefix, Subjects: cfg.NATS.Subjects,
		})
		if err != nil {
			return nil, nil, err
		}
		sinks = append(sinks, s)
		closers = append(closers, s)
	}
	hosts := map[string]int{}
	for _, w := range cfg.Webhooks {
		wc := notify.WebhookConfig{URL: w.URL, Secret: w.Secret, Timeout: w.Timeout.D()}
		if u, err := url.Parse(w.URL); err == nil {
			// sink names must be unique and stable: number the later
			// endpoints on one host, in configuration order
			if hosts[u.Host]++; hosts[u.Host] > 1 {
				wc.Name = fmt.Sprintf("webhook:%s#%d", u.Host, hosts[u.Host])
			}
		}
		s, err := notify.NewWebhookSink(wc)
		if err != nil {
			closeAll(closers)
			return nil, nil, err
		}
		sinks = append(sinks, s)
	}
	del := notify.NewDeliverer(d.pool, sinks, notify.DelivererConfig{
		BaseBackoff:     cfg.Outbox.RetryBase.D(),
		MaxBackoff:      cfg.Outbox.RetryMax.D(),
		MaxAttempts:     cfg.Outbox.MaxAttempts,
		ShutdownTimeout: cfg.ShutdownTimeout.D(),
		Logger:          d.base,
	})
	if err := del.Open(); err != nil {
		closeAll(closers)
		return nil, nil, err
	}
	return del, closers, nil
}

func closeAll(cs []io.Closer) {
	for _, c := range cs {
		_ = c.Close()
	}
}

// startCron (re)starts the sweep schedule of st.
func (d *Daemon) startCron(st state) error {
	d.mu.Lock()
	old := d.cron
	d.cron = nil
	d.mu.Unlock()
	if old != nil {
		<-old.Stop().Done()
	}
	if st.cfg.Sweep.Schedule == "" {
		return nil
	}
	c := cron.New(cron.WithLocation(st.loc))
	if _, err := c.AddFunc(st.cfg.Sweep.Schedule, func() {
		if d.Status().Leader {
			d.sweepAndLog(d.ctx, "schedule")
		}
	}); err != nil {
		return fmt.Errorf("schedule sweeps %q: %w", st.cfg.Sweep.Schedule, err)
	}
	c.Start()
	d.mu.Lock()
	d.cron = c
	d.mu.Unlock()
	return nil
}

// refreshOutboxStats keeps the outbox gauges current.
func (d *Daemon) refreshOutboxStats() {
	defer d.wg.Done()
	t := time.NewTicker(15 * time.Second)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(d.ctx, 5*time.Second)
		pending, dead, err := notify.Stats(ctx, d.pool)
		cancel()
		if err == nil {
			d.m.OutboxPending.Set(float64(pending))
			d.m.OutboxDead.Set(float64(dead))
		}
		select {
		case <-d.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Close stops listening, lets an in-flight re-check finish, stops the
// schedule, gives the sinks ShutdownTimeout to deliver what is pending,
// and waits for every goroutine the daemon started.
func (d *Daemon) Close() error {
	d.closeOnce.Do(func() {
		if d.cancel == nil {
			return
		}
		d.cancel()
		d.wg.Wait() // the leader loop stops the source and the schedule
		d.stopCron()
		st := d.current()
		if st.deliverer != nil {
			_ = st.deliverer.Close()
		}
		d.mu.Lock()
		closeAll(d.closers)
		d.closers = nil
		d.status.Connected = false
		d.mu.Unlock()
		d.pool.Close()
		d.log.Info().Msg("driftwatch daemon stopped")
	})
	return nil
}

// Reload applies a new configuration (SIGHUP): it reloads the canonical
// schema, rebuilds the sinks and the schedule when they changed, and then
// sweeps (on the leader; a standby only takes the configuration). The database (DSN) cannot change without a restart. On error
// the old configuration stays in effect.
func (d *Daemon) Reload(ctx context.Context, cfg Config) error {
	if d.cancel == nil {
		return errors.New("reload: daemon is not open")
	}
	next, err := prepare(cfg)
	if err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	cur := d.current()
	if cfg.DSN != cur.cfg.DSN {
		return errors.New("reload: the database DSN changed: restart driftwatch to watch another database")
	}
	next.origin = cur.origin
	d.liftMemoryLimit()
	defer d.fitMemory()
	if next.canon, err = d.loadCanonical(ctx, cfg); err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	next.deliverer, next.sinks = cur.deliverer, cur.sinks
	var oldClosers []io.Closer
	sinksChanged := !reflect.DeepEqual(cfg.NATS, cur.cfg.NATS) || !reflect.DeepEqual(cfg.Webhooks, cur.cfg.Webhooks) ||
		cfg.Outbox != cur.cfg.Outbox || cfg.ShutdownTimeout != cur.cfg.ShutdownTimeout
	if sinksChanged {
		del, closers, err := d.openDeliverer(cfg)
		if err != nil {
			return fmt.Errorf("reload: %w", err)
		}
		next.deliverer, next.sinks = del, del.SinkNames()
		d.mu.Lock()
		oldClosers, d.closers = d.closers, closers
		d.mu.Unlock()
	}
	// Swap under checkMu so no re-check or sweep straddles two configs.
	d.checkMu.Lock()
	d.mu.Lock()
	d.st = next
	d.mu.Unlock()
	d.checkMu.Unlock()
	if sinksChanged {
		_ = cur.deliverer.Close()
		closeAll(oldClosers)
	}
	if cfg.Sweep != cur.cfg.Sweep && d.Status().Leader {
		if err := d.startCron(next); err != nil {
			return fmt.Errorf("reload: %w", err)
		}
	}
	d.log.Info().Bool("sinks_changed", sinksChanged).Msg("configuration reloaded")
	if !d.Status().Leader {
		return nil // the leader sweeps; a standby has nothing to compare for
	}
	if _, err := d.Sweep(ctx); err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	return nil
}

// Status returns the daemon's view of itself.
func (d *Daemon) Status() DaemonStatus {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.status
}

// Pool returns the daemon's connection pool to the watched database (nil
// before Open).
func (d *Daemon) Pool() *pgxpool.Pool { return d.pool }

func (d *Daemon) setError(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err == nil {
		d.status.LastError = ""
		return
	}
	d.status.LastError = err.Error()
}

// daemonHandler receives the source's batches and connection changes.
type daemonHandler struct{ d *Daemon }

func (h daemonHandler) HandleBatch(ctx context.Context, b Batch) error {
	err := h.d.handleBatch(ctx, b)
	if err != nil {
		h.d.log.Error().Err(err).Int("events", len(b.Events)).Msg("re-check failed; the events will be handled again")
	}
	h.d.setError(err)
	return err
}

func (h daemonHandler) Connected(_ context.Context, reconnect bool) {
	h.d.mu.Lock()
	h.d.status.Connected = true
	h.d.mu.Unlock()
	reason := "start"
	if reconnect {
		reason = "reconnect"
		h.d.log.Info().Msg("DDL event source reconnected and caught up")
	}
	h.d.sweepAndLog(h.d.ctx, reason)
}

func (h daemonHandler) Disconnected(err error) {
	h.d.mu.Lock()
	h.d.status.Connected = false
	h.d.mu.Unlock()
	h.d.setError(err)
}
