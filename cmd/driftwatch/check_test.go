package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

const usersV2 = `CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, "pkceRequired" boolean NOT NULL DEFAULT false);`

// writeCanonical writes a canonical SQL file and returns its path; each test
// gets its own cache directory so nothing is shared between tests.
func writeCanonical(t *testing.T, sql string) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("DRIFTWATCH_CACHE_DIR", filepath.Join(dir, "cache"))
	path := filepath.Join(dir, "canonical-schema.sql")
	if err := os.WriteFile(path, []byte(sql), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// check's contract: exit 0 and status clean when the database matches.
func TestCheckClean(t *testing.T) {
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, usersV2)
	canonical := writeCanonical(t, usersV2)
	code, out, errOut := runCLI(t, "check", "--dsn", dsn, "--canonical", canonical, "--format", "json")
	if code != exitClean {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	var r struct {
		Status string            `json:"status"`
		Drifts []json.RawMessage `json:"drifts"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Status != "clean" || r.Drifts == nil || len(r.Drifts) != 0 {
		t.Fatalf("report %s (%v)", out, err)
	}
	// Text form, and $DATABASE_URL in place of --dsn.
	t.Setenv("DATABASE_URL", dsn)
	code, out, _ = runCLI(t, "check", "--canonical", canonical)
	if code != exitClean || !strings.Contains(out, "clean") {
		t.Fatalf("text check: exit %d, %s", code, out)
	}
}

// The pkceRequired story through the CLI: exit 1 and the JSON contract.
func TestCheckDriftJSON(t *testing.T) {
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, `CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);`)
	canonical := writeCanonical(t, usersV2)
	code, out, errOut := runCLI(t, "check", "--dsn", dsn, "--canonical", canonical, "--format", "json")
	if code != exitDrift {
		t.Fatalf("exit %d, want 1; stderr %s", code, errOut)
	}
	var r struct {
		Status  string `json:"status"`
		Drifts  []map[string]any
		Summary map[string]int `json:"summary"`
		At      string         `json:"checked_at"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if r.Status != "drift" || len(r.Drifts) != 1 || r.At == "" || r.Summary["critical"] != 1 {
		t.Fatalf("report: %s", out)
	}
	d := r.Drifts[0]
	for _, f := range []string{"change", "object_type", "identity", "expected", "actual", "severity", "fix_sql"} {
		if _, ok := d[f]; !ok {
			t.Errorf("drift item lacks %q: %v", f, d)
		}
	}
	if d["change"] != "missing" || d["object_type"] != "column" || d["identity"] != `public.users."pkceRequired"` || d["severity"] != "critical" {
		t.Fatalf("drift item: %v", d)
	}
	// Applying the fix makes the next check clean.
	pgtest.Exec(t, dsn, d["fix_sql"].(string))
	if code, out, _ := runCLI(t, "check", "--dsn", dsn, "--canonical", canonical); code != exitClean {
		t.Fatalf("after fix: exit %d\n%s", code, out)
	}
}

// Anything that stops the check is exit 2 with a message that says what to do.
func TestCheckErrors(t *testing.T) {
	dsn := pgtest.NewDB(t)
	good := writeCanonical(t, usersV2)
	broken := filepath.Join(t.TempDir(), "broken.sql")
	if err := os.WriteFile(broken, []byte("CREATE TABLE a (id int);\n\nCREATE VIEW v AS SELECT * FROM no_such_table;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unreachable := "postgres://postgres:s3cret@127.0.0.1:1/x?connect_timeout=2"
	cases := []struct {
		name string
		args []string
		want []string // substrings of stderr
	}{
		{"broken canonical file", []string{"check", "--dsn", dsn, "--canonical", broken}, []string{"broken.sql:3", "no_such_table"}},
		{"missing canonical file", []string{"check", "--dsn", dsn, "--canonical", "/nonexistent/schema.sql"}, []string{"/nonexistent/schema.sql"}},
		{"no canonical", []string{"check", "--dsn", dsn}, []string{"--canonical"}},
		{"both canonicals", []string{"check", "--dsn", dsn, "--canonical", good, "--canonical-dsn", dsn}, []string{"not both"}},
		{"unreachable database", []string{"check", "--dsn", unreachable, "--canonical", good}, []string{"127.0.0.1", "server is running"}},
		{"bad format", []string{"check", "--dsn", dsn, "--canonical", good, "--format", "xml"}, []string{"--format"}},
		{"bad severity rule", []string{"check", "--dsn", dsn, "--canonical", good, "--severity", "missing:index"}, []string{"change:kind=level"}},
		{"unknown flag", []string{"check", "--nope"}, []string{"nope"}},
		{"not a snapshot", []string{"check", "--dsn", dsn, "--canonical", writeJSON(t, `{"format":"other"}`)}, []string{"snapshot"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tc.args...)
			if code != exitError {
				t.Fatalf("exit %d, want 2; stderr %s", code, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if strings.Contains(errOut, "s3cret") {
				t.Errorf("stderr shows the password:\n%s", errOut)
			}
		})
	}
	var count int
	if err := pgtest.Connect(t, pgtest.AdminDSN()).QueryRow(t.Context(),
		"SELECT count(*) FROM pg_database WHERE datname LIKE 'driftwatch_scratch_%' AND datname NOT IN (SELECT datname FROM pg_stat_activity WHERE datname IS NOT NULL)").Scan(&count); err == nil && count > 0 {
		t.Logf("note: %d idle scratch databases on the server (other tests may be loading)", count)
	}
}

// A role that may not create databases gets told how to proceed.
func TestCheckWithoutCreateDB(t *testing.T) {
	dsn := pgtest.NewDB(t)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	role := "dw_nocreatedb_" + hex.EncodeToString(b)
	pgtest.Exec(t, dsn, fmt.Sprintf("CREATE ROLE %s LOGIN NOCREATEDB", role))
	t.Cleanup(func() {
		pgtest.Exec(t, pgtest.AdminDSN(), "DROP OWNED BY "+role+"; DROP ROLE IF EXISTS "+role)
	})
	limited := strings.Replace(dsn, "postgres@", role+"@", 1)
	canonical := writeCanonical(t, usersV2)
	code, _, errOut := runCLI(t, "check", "--dsn", limited, "--canonical", canonical)
	if code != exitError || !strings.Contains(errOut, "CREATEDB") || !strings.Contains(errOut, "--scratch-dsn") {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
}

func writeJSON(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "snapshot.json")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
