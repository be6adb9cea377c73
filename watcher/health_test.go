package watcher

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// countingTracer counts the health catalog queries a pool runs, whether
// sent alone or in a batch.
type countingTracer struct{ catalog atomic.Int64 }

func (c *countingTracer) count(sql string) {
	if strings.Contains(sql, "pg_attribute") {
		c.catalog.Add(1)
	}
}
func (c *countingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.count(d.SQL)
	return ctx
}
func (c *countingTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *countingTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}
func (c *countingTracer) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	c.count(d.SQL)
}
func (c *countingTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

func newTestPool(t *testing.T, dsn string, tracer pgx.QueryTracer) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = tracer
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

const healthSchema = `
CREATE TABLE users (id bigint PRIMARY KEY, email text, "pkceRequired" boolean NOT NULL DEFAULT false);
CREATE SCHEMA auth;
CREATE TABLE auth.sessions (id bigint PRIMARY KEY, user_id bigint);
CREATE VIEW active_users AS SELECT id FROM users;
`

func getHealth(t *testing.T, h http.Handler) (int, HealthReport, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/health/schema", nil))
	var rep HealthReport
	var raw map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		t.Fatalf("decode %q: %v", rec.Body.String(), err)
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &raw)
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	return rec.Code, rep, raw
}

func TestHealthChecks(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, healthSchema)
	pool := newTestPool(t, dsn, nil)
	var inSync atomic.Bool
	inSync.Store(true)
	cfg := HealthConfig{
		Tables:  []string{"users", "auth.sessions", "active_users", "orders", "public.users"},
		Columns: []string{"users.pkceRequired", "users.id", "auth.sessions.id", "users.nickname", "public.users.email", "auth.users.email"},
	}
	h, err := NewHealthChecker(cfg, func() *pgxpool.Pool { return pool }, inSync.Load)
	if err != nil {
		t.Fatal(err)
	}
	code, rep, raw := getHealth(t, h)
	want := map[string]bool{
		"table_users": true, "table_auth.sessions": true, "table_active_users": true, "table_orders": false, "table_public.users": true,
		"column_pkceRequired": true, "column_users.id": true, "column_sessions.id": true, "column_nickname": false,
		"column_public.users.email": true, "column_auth.users.email": false,
		"db_writable": true, "canonical_in_sync": true,
	}
	if !reflect.DeepEqual(rep.Checks, want) {
		t.Errorf("checks:\n got %v\nwant %v", rep.Checks, want)
	}
	if code != http.StatusServiceUnavailable || rep.Status != Unhealthy {
		t.Errorf("got %d %s, want 503 unhealthy", code, rep.Status)
	}
	if len(raw) != 3 || raw["status"] == nil || raw["timestamp"] == nil || raw["checks"] == nil {
		t.Errorf("body keys: %v, want exactly status, timestamp, checks", raw)
	}
	if ts, err := time.Parse(time.RFC3339, rep.Timestamp); err != nil || time.Since(ts) > time.Minute {
		t.Errorf("timestamp %q: %v", rep.Timestamp, err)
	}

	// Everything present: 200; then a critical drift opens: 503 naming it.
	if err := h.SetConfig(HealthConfig{Tables: []string{"users"}, Columns: []string{"users.pkceRequired"}, CacheTTL: Duration(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	code, rep, _ = getHealth(t, h)
	want = map[string]bool{"table_users": true, "column_pkceRequired": true, "db_writable": true, "canonical_in_sync": true}
	if code != http.StatusOK || rep.Status != Healthy || !reflect.DeepEqual(rep.Checks, want) {
		t.Errorf("got %d %+v, want 200 healthy %v", code, rep, want)
	}
	inSync.Store(false)
	if err := h.SetConfig(HealthConfig{Tables: []string{"users"}, Columns: []string{"users.pkceRequired"}}); err != nil {
		t.Fatal(err)
	}
	code, rep, _ = getHealth(t, h)
	if code != http.StatusServiceUnavailable || rep.Checks[CheckCanonicalInSync] || !rep.Checks[CheckDBWritable] {
		t.Errorf("with a critical drift: got %d %+v", code, rep)
	}

	// The write probe left nothing behind.
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_class WHERE relname = 'driftwatch_health_probe'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("probe tables left: %d (%v)", n, err)
	}
}

// TestHealthSeesChanges: once the cache expires, a dropped column shows.
func TestHealthSeesChanges(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, healthSchema)
	pool := newTestPool(t, dsn, nil)
	h, err := NewHealthChecker(HealthConfig{Columns: []string{"users.pkceRequired"}, CacheTTL: Duration(50 * time.Millisecond)},
		func() *pgxpool.Pool { return pool }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep := h.Check(context.Background()); !rep.Healthy() {
		t.Fatalf("before: %+v", rep)
	}
	pgtest.Exec(t, dsn, `ALTER TABLE users DROP COLUMN "pkceRequired"`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		rep := h.Check(context.Background())
		if !rep.Healthy() {
			if rep.Checks["column_pkceRequired"] || !rep.Checks[CheckDBWritable] {
				t.Errorf("after the drop: %+v", rep)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the dropped column never showed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestHealthReadOnly: a database that refuses writes is not db_writable,
// while the catalog checks still answer.
func TestHealthReadOnly(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, healthSchema)
	conn := pgtest.Connect(t, dsn)
	var db string
	if err := conn.QueryRow(context.Background(), "SELECT current_database()").Scan(&db); err != nil {
		t.Fatal(err)
	}
	pgtest.Exec(t, dsn, "ALTER DATABASE "+db+" SET default_transaction_read_only = on")
	pool := newTestPool(t, dsn, nil) // new sessions are read-only
	h, err := NewHealthChecker(HealthConfig{Tables: []string{"users"}}, func() *pgxpool.Pool { return pool }, nil)
	if err != nil {
		t.Fatal(err)
	}
	code, rep, _ := getHealth(t, h)
	want := map[string]bool{"table_users": true, "db_writable": false, "canonical_in_sync": true}
	if code != http.StatusServiceUnavailable || !reflect.DeepEqual(rep.Checks, want) {
		t.Errorf("got %d %v, want 503 %v", code, rep.Checks, want)
	}
}

// TestHealthDeadDatabase: no database (or no pool yet) is unhealthy
// everywhere, within the evaluation timeout.
func TestHealthDeadDatabase(t *testing.T) {
	t.Parallel()
	pool := newTestPool(t, "postgres://postgres@127.0.0.1:1/none?connect_timeout=2", nil)
	for name, get := range map[string]func() *pgxpool.Pool{
		"unreachable": func() *pgxpool.Pool { return pool },
		"no pool":     func() *pgxpool.Pool { return nil },
	} {
		h, err := NewHealthChecker(HealthConfig{Tables: []string{"users"}, Columns: []string{"users.id"}}, get, nil)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		code, rep, _ := getHealth(t, h)
		want := map[string]bool{"table_users": false, "column_id": false, "db_writable": false, "canonical_in_sync": true}
		if code != http.StatusServiceUnavailable || !reflect.DeepEqual(rep.Checks, want) {
			t.Errorf("%s: got %d %v, want 503 %v", name, code, rep.Checks, want)
		}
		if d := time.Since(start); d > DefaultHealthTimeout+2*time.Second {
			t.Errorf("%s: took %s", name, d)
		}
	}
}

// TestHealthProbeFlood: a flood of concurrent probes costs one catalog
// query per cache period, and probes share the evaluation in flight.
func TestHealthProbeFlood(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, healthSchema)
	tracer := &countingTracer{}
	pool := newTestPool(t, dsn, tracer)
	h, err := NewHealthChecker(HealthConfig{
		Tables:   []string{"users", "auth.sessions"},
		Columns:  []string{"users.pkceRequired", "users.email", "auth.sessions.user_id"},
		CacheTTL: Duration(time.Hour),
	}, func() *pgxpool.Pool { return pool }, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	var wg sync.WaitGroup
	var bad atomic.Int64
	for range 200 {
		wg.Go(func() {
			resp, err := http.Get(srv.URL)
			if err != nil || resp.StatusCode != http.StatusOK {
				bad.Add(1)
			}
			if resp != nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	if bad.Load() > 0 {
		t.Errorf("%d probes failed", bad.Load())
	}
	if n := h.evaluations.Load(); n != 1 {
		t.Errorf("%d evaluations for 200 probes within the TTL, want 1", n)
	}
	if n := tracer.catalog.Load(); n != 1 {
		t.Errorf("%d catalog queries, want 1 for all 5 table and column checks", n)
	}

	// With a short TTL the cache expires and the next probe evaluates again.
	if err := h.SetConfig(HealthConfig{Tables: []string{"users"}, CacheTTL: Duration(20 * time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
	h.Check(context.Background())
	before := h.evaluations.Load()
	deadline := time.Now().Add(5 * time.Second)
	for h.evaluations.Load() == before {
		if time.Now().After(deadline) {
			t.Fatal("the cache never expired")
		}
		time.Sleep(5 * time.Millisecond)
		h.Check(context.Background())
	}
}

// TestHealthCallerGivesUp: a probe whose request ends while the database
// is slow gets 503 at once, not a hung request.
func TestHealthCallerGivesUp(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	h, err := NewHealthChecker(HealthConfig{Tables: []string{"users"}}, func() *pgxpool.Pool { <-release; return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	rep := h.Check(ctx)
	if rep.Healthy() || rep.Checks["table_users"] {
		t.Errorf("got %+v", rep)
	}
}
