package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // sweep.time_zone works in images without /usr/share/zoneinfo

	"github.com/rs/zerolog"

	pgdsn "github.com/driftwatch/driftwatch/internal/dsn"
	"github.com/driftwatch/driftwatch/watcher"
)

type watchCommand struct {
	stdout, stderr io.Writer
	// fitMemory keeps the daemon's soft memory limit (watcher.DaemonMemory).
	fitMemory bool
	// lookupEnv reads the environment (os.LookupEnv when nil).
	lookupEnv watcher.LookupEnv
	// hup delivers reload requests (SIGHUP when nil).
	hup <-chan os.Signal
	// started, when set, is called with the HTTP address once the daemon
	// is open (tests).
	started func(addr string)
}

func (c *watchCommand) name() string { return "watch" }
func (c *watchCommand) synopsis() string {
	return "run the daemon: real-time drift detection, /health/schema, /metrics, NATS and webhooks"
}

// watchFlags are watch's flags; set ones override the file and the
// environment.
type watchFlags struct {
	config                                   string
	dsn, canonical, canonicalDSN, scratchDSN string
	listen, natsURL, webhookSecret           string
	logLevel, logFormat, sweepSchedule       string
	webhooks, healthTables, healthColumns    stringList
	ignore, severity                         stringList
	install                                  bool
	set                                      map[string]bool
}

func (f *watchFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.config, "config", "", "YAML configuration `FILE` (default $DRIFTWATCH_CONFIG); see docs/configuration.md")
	fs.StringVar(&f.dsn, "dsn", "", "watched database DSN (default $DRIFTWATCH_DSN, $DATABASE_URL)")
	fs.StringVar(&f.canonical, "canonical", "", "canonical schema: a pg_dump --schema-only SQL file, a .json snapshot or a migrations directory")
	fs.StringVar(&f.canonicalDSN, "canonical-dsn", "", "reference database to use as canonical instead of --canonical")
	fs.StringVar(&f.scratchDSN, "scratch-dsn", "", "empty database to load a canonical SQL file into (default: a temporary database on the watched server)")
	fs.StringVar(&f.listen, "listen", "", "HTTP `ADDR` for /health/schema, /readyz, /metrics, /drift (default :8080)")
	fs.StringVar(&f.natsURL, "nats-url", "", "publish events to NATS JetStream at `URL` (default: off)")
	fs.Var(&f.webhooks, "webhook", "post events to `URL` (repeatable; replaces the file's webhooks)")
	fs.StringVar(&f.webhookSecret, "webhook-secret", "", "sign webhooks with `SECRET` (whsec_<base64> or raw; default $DRIFTWATCH_WEBHOOK_SECRET)")
	fs.Var(&f.healthTables, "health-table", "`TABLE` (or schema.table) /health/schema checks (repeatable)")
	fs.Var(&f.healthColumns, "health-column", "`TABLE.COLUMN` /health/schema checks (repeatable)")
	fs.BoolVar(&f.install, "install", false, "install or upgrade the DDL event trigger at start (superuser)")
	fs.StringVar(&f.logLevel, "log-level", "", "debug, info, warn or error (default info)")
	fs.StringVar(&f.logFormat, "log-format", "", "json or console (default json)")
	fs.StringVar(&f.sweepSchedule, "sweep-schedule", "", "cron schedule of full sweeps (default \"0 2 * * *\")")
	fs.Var(&f.ignore, "ignore", "ignore objects matching `PATTERN` (repeatable), e.g. 'audit.*'")
	fs.Var(&f.severity, "severity", "override a severity, `change:kind=level` (repeatable)")
}

