package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	"github.com/driftwatch/driftwatch/notify"
	"github.com/driftwatch/driftwatch/watcher"
)

// wait is the deadline of one expected outcome (generous: the machine is
// shared and the binary may run under the race detector).
const wait = 30 * time.Second

// TestPKCERequiredStory: the canonical schema has users."pkceRequired",
// production lacks it. The daemon opens a critical drift (NATS and a
// signed webhook, the same event on both) and /health/schema answers 503
// naming column_pkceRequired; applying the migration resolves it and
// health turns 200.
func TestPKCERequiredStory(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	d := e.startDaemon(t)

	hooks := e.waitWebhook(t, wait, "drift.opened for pkceRequired", has(t, 1, "drift.opened", isPKCE))
	onNATS := e.waitNATS(t, wait, "drift.opened for pkceRequired", has(t, 1, "drift.opened", isPKCE))
	opened := drifts(t, hooks, "drift.opened", isPKCE)[0]
	if opened.Change != notify.ChangeMissing || opened.ObjectType != "column" || opened.Severity != notify.SeverityCritical {
		t.Errorf("drift.opened: change %s, object_type %s, severity %s; want missing column, critical", opened.Change, opened.ObjectType, opened.Severity)
	}
	if !strings.Contains(opened.FixSQL, `ADD COLUMN "pkceRequired" boolean DEFAULT false NOT NULL`) {
		t.Errorf("drift.opened fix_sql = %q, want the ADD COLUMN of the migration", opened.FixSQL)
	}
	if opened.DetectedBy != notify.DetectedBySweep || opened.Attribution != nil {
		t.Errorf("drift.opened at start: detected_by %q, attribution %+v; want sweep and none", opened.DetectedBy, opened.Attribution)
	}
	if opened.Subject != pkceIdentity || opened.Source != "driftwatch://127.0.0.1:5432/"+e.db {
		t.Errorf("drift.opened subject %q source %q", opened.Subject, opened.Source)
	}
	if got := ids(drifts(t, onNATS, "drift.opened", isPKCE)); len(got) != 1 || got[0] != opened.ID {
		t.Errorf("drift.opened on NATS has ids %v, want the webhook's %s once", got, opened.ID)
	}

	eventually(t, wait, "/health/schema 503 with column_pkceRequired false", func() (bool, string) {
		code, r, err := d.health()
		if err != nil {
			return false, err.Error()
		}
		ok, present := r.Checks["column_pkceRequired"]
		return code == http.StatusServiceUnavailable && present && !ok && r.Status == "unhealthy", stringify(code, r)
	})

	pgtest.Exec(t, e.dsn, migrationSQL)

	hooks = e.waitWebhook(t, wait, "drift.resolved for pkceRequired", has(t, 1, "drift.resolved", isPKCE))
	onNATS = e.waitNATS(t, wait, "drift.resolved for pkceRequired", has(t, 1, "drift.resolved", isPKCE))
	resolved := drifts(t, hooks, "drift.resolved", isPKCE)[0]
	if resolved.DriftID != opened.DriftID {
		t.Errorf("drift.resolved drift_id %s, want the opened one %s", resolved.DriftID, opened.DriftID)
	}
	if resolved.ResolvedAt == nil || resolved.DetectedBy != notify.DetectedByDDL || resolved.Attribution == nil ||
		!strings.Contains(resolved.Attribution.Statement, "pkceRequired") {
		t.Errorf("drift.resolved: resolved_at %v, detected_by %q, attribution %+v; want the migration's attribution",
			resolved.ResolvedAt, resolved.DetectedBy, resolved.Attribution)
	}
	if got := ids(drifts(t, onNATS, "drift.resolved", isPKCE)); len(got) != 1 || got[0] != resolved.ID {
		t.Errorf("drift.resolved on NATS has ids %v, want the webhook's %s once", got, resolved.ID)
	}

	eventually(t, wait, "/health/schema 200 with column_pkceRequired true", func() (bool, string) {
		code, r, err := d.health()
		if err != nil {
			return false, err.Error()
		}
		return code == http.StatusOK && r.Checks["column_pkceRequired"] && r.Status == "healthy", stringify(code, r)
	})
	for where, evs := range map[string][]notify.Event{"webhook": hooks, "NATS": onNATS} {
		requireUniqueIDs(t, where, evs)
		if n := len(drifts(t, evs, "drift.opened", isPKCE)); n != 1 {
			t.Errorf("%s: %d drift.opened for pkceRequired, want 1", where, n)
		}
	}
	d.stop()
}

