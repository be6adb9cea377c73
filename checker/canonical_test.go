package checker

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	"github.com/jackc/pgx/v5/pgconn"
)

// scratchRecorder records the scratch databases a load uses.
type scratchRecorder struct {
	mu    sync.Mutex
	names []string
}

func (r *scratchRecorder) record(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = append(r.names, name)
}

func (r *scratchRecorder) used() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.names...)
}

// noCache loads without the cache, recording scratch databases.
func noCache(rec *scratchRecorder) LoadOptions {
	return LoadOptions{NoCache: true, onScratch: rec.record}
}

func snapshotText(t *testing.T, m *Model) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSnapshot(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// assertSameModel compares two models by their snapshots, showing the
// first differing lines.
func assertSameModel(t *testing.T, got, want *Model) {
	t.Helper()
	g, w := snapshotText(t, got), snapshotText(t, want)
	if g == w {
		return
	}
	gl, wl := strings.Split(g, "\n"), strings.Split(w, "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var a, b string
		if i < len(gl) {
			a = gl[i]
		}
		if i < len(wl) {
			b = wl[i]
		}
		if a != b {
			t.Fatalf("models differ at snapshot line %d:\n got: %s\nwant: %s", i+1, a, b)
		}
	}
}

func assertDropped(t *testing.T, rec *scratchRecorder, want int) {
	t.Helper()
	names := rec.used()
	if len(names) != want {
		t.Fatalf("scratch databases used: %v; want %d", names, want)
	}
	for _, n := range names {
		if databaseExists(t, n) {
			t.Errorf("scratch database %s was not dropped", n)
		}
	}
}

const sourceSchema = `
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN app.email AS text CHECK (VALUE LIKE '%@%');
CREATE TABLE app.users (
  id bigserial PRIMARY KEY,
  email app.email NOT NULL UNIQUE,
  mood app.mood DEFAULT 'ok',
  "pkceRequired" boolean NOT NULL DEFAULT false,
  created timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN app.users.email IS 'login; unique';
CREATE INDEX users_created_idx ON app.users (created DESC) WHERE mood <> 'sad';
CREATE TABLE app.events (id bigint GENERATED ALWAYS AS IDENTITY, user_id bigint REFERENCES app.users ON DELETE CASCADE, at date NOT NULL)
  PARTITION BY RANGE (at);
CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE VIEW app.happy AS SELECT id, email FROM app.users WHERE mood = 'happy';
CREATE FUNCTION app.add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE
  BEGIN ATOMIC SELECT a + b; END;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.created := now(); RETURN NEW; END; $$;
CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON app.users USING (email = current_user);
CREATE MATERIALIZED VIEW app.counts AS SELECT mood, count(*) FROM app.users GROUP BY mood;
`

// TestLoadCanonicalPgDump loads real pg_dump --schema-only output (with
// the \restrict lines pg_dump 15.14+ writes) into a scratch database and
// expects the same model as the dumped database itself.
func TestLoadCanonicalPgDump(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	source := pgtest.NewDB(t)
	pgtest.Exec(t, source, sourceSchema)
	path := dumpSchema(t, ctx, source)
	rec := &scratchRecorder{}
	got, warnings, err := LoadCanonical(ctx, CanonicalSource{Path: path, TargetDSN: pgtest.NewDB(t)}, noCache(rec))
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %q", warnings)
	}
	assertDropped(t, rec, 1)
	want, err := Inspect(ctx, pgtest.Connect(t, source), InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Objects) < 20 {
		t.Fatalf("source model has only %d objects", len(want.Objects))
	}
	assertSameModel(t, got, want)
}

