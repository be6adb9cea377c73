package watcher

import (
	"strings"
	"testing"
	"time"

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
