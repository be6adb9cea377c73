package watcher

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	"github.com/driftwatch/driftwatch/notify"
)

// dtEnv is a watched database with its canonical schema file.
type dtEnv struct {
	t         *testing.T
	dsn       string
	canonical string
}

// dtNewEnv creates a database, applies schema to it (so it starts in
// sync), writes schema as the canonical file and installs driftwatch.
func dtNewEnv(t *testing.T, schema string) *dtEnv {
	t.Helper()
	dsn := pgtest.NewDB(t)
	if schema != "" {
		pgtest.Exec(t, dsn, schema)
	}
	path := filepath.Join(t.TempDir(), "canonical-schema.sql")
	if err := os.WriteFile(path, []byte(schema), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Install(t.Context(), pgtest.Connect(t, dsn)); err != nil {
		t.Fatalf("Install: %v", err)
	}
	return &dtEnv{t: t, dsn: dsn, canonical: path}
}

func (e *dtEnv) config() Config {
	cfg := Defaults()
	cfg.DSN = e.dsn
	cfg.Canonical = e.canonical
	cfg.Sweep.Schedule = "" // tests sweep by hand
	cfg.ShutdownTimeout = Duration(2 * time.Second)
	return cfg
}

// dtRechecks records the re-checks a daemon runs.
type dtRechecks struct {
	mu    sync.Mutex
	infos []RecheckInfo
}

func (r *dtRechecks) add(i RecheckInfo) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.infos = append(r.infos, i)
}

func (r *dtRechecks) all() []RecheckInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]RecheckInfo(nil), r.infos...)
}

// open starts a daemon on the environment and waits for its first sweep.
func (e *dtEnv) open(cfg Config, rec *dtRechecks) *Daemon {
	t := e.t
	t.Helper()
	d, err := NewDaemon(cfg, zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel), NewMetrics())
	if err != nil {
		t.Fatalf("NewDaemon: %v", err)
	}
	if rec != nil {
		d.hooks.onRecheck = rec.add
	}
	if err := d.Open(t.Context()); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = d.Close() })
	pgtest.WaitFor(t, 30*time.Second, "first sweep", func() (bool, error) {
		s := d.Status()
		return s.FirstSweepDone, nil
	})
	return d
}

// dtOutboxEvent is an outbox event with its data decoded.
type dtOutboxEvent struct {
	Type    string
	Subject string
	Data    map[string]any
}

// events returns the outbox's events of a short type (e.g. "drift.opened"),
// oldest first; subject filters when not empty.
func (e *dtEnv) events(short, subject string) []dtOutboxEvent {
	t := e.t
	t.Helper()
	conn := pgtest.Connect(t, e.dsn)
	rows, err := conn.Query(t.Context(), `
SELECT event FROM driftwatch.outbox
WHERE event_type = $1 AND ($2 = '' OR event->>'subject' = $2)
ORDER BY id`, notify.TypePrefix+short, subject)
	if err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	evs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (dtOutboxEvent, error) {
		var raw []byte
		if err := r.Scan(&raw); err != nil {
			return dtOutboxEvent{}, err
		}
		var ev notify.Event
		if err := json.Unmarshal(raw, &ev); err != nil {
			return dtOutboxEvent{}, err
		}
		out := dtOutboxEvent{Type: ev.ShortType(), Subject: ev.Subject}
		return out, json.Unmarshal(ev.Data, &out.Data)
	})
	if err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	return evs
}

// waitEvents waits until the outbox holds at least n events of a type
// and subject, and returns them.
func (e *dtEnv) waitEvents(short, subject string, n int) []dtOutboxEvent {
	e.t.Helper()
	var evs []dtOutboxEvent
	pgtest.WaitFor(e.t, 20*time.Second, short+" "+subject, func() (bool, error) {
		evs = e.events(short, subject)
		return len(evs) >= n, nil
	})
	return evs
}

// exec runs SQL on a new connection with application_name set in the DSN.
func (e *dtEnv) exec(appName, sql string) {
	e.t.Helper()
	dsn := e.dsn
	if appName != "" {
		dsn += "&application_name=" + appName
	}
	pgtest.Exec(e.t, dsn, sql)
}

// handledAll waits until every ddl_events row is handled by the notify
// source (the horizon passed it or it is in ddl_handled).
func (e *dtEnv) waitHandled() {
	t := e.t
	t.Helper()
	conn := pgtest.Connect(t, e.dsn)
	pgtest.WaitFor(t, 20*time.Second, "all DDL events handled", func() (bool, error) {
		var pending int
		err := conn.QueryRow(context.Background(), `
SELECT count(*) FROM driftwatch.ddl_events e
WHERE NOT EXISTS (SELECT FROM driftwatch.ddl_handled h WHERE h.source = 'notify' AND h.id = e.id)
  AND e.txid >= COALESCE((SELECT horizon FROM driftwatch.source_cursor WHERE source = 'notify'), '0'::xid8)`).Scan(&pending)
		return pending == 0, err
	})
}
