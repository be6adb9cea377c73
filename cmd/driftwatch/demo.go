package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	pgdsn "github.com/driftwatch/driftwatch/internal/dsn"
	"github.com/driftwatch/driftwatch/notify"
	"github.com/driftwatch/driftwatch/watcher"
)

// demoDefaultDSN is the server the demo uses without --dsn or DATABASE_URL.
const demoDefaultDSN = "postgres://postgres@127.0.0.1:5432/postgres"

// demoCanonical is the schema the code of the demo app expects: migration
// 0003_add_pkce_required.sql included.
const demoCanonical = `-- canonical-schema.sql: what the code expects, after 0003_add_pkce_required.sql
CREATE TABLE public.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    "pkceRequired" boolean NOT NULL DEFAULT false
);
`

// demoProduction is production before 0003: migrations 0001 and 0002.
const demoProduction = `
CREATE TABLE public.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO public.users (email) VALUES ('ada@example.com'), ('grace@example.com');
`

var demoDBName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

type demoCommand struct{ stdout, stderr io.Writer }

func (c *demoCommand) name() string { return "demo" }
func (c *demoCommand) synopsis() string {
	return "see driftwatch catch a missing migration and a manual change, on a local PostgreSQL"
}

func (c *demoCommand) run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dsn := fs.String("dsn", "", "PostgreSQL server to run on, as a superuser (default $DATABASE_URL, else "+demoDefaultDSN+")")
	keep := fs.Bool("keep", false, "keep the demo database afterwards")
	dbName := fs.String("database", "driftwatch_demo", "`NAME` of the demo database (dropped and recreated)")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up if the story has not happened by then")
	verbose := fs.Bool("verbose", false, "show the daemon's log on stderr")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: driftwatch demo [--dsn DSN] [--keep]

Runs the pkceRequired story against a local PostgreSQL, with the daemon
in-process: a deploy whose migration was never applied (drift.opened,
/health/schema 503), the migration (drift.resolved, 200), then a manual
change by an on-call engineer (drift.opened with who did it) and its
revert. Needs only PostgreSQL; creates the database driftwatch_demo.
Exit 0 when the whole story happened, 1 when it did not in time, 2 when
it could not run.

