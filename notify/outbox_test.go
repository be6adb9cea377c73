package notify

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	dwsql "github.com/driftwatch/driftwatch/sql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestOutboxInstallIsIdempotent(t *testing.T) {
	t.Parallel()
	pool := installOutbox(t)
	b, err := os.ReadFile("../sql/install/40_outbox.sql")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	enqueue(t, pool, testEvent(t, "public.t"), "log")
	if _, err := pool.Exec(ctx, string(b)); err != nil {
		t.Fatalf("second install: %v", err)
	}
	if pending, _, err := Stats(ctx, pool); err != nil || pending != 1 {
		t.Fatalf("after re-install: pending %d, %v (want the queued event kept)", pending, err)
	}
}

// The outbox works under the whole install script (every install/*.sql in
// one transaction), run twice, and uninstall removes it.
func TestOutboxUnderFullInstall(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	ctx := context.Background()
	conn := pgtest.Connect(t, dsn)
	for i := range 2 {
		if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, dwsql.InstallScript())
			return err
		}); err != nil {
			t.Fatalf("install %d: %v", i+1, err)
		}
	}
	if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		return Enqueue(ctx, tx, testEvent(t, "public.t"), []string{"log"})
	}); err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	if pending, dead, err := Stats(ctx, conn); err != nil || pending != 1 || dead != 0 {
		t.Fatalf("Stats = %d, %d, %v", pending, dead, err)
	}
	if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, dwsql.UninstallScript())
		return err
	}); err != nil {
		t.Fatalf("uninstall: %v", err)
	}
	var left *string
	if err := conn.QueryRow(ctx, `SELECT to_regclass('driftwatch.outbox_delivery')::text`).Scan(&left); err != nil || left != nil {
		t.Fatalf("after uninstall: %v %v", left, err)
	}
}

func TestEnqueue(t *testing.T) {
	t.Parallel()
	pool := installOutbox(t)
	ctx := context.Background()
	e := testEvent(t, "public.users.pkceRequired")
	enqueue(t, pool, e, "nats", "log", "nats", "webhook:a")
	enqueue(t, pool, e, "nats", "log") // same event id again: nothing new

	var n int
	var stored []byte
	var typ string
	if err := pool.QueryRow(ctx, `SELECT count(*) OVER (), event, event_type FROM driftwatch.outbox`).Scan(&n, &stored, &typ); err != nil {
		t.Fatal(err)
	}
	if n != 1 || typ != TypeDriftOpened {
		t.Fatalf("outbox rows %d type %q", n, typ)
	}
	if err := validateJSON(eventSchema(t), stored); err != nil {
		t.Errorf("stored event is not valid: %v", err)
	}
	var back Event
	if err := json.Unmarshal(stored, &back); err != nil || back.ID != e.ID {
		t.Fatalf("stored event %s: %v", stored, err)
	}
	ds, err := ListDeliveries(ctx, pool, DeliveryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var sinks []string
	for _, d := range ds {
		sinks = append(sinks, d.Sink)
		if d.EventID != e.ID || d.EventType != TypeDriftOpened || d.Subject != e.Subject || d.Attempts != 0 || d.DeliveredAt != nil || d.Dead {
			t.Errorf("new delivery %+v", d)
		}
	}
	if strings.Join(sinks, ",") != "log,nats,webhook:a" {
		t.Errorf("deliveries to %v, want one per distinct sink", sinks)
	}

	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return Enqueue(ctx, tx, testEvent(t, "x"), nil) })
	if err == nil {
		t.Error("Enqueue with no sinks succeeded")
	}
	bad := testEvent(t, "x")
	bad.Type = "com.example.other"
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return Enqueue(ctx, tx, bad, []string{"log"}) })
	if err == nil {
		t.Error("Enqueue of an unknown type succeeded")
	}
}

