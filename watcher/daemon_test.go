package watcher

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/rs/zerolog"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

const dtUsersSchema = `
CREATE TABLE public.users (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    "pkceRequired" boolean NOT NULL DEFAULT false
);
CREATE TABLE public.orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES public.users (id)
);
`

// A DDL opens a drift item with the attribution of the session that ran
// it; the DDL that undoes it resolves it. Each transition is one outbox
// event; ddl.observed is published for both DDLs.
func TestDaemonDriftOpenedThenResolved(t *testing.T) {
	t.Parallel()
	env := dtNewEnv(t, dtUsersSchema)
	d := env.open(env.config(), nil)
	if s := d.Status(); !s.TriggerInstalled || !s.CanonicalLoaded || !s.Connected {
		t.Fatalf("status after open = %+v", s)
	}
	if n := len(env.events("drift.opened", "")); n != 0 {
		t.Fatalf("in-sync database: %d drift.opened events, want 0", n)
	}
	if len(env.events("sweep.completed", "")) != 1 {
		t.Fatalf("want one sweep.completed after the first sweep")
	}

	env.exec("migrator", `ALTER TABLE public.users DROP COLUMN "pkceRequired"`)
	opened := env.waitEvents("drift.opened", `public.users."pkceRequired"`, 1)
	data := opened[0].Data
	if data["change"] != "missing" || data["object_type"] != "column" || data["severity"] != "critical" {
		t.Errorf("drift.opened data = %v", data)
	}
	if data["detected_by"] != "ddl" {
		t.Errorf("detected_by = %v, want ddl", data["detected_by"])
	}
	attr, _ := data["attribution"].(map[string]any)
	if attr == nil {
		t.Fatalf("drift.opened has no attribution: %v", data)
	}
	if attr["application_name"] != "migrator" || attr["user"] != "postgres" || attr["command_tag"] != "ALTER TABLE" {
		t.Errorf("attribution = %v", attr)
	}
	if s, _ := attr["statement"].(string); !strings.Contains(s, "DROP COLUMN") {
		t.Errorf("attribution statement = %q", s)
	}
	if txid, _ := attr["txid"].(float64); txid <= 0 {
		t.Errorf("attribution txid = %v", attr["txid"])
	}
	if pid, _ := attr["backend_pid"].(float64); pid <= 0 {
		t.Errorf("attribution backend_pid = %v", attr["backend_pid"])
	}
	if _, ok := attr["occurred_at"].(string); !ok {
		t.Errorf("attribution occurred_at missing: %v", attr)
	}
	if _, ok := attr["client_addr"].(string); !ok {
		t.Errorf("attribution client_addr missing (TCP session): %v", attr)
	}
	observed := env.waitEvents("ddl.observed", "public.users", 1)
	if dc, _ := observed[0].Data["drift_count"].(float64); dc != 1 {
		t.Errorf("ddl.observed drift_count = %v, want 1", observed[0].Data["drift_count"])
	}

	drifts, err := d.OpenDrifts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(drifts) != 1 || drifts[0].Identity != `public.users."pkceRequired"` || drifts[0].DetectedBy != "ddl" ||
		drifts[0].Attribution == nil || drifts[0].FixSQL == "" {
		t.Fatalf("OpenDrifts = %+v", drifts)
	}
	if !d.CriticalOpen() {
		t.Error("CriticalOpen = false with a missing column open")
	}

	// Each event has one delivery per sink (the log sink here).
	var deliveries int
	if err := pgtest.Connect(t, env.dsn).QueryRow(t.Context(), `
SELECT count(*) FROM driftwatch.outbox_delivery d JOIN driftwatch.outbox o ON o.id = d.outbox_id
WHERE o.event_type = 'io.driftwatch.drift.opened' AND d.sink = 'log'`).Scan(&deliveries); err != nil {
		t.Fatal(err)
	}
	if deliveries != 1 {
		t.Errorf("log deliveries of drift.opened = %d, want 1", deliveries)
	}

	env.exec("fixer", `ALTER TABLE public.users ADD COLUMN "pkceRequired" boolean NOT NULL DEFAULT false`)
	resolved := env.waitEvents("drift.resolved", `public.users."pkceRequired"`, 1)
	rattr, _ := resolved[0].Data["attribution"].(map[string]any)
	if rattr == nil || rattr["application_name"] != "fixer" {
		t.Errorf("drift.resolved attribution = %v, want the fixing session's", resolved[0].Data["attribution"])
	}
	if resolved[0].Data["resolved_at"] == nil {
		t.Error("drift.resolved has no resolved_at")
	}
	env.waitHandled()
	if drifts, err := d.OpenDrifts(t.Context()); err != nil || len(drifts) != 0 {
		t.Fatalf("OpenDrifts after the fix = %+v, %v", drifts, err)
	}
	if d.CriticalOpen() {
		t.Error("CriticalOpen = true after the fix")
	}
	if n := len(env.events("drift.opened", "")); n != 1 {
		t.Errorf("drift.opened events = %d, want 1", n)
	}
	if n := len(env.events("ddl.observed", "public.users")); n != 2 {
		t.Errorf("ddl.observed for public.users = %d, want 2", n)
	}
	var resolvedAt *time.Time
	if err := pgtest.Connect(t, env.dsn).QueryRow(t.Context(),
		`SELECT resolved_at FROM driftwatch.drift WHERE identity = $1`, `public.users."pkceRequired"`).Scan(&resolvedAt); err != nil {
		t.Fatal(err)
	}
	if resolvedAt == nil {
		t.Error("drift row not resolved")
	}
}