Flags:
`)
		fs.PrintDefaults()
	}
	if stop, err := parseNoArgs(fs, args); stop {
		return err
	}
	if !demoDBName.MatchString(*dbName) {
		return usageErrorf("demo: --database %q: use lower-case letters, digits and _", *dbName)
	}
	admin := dsnOrEnv(*dsn)
	if admin == "" {
		admin = demoDefaultDSN
	}
	d := &demo{out: c.stdout, admin: admin, name: *dbName, start: time.Now()}
	if *verbose {
		d.logw = c.stderr
	} else {
		tail := &tailBuffer{limit: 32 << 10}
		d.logw, d.logTail = tail, tail
	}
	err := d.run(ctx, *timeout, *keep)
	if err != nil && d.logTail != nil && !errors.Is(err, errDemoSetup) {
		fmt.Fprintln(c.stderr, "--- the daemon's log (last lines) ---")
		_, _ = d.logTail.WriteTo(c.stderr)
	}
	return err
}

var errDemoSetup = errors.New("demo setup")

// demo is one run of the story.
type demo struct {
	out          io.Writer
	admin, name  string
	dsn, baseURL string
	start        time.Time
	logw         io.Writer
	logTail      *tailBuffer
	events       chan notify.Event
}

func (d *demo) say(format string, a ...any) { fmt.Fprintf(d.out, format+"\n", a...) }

func (d *demo) run(ctx context.Context, timeout time.Duration, keep bool) (err error) {
	setupErr := func(err error) error {
		return &codedError{code: exitError, err: fmt.Errorf("%w: %w", errDemoSetup, err)}
	}
	if d.dsn, err = pgdsn.WithDatabase(d.admin, d.name); err != nil {
		return setupErr(err)
	}
	if err := d.createDatabase(ctx); err != nil {
		return setupErr(err)
	}
	if !keep {
		defer d.dropDatabase()
	}
	dir, err := os.MkdirTemp("", "driftwatch-demo-")
	if err != nil {
		return setupErr(fmt.Errorf("make a temporary directory: %w", err))
	}
	defer os.RemoveAll(dir)
	canonical := filepath.Join(dir, "canonical-schema.sql")
	if err := os.WriteFile(canonical, []byte(demoCanonical), 0o600); err != nil {
		return setupErr(fmt.Errorf("write the canonical schema: %w", err))
	}
	if err := d.exec(ctx, "migrate", demoProduction); err != nil {
		return setupErr(err)
	}

	cfg := watcher.Defaults()
	cfg.DSN, cfg.Canonical, cfg.Install = d.dsn, canonical, true
	cfg.Listen = "127.0.0.1:0"
	cfg.LogFormat = "console"
	cfg.ShutdownTimeout = watcher.Duration(5 * time.Second)
	cfg.Health = watcher.HealthConfig{Tables: []string{"users"}, Columns: []string{"users.pkceRequired"}, CacheTTL: watcher.Duration(100 * time.Millisecond)}
	if err := cfg.Validate(); err != nil {
		return setupErr(err)
	}

	d.say("driftwatch demo: database %s, canonical schema %s", pgdsn.Describe(d.dsn), canonical)
	d.say("The code expects users.\"pkceRequired\" (migration 0003_add_pkce_required.sql); production has migrations 0001-0002 only.\n")

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	serveCtx, stopServe := context.WithCancel(context.WithoutCancel(ctx))
	addrc := make(chan string, 1)
	served := make(chan error, 1)
	wc := &watchCommand{stdout: io.Discard, stderr: d.logw, started: func(a string) { addrc <- a }}
	go func() { served <- wc.serve(serveCtx, &watchFlags{}, cfg, newLogger(d.logw, cfg), nil) }()
	defer func() {
		stopServe()
		if serr := <-served; serr != nil && err == nil {
			err = serr
		}
	}()
	select {
	case addr := <-addrc:
		d.baseURL = "http://" + addr
	case err := <-served:
		served <- nil // for the deferred wait
		return setupErr(fmt.Errorf("start the daemon: %w", err))
	case <-ctx.Done():
		return &codedError{code: exitDrift, err: errors.New("demo: the daemon did not start in time")}
	}
	d.say("[%5.1fs] daemon started in-process: event trigger installed, HTTP on %s", d.elapsed(), d.baseURL)

	d.events = make(chan notify.Event, 64)
	followCtx, stopFollow := context.WithCancel(ctx)
	followed := make(chan error, 1)
	go func() { followed <- followOutbox(followCtx, d.dsn, d.events) }()
	defer func() { stopFollow(); <-followed }()

	if err := d.story(ctx); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (after %s; rerun with --verbose to see the daemon's log)", err, timeout)
		}
		return &codedError{code: exitDrift, err: fmt.Errorf("demo: the story did not happen: %w", err)}
	}
	d.say("\nThe whole story took %.1fs. Run `driftwatch watch --dsn ... --canonical canonical-schema.sql --install` next to your database.", d.elapsed())
	if keep {
		d.say("Kept database %s: try `driftwatch check --dsn %s --canonical ...`.", d.name, pgdsn.Describe(d.dsn))
	}
	return nil
}

func (d *demo) story(ctx context.Context) error {
	d.say("\n1. Deploy v2 without the migration.")
	if _, err := d.waitDrift(ctx, notify.TypeDriftOpened, "pkceRequired"); err != nil {
		return err
	}
	if err := d.waitHealth(ctx, http.StatusServiceUnavailable, `"column_pkceRequired": false`); err != nil {
		return err
	}
	d.say("   Every request touching users fails: `column \"pkceRequired\" does not exist`; the load balancer sees 503.")

	d.say("\n2. Apply the migration: psql -f 0003_add_pkce_required.sql")
	if err := d.exec(ctx, "migrate", `ALTER TABLE users ADD COLUMN "pkceRequired" boolean NOT NULL DEFAULT false`); err != nil {
		return err
	}
	if _, err := d.waitDrift(ctx, notify.TypeDriftResolved, "pkceRequired"); err != nil {
		return err
	}
	if err := d.waitHealth(ctx, http.StatusOK, `"column_pkceRequired": true`); err != nil {
		return err
	}

	d.say("\n3. An on-call engineer changes production by hand (psql, application_name psql-oncall).")
	if err := d.exec(ctx, "psql-oncall", `ALTER TABLE users ADD COLUMN nickname text`); err != nil {
		return err
	}
	e, err := d.waitDrift(ctx, notify.TypeDriftOpened, "nickname")
	if err != nil {
		return err
	}
	var data notify.DriftData
	if json.Unmarshal(e.Data, &data) != nil || data.Attribution == nil || data.Attribution.ApplicationName != "psql-oncall" {
		return errors.New("drift.opened for nickname does not name psql-oncall")
	}
	d.say("   driftwatch says who did it, when and with which statement, within a second.")

	d.say("\n4. They revert it.")
	if err := d.exec(ctx, "psql-oncall", `ALTER TABLE users DROP COLUMN nickname`); err != nil {
		return err
	}
	if _, err := d.waitDrift(ctx, notify.TypeDriftResolved, "nickname"); err != nil {
		return err
	}
	return d.waitHealth(ctx, http.StatusOK, `"canonical_in_sync": true`)
}