// TestManualChangeAttribution: someone on call adds a column by hand from
// psql. drift.opened says it is unexpected and who did it: the session
// user, application_name, backend pid, transaction id and statement.
func TestManualChangeAttribution(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	pgtest.Exec(t, e.dsn, migrationSQL) // in sync: only the manual change drifts
	e.startDaemon(t)

	cfg, err := pgx.ParseConfig(e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["application_name"] = "psql-oncall"
	ctx := ctxT(t, wait)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("connect as psql-oncall: %v", err)
	}
	defer conn.Close(context.Background())
	const stmt = `ALTER TABLE public.users ADD COLUMN oncall_note text`
	var (
		pid  int
		txid string
	)
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT pg_backend_pid(), pg_current_xact_id()::text`).Scan(&pid, &txid)
	})
	if err != nil {
		t.Fatalf("manual change: %v", err)
	}

	isNote := func(d notify.DriftData) bool { return d.Identity == "public.users.oncall_note" }
	hooks := e.waitWebhook(t, wait, "drift.opened for oncall_note", has(t, 1, "drift.opened", isNote))
	onNATS := e.waitNATS(t, wait, "drift.opened for oncall_note", has(t, 1, "drift.opened", isNote))
	got := drifts(t, hooks, "drift.opened", isNote)
	if len(got) != 1 {
		t.Fatalf("%d drift.opened for oncall_note, want 1", len(got))
	}
	o := got[0]
	if o.Change != notify.ChangeUnexpected || o.ObjectType != "column" || o.DetectedBy != notify.DetectedByDDL {
		t.Errorf("drift.opened: change %s, object_type %s, detected_by %s; want unexpected column detected by ddl", o.Change, o.ObjectType, o.DetectedBy)
	}
	a := o.Attribution
	if a == nil {
		t.Fatalf("drift.opened has no attribution: %s", o.Event.Data)
	}
	if a.User != cfg.User || a.ApplicationName != "psql-oncall" || a.BackendPID != pid ||
		a.Statement != stmt || a.CommandTag != "ALTER TABLE" || a.OccurredAt.IsZero() {
		t.Errorf("attribution = %+v\nwant user %q, application_name psql-oncall, backend_pid %d, statement %q, command_tag ALTER TABLE",
			*a, cfg.User, pid, stmt)
	}
	if got := strconv.FormatInt(a.TxID, 10); got != txid {
		t.Errorf("attribution txid = %s, want the transaction's %s", got, txid)
	}
	if n := ids(drifts(t, onNATS, "drift.opened", isNote)); len(n) != 1 || n[0] != o.ID {
		t.Errorf("drift.opened on NATS has ids %v, want the webhook's %s once", n, o.ID)
	}
	// The DDL itself is published too, with the same attribution.
	observed := e.waitWebhook(t, wait, "ddl.observed for users", func(evs []notify.Event) bool {
		for _, ev := range evs {
			if ev.ShortType() == "ddl.observed" && ev.Subject == "public.users" {
				return true
			}
		}
		return false
	})
	for _, ev := range observed {
		if ev.ShortType() == "ddl.observed" && ev.Subject == "public.users" && !strings.Contains(string(ev.Data), `"application_name":"psql-oncall"`) {
			t.Errorf("ddl.observed lacks the attribution: %s", ev.Data)
		}
	}
}

func stringify(code int, r watcher.HealthReport) string {
	return fmt.Sprintf("%d %s %v", code, r.Status, r.Checks)
}