// When the listening connection is killed, the source reconnects with
// backoff, catches up on the DDL it missed and sweeps.
func TestDaemonReconnects(t *testing.T) {
	t.Parallel()
	env := dtNewEnv(t, dtUsersSchema)
	m := NewMetrics()
	d, err := NewDaemon(env.config(), zerolog.New(zerolog.NewTestWriter(t)), m)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Open(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	env.waitEvents("sweep.completed", "", 1)

	admin := pgtest.Connect(t, env.dsn)
	var killed bool
	if err := admin.QueryRow(t.Context(), `
SELECT bool_or(pg_terminate_backend(pid)) FROM pg_stat_activity
WHERE datname = current_database() AND application_name = $1`, SourceApplicationName).Scan(&killed); err != nil || !killed {
		t.Fatalf("terminate the source's backend: %v, %v", killed, err)
	}
	env.exec("while-away", "ALTER TABLE public.users ADD COLUMN missed text")
	opened := env.waitEvents("drift.opened", "public.users.missed", 1)
	env.waitEvents("sweep.completed", "", 2) // the sweep after the reconnect
	pgtest.WaitFor(t, 10*time.Second, "reconnect counted", func() (bool, error) {
		return dtValue(t, m.Reconnects) >= 1, nil
	})
	if s := d.Status(); !s.Connected {
		t.Errorf("status after reconnect = %+v", s)
	}
	// The DDL may be found by the sweep after the reconnect before its own
	// re-check runs (the ALTER can commit after the catch-up): wait for it.
	pgtest.WaitFor(t, 10*time.Second, "the missed DDL re-checked", func() (bool, error) {
		return dtValue(t, m.Rechecks) >= 1, nil
	})
	if got := dtValue(t, m.OpenDrifts.WithLabelValues("warning")); got != 1 {
		t.Errorf("open warning drifts metric = %v, want 1", got)
	}
	if got := dtValue(t, m.EventsPublished.WithLabelValues("drift.opened")); got != 1 {
		t.Errorf("drift.opened published metric = %v, want 1", got)
	}
	// Detection latency is DDL → its drift events; when the sweep after the
	// reconnect found the change first, the DDL's re-check had no
	// transition left to time.
	if opened[0].Data["detected_by"] == "ddl" {
		pgtest.WaitFor(t, 10*time.Second, "a detection latency observed", func() (bool, error) {
			return dtValue(t, m.DetectionLatency) >= 1, nil
		})
	}
}

// dtValue reads a counter's or gauge's value, or a histogram's count.
func dtValue(t *testing.T, m prometheus.Metric) float64 {
	t.Helper()
	var out dto.Metric
	if err := m.Write(&out); err != nil {
		t.Fatal(err)
	}
	switch {
	case out.Counter != nil:
		return out.Counter.GetValue()
	case out.Gauge != nil:
		return out.Gauge.GetValue()
	case out.Histogram != nil:
		return float64(out.Histogram.GetSampleCount())
	}
	t.Fatalf("unsupported metric %v", m.Desc())
	return 0
}

// Of two replicas on one database one leads; the other stands by, takes
// over when the leader stops, and nothing is announced twice.
func TestDaemonLeaderElection(t *testing.T) {
	t.Parallel()
	env := dtNewEnv(t, dtUsersSchema)
	open := func() *Daemon {
		d, err := NewDaemon(env.config(), zerolog.New(zerolog.NewTestWriter(t)), nil)
		if err != nil {
			t.Fatal(err)
		}
		d.hooks.leaderRetry = 200 * time.Millisecond
		if err := d.Open(t.Context()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = d.Close() })
		return d
	}
	a := open()
	pgtest.WaitFor(t, 10*time.Second, "a leads", func() (bool, error) { return a.Status().Leader, nil })
	env.waitEvents("sweep.completed", "", 1)
	b := open()
	env.exec("m1", "ALTER TABLE public.users ADD COLUMN one text")
	env.waitEvents("drift.opened", "public.users.one", 1)
	if b.Status().Leader {
		t.Fatal("both replicas lead")
	}
	// The standby reports the leader's sweep and drift (for its health).
	pgtest.WaitFor(t, 10*time.Second, "standby follows the leader's state", func() (bool, error) {
		s := b.Status()
		return s.FirstSweepDone && !s.LastSweep.IsZero() && dtValue(t, b.m.OpenDrifts.WithLabelValues("warning")) == 1, nil
	})
	if n := len(env.events("sweep.completed", "")); n != 1 {
		t.Errorf("sweep.completed = %d, want 1: the standby does not sweep", n)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	pgtest.WaitFor(t, 10*time.Second, "b takes over", func() (bool, error) { return b.Status().Leader, nil })
	env.waitEvents("sweep.completed", "", 2) // b sweeps when it takes over
	env.exec("m2", "ALTER TABLE public.users ADD COLUMN two text")
	env.waitEvents("drift.opened", "public.users.two", 1)
	env.waitHandled()
	if n := len(env.events("drift.opened", "")); n != 2 {
		t.Errorf("drift.opened = %d, want 2", n)
	}
	// The standby serves /drift from the shared state all along.
	drifts, err := b.OpenDrifts(t.Context())
	if err != nil || len(drifts) != 2 {
		t.Errorf("OpenDrifts on b = %d items, %v", len(drifts), err)
	}
}