// TestLoadCanonicalExtensionVersions: pg_dump names no extension version,
// so a database is clean against its own dump whatever versions it has;
// a version a script names is expected.
func TestLoadCanonicalExtensionVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	source := pgtest.NewDB(t)
	pgtest.Exec(t, source, `CREATE EXTENSION hstore VERSION '1.6'; CREATE EXTENSION citext;`)
	out, err := exec.CommandContext(ctx, "pg_dump", "--schema-only", "--dbname", source).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	dir := t.TempDir()
	dump := filepath.Join(dir, "canonical-schema.sql")
	pinned := filepath.Join(dir, "pinned.sql")
	if err := os.WriteFile(dump, out, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pinned, []byte(`CREATE EXTENSION IF NOT EXISTS "hstore" WITH SCHEMA public VERSION '1.7';
CREATE EXTENSION citext; ALTER EXTENSION citext UPDATE TO '1.6';`), 0o644); err != nil {
		t.Fatal(err)
	}
	live := inspectDSN(t, ctx, source)
	canon, _, err := LoadCanonical(ctx, CanonicalSource{Path: dump, TargetDSN: pgtest.NewDB(t)}, LoadOptions{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if items := Diff(canon, live, DiffOptions{}); len(items) > 0 {
		t.Errorf("drift against its own pg_dump:\n%s", dumpItems(items))
	}
	if v := canon.Lookup(Key(KindExtension, "", "", "hstore")).Attr("version"); v != "" {
		t.Errorf("hstore from pg_dump: version %q, want none", v)
	}
	canon, _, err = LoadCanonical(ctx, CanonicalSource{Path: pinned, TargetDSN: pgtest.NewDB(t)}, LoadOptions{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	got := describeItems(Diff(canon, live, DiffOptions{}))
	if want := []string{"changed extension hstore"}; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("against pinned versions: %q, want %q", got, want)
	}
}

func TestExtensionVersionNamed(t *testing.T) {
	for _, tc := range []struct {
		text         string
		name         string
		pinned, isIt bool
	}{
		{`CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA public`, "hstore", false, true},
		{`create extension "uuid-ossp" version '1.1'`, "uuid-ossp", true, true},
		{`CREATE EXTENSION Citext SCHEMA version`, "citext", false, true},
		{`ALTER EXTENSION hstore UPDATE TO '1.8'`, "hstore", true, true},
		{`ALTER EXTENSION hstore UPDATE`, "hstore", false, true},
		{`ALTER EXTENSION hstore SET SCHEMA s`, "", false, false},
		{`CREATE TABLE extension (version int)`, "", false, false},
	} {
		name, pinned, ok := extensionVersionNamed(tc.text)
		if name != tc.name || pinned != tc.pinned || ok != tc.isIt {
			t.Errorf("%s: got %q %v %v, want %q %v %v", tc.text, name, pinned, ok, tc.name, tc.pinned, tc.isIt)
		}
	}
}

func TestLoadCanonicalRestrictFixture(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rec := &scratchRecorder{}
	m, warnings, err := LoadCanonical(ctx, CanonicalSource{Path: "testdata/canonical/restrict.sql", TargetDSN: pgtest.NewDB(t)}, noCache(rec))
	if err != nil {
		t.Fatal(err)
	}
	assertDropped(t, rec, 1)
	for _, key := range []string{
		Key(KindSchema, "", "", "app"),
		Key(KindTable, "app", "", "tasks"),
		Key(KindIndex, "app", "tasks", "tasks_status_idx"),
		Key(KindTrigger, "app", "tasks", "tasks_touch"),
		Key(KindColumn, "app", "tasks", "Title;"),
	} {
		if m.Lookup(key) == nil {
			t.Errorf("model lacks %q", strings.ReplaceAll(key, "\x1f", " "))
		}
	}
	// The role and database statements were skipped, not run.
	conn := pgtest.Connect(t, pgtest.AdminDSN())
	var n int
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM pg_roles WHERE rolname = 'app_owner_that_must_not_be_created')
		+ (SELECT count(*) FROM pg_database WHERE datname = 'driftwatch_must_not_exist')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("a role or database statement of the script was executed")
	}
	want := []string{
		`restrict.sql:13: ignored ERROR: unrecognized configuration parameter "transaction_timeout" (SQLSTATE 42704)`,
		`restrict.sql:29: ignored ERROR: role "driftwatch_no_such_role" does not exist (SQLSTATE 42704)`,
		`restrict.sql:68: ignored ERROR: role "driftwatch_no_such_role" does not exist (SQLSTATE 42704)`,
	}
	if len(warnings) != len(want) {
		t.Fatalf("warnings = %q\nwant %q", warnings, want)
	}
	for i := range want {
		if !strings.HasSuffix(warnings[i], want[i]) {
			t.Errorf("warning %d = %q, want ...%q", i, warnings[i], want[i])
		}
	}
}