// apply overrides cfg with the flags that were set.
func (f *watchFlags) apply(cfg *watcher.Config) {
	str := map[string]*string{
		"dsn": &cfg.DSN, "canonical": &cfg.Canonical, "canonical-dsn": &cfg.CanonicalDSN, "scratch-dsn": &cfg.ScratchDSN,
		"listen": &cfg.Listen, "nats-url": &cfg.NATS.URL, "log-level": &cfg.LogLevel, "log-format": &cfg.LogFormat,
		"sweep-schedule": &cfg.Sweep.Schedule,
	}
	vals := map[string]string{
		"dsn": f.dsn, "canonical": f.canonical, "canonical-dsn": f.canonicalDSN, "scratch-dsn": f.scratchDSN,
		"listen": f.listen, "nats-url": f.natsURL, "log-level": f.logLevel, "log-format": f.logFormat,
		"sweep-schedule": f.sweepSchedule,
	}
	for name, p := range str {
		if f.set[name] {
			*p = vals[name]
		}
	}
	// A canonical given on the command line replaces the other kind.
	if f.set["canonical"] && !f.set["canonical-dsn"] {
		cfg.CanonicalDSN = ""
	}
	if f.set["canonical-dsn"] && !f.set["canonical"] {
		cfg.Canonical = ""
	}
	if f.set["webhook"] {
		cfg.Webhooks = nil
		for _, u := range f.webhooks {
			cfg.Webhooks = append(cfg.Webhooks, watcher.WebhookConfig{URL: u})
		}
	}
	if f.set["webhook-secret"] {
		cfg.SetWebhookSecret(f.webhookSecret)
	}
	if f.set["health-table"] {
		cfg.Health.Tables = f.healthTables
	}
	if f.set["health-column"] {
		cfg.Health.Columns = f.healthColumns
	}
	if f.set["ignore"] {
		cfg.Check.Ignore = f.ignore
	}
	if f.set["severity"] {
		cfg.Check.Severity = f.severity
	}
	if f.set["install"] {
		cfg.Install = f.install
	}
}

// loadConfig builds the configuration: file < environment < flags, and
// validates it. Errors are exit 2.
func (c *watchCommand) loadConfig(f *watchFlags) (watcher.Config, error) {
	path := f.config
	if !f.set["config"] {
		path, _ = c.lookupEnv(watcher.EnvConfig)
	}
	cfg, err := watcher.LoadConfig(path, c.lookupEnv)
	if err != nil {
		return cfg, usageErrorf("%v", err)
	}
	f.apply(&cfg)
	if err := cfg.Validate(); err != nil {
		return cfg, usageErrorf("%v", err)
	}
	if cfg.Canonical != "" {
		if _, err := os.Stat(cfg.Canonical); err != nil {
			return cfg, usageErrorf("config: canonical: %v", err)
		}
	}
	return cfg, nil
}

