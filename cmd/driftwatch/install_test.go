package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	"github.com/driftwatch/driftwatch/watcher"
)

// runCLI runs driftwatch with args and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := NewMain(&out, &errb)
	code = m.exitCode(m.Run(t.Context(), args))
	return code, out.String(), errb.String()
}

func TestInstallCommand(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	for i := range 2 {
		code, out, errOut := runCLI(t, "install", "--dsn", dsn)
		if code != exitClean || !strings.Contains(out, "installed") {
			t.Fatalf("install #%d: exit %d, stdout %q, stderr %q", i+1, code, out, errOut)
		}
	}
	st, err := watcher.InstallStatus(t.Context(), pgtest.Connect(t, dsn))
	if err != nil || !st.OK() {
		t.Fatalf("status after driftwatch install: %+v, %v", st, err)
	}
	for i := range 2 {
		code, out, errOut := runCLI(t, "uninstall", "--dsn", dsn)
		if code != exitClean || !strings.Contains(out, "uninstalled") {
			t.Fatalf("uninstall #%d: exit %d, stdout %q, stderr %q", i+1, code, out, errOut)
		}
	}
	if st, err := watcher.InstallStatus(t.Context(), pgtest.Connect(t, dsn)); err != nil || st.Installed {
		t.Fatalf("status after driftwatch uninstall: %+v, %v", st, err)
	}
}

// TestInstallCommandPrint runs the --print output the way psql would: as
// one script, BEGIN and COMMIT included.
func TestInstallCommandPrint(t *testing.T) {
	t.Parallel()
	code, script, errOut := runCLI(t, "install", "--print")
	if code != exitClean || !strings.Contains(script, "BEGIN;") || !strings.HasSuffix(script, "COMMIT;\n") ||
		!strings.Contains(script, "CREATE EVENT TRIGGER driftwatch_ddl_command_end") {
		t.Fatalf("install --print: exit %d, stderr %q, script:\n%s", code, errOut, script)
	}
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, script)
	conn := pgtest.Connect(t, dsn)
	if st, err := watcher.InstallStatus(t.Context(), conn); err != nil || !st.OK() {
		t.Fatalf("status after running the printed script: %+v, %v", st, err)
	}
	code, script, _ = runCLI(t, "uninstall", "--print")
	if code != exitClean {
		t.Fatalf("uninstall --print: exit %d", code)
	}
	pgtest.Exec(t, dsn, script)
	if st, err := watcher.InstallStatus(t.Context(), conn); err != nil || st.Installed {
		t.Fatalf("status after running the printed uninstall script: %+v, %v", st, err)
	}
}

func TestInstallCommandErrors(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	cases := []struct {
		name    string
		args    []string
		want    []string
		notWant string
	}{
		{"no DSN", []string{"install"}, []string{"--dsn", "DATABASE_URL"}, ""},
		{"unknown flag", []string{"uninstall", "--bogus"}, []string{"bogus"}, ""},
		{"stray argument", []string{"install", "--dsn", "postgres://x@127.0.0.1/db", "extra"}, []string{"takes no arguments"}, ""},
		// Port 1 on loopback refuses connections at once.
		{"unreachable", []string{"install", "--dsn", "postgres://u:hunter2@127.0.0.1:1/db?connect_timeout=5"},
			[]string{"127.0.0.1:1", "server is running"}, "hunter2"},
		{"unreachable, keyword DSN", []string{"uninstall", "--dsn", "host=127.0.0.1 port=1 user=u password=hunter2 dbname=db connect_timeout=5"},
			[]string{"127.0.0.1:1", "server is running"}, "hunter2"},
	}
	for _, tc := range cases {
		code, out, errOut := runCLI(t, tc.args...)
		if code != exitError {
			t.Errorf("%s: exit %d, want %d (stderr %q)", tc.name, code, exitError, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%s: stderr %q does not mention %q", tc.name, errOut, w)
			}
		}
		if tc.notWant != "" && strings.Contains(out+errOut, tc.notWant) {
			t.Errorf("%s: output leaks %q: %q", tc.name, tc.notWant, out+errOut)
		}
	}
}

// TestInstallCommandNotSuperuser checks the message a plain role gets.
func TestInstallCommandNotSuperuser(t *testing.T) {
	t.Parallel()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	role := "dwtest_cli_" + hex.EncodeToString(b)
	pgtest.Exec(t, pgtest.AdminDSN(), "CREATE ROLE "+role+" LOGIN NOSUPERUSER")
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), pgtest.AdminDSN())
		if err != nil {
			t.Errorf("drop role %s: %v", role, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP ROLE IF EXISTS "+role); err != nil {
			t.Errorf("drop role %s: %v", role, err)
		}
	})
	dsn := pgtest.NewDB(t) // dropped before the role: cleanups run in reverse
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	asRole := fmt.Sprintf("host=%s port=%d dbname=%s user=%s", cfg.Host, cfg.Port, cfg.Database, role)
	code, _, errOut := runCLI(t, "install", "--dsn", asRole)
	if code != exitError {
		t.Errorf("install as %s: exit %d, want %d", role, code, exitError)
	}
	for _, w := range []string{"lacks superuser", "event triggers", "driftwatch install --print | psql"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr %q does not mention %q", errOut, w)
		}
	}
}