func TestLoadCanonicalBrokenFile(t *testing.T) {
	t.Parallel()
	rec := &scratchRecorder{}
	_, _, err := LoadCanonical(context.Background(), CanonicalSource{Path: "testdata/canonical/broken.sql", TargetDSN: pgtest.NewDB(t)}, noCache(rec))
	var se *ScriptError
	if !errors.As(err, &se) {
		t.Fatalf("LoadCanonical = %v; want a *ScriptError", err)
	}
	if se.File != "testdata/canonical/broken.sql" || se.Line != 6 || !strings.HasPrefix(se.Statement, "CREATE VIEW public.v AS") {
		t.Errorf("error at %s:%d in %q; want broken.sql:6, the CREATE VIEW", se.File, se.Line, se.Statement)
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "42P01" {
		t.Errorf("error %v does not carry the server's 42P01", err)
	}
	msg := err.Error()
	for _, part := range []string{
		`testdata/canonical/broken.sql:6: ERROR: relation "public.no_such_table" does not exist (SQLSTATE 42P01) (at line 8)`,
		"statement: CREATE VIEW public.v AS ...",
	} {
		if !strings.Contains(msg, part) {
			t.Errorf("error message %q lacks %q", msg, part)
		}
	}
	assertDropped(t, rec, 1)
}

func TestLoadCanonicalUnterminated(t *testing.T) {
	t.Parallel()
	rec := &scratchRecorder{}
	_, _, err := LoadCanonical(context.Background(), CanonicalSource{Path: "testdata/canonical/unterminated.sql", TargetDSN: pgtest.NewDB(t)}, noCache(rec))
	var se *ScriptError
	if !errors.As(err, &se) || se.Line != 2 || !strings.Contains(err.Error(), "unterminated.sql:2: unterminated quoted string") {
		t.Fatalf("LoadCanonical = %v; want unterminated.sql:2: unterminated quoted string", err)
	}
	assertDropped(t, rec, 1)
}

func TestLoadCanonicalCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := &scratchRecorder{}
	opts := noCache(rec)
	opts.onScratch = func(name string) {
		rec.record(name)
		time.AfterFunc(300*time.Millisecond, cancel) // in the middle of pg_sleep(60)
	}
	start := time.Now()
	_, _, err := LoadCanonical(ctx, CanonicalSource{Path: "testdata/canonical/slow.sql", TargetDSN: pgtest.NewDB(t)}, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("LoadCanonical = %v; want context.Canceled", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("cancelled load took %v", d)
	}
	assertDropped(t, rec, 1)
}

func TestLoadCanonicalCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	target := pgtest.NewDB(t)
	src := CanonicalSource{Path: "testdata/canonical/main_include.sql", TargetDSN: target}
	rec := &scratchRecorder{}
	var notes []string
	opts := LoadOptions{CacheDir: t.TempDir(), onScratch: rec.record, Debugf: func(f string, a ...any) {}}
	first, _, err := LoadCanonical(ctx, src, opts)
	if err != nil {
		t.Fatal(err)
	}
	if first.Lookup(Key(KindTable, "inc", "", "part")) == nil || first.Lookup(Key(KindTable, "inc", "", "after")) == nil {
		t.Fatalf("the \\ir include was not executed: %d objects", len(first.Objects))
	}
	opts.Debugf = func(f string, a ...any) { notes = append(notes, f) }
	second, _, err := LoadCanonical(ctx, src, opts)
	if err != nil {
		t.Fatal(err)
	}
	assertDropped(t, rec, 1) // the second load used none
	assertSameModel(t, second, first)
	if len(notes) == 0 || !strings.Contains(notes[0], "hit") {
		t.Errorf("debug notes %q; want a cache hit", notes)
	}

	// An included file is part of the key: changing it reloads.
	dir := t.TempDir()
	for _, f := range []string{"main_include.sql", "include/part.sql"} {
		b, err := os.ReadFile(filepath.Join("testdata/canonical", f))
		if err != nil {
			t.Fatal(err)
		}
		_ = os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copied := CanonicalSource{Path: filepath.Join(dir, "main_include.sql"), TargetDSN: target}
	if _, _, err := LoadCanonical(ctx, copied, opts); err != nil {
		t.Fatal(err)
	}
	assertDropped(t, rec, 1) // same contents elsewhere: still a hit
	if err := os.WriteFile(filepath.Join(dir, "include/part.sql"), []byte("CREATE TABLE inc.part (id bigint PRIMARY KEY);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	third, _, err := LoadCanonical(ctx, copied, opts)
	if err != nil {
		t.Fatal(err)
	}
	assertDropped(t, rec, 2)
	if col := third.Lookup(Key(KindColumn, "inc", "part", "id")); col == nil || col.Attr("type") != "bigint" {
		t.Errorf("after the include changed, inc.part.id = %+v; want bigint", col)
	}
}

func TestLoadCanonicalUnwritableCache(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var notes []string
	opts := LoadOptions{CacheDir: filepath.Join(file, "cache"), Debugf: func(f string, a ...any) { notes = append(notes, f) }}
	_, _, err := LoadCanonical(context.Background(), CanonicalSource{Path: "testdata/canonical/main_include.sql", TargetDSN: pgtest.NewDB(t)}, opts)
	if err != nil {
		t.Fatalf("an unwritable cache directory failed the load: %v", err)
	}
	if len(notes) == 0 {
		t.Errorf("no debug note about the unwritable cache")
	}
}

func TestLoadCanonicalMigrations(t *testing.T) {
	t.Parallel()
	rec := &scratchRecorder{}
	m, _, err := LoadCanonical(context.Background(), CanonicalSource{Path: "testdata/canonical/migrations", TargetDSN: pgtest.NewDB(t)}, noCache(rec))
	if err != nil {
		t.Fatal(err)
	}
	assertDropped(t, rec, 1)
	for _, key := range []string{
		Key(KindColumn, "public", "users", "display_name"),
		Key(KindIndex, "public", "users", "users_email_idx"),
		Key(KindView, "public", "", "user_names"),
	} {
		if m.Lookup(key) == nil {
			t.Errorf("model lacks %q", strings.ReplaceAll(key, "\x1f", " "))
		}
	}
	if m.Lookup(Key(KindColumn, "public", "users", "name")) != nil {
		t.Errorf("column name still there: migrations ran out of order")
	}
}

func TestReadMigrationsOrder(t *testing.T) {
	files, err := readMigrations("testdata/canonical/migrations")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.keyName)
	}
	want := []string{"1_init.up.sql", "2_add_name.up.sql", "10_rename.up.sql", "11_goose.sql", "20_views/up.sql"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("order %q, want %q", names, want)
	}
	if goose := string(files[3].data); strings.Contains(goose, "DROP INDEX") {
		t.Errorf("goose down section kept: %q", goose)
	}
	in := []string{"V10__x", "V2__x", "V1__x", "001_a", "1_a", "a10b2", "a10b10", "a9"}
	sort.Slice(in, func(i, j int) bool { return naturalLess(in[i], in[j]) })
	if want := []string{"001_a", "1_a", "V1__x", "V2__x", "V10__x", "a9", "a10b2", "a10b10"}; !reflect.DeepEqual(in, want) {
		t.Errorf("natural order %q, want %q", in, want)
	}
}

func TestLoadCanonicalSnapshotAndDSN(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ref := pgtest.NewDB(t)
	pgtest.Exec(t, ref, "CREATE TABLE public.t (id int PRIMARY KEY, note text)")
	want, err := Inspect(ctx, pgtest.Connect(t, ref), InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fromDSN, warnings, err := LoadCanonical(ctx, CanonicalSource{DSN: ref}, LoadOptions{})
	if err != nil || len(warnings) != 0 {
		t.Fatalf("LoadCanonical(DSN) = %v, %q", err, warnings)
	}
	assertSameModel(t, fromDSN, want)

	path := filepath.Join(t.TempDir(), "snapshot.json")
	if err := os.WriteFile(path, []byte(snapshotText(t, want)), 0o644); err != nil {
		t.Fatal(err)
	}
	// Twice through one cache: decoded from JSON, then a cache hit.
	var hits int
	cached := LoadOptions{CacheDir: t.TempDir(), Debugf: func(f string, _ ...any) {
		if strings.HasPrefix(f, "canonical cache: hit") {
			hits++
		}
	}}
	for i := range 2 {
		fromJSON, _, err := LoadCanonical(ctx, CanonicalSource{Path: path}, cached)
		if err != nil {
			t.Fatal(err)
		}
		assertSameModel(t, fromJSON, want)
		if hits != i {
			t.Errorf("load %d of the snapshot: %d cache hits, want %d", i+1, hits, i)
		}
	}

	for _, src := range []CanonicalSource{{}, {Path: path, DSN: ref}, {Path: "testdata/canonical/broken.sql"}} {
		if _, _, err := LoadCanonical(ctx, src, LoadOptions{}); err == nil {
			t.Errorf("LoadCanonical(%+v) succeeded", src)
		}
	}
}

func TestLoadCanonicalScratchDSN(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	scratch := pgtest.NewDB(t)
	m, _, err := LoadCanonical(ctx, CanonicalSource{Path: "testdata/canonical/restrict.sql", ScratchDSN: scratch}, LoadOptions{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if m.Lookup(Key(KindTable, "app", "", "tasks")) == nil {
		t.Errorf("model lacks app.tasks")
	}
	if objs, err := userObjects(ctx, pgtest.Connect(t, scratch)); err != nil || len(objs) != 0 {
		t.Errorf("--scratch-dsn database after the load holds %v, %v; want nothing", objs, err)
	}
}

// TestExecuteScriptBatches runs a script of several batches directly:
// session state set in the first batch holds in later ones, a failure
// inside a batch is found by re-running it statement by statement, and a
// GRANT to a missing role there is only a warning.
func TestExecuteScriptBatches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.NewDB(t)
	var b strings.Builder
	b.WriteString("SELECT pg_catalog.set_config('search_path', '', false);\n")
	for i := 0; i < 450; i++ {
		b.WriteString("CREATE TABLE public.t" + strconv.Itoa(i) + " (id int);\n")
		if i == 300 {
			b.WriteString("GRANT SELECT ON public.t1 TO driftwatch_no_such_role;\n")
		}
	}
	b.WriteString("CREATE TABLE unqualified (id int);\n")
	conn := pgtest.Connect(t, dsn)
	warnings, err := ExecuteScript(ctx, conn, "batches.sql", b.String())
	var se *ScriptError
	if !errors.As(err, &se) || se.Line != 453 || !strings.Contains(err.Error(), "no schema has been selected to create in") {
		t.Fatalf("ExecuteScript = %v; want batches.sql:453: no schema selected (search_path stayed empty)", err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "batches.sql:303: ignored ERROR: role \"driftwatch_no_such_role\" does not exist") {
		t.Errorf("warnings = %q", warnings)
	}
	var n int
	if err := pgtest.Connect(t, dsn).QueryRow(ctx, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 450 {
		t.Errorf("%d tables created, want 450", n)
	}
}

func TestClassifyStatement(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"CREATE DATABASE x", stmtSkip},
		{"ALTER DATABASE x OWNER TO y", stmtSkip},
		{"CREATE ROLE r", stmtSkip},
		{"DROP USER IF EXISTS u", stmtSkip},
		{"CREATE USER MAPPING FOR u SERVER s", stmtBatch},
		{"ALTER GROUP g ADD USER u", stmtSkip},
		{"CREATE TABLESPACE ts LOCATION '/x'", stmtSkip},
		{"ALTER SYSTEM SET work_mem = '1GB'", stmtSkip},
		{"BEGIN", stmtSkip},
		{"START TRANSACTION", stmtSkip},
		{"COMMIT", stmtSkip},
		{"END", stmtSkip},
		{"ROLLBACK TO SAVEPOINT a", stmtSkip},
		{"SAVEPOINT a", stmtSkip},
		{"RELEASE a", stmtSkip},
		{"COMMENT ON ROLE r IS 'x'", stmtSkip},
		{"COMMENT ON DATABASE d IS 'x'", stmtSkip},
		{"COMMENT ON TABLE t IS 'x'", stmtBatch},
		{"SECURITY LABEL FOR p ON ROLE r IS 'x'", stmtSkip},
		{"GRANT admin TO alice", stmtSkip},
		{"GRANT SELECT ON t TO alice", stmtBatch},
		{"SET SESSION AUTHORIZATION 'alice'", stmtSkip},
		{"SET search_path = ''", stmtBatch},
		{"CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (connect = false)", stmtSkip},
		{"CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)", stmtAlone},
		{"ALTER TYPE public.e ADD VALUE 'x'", stmtAlone},
		{"ALTER TYPE public.e RENAME VALUE 'x' TO 'y'", stmtBatch},
		{"VACUUM", stmtAlone},
		{"COPY t (a) FROM stdin", stmtSkipCopy},
		{"COPY t TO stdout", stmtBatch},
		{"/* x */ create database d", stmtSkip},
		{"CREATE TABLE database (role int)", stmtBatch},
	}
	for _, tt := range tests {
		if got := classifyStatement(tt.text); got != tt.want {
			t.Errorf("classifyStatement(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestCacheKeyAndDir(t *testing.T) {
	a := []scriptFile{{name: "x/canonical.sql", data: []byte("CREATE TABLE t (id int);")}}
	b := []scriptFile{{name: "elsewhere.sql", data: []byte("CREATE TABLE t (id int);")}}
	c := []scriptFile{{name: "x/canonical.sql", data: []byte("CREATE TABLE t (id bigint);")}}
	if cacheKey(a, 15) != cacheKey(b, 15) {
		t.Errorf("the same contents under another path have another key")
	}
	if cacheKey(a, 15) == cacheKey(a, 16) {
		t.Errorf("another server major version has the same key")
	}
	if cacheKey(a, 15) == cacheKey(c, 15) {
		t.Errorf("other contents have the same key")
	}
	m1 := []scriptFile{{keyName: "1_a.sql", data: []byte("x")}, {keyName: "2_b.sql", data: []byte("y")}}
	m2 := []scriptFile{{keyName: "1_a.sql", data: []byte("xy")}, {keyName: "2_b.sql", data: []byte("")}}
	if cacheKey(m1, 15) == cacheKey(m2, 15) {
		t.Errorf("moving bytes between migrations keeps the key")
	}
	path := filepath.Join(t.TempDir(), "snapshot.json")
	if err := os.WriteFile(path, []byte(`{"objects": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	streamed, err := cacheKeyOfFile("json snapshot", path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if held := cacheKey([]scriptFile{{keyName: "json snapshot", data: []byte(`{"objects": []}`)}}, 0); streamed != held {
		t.Errorf("a file hashed as read has key %s, held in memory %s", streamed, held)
	}
	if _, err := cacheKeyOfFile("json snapshot", filepath.Join(t.TempDir(), "missing.json"), 0); err == nil {
		t.Errorf("cacheKeyOfFile of a missing file succeeded")
	}

	// A lone SQL file is hashed as read, as cacheKey would hash it held;
	// one that may include others (\i anywhere, also across the reader's
	// chunks) says so, as its key needs the included files.
	dump := []byte("CREATE TABLE t (id int);")
	script := filepath.Join(t.TempDir(), "canonical.sql")
	if err := os.WriteFile(script, dump, 0o644); err != nil {
		t.Fatal(err)
	}
	if key, ok, err := cacheKeyOfScript(script, 15); err != nil || !ok || key != cacheKey([]scriptFile{{data: dump}}, 15) {
		t.Errorf("cacheKeyOfScript = %s, %v, %v; want the held key, true", key, ok, err)
	}
	for _, at := range []int{0, 32<<10 - 1, 32 << 10, 100 << 10} {
		b := bytes.Repeat([]byte(" "), 120<<10)
		copy(b[at:], `\ir other.sql`)
		if err := os.WriteFile(script, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := cacheKeyOfScript(script, 15); err != nil || ok {
			t.Errorf("cacheKeyOfScript with \\ir at %d: ok %v, %v; want false", at, ok, err)
		}
	}

	t.Setenv("DRIFTWATCH_CACHE_DIR", "/env/cache")
	if d, _ := cacheDir(LoadOptions{}); d != "/env/cache" {
		t.Errorf("cacheDir with DRIFTWATCH_CACHE_DIR = %q", d)
	}
	if d, _ := cacheDir(LoadOptions{CacheDir: "/opt/cache"}); d != "/opt/cache" {
		t.Errorf("cacheDir with LoadOptions.CacheDir = %q", d)
	}
	t.Setenv("DRIFTWATCH_CACHE_DIR", "")
	t.Setenv("XDG_CACHE_HOME", "/xdg")
	if d, _ := cacheDir(LoadOptions{}); d != filepath.Join("/xdg", "driftwatch") {
		t.Errorf("default cacheDir = %q", d)
	}
}

// A dump of a server whose version string holds newlines: pg_dump before
// the releases of August 2025 wrote the "Dumped from" comment with them,
// so the version runs on over lines that are not comments. They are part
// of the header, not statements: the load must not fail (exit 2) on them.
func TestLoadCanonicalDumpedFromSpanningLines(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m, warnings, err := LoadCanonical(ctx, CanonicalSource{Path: "testdata/canonical/dumped_from_multiline.sql", TargetDSN: pgtest.NewDB(t)}, LoadOptions{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{Key(KindTable, "public", "", "t"), Key(KindFunction, "public", "", "f()")} {
		if m.Lookup(key) == nil {
			t.Errorf("model lacks %q", strings.ReplaceAll(key, "\x1f", " "))
		}
	}
	for _, w := range warnings {
		if strings.Contains(w, "echo") || strings.Contains(w, `\!`) {
			t.Errorf("a line of the version string was read as a meta-command: %s", w)
		}
	}
}

// TestLoadCanonicalDropFailsAfterLoad: a scratch database that cannot be
// dropped once the schema is loaded (here it was made a template; on a
// busy server the drop can outlast its timeout) leaves the load good,
// with a warning naming the database, not a failed check.
func TestLoadCanonicalDropFailsAfterLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "canonical-schema.sql")
	if err := os.WriteFile(path, []byte("CREATE TABLE t (id int PRIMARY KEY);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	admin := pgtest.Connect(t, pgtest.AdminDSN())
	rec := &scratchRecorder{}
	opts := noCache(rec)
	opts.onScratch = func(name string) {
		rec.record(name)
		if _, err := admin.Exec(ctx, "ALTER DATABASE "+QuoteIdent(name)+" IS_TEMPLATE true"); err != nil {
			t.Errorf("mark scratch database a template: %v", err)
		}
	}
	m, warnings, err := LoadCanonical(ctx, CanonicalSource{Path: path, TargetDSN: pgtest.NewDB(t)}, opts)
	names := rec.used()
	for _, n := range names {
		if _, err := admin.Exec(ctx, "ALTER DATABASE "+QuoteIdent(n)+" IS_TEMPLATE false"); err != nil {
			t.Errorf("unmark %s: %v", n, err)
		}
		pgtest.Drop(t, n)
	}
	if err != nil {
		t.Fatalf("LoadCanonical = %v; want the loaded model and a warning", err)
	}
	if m.Lookup(Key(KindTable, "public", "", "t")) == nil {
		t.Errorf("model lacks public.t")
	}
	if len(names) != 1 || len(warnings) != 1 || !strings.Contains(warnings[0], names[0]) || !strings.Contains(warnings[0], "drop it by hand") {
		t.Errorf("warnings = %q; want one naming the scratch database %v", warnings, names)
	}
}