func (d *demo) elapsed() float64 { return time.Since(d.start).Seconds() }

// waitDrift prints events as they arrive until one of type typ about an
// object whose identity contains what.
func (d *demo) waitDrift(ctx context.Context, typ, what string) (notify.Event, error) {
	for {
		select {
		case e := <-d.events:
			if e.Type == notify.TypeDDLObserved {
				continue // the drift events carry the same attribution
			}
			d.say("[%5.1fs]   event: %s", d.elapsed(), describeEvent(e))
			if e.Type == typ && strings.Contains(e.Subject, what) {
				return e, nil
			}
		case <-ctx.Done():
			return notify.Event{}, fmt.Errorf("no %s event for %s", strings.TrimPrefix(typ, notify.TypePrefix), what)
		}
	}
}

// waitHealth polls /health/schema until it answers code with a body
// holding want, and prints that answer.
func (d *demo) waitHealth(ctx context.Context, code int, want string) error {
	var last string
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.baseURL+"/health/schema", nil)
		if err != nil {
			return err
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			last = fmt.Sprintf("%d %s", resp.StatusCode, b)
			if resp.StatusCode == code && strings.Contains(string(b), want) {
				var rep watcher.HealthReport
				_ = json.Unmarshal(b, &rep)
				checks, _ := json.Marshal(rep.Checks)
				d.say("[%5.1fs]   GET /health/schema -> %d %s %s", d.elapsed(), code, rep.Status, checks)
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("/health/schema never answered %d with %s; last: %s", code, want, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// exec runs sql in the demo database as a session named app.
func (d *demo) exec(ctx context.Context, app, sql string) error {
	cfg, err := pgx.ParseConfig(d.dsn)
	if err != nil {
		return fmt.Errorf("parse demo DSN: %w", redactedErr(err, d.dsn))
	}
	cfg.RuntimeParams["application_name"] = app
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect to %s: %s", pgdsn.Describe(d.dsn), redactErr(err, d.dsn))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("run %q: %w", firstLine(sql), err)
	}
	if app == "psql-oncall" || strings.HasPrefix(sql, "ALTER") {
		d.say("[%5.1fs]   %s=> %s;", d.elapsed(), app, sql)
	}
	return nil
}

func redactedErr(err error, dsn string) error { return errors.New(redactErr(err, dsn)) }

func (d *demo) createDatabase(ctx context.Context) error {
	conn, err := connect(ctx, d.admin, "demo server")
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, sql := range []string{
		"DROP DATABASE IF EXISTS " + d.name + " WITH (FORCE)",
		"CREATE DATABASE " + d.name,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("%s: %w (the demo needs a superuser on a PostgreSQL 13 or later server)", sql, err)
		}
	}
	return nil
}

func (d *demo) dropDatabase() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := connect(ctx, d.admin, "demo server")
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+d.name+" WITH (FORCE)")
}