func (c *watchCommand) run(ctx context.Context, args []string) error {
	if c.lookupEnv == nil {
		c.lookupEnv = os.LookupEnv
	}
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	f := &watchFlags{}
	f.register(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: driftwatch watch --dsn DSN --canonical PATH [--listen ADDR] [--install]
       [--nats-url URL] [--webhook URL]... [--webhook-secret SECRET]
       [--health-table NAME]... [--health-column TABLE.COLUMN]...
       driftwatch watch --config driftwatch.yaml

Runs the daemon: detects schema changes as they happen (DDL event trigger,
LISTEN/NOTIFY), re-checks what changed against the canonical schema,
publishes drift.opened/resolved events to NATS and webhooks, sweeps the
whole database at start and on a schedule, and serves /health/schema,
/readyz, /healthz, /metrics and /drift.

Configuration: YAML file < DRIFTWATCH_* environment < flags; see
docs/configuration.md. A bad configuration exits 2 before anything starts.
SIGTERM/SIGINT stop it cleanly (exit 0); SIGHUP reloads the file and the
canonical schema.

Flags:
`)
		fs.PrintDefaults()
	}
	if stop, err := parseNoArgs(fs, args); stop {
		return err
	}
	f.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })

	cfg, err := c.loadConfig(f)
	if err != nil {
		return err
	}
	log := newLogger(c.stderr, cfg)
	hup := c.hup
	if hup == nil {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGHUP)
		defer signal.Stop(ch)
		hup = ch
	}
	return c.serve(ctx, f, cfg, log, hup)
}

// serve runs the daemon and the HTTP server until ctx ends.
func (c *watchCommand) serve(ctx context.Context, f *watchFlags, cfg watcher.Config, log zerolog.Logger, hup <-chan os.Signal) error {
	m := watcher.NewMetrics()
	d, err := watcher.NewDaemon(cfg, log, m)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if c.fitMemory {
		d.FitMemory(watcher.DaemonMemory())
	}
	view := watcher.NewDaemonView(d)
	health, err := watcher.NewHealthChecker(cfg.Health, view.Pool, view.InSync)
	if err != nil {
		return usageErrorf("%v", err)
	}
	handler, err := watcher.NewHandler(watcher.Endpoints{Health: health, Metrics: m, Ready: view.Ready, Drifts: view.Drifts})
	if err != nil {
		return &codedError{code: exitError, err: err}
	}
	srv, err := watcher.StartHTTPServer(cfg.Listen, handler, log)
	if err != nil {
		return &codedError{code: exitError, err: fmt.Errorf("%w (pass another --listen address)", err)}
	}
	stopHTTP := func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout.D())
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Warn().Err(err).Msg("HTTP server did not stop cleanly")
		}
	}
	logStart(log, cfg)
	if err := d.Open(ctx); err != nil {
		_ = d.Close()
		stopHTTP()
		if ctx.Err() != nil {
			log.Info().Msg("stopped during start-up")
			return nil
		}
		return &codedError{code: exitError, err: fmt.Errorf("start daemon: %w", err)}
	}
	view.MarkOpen()
	if c.started != nil {
		c.started(srv.Addr())
	}

	for {
		select {
		case <-ctx.Done():
			log.Info().Msg("stopping: finishing the re-check in flight and draining sinks")
			_ = d.Close()
			stopHTTP()
			log.Info().Msg("stopped")
			return nil
		case <-hup:
			next, err := c.loadConfig(f)
			if err != nil {
				log.Error().Err(err).Msg("reload refused: configuration invalid; the old one stays in effect")
				continue
			}
			if next.Listen != cfg.Listen {
				log.Warn().Str("listen", cfg.Listen).Msg("reload: a new listen address takes a restart; still listening on the old one")
				next.Listen = cfg.Listen
			}
			if err := d.Reload(ctx, next); err != nil {
				log.Error().Err(err).Msg("reload failed; the old configuration stays in effect")
				continue
			}
			if err := health.SetConfig(next.Health); err != nil {
				log.Error().Err(err).Msg("reload: health checks unchanged")
			}
			cfg = next
			log.Info().Msg("reloaded configuration and canonical schema")
		}
	}
}

// newLogger returns the daemon's logger as cfg says.
func newLogger(w io.Writer, cfg watcher.Config) zerolog.Logger {
	out := w
	if cfg.LogFormat == "console" {
		// Colour only on a terminal, never in a log file.
		f, isFile := w.(*os.File)
		noColor := !isFile || !isTerminal(f) || os.Getenv("NO_COLOR") != ""
		out = zerolog.ConsoleWriter{Out: w, TimeFormat: time.RFC3339, NoColor: noColor}
	}
	level, err := zerolog.ParseLevel(cfg.LogLevel)
	if err != nil {
		level = zerolog.InfoLevel
	}
	return zerolog.New(out).Level(level).With().Timestamp().Logger()
}

// logStart logs the configuration without DSN passwords, webhook URLs
// (they may carry tokens) or secrets.
func logStart(log zerolog.Logger, cfg watcher.Config) {
	ev := log.Info().Str("database", pgdsn.Describe(cfg.DSN)).Str("listen", cfg.Listen).
		Bool("install", cfg.Install).Str("sweep_schedule", cfg.Sweep.Schedule).
		Strs("health_tables", cfg.Health.Tables).Strs("health_columns", cfg.Health.Columns)
	if cfg.Canonical != "" {
		ev = ev.Str("canonical", cfg.Canonical)
	} else {
		ev = ev.Str("canonical_dsn", pgdsn.Describe(cfg.CanonicalDSN))
	}
	if cfg.NATS.URL != "" {
		ev = ev.Str("nats", redactURLs(cfg.NATS.URL))
	}
	var hosts []string
	for _, w := range cfg.Webhooks {
		if u, err := url.Parse(w.URL); err == nil {
			hosts = append(hosts, u.Host)
		}
	}
	ev.Strs("webhook_hosts", hosts).Msg("starting driftwatch")
}

// redactURLs drops user info from a comma-separated list of URLs.
func redactURLs(list string) string {
	var out []string
	for _, s := range strings.Split(list, ",") {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil {
			out = append(out, "(unparseable URL)")
			continue
		}
		u.User = nil
		out = append(out, u.String())
	}
	return strings.Join(out, ",")
}
