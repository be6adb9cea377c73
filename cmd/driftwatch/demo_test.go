package main

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// TestDemo runs `driftwatch demo` against the test server: the whole
// story must happen and the demo database must be gone afterwards.
func TestDemo(t *testing.T) {
	t.Parallel()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "dwtest_demo_" + hex.EncodeToString(b)
	t.Cleanup(func() { pgtest.Drop(t, name) })

	code, out, errOut := runCLI(t, "demo", "--dsn", pgtest.AdminDSN(), "--database", name, "--timeout", "3m")
	if code != exitClean {
		t.Fatalf("demo exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	// The story, in order.
	steps := []string{
		`event: drift.opened     column public.users."pkceRequired": missing, critical`,
		`GET /health/schema -> 503 unhealthy`,
		`"column_pkceRequired":false`,
		`migrate=> ALTER TABLE users ADD COLUMN "pkceRequired"`,
		`event: drift.resolved   column public.users."pkceRequired"`,
		`GET /health/schema -> 200 healthy`,
		`psql-oncall=> ALTER TABLE users ADD COLUMN nickname text;`,
		`event: drift.opened     column public.users.nickname: unexpected`,
		`by postgres via "psql-oncall": ALTER TABLE users ADD COLUMN nickname text`,
		`event: drift.resolved   column public.users.nickname`,
		`The whole story took`,
	}
	rest := out
	for _, s := range steps {
		i := strings.Index(rest, s)
		if i < 0 {
			t.Fatalf("missing (or out of order) %q in:\n%s", s, out)
		}
		rest = rest[i+len(s):]
	}

	var n int
	conn := pgtest.Connect(t, pgtest.AdminDSN())
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil || n != 0 {
		t.Errorf("demo database left behind (%d, %v)", n, err)
	}
}

// TestDemoCannotRun: no server is exit 2 with what to check.
func TestDemoCannotRun(t *testing.T) {
	t.Parallel()
	code, _, errOut := runCLI(t, "demo", "--dsn", "postgres://postgres:pw0rd@127.0.0.1:1/postgres?connect_timeout=3")
	if code != exitError || !strings.Contains(errOut, "connect to demo server database") || strings.Contains(errOut, "pw0rd") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "demo", "--database", "Bad-Name")
	if code != exitError || !strings.Contains(errOut, "--database") {
		t.Errorf("bad name: exit %d, stderr %q", code, errOut)
	}
}
