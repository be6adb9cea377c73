package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	"github.com/driftwatch/driftwatch/watcher"
)

func envOf(m map[string]string) watcher.LookupEnv {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// runWatch runs the watch command with a private environment and returns
// its exit code.
func runWatch(ctx context.Context, c *watchCommand, args ...string) int {
	m := NewMain(c.stdout, c.stderr)
	return m.exitCode(c.run(ctx, args))
}

// TestWatchConfigErrors: a bad configuration exits 2 before anything
// starts, naming the key.
func TestWatchConfigErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	canon := filepath.Join(dir, "canonical.sql")
	if err := os.WriteFile(canon, []byte("CREATE TABLE t (id int);\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	unknownKey := filepath.Join(dir, "unknown.yaml")
	if err := os.WriteFile(unknownKey, []byte("dsn: postgres://u@127.0.0.1:1/db\nhealth:\n  colums: [users.id]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dsn := "postgres://u:s3cret@127.0.0.1:1/db"
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no dsn", nil, []string{"--canonical", canon}, "config: dsn: required"},
		{"no canonical", nil, []string{"--dsn", dsn}, "config: canonical: required"},
		{"canonical file missing", nil, []string{"--dsn", dsn, "--canonical", filepath.Join(dir, "nope.sql")}, "config: canonical: stat"},
		{"health column without table", nil, []string{"--dsn", dsn, "--canonical", canon, "--health-column", "pkceRequired"}, `config: health.columns[0]: "pkceRequired": no table part`},
		{"webhook not http", nil, []string{"--dsn", dsn, "--canonical", canon, "--webhook", "ftp://x.example.com/hook"}, "config: webhooks[0].url: scheme \"ftp\""},
		{"bad schedule", nil, []string{"--dsn", dsn, "--canonical", canon, "--sweep-schedule", "61 * * * *"}, `config: sweep.schedule: "61 * * * *": `},
		{"unknown yaml key", nil, []string{"--config", unknownKey, "--canonical", canon}, "config: health.colums: unknown key"},
		{"config from env", map[string]string{"DRIFTWATCH_CONFIG": unknownKey}, []string{"--canonical", canon}, "config: health.colums: unknown key"},
		{"bad env duration", map[string]string{"DRIFTWATCH_DSN": dsn, "DRIFTWATCH_SHUTDOWN_TIMEOUT": "later"}, []string{"--canonical", canon}, "config: shutdown_timeout: from DRIFTWATCH_SHUTDOWN_TIMEOUT"},
		{"unknown source", map[string]string{"DRIFTWATCH_SOURCE": "logical"}, []string{"--dsn", dsn, "--canonical", canon}, `config: source: unknown source "logical"`},
		{"unknown flag", nil, []string{"--nope"}, "flag provided but not defined"},
		{"bad listen", nil, []string{"--dsn", dsn, "--canonical", canon, "--listen", "nowhere"}, "config: listen:"},
		{"cannot connect", nil, []string{"--dsn", dsn, "--canonical", canon, "--listen", "127.0.0.1:0"}, "start daemon: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stderr pgtest.SyncBuffer
			c := &watchCommand{stdout: io.Discard, stderr: &stderr, lookupEnv: envOf(tc.env), hup: make(chan os.Signal)}
			code := runWatch(t.Context(), c, tc.args...)
			if code != exitError || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and %q", code, stderr.String(), tc.want)
			}
			if strings.Contains(stderr.String(), "s3cret") {
				t.Errorf("stderr shows the password:\n%s", stderr.String())
			}
		})
	}
}

const watchCanonical = `CREATE TABLE public.users (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    "pkceRequired" boolean NOT NULL DEFAULT false
);
`

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitHTTP polls url until ok accepts the answer, or fails the test.
func waitHTTP(t *testing.T, url string, d time.Duration, ok func(code int, body string) bool) string {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		code, body := httpGet(t, url)
		if ok(code, body) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: still %d %s after %s", url, code, body, d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestWatchLifecycle runs the daemon as `driftwatch watch` does: it
// detects the missing column, serves the HTTP API, sees the migration,
// reloads on SIGHUP and stops with exit 0 when its context ends.
func TestWatchLifecycle(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, `CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL)`)
	dir := t.TempDir()
	canon := filepath.Join(dir, "canonical.sql")
	if err := os.WriteFile(canon, []byte(watchCanonical), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "driftwatch.yaml")
	writeCfg := func(tables string) {
		doc := "canonical: ${CANON}\nlisten: 127.0.0.1:0\nhealth:\n  cache_ttl: 10ms\n  tables: [" + tables + "]\n"
		if err := os.WriteFile(cfgPath, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	writeCfg("users")

	var stderr pgtest.SyncBuffer
	hup := make(chan os.Signal, 1)
	addrc := make(chan string, 1)
	c := &watchCommand{
		stdout: io.Discard, stderr: &stderr, hup: hup,
		lookupEnv: envOf(map[string]string{"DATABASE_URL": dsn, "CANON": canon, "DRIFTWATCH_LOG_LEVEL": "debug"}),
		started:   func(addr string) { addrc <- addr },
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- runWatch(ctx, c, "--config", cfgPath, "--install", "--health-column", "users.pkceRequired")
	}()
	var base string
	select {
	case addr := <-addrc:
		base = "http://" + addr
	case code := <-done:
		t.Fatalf("watch exited %d before starting:\n%s", code, stderr.String())
	case <-time.After(90 * time.Second):
		t.Fatalf("watch did not start:\n%s", stderr.String())
	}

	if code, body := httpGet(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz: %d %s", code, body)
	}
	waitHTTP(t, base+"/readyz", 60*time.Second, func(code int, _ string) bool { return code == 200 })
	body := waitHTTP(t, base+"/health/schema", 30*time.Second, func(code int, _ string) bool { return code == 503 })
	var rep watcher.HealthReport
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"table_users": true, "column_pkceRequired": false, "db_writable": true, "canonical_in_sync": false}
	for k, v := range want {
		if got, ok := rep.Checks[k]; !ok || got != v {
			t.Errorf("check %s = %v (present %v), want %v; body %s", k, got, ok, v, body)
		}
	}
	code, body := httpGet(t, base+"/drift")
	if code != 200 || !strings.Contains(body, `"identity": "public.users.\"pkceRequired\""`) {
		t.Errorf("/drift: %d %s", code, body)
	}
	if code, body := httpGet(t, base+"/metrics"); code != 200 || !strings.Contains(body, "driftwatch_sweeps_total") {
		t.Errorf("/metrics: %d", code)
	}

	pgtest.Exec(t, dsn, `ALTER TABLE users ADD COLUMN "pkceRequired" boolean NOT NULL DEFAULT false`)
	waitHTTP(t, base+"/health/schema", 30*time.Second, func(code int, _ string) bool { return code == 200 })

	// SIGHUP: the file now also checks orders, which does not exist.
	writeCfg("users, orders")
	hup <- os.Interrupt
	waitHTTP(t, base+"/health/schema", 60*time.Second, func(code int, body string) bool {
		return code == 503 && strings.Contains(body, `"table_orders": false`)
	})
	// A broken file on SIGHUP is refused and the daemon keeps running.
	if err := os.WriteFile(cfgPath, []byte("sweep: {schedule: \"61 * * * *\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	hup <- os.Interrupt
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stderr.String(), "reload refused") {
		if time.Now().After(deadline) {
			t.Fatalf("no refusal logged:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, _ := httpGet(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz after a refused reload: %d", code)
	}

	cancel() // SIGTERM
	select {
	case code := <-done:
		if code != exitClean {
			t.Errorf("exit %d after SIGTERM, want 0:\n%s", code, stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("watch did not stop:\n%s", stderr.String())
	}
	if code, _ := httpGet(t, base+"/healthz"); code != 0 {
		t.Errorf("HTTP server still up after exit: %d", code)
	}
	if strings.Contains(stderr.String(), "postgres://") {
		t.Errorf("a DSN was logged:\n%s", stderr.String())
	}
}
