package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	pgdsn "github.com/driftwatch/driftwatch/internal/dsn"
)

// DefaultDSN is the server tests use when DRIFTWATCH_TEST_DSN is unset.
const DefaultDSN = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// AdminDSN returns the DSN of the test server's maintenance database.
func AdminDSN() string {
	if dsn := os.Getenv("DRIFTWATCH_TEST_DSN"); dsn != "" {
		return dsn
	}
	return DefaultDSN
}

// NATSURL returns the NATS server tests use (DRIFTWATCH_TEST_NATS_URL).
func NATSURL() string {
	if u := os.Getenv("DRIFTWATCH_TEST_NATS_URL"); u != "" {
		return u
	}
	return "nats://127.0.0.1:4222"
}

// NewDB creates a fresh database for the test and returns its DSN. The
// database is dropped when the test ends. A missing server fails the test:
// tests never skip because a service is down.
func NewDB(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin := AdminDSN()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to test PostgreSQL (%s; set DRIFTWATCH_TEST_DSN): %v", admin, err)
	}
	defer conn.Close(ctx)
	dropStale(ctx, conn)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := fmt.Sprintf("dwtest_%d_%s", time.Now().Unix(), hex.EncodeToString(b))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() { Drop(t, name) })
	dsn, err := pgdsn.WithDatabase(admin, name)
	if err != nil {
		t.Fatalf("build test DSN: %v", err)
	}
	return dsn
}

// staleAfter is how old an unused test database must be before NewDB
// drops it: test processes that were killed never ran their cleanups.
const staleAfter = 2 * time.Hour

// dropStale drops test databases (dwtest_<unix time>_<hex>) older than
// staleAfter that nobody is connected to. Failures are ignored: this is
// housekeeping, not the test.
func dropStale(ctx context.Context, conn *pgx.Conn) {
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_catalog.pg_database d
		WHERE CASE WHEN datname ~ '^dwtest_[0-9]+_[0-9a-f]+$' THEN split_part(datname, '_', 2)::bigint END
		      < extract(epoch FROM now())::bigint - $1
		  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.datname = d.datname)`,
		int64(staleAfter/time.Second))
	if err != nil {
		return
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	for _, n := range names {
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+n)
	}
}

// Drop removes a database made by NewDB, disconnecting its sessions.
func Drop(t testing.TB, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, AdminDSN())
	if err != nil {
		t.Logf("drop test database %s: %v", name, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		t.Logf("drop test database %s: %v", name, err)
	}
}

// Exec runs SQL (possibly several statements) on dsn and fails the test on error.
func Exec(t testing.TB, dsn, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("exec %q: %v", abbrev(sql), err)
	}
}

// Connect opens a connection closed at the end of the test.
func Connect(t testing.TB, dsn string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func abbrev(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}