// Enqueue notifies driftwatch_outbox only when the transaction commits.
func TestEnqueueNotifiesOnCommit(t *testing.T) {
	t.Parallel()
	pool := installOutbox(t)
	ctx := context.Background()
	listener := pgtest.Connect(t, pool.Config().ConnString())
	if _, err := listener.Exec(ctx, "LISTEN "+NotifyChannel); err != nil {
		t.Fatal(err)
	}
	rolledBack := testEvent(t, "public.rolled_back")
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := Enqueue(ctx, tx, rolledBack, []string{"log"}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	committed := testEvent(t, "public.committed")
	enqueue(t, pool, committed, "log")

	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	n, err := listener.WaitForNotification(wctx)
	if err != nil {
		t.Fatalf("no notification after commit: %v", err)
	}
	if n.Payload != committed.ID {
		t.Fatalf("first notification is for %q, want the committed event %q (not the rolled-back %q)", n.Payload, committed.ID, rolledBack.ID)
	}
}

func TestListDeliveriesStatsAndPurge(t *testing.T) {
	t.Parallel()
	pool := installOutbox(t)
	ctx := context.Background()
	var ids []string
	for _, name := range []string{"public.a", "public.b", "public.c"} {
		e := testEvent(t, name)
		ids = append(ids, e.ID)
		enqueue(t, pool, e, "log", "nats")
	}
	// a: delivered everywhere; b: dead for nats; c: pending.
	mustExec(t, pool.Exec)(ctx, `UPDATE driftwatch.outbox_delivery d SET delivered_at = now()
		FROM driftwatch.outbox o WHERE o.id = d.outbox_id AND (o.event_id = $1 OR d.sink = 'log' AND o.event_id = $2)`, ids[0], ids[1])
	mustExec(t, pool.Exec)(ctx, `UPDATE driftwatch.outbox_delivery d SET dead = true, attempts = 10, last_error = 'boom'
		FROM driftwatch.outbox o WHERE o.id = d.outbox_id AND o.event_id = $1 AND d.sink = 'nats'`, ids[1])

	pending, dead, err := Stats(ctx, pool)
	if err != nil || pending != 2 || dead != 1 {
		t.Fatalf("Stats = %d pending, %d dead, %v; want 2, 1", pending, dead, err)
	}
	count := func(f DeliveryFilter) int {
		ds, err := ListDeliveries(ctx, pool, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(ds)
	}
	for _, c := range []struct {
		f    DeliveryFilter
		want int
	}{
		{DeliveryFilter{}, 6},
		{DeliveryFilter{Dead: true}, 1},
		{DeliveryFilter{Pending: true}, 2},
		{DeliveryFilter{Dead: true, Pending: true}, 3},
		{DeliveryFilter{Pending: true, Sink: "nats"}, 1},
		{DeliveryFilter{Limit: 4}, 4},
	} {
		if got := count(c.f); got != c.want {
			t.Errorf("ListDeliveries(%+v) = %d rows, want %d", c.f, got, c.want)
		}
	}
	deadOnes, _ := ListDeliveries(ctx, pool, DeliveryFilter{Dead: true})
	if d := deadOnes[0]; d.EventID != ids[1] || d.LastError != "boom" || d.Attempts != 10 || !d.Dead {
		t.Errorf("dead delivery %+v", d)
	}

	if n, err := PurgeDelivered(ctx, pool, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Errorf("purge of older than an hour ago: %d, %v", n, err)
	}
	n, err := PurgeDelivered(ctx, pool, time.Now().Add(time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("purge: %d, %v; want only the fully delivered event", n, err)
	}
	if got := count(DeliveryFilter{}); got != 4 {
		t.Errorf("%d deliveries left, want 4", got)
	}
}

func mustExec(t *testing.T, exec func(context.Context, string, ...any) (pgconn.CommandTag, error)) func(context.Context, string, ...any) {
	return func(ctx context.Context, sql string, args ...any) {
		t.Helper()
		if _, err := exec(ctx, sql, args...); err != nil {
			t.Fatalf("exec: %v", err)
		}
	}
}
