package watcher

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// itInstalledDB returns a fresh database with driftwatch installed.
func itInstalledDB(t *testing.T) string {
	t.Helper()
	dsn := pgtest.NewDB(t)
	if err := Install(t.Context(), pgtest.Connect(t, dsn)); err != nil {
		t.Fatalf("Install: %v", err)
	}
	return dsn
}

// itNoticeLog collects the notices (WARNINGs...) a connection receives.
type itNoticeLog struct {
	mu   sync.Mutex
	msgs []string
}

func (l *itNoticeLog) add(_ *pgconn.PgConn, n *pgconn.Notice) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs = append(l.msgs, n.Severity+": "+n.Message)
}

func (l *itNoticeLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.msgs)
}

// itConnect connects with application_name set as a connection parameter
// and notices collected in log (if not nil).
func itConnect(t *testing.T, dsn, appName string, log *itNoticeLog) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("parse DSN: %v", err)
	}
	if appName != "" {
		cfg.RuntimeParams["application_name"] = appName
	}
	if log != nil {
		cfg.OnNotice = log.add
	}
	conn, err := pgx.ConnectConfig(t.Context(), cfg)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func itExec(t *testing.T, conn *pgx.Conn, sql string) {
	t.Helper()
	if _, err := conn.Exec(t.Context(), sql); err != nil {
		t.Fatalf("exec %q: %v", sql, err)
	}
}

// itEvent is the part of a ddl_events row most tests compare.
type itEvent struct {
	Tag, Type, Identity string
	Drop                bool
	Original            *bool
}

func (e itEvent) String() string {
	s := e.Tag + " " + e.Type + " " + e.Identity
	if e.Drop {
		s += " drop"
	}
	if e.Original != nil {
		if *e.Original {
			s += " original"
		} else {
			s += " dependent"
		}
	}
	return s
}

var (
	itYes = itPtr(true)
	itNo  = itPtr(false)
)

func itPtr[T any](v T) *T { return &v }

func itMaxEventID(t *testing.T, conn *pgx.Conn) int64 {
	t.Helper()
	var id int64
	if err := conn.QueryRow(t.Context(), `SELECT COALESCE(max(id), 0) FROM driftwatch.ddl_events`).Scan(&id); err != nil {
		t.Fatalf("read max event id: %v", err)
	}
	return id
}

// itEventsAfter returns the rows with id > after, in id order.
func itEventsAfter(t *testing.T, conn *pgx.Conn, after int64) []itEvent {
	t.Helper()
	rows, err := conn.Query(t.Context(), `
SELECT COALESCE(command_tag, ''), COALESCE(object_type, ''), COALESCE(object_identity, ''), is_drop, original
FROM driftwatch.ddl_events WHERE id > $1 ORDER BY id`, after)
	if err != nil {
		t.Fatalf("read events: %v", err)
	}
	evs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (itEvent, error) {
		var e itEvent
		err := r.Scan(&e.Tag, &e.Type, &e.Identity, &e.Drop, &e.Original)
		return e, err
	})
	if err != nil {
		t.Fatalf("read events: %v", err)
	}
	return evs
}

func TestInstallIsIdempotentAndLocksDown(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dsn := pgtest.NewDB(t)
	conn := pgtest.Connect(t, dsn)
	for i := range 2 {
		if err := Install(ctx, conn); err != nil {
			t.Fatalf("Install #%d: %v", i+1, err)
		}
	}
	st, err := InstallStatus(ctx, conn)
	if err != nil {
		t.Fatalf("InstallStatus: %v", err)
	}
	if !st.OK() || !st.Installed || st.Version != InstallVersion || len(st.Triggers) != 2 {
		t.Fatalf("status after install = %+v, problems %q", st, st.Problems())
	}
	for _, tr := range st.Triggers {
		if !tr.Present || tr.Enabled != "A" || tr.Function != "driftwatch.on_ddl" {
			t.Errorf("event trigger %+v, want present, enabled A, calling driftwatch.on_ddl", tr)
		}
	}
	// The second install ran with the triggers of the first in place; its
	// own DDL must not have been recorded.
	if evs := itEventsAfter(t, conn, 0); len(evs) != 0 {
		t.Errorf("install recorded its own DDL: %v", evs)
	}

	var secdef bool
	var config []string
	if err := conn.QueryRow(ctx, `SELECT prosecdef, proconfig FROM pg_proc WHERE oid = 'driftwatch.on_ddl()'::regprocedure`).Scan(&secdef, &config); err != nil {
		t.Fatalf("read on_ddl: %v", err)
	}
	if !secdef || !slices.Contains(config, "search_path=pg_catalog, pg_temp") {
		t.Errorf("on_ddl: SECURITY DEFINER %v, config %q; want definer with search_path=pg_catalog, pg_temp", secdef, config)
	}

	// Nothing in schema driftwatch is granted to PUBLIC (grantee 0).
	var public []string
	rows, err := conn.Query(ctx, `
SELECT 'schema driftwatch' FROM pg_namespace n, aclexplode(n.nspacl) a
 WHERE n.nspname = 'driftwatch' AND a.grantee = 0
UNION ALL
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
 WHERE n.nspname = 'driftwatch' AND a.grantee = 0
UNION ALL
SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,
       aclexplode(COALESCE(p.proacl, acldefault('f', p.proowner))) a
 WHERE n.nspname = 'driftwatch' AND a.grantee = 0`)
	if err != nil {
		t.Fatalf("read privileges: %v", err)
	}
	if public, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		t.Fatalf("read privileges: %v", err)
	}
	if len(public) > 0 {
		t.Errorf("granted to PUBLIC: %q", public)
	}
}

func TestInstallConcurrent(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	conns := []*pgx.Conn{pgtest.Connect(t, dsn), pgtest.Connect(t, dsn), pgtest.Connect(t, dsn)}
	errs := make([]error, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() { errs[i] = Install(t.Context(), c) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("concurrent Install #%d: %v", i+1, err)
		}
	}
}

func TestInstallUpgradesOlderTable(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	conn := pgtest.Connect(t, dsn)
	// An older, smaller install: no meta, fewer columns, one row.
	itExec(t, conn, `CREATE SCHEMA driftwatch;
CREATE TABLE driftwatch.ddl_events (id bigserial PRIMARY KEY, occurred_at timestamptz DEFAULT now(), command_tag text);
INSERT INTO driftwatch.ddl_events (command_tag) VALUES ('CREATE TABLE')`)
	if err := Install(t.Context(), conn); err != nil {
		t.Fatalf("Install over older table: %v", err)
	}
	rows, err := conn.Query(t.Context(), `SELECT attname FROM pg_attribute
WHERE attrelid = 'driftwatch.ddl_events'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"id", "occurred_at", "command_tag", "txid", "object_type", "schema_name", "object_identity",
		"classid", "objid", "objsubid", "is_drop", "original", "session_user", "current_user",
		"application_name", "client_addr", "backend_pid", "statement"}
	if !slices.Equal(cols, want) {
		t.Errorf("columns after upgrade:\n got %q\nwant %q", cols, want)
	}
	itExec(t, conn, `CREATE TABLE after_upgrade (id int)`)
	got := itEventsAfter(t, conn, 0)
	if len(got) != 2 || got[0].Tag != "CREATE TABLE" || got[1].Identity != "public.after_upgrade" {
		t.Errorf("events after upgrade = %v, want the old row then public.after_upgrade", got)
	}
	st, err := InstallStatus(t.Context(), conn)
	if err != nil || !st.OK() {
		t.Errorf("status after upgrade = %+v, %v", st, err)
	}
}

// TestInstallRecords runs one statement per case after a setup and compares
// the rows the statement left in driftwatch.ddl_events.
func TestInstallRecords(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, setup, stmt string
		want              []itEvent
	}{
		{"create table", "", "CREATE TABLE t (id serial PRIMARY KEY, a text)", []itEvent{
			{Tag: "CREATE SEQUENCE", Type: "sequence", Identity: "public.t_id_seq"},
			{Tag: "CREATE TABLE", Type: "table", Identity: "public.t"},
			{Tag: "CREATE INDEX", Type: "index", Identity: "public.t_pkey"},
			{Tag: "ALTER SEQUENCE", Type: "sequence", Identity: "public.t_id_seq"},
		}},
		{"alter table add column", "CREATE TABLE t (id int)", "ALTER TABLE t ADD COLUMN b int", []itEvent{
			{Tag: "ALTER TABLE", Type: "table", Identity: "public.t"},
		}},
		{"alter table drop column", "CREATE TABLE t (id int, b int)", "ALTER TABLE t DROP COLUMN b", []itEvent{
			{Tag: "ALTER TABLE", Type: "table column", Identity: "public.t.b", Drop: true, Original: itYes},
			{Tag: "ALTER TABLE", Type: "table", Identity: "public.t"},
		}},
		{"drop table", "CREATE TABLE t (id int)", "DROP TABLE t", []itEvent{
			{Tag: "DROP TABLE", Type: "table", Identity: "public.t", Drop: true, Original: itYes},
			{Tag: "DROP TABLE", Type: "type", Identity: "public.t", Drop: true, Original: itNo},
			{Tag: "DROP TABLE", Type: "type", Identity: "public.t[]", Drop: true, Original: itNo},
		}},
		{"drop index", "CREATE TABLE t (id int); CREATE INDEX ti ON t (id)", "DROP INDEX ti", []itEvent{
			{Tag: "DROP INDEX", Type: "index", Identity: "public.ti", Drop: true, Original: itYes},
		}},
		{"drop function", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'", "DROP FUNCTION f()", []itEvent{
			{Tag: "DROP FUNCTION", Type: "function", Identity: "public.f()", Drop: true, Original: itYes},
		}},
		{"drop schema cascade", "CREATE SCHEMA s; CREATE TABLE s.x (id int)", "DROP SCHEMA s CASCADE", []itEvent{
			{Tag: "DROP SCHEMA", Type: "schema", Identity: "s", Drop: true, Original: itYes},
			{Tag: "DROP SCHEMA", Type: "table", Identity: "s.x", Drop: true, Original: itNo},
			{Tag: "DROP SCHEMA", Type: "type", Identity: "s.x", Drop: true, Original: itNo},
			{Tag: "DROP SCHEMA", Type: "type", Identity: "s.x[]", Drop: true, Original: itNo},
		}},
		{"create or replace view reported once", "CREATE VIEW v AS SELECT 1 AS x", "CREATE OR REPLACE VIEW v AS SELECT 2 AS x", []itEvent{
			{Tag: "CREATE VIEW", Type: "view", Identity: "public.v"},
		}},
		{"comment on column", "CREATE TABLE t (a text)", "COMMENT ON COLUMN t.a IS 'the a'", []itEvent{
			{Tag: "COMMENT", Type: "table column", Identity: "public.t.a"},
		}},
		{"grant has no identity", "CREATE TABLE t (a text)", "GRANT SELECT ON t TO PUBLIC", []itEvent{
			{Tag: "GRANT", Type: "TABLE"},
		}},
		{"extension without its members", "", "CREATE EXTENSION postgres_fdw", []itEvent{
			{Tag: "CREATE EXTENSION", Type: "extension", Identity: "postgres_fdw"},
		}},
		{"rollback leaves nothing", "", "BEGIN; CREATE TABLE r (id int); DROP TABLE r; CREATE TABLE r2 (id int); ROLLBACK", nil},
		{"temporary objects are skipped", "",
			"CREATE TEMP TABLE tt (id serial PRIMARY KEY); CREATE INDEX ON tt (id); ALTER TABLE tt ADD COLUMN b int; " +
				"CREATE TEMP VIEW tv AS SELECT * FROM tt; DROP VIEW tv; DROP TABLE tt", nil},
		{"rules, triggers, policies on temporary tables are skipped", "CREATE TEMP TABLE tt (id int)",
			"CREATE RULE r AS ON INSERT TO tt DO INSTEAD NOTHING; CREATE TRIGGER trg BEFORE INSERT ON tt FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger(); " +
				"CREATE POLICY p ON tt USING (true); DROP RULE r ON tt; DROP TRIGGER trg ON tt; DROP POLICY p ON tt", nil},
		{"rules, triggers, policies on tables are recorded", "CREATE TABLE t (id int)",
			"CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING; CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger(); " +
				"CREATE POLICY p ON t USING (true); DROP RULE r ON t", []itEvent{
				{Tag: "CREATE RULE", Type: "rule", Identity: "r on public.t"},
				{Tag: "CREATE TRIGGER", Type: "trigger", Identity: "trg on public.t"},
				{Tag: "CREATE POLICY", Type: "policy", Identity: "p on public.t"},
				{Tag: "DROP RULE", Type: "rule", Identity: "r on public.t", Drop: true, Original: itYes},
			}},
		{"schema driftwatch is skipped", "",
			"CREATE TABLE driftwatch.x (id int); ALTER TABLE driftwatch.x ADD COLUMN b int; " +
				"CREATE TRIGGER trg BEFORE INSERT ON driftwatch.x FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger(); " +
				"CREATE RULE r AS ON INSERT TO driftwatch.x DO INSTEAD NOTHING; DROP RULE r ON driftwatch.x; " +
				"COMMENT ON SCHEMA driftwatch IS 'x'; DROP TABLE driftwatch.x", nil},
		{"session_replication_role replica still records", "",
			"SET session_replication_role = replica; CREATE TABLE r (id int); DROP TABLE r", []itEvent{
				{Tag: "CREATE TABLE", Type: "table", Identity: "public.r"},
				{Tag: "DROP TABLE", Type: "table", Identity: "public.r", Drop: true, Original: itYes},
				{Tag: "DROP TABLE", Type: "type", Identity: "public.r", Drop: true, Original: itNo},
				{Tag: "DROP TABLE", Type: "type", Identity: "public.r[]", Drop: true, Original: itNo},
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conn := pgtest.Connect(t, itInstalledDB(t))
			if tc.setup != "" {
				itExec(t, conn, tc.setup)
			}
			before := itMaxEventID(t, conn)
			itExec(t, conn, tc.stmt)
			got := itEventsAfter(t, conn, before)
			if !slices.EqualFunc(got, tc.want, func(a, b itEvent) bool { return a.String() == b.String() }) {
				t.Errorf("%s recorded:\n  %v\nwant:\n  %v", tc.stmt, got, tc.want)
			}
		})
	}
}

func TestInstallRecordsAttribution(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dsn := itInstalledDB(t)
	conn := itConnect(t, dsn, "attribution-test", nil)
	const stmt = "CREATE TABLE t (id serial PRIMARY KEY, a text)"

	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var txid, sessionUser, clientAddr string
	if err := tx.QueryRow(ctx, `SELECT pg_current_xact_id()::text, session_user, COALESCE(host(inet_client_addr()), '')`).
		Scan(&txid, &sessionUser, &clientAddr); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, stmt); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}

	type row struct {
		identity, txid, sessionUser, currentUser, app, clientAddr, statement string
		pid                                                                  uint32
		classid, objid                                                       uint32
		objsubid                                                             int32
		isDrop                                                               bool
		original                                                             *bool
		age                                                                  time.Duration
	}
	rows, err := conn.Query(ctx, `
SELECT object_identity, txid::text, "session_user", "current_user", application_name,
       COALESCE(host(client_addr), ''), statement, backend_pid, classid, objid, objsubid, is_drop, original,
       clock_timestamp() - occurred_at
FROM driftwatch.ddl_events ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.identity, &x.txid, &x.sessionUser, &x.currentUser, &x.app, &x.clientAddr, &x.statement,
			&x.pid, &x.classid, &x.objid, &x.objsubid, &x.isDrop, &x.original, &x.age)
		return x, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("got %d rows for %s, want 4 (sequence, table, index, alter sequence)", len(got), stmt)
	}
	for _, r := range got {
		if r.txid != txid || r.sessionUser != sessionUser || r.currentUser != sessionUser ||
			r.app != "attribution-test" || r.clientAddr != clientAddr || r.statement != stmt ||
			r.pid != conn.PgConn().PID() || r.isDrop || r.original != nil || r.age < 0 || r.age > time.Minute {
			t.Errorf("row %+v\nwant txid %s, users %s, app attribution-test, client %q, pid %d, statement %q, not a drop",
				r, txid, sessionUser, clientAddr, conn.PgConn().PID(), stmt)
		}
	}
	var tableOID uint32
	if err := conn.QueryRow(ctx, `SELECT 't'::regclass::oid`).Scan(&tableOID); err != nil {
		t.Fatal(err)
	}
	if tbl := got[1]; tbl.identity != "public.t" || tbl.classid != 1259 || tbl.objid != tableOID || tbl.objsubid != 0 {
		t.Errorf("table row = %+v, want public.t with classid pg_class (1259), objid %d, objsubid 0", tbl, tableOID)
	}
}

func TestInstallRecordsDropTableOnce(t *testing.T) {
	t.Parallel()
	conn := pgtest.Connect(t, itInstalledDB(t))
	itExec(t, conn, "CREATE TABLE t (id serial PRIMARY KEY, a text)")
	before := itMaxEventID(t, conn)
	itExec(t, conn, "DROP TABLE t")
	got := itEventsAfter(t, conn, before)
	seen := map[string]bool{}
	var originals []itEvent
	for _, e := range got {
		if !e.Drop || e.Tag != "DROP TABLE" || e.Original == nil {
			t.Errorf("row %v: want a DROP TABLE drop with the original flag", e)
		}
		key := e.Type + " " + e.Identity
		if seen[key] {
			t.Errorf("%s recorded twice", key)
		}
		seen[key] = true
		if e.Original != nil && *e.Original {
			originals = append(originals, e)
		}
	}
	if len(originals) != 1 || originals[0].Type != "table" || originals[0].Identity != "public.t" {
		t.Errorf("original rows = %v, want just the table public.t", originals)
	}
	for _, k := range []string{"sequence public.t_id_seq", "index public.t_pkey", "table constraint t_pkey on public.t"} {
		if !seen[k] {
			t.Errorf("no row for %s among %v", k, got)
		}
	}
}

type itPayload struct {
	Txid  string `json:"txid"`
	MaxID int64  `json:"max_id"`
	Count int64  `json:"count"`
}

func itWaitPayload(t *testing.T, listener *pgx.Conn) itPayload {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	n, err := listener.WaitForNotification(ctx)
	if err != nil {
		t.Fatalf("wait for notification: %v", err)
	}
	if n.Channel != "driftwatch" {
		t.Fatalf("notification on channel %q, want driftwatch", n.Channel)
	}
	var p itPayload
	dec := json.NewDecoder(strings.NewReader(n.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil || p.Txid == "" || p.MaxID <= 0 || p.Count <= 0 {
		t.Fatalf("payload %s: %+v, %v; want {txid, max_id, count}", n.Payload, p, err)
	}
	return p
}

// itCheckPayload checks that a payload's count rows of its transaction end
// at max_id, and that count is wantCount.
func itCheckPayload(t *testing.T, conn *pgx.Conn, p itPayload, wantCount int64) {
	t.Helper()
	var count, maxID int64
	err := conn.QueryRow(t.Context(), `SELECT count(*), COALESCE(max(id), 0) FROM driftwatch.ddl_events
WHERE txid = $1::xid8 AND id > $2::bigint - $3::bigint AND id <= $2::bigint`, p.Txid, p.MaxID, p.Count).Scan(&count, &maxID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != wantCount || count != p.Count || maxID != p.MaxID {
		t.Errorf("payload %+v: want count %d; rows of txid %s up to max_id: %d, highest %d", p, wantCount, p.Txid, count, maxID)
	}
}

func TestInstallNotifies(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dsn := itInstalledDB(t)
	conn := pgtest.Connect(t, dsn)
	listener := pgtest.Connect(t, dsn)
	itExec(t, conn, "CREATE TABLE t (id int, b int, c int)")
	itExec(t, listener, "LISTEN driftwatch")

	// Nothing recorded, so no notification: the next one is the DROP COLUMN's.
	itExec(t, conn, "CREATE TEMP TABLE tt (id int); DROP TABLE tt")
	// sql_drop and ddl_command_end both record here: one notification.
	itExec(t, conn, "ALTER TABLE t DROP COLUMN b")
	p1 := itWaitPayload(t, listener)
	itCheckPayload(t, conn, p1, 2)

	// One notification per statement, even inside one transaction.
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"ALTER TABLE t DROP COLUMN c", "CREATE TABLE a (id int)", "CREATE TABLE b (id int)"} {
		if _, err := tx.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	p2, p3, p4 := itWaitPayload(t, listener), itWaitPayload(t, listener), itWaitPayload(t, listener)
	if p2.Txid == p1.Txid || p2.Txid != p3.Txid || p3.Txid != p4.Txid || p4.MaxID != p3.MaxID+1 {
		t.Errorf("payloads for three statements in one transaction: %+v, %+v, %+v", p2, p3, p4)
	}
	itCheckPayload(t, conn, p2, 2)
	itCheckPayload(t, conn, p3, 1)
	itCheckPayload(t, conn, p4, 1)

	// A DROP TABLE is announced once.
	itExec(t, conn, "DROP TABLE a")
	p5 := itWaitPayload(t, listener)
	itCheckPayload(t, conn, p5, 3)
	itExec(t, conn, "CREATE TABLE c (id int)")
	if p6 := itWaitPayload(t, listener); p6.Txid == p5.Txid || p6.Count != 1 {
		t.Errorf("after DROP TABLE's notification got %+v, want the CREATE TABLE's", p6)
	}
}

func TestInstallRedactsSecrets(t *testing.T) {
	t.Parallel()
	conn := pgtest.Connect(t, itInstalledDB(t))
	cases := []struct{ in, want string }{
		{`CREATE ROLE a PASSWORD 'secret'`, `CREATE ROLE a PASSWORD '***'`},
		{`CREATE ROLE a LOGIN ENCRYPTED PASSWORD 'se''cr''et' VALID UNTIL 'infinity'`, `CREATE ROLE a LOGIN ENCRYPTED PASSWORD '***' VALID UNTIL 'infinity'`},
		{`ALTER ROLE a WITH password E'se\'cr\\et' LOGIN`, `ALTER ROLE a WITH password '***' LOGIN`},
		{`ALTER ROLE a PASSWORD $$sec'ret$$; SELECT $$kept$$`, `ALTER ROLE a PASSWORD '***'; SELECT $$kept$$`},
		{`ALTER ROLE a PASSWORD $t$se$$cret$t$ LOGIN`, `ALTER ROLE a PASSWORD '***' LOGIN`},
		{`ALTER ROLE a PASSWORD U&'sec\0072et'`, `ALTER ROLE a PASSWORD '***'`},
		{"ALTER ROLE a PASSWORD\n  'secret'", "ALTER ROLE a PASSWORD\n  '***'"},
		{`ALTER ROLE a PASSWORD 'cut off secr`, `ALTER ROLE a PASSWORD '***'`},
		{`ALTER ROLE a PASSWORD NULL`, `ALTER ROLE a PASSWORD NULL`},
		{`ALTER ROLE a PassWord 'secret'`, `ALTER ROLE a PassWord '***'`},
		{`CREATE TABLE t (id bigint PRIMARY KEY, note text DEFAULT 'pass word')`, `CREATE TABLE t (id bigint PRIMARY KEY, note text DEFAULT 'pass word')`},
		{`CREATE USER MAPPING FOR u SERVER s OPTIONS (user 'u', password 'secret', password_required 'false')`,
			`CREATE USER MAPPING FOR u SERVER s OPTIONS (user 'u', password '***', password_required 'false')`},
		{`ALTER USER MAPPING FOR u SERVER s OPTIONS (SET "password" 'secret')`, `ALTER USER MAPPING FOR u SERVER s OPTIONS (SET "password" '***')`},
		{`CREATE SUBSCRIPTION s CONNECTION 'host=h password=secret dbname=d' PUBLICATION p`,
			`CREATE SUBSCRIPTION s CONNECTION 'host=h password=*** dbname=d' PUBLICATION p`},
		{`CREATE SUBSCRIPTION s CONNECTION 'host=h password = ''sec ret'' dbname=d' PUBLICATION p`,
			`CREATE SUBSCRIPTION s CONNECTION 'host=h password = *** dbname=d' PUBLICATION p`},
		{`CREATE SUBSCRIPTION s CONNECTION 'sslpassword=secret password=secret'`, `CREATE SUBSCRIPTION s CONNECTION 'sslpassword=*** password=***'`},
		{`CREATE SUBSCRIPTION s CONNECTION 'postgresql://u:secret@h/d' PUBLICATION p`, `CREATE SUBSCRIPTION s CONNECTION 'postgresql://u:***@h/d' PUBLICATION p`},
		{`CREATE TABLE t (password text DEFAULT 'password', c text CHECK (c <> 'reset password'))`,
			`CREATE TABLE t (password text DEFAULT 'password', c text CHECK (c <> 'reset password'))`},
	}
	for _, tc := range cases {
		var got string
		if err := conn.QueryRow(t.Context(), `SELECT driftwatch.redact_secrets($1)`, tc.in).Scan(&got); err != nil {
			t.Fatalf("redact_secrets(%q): %v", tc.in, err)
		}
		if got != tc.want {
			t.Errorf("redact_secrets(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// itStatementOf returns the recorded statement of the last event.
func itStatementOf(t *testing.T, conn *pgx.Conn) string {
	t.Helper()
	var s string
	if err := conn.QueryRow(t.Context(), `SELECT statement FROM driftwatch.ddl_events ORDER BY id DESC LIMIT 1`).Scan(&s); err != nil {
		t.Fatalf("read statement: %v", err)
	}
	return s
}

func TestInstallRecordsRedactedStatements(t *testing.T) {
	t.Parallel()
	conn := pgtest.Connect(t, itInstalledDB(t))

	// A role password in the same query string as recorded DDL (a migration
	// file sent as one query). Roles themselves fire no event trigger.
	itExec(t, conn, "/* ALTER ROLE app PASSWORD 'hunter2' */ CREATE TABLE c (id int)")
	if s := itStatementOf(t, conn); strings.Contains(s, "hunter2") || !strings.Contains(s, "PASSWORD '***'") {
		t.Errorf("statement with a role password recorded as %q", s)
	}

	// The check for what may hold a secret folds case like the SQL
	// scanner, and sees a URI's password without the word.
	itExec(t, conn, "/* ALTER ROLE app PassWord 'hunter3' */ CREATE TABLE d (id int)")
	if s := itStatementOf(t, conn); strings.Contains(s, "hunter3") || !strings.Contains(s, "PassWord '***'") {
		t.Errorf("statement with a mixed-case password recorded as %q", s)
	}
	itExec(t, conn, "/* pg_dump postgresql://u:hunter4@db.example/x */ CREATE TABLE e (id int)")
	if s := itStatementOf(t, conn); strings.Contains(s, "hunter4") || !strings.Contains(s, "postgresql://u:***@db.example") {
		t.Errorf("statement with a URI password recorded as %q", s)
	}

	itExec(t, conn, "CREATE EXTENSION postgres_fdw")
	itExec(t, conn, "CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db.example', dbname 'x')")
	itExec(t, conn, "CREATE USER MAPPING FOR CURRENT_USER SERVER remote OPTIONS (user 'u', password 'hunter2')")
	if s := itStatementOf(t, conn); strings.Contains(s, "hunter2") || !strings.Contains(s, "password '***'") {
		t.Errorf("CREATE USER MAPPING recorded as %q", s)
	}

	itExec(t, conn, "CREATE SUBSCRIPTION sub CONNECTION 'host=db.example password=hunter2 dbname=x' PUBLICATION p WITH (connect = false)")
	t.Cleanup(func() {
		// A database with a subscription cannot be dropped.
		c := pgtest.Connect(t, conn.Config().ConnString())
		for _, s := range []string{"ALTER SUBSCRIPTION sub DISABLE", "ALTER SUBSCRIPTION sub SET (slot_name = NONE)", "DROP SUBSCRIPTION sub"} {
			if _, err := c.Exec(context.Background(), s); err != nil {
				t.Errorf("clean up subscription: %s: %v", s, err)
			}
		}
	})
	if s := itStatementOf(t, conn); strings.Contains(s, "hunter2") || !strings.Contains(s, "password=***") {
		t.Errorf("CREATE SUBSCRIPTION recorded as %q", s)
	}

	// A long statement is cut at 100000 characters, and a password literal
	// that the cut splits is still masked.
	prefix := "CREATE TABLE big (id int); /* "
	pad := strings.Repeat("x", 100000-len(prefix)-len("PASSWORD 'zq9"))
	itExec(t, conn, prefix+pad+"PASSWORD 'zq9secret' */")
	s := itStatementOf(t, conn)
	if strings.Contains(s, "zq9") || !strings.Contains(s, "PASSWORD '***'") ||
		!strings.HasSuffix(s, "statement cut at 100000 characters */") || len(s) > 100100 {
		t.Errorf("long statement recorded as ...%q (%d chars)", s[max(0, len(s)-120):], len(s))
	}

	// The cut counts characters, not bytes: 60000 two-byte characters
	// are kept whole.
	wide := "CREATE TABLE wide (id int); /* " + strings.Repeat("é", 60000) + " */"
	itExec(t, conn, wide)
	if s := itStatementOf(t, conn); s != wide {
		t.Errorf("statement of 60000 two-byte characters recorded as ...%q (%d bytes, want %d)", s[max(0, len(s)-120):], len(s), len(wide))
	}
}

// TestInstallNeverFailsUserDDL breaks the event log in several ways and
// shows that the user's DDL still succeeds, with a WARNING.
func TestInstallNeverFailsUserDDL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		brk   string
		owner bool // hand driftwatch.on_ddl to a role without privileges
	}{
		{"check constraint rejects every row", "ALTER TABLE driftwatch.ddl_events ADD CONSTRAINT reject_all CHECK (false) NOT VALID", false},
		{"table renamed", "ALTER TABLE driftwatch.ddl_events RENAME TO ddl_events_old", false},
		{"table dropped", "DROP TABLE driftwatch.ddl_events", false},
		{"insert trigger raises", `CREATE FUNCTION driftwatch.boom() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'boom'; END$$;
CREATE TRIGGER boom BEFORE INSERT ON driftwatch.ddl_events FOR EACH ROW EXECUTE FUNCTION driftwatch.boom()`, false},
		{"column type changed", "ALTER TABLE driftwatch.ddl_events ALTER COLUMN command_tag TYPE int USING NULL", false},
		{"redaction function dropped", "DROP FUNCTION driftwatch.redact_secrets(text)", false},
		{"function owner lacks privileges", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var role string
			if tc.owner {
				role = itNewRole(t) // before the database: dropped after it
			}
			dsn := itInstalledDB(t)
			var notices itNoticeLog
			conn := itConnect(t, dsn, "", &notices)
			if tc.owner {
				itExec(t, conn, "ALTER FUNCTION driftwatch.on_ddl() OWNER TO "+role)
			} else {
				itExec(t, conn, tc.brk)
			}
			before := len(notices.all())
			for _, stmt := range []string{
				// "password" in the text: on_ddl calls redact_secrets only then
				"CREATE TABLE user_t (id int, password_hash text)",
				"ALTER TABLE user_t ADD COLUMN b int, DROP COLUMN password_hash",
				"DROP TABLE user_t",
			} {
				if _, err := conn.Exec(t.Context(), stmt); err != nil {
					t.Fatalf("user DDL %q failed: %v", stmt, err)
				}
			}
			got := notices.all()[before:]
			var warnings int
			for _, n := range got {
				if strings.HasPrefix(n, "WARNING: driftwatch: DDL not recorded") {
					warnings++
				}
			}
			// CREATE, ALTER (sql_drop + ddl_command_end), DROP (sql_drop;
			// its ddl_command_end has nothing to record and may not fail).
			if warnings < 3 {
				t.Errorf("notices %q: want a driftwatch WARNING for each failed recording", got)
			}
			var exists bool
			if err := conn.QueryRow(t.Context(), `SELECT to_regclass('public.user_t') IS NOT NULL`).Scan(&exists); err != nil || exists {
				t.Errorf("user_t exists %v (%v), want dropped by the user's DDL", exists, err)
			}
		})
	}
}

func TestInstallUninstall(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dsn := itInstalledDB(t)
	var notices itNoticeLog
	conn := itConnect(t, dsn, "", &notices)
	itExec(t, conn, "CREATE TABLE t (id int)")
	for i := range 2 {
		if err := Uninstall(ctx, conn); err != nil {
			t.Fatalf("Uninstall #%d: %v", i+1, err)
		}
	}
	var left int
	if err := conn.QueryRow(ctx, `
SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = 'driftwatch')
     + (SELECT count(*) FROM pg_event_trigger WHERE evtname LIKE 'driftwatch%')
     + (SELECT count(*) FROM pg_proc WHERE proname IN ('on_ddl', 'redact_secrets'))`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d driftwatch objects left after uninstall", left)
	}
	st, err := InstallStatus(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if st.Installed || st.OK() || st.Triggers[0].Present || st.Triggers[1].Present {
		t.Errorf("status after uninstall = %+v", st)
	}
	itExec(t, conn, "DROP TABLE t; CREATE TABLE t2 (id int)")
	if n := notices.all(); len(n) != 0 {
		t.Errorf("DDL after uninstall raised %q", n)
	}
	if err := Install(ctx, conn); err != nil {
		t.Fatalf("Install after uninstall: %v", err)
	}
	itExec(t, conn, "DROP TABLE t2")
	if got := itEventsAfter(t, conn, 0); len(got) == 0 || got[0].Identity != "public.t2" {
		t.Errorf("events after reinstall = %v", got)
	}
}

func TestInstallStatusReportsAndInstallRepairs(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	conn := pgtest.Connect(t, itInstalledDB(t))
	itExec(t, conn, "ALTER EVENT TRIGGER driftwatch_sql_drop DISABLE; ALTER EVENT TRIGGER driftwatch_ddl_command_end ENABLE")
	st, err := InstallStatus(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	problems := strings.Join(st.Problems(), "\n")
	if !strings.Contains(problems, "driftwatch_sql_drop is disabled") ||
		!strings.Contains(problems, `driftwatch_ddl_command_end is enabled "O", not ALWAYS`) {
		t.Errorf("problems:\n%s", problems)
	}
	itExec(t, conn, "UPDATE driftwatch.meta SET value = '0' WHERE key = 'install_version'")
	if err := Install(ctx, conn); err != nil {
		t.Fatal(err)
	}
	if st, err := InstallStatus(ctx, conn); err != nil || !st.OK() || st.Version != InstallVersion {
		t.Errorf("status after repair = %+v (%v), problems %q", st, err, st.Problems())
	}
}

// itNewRole creates a LOGIN role without superuser, dropped when the test
// ends. Roles are cluster-wide, so the name is unique. Call it before
// pgtest.NewDB so the role outlives the database (cleanups run in reverse).
func itNewRole(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	role := "dwtest_role_" + hex.EncodeToString(b)
	pgtest.Exec(t, pgtest.AdminDSN(), "CREATE ROLE "+role+" LOGIN NOSUPERUSER")
	t.Cleanup(func() { pgtest.Exec(t, pgtest.AdminDSN(), "DROP ROLE IF EXISTS "+role) })
	return role
}

// itDSNAsUser returns dsn connecting as user instead.
func itDSNAsUser(t *testing.T, dsn, user string) string {
	t.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.User(user)
		return u.String()
	}
	return dsn + " user=" + user
}

func TestInstallNeedsSuperuser(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	role := itNewRole(t)
	dsn := pgtest.NewDB(t)
	asRole := pgtest.Connect(t, itDSNAsUser(t, dsn, role))

	for _, op := range []struct {
		name string
		run  func(context.Context, *pgx.Conn) error
	}{{"install", Install}, {"uninstall", Uninstall}} {
		err := op.run(ctx, asRole)
		var nse *NotSuperuserError
		if !errors.Is(err, ErrNotSuperuser) || !errors.As(err, &nse) || nse.Role != role {
			t.Fatalf("%s as %s: %v, want NotSuperuserError", op.name, role, err)
		}
		for _, want := range []string{role, "lacks superuser", "event triggers", "driftwatch " + op.name + " --print | psql"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s error %q does not mention %q", op.name, err, want)
			}
		}
	}
	admin := pgtest.Connect(t, dsn)
	if st, err := InstallStatus(ctx, admin); err != nil || st.Installed {
		t.Errorf("after refused install: status %+v, %v; want nothing installed", st, err)
	}

	// Installed by a superuser, the log attributes a plain role's DDL to it
	// and a SET ROLE to the role set; the plain role cannot read the log.
	if err := Install(ctx, admin); err != nil {
		t.Fatal(err)
	}
	itExec(t, admin, "GRANT CREATE ON SCHEMA public TO "+role)
	itExec(t, asRole, "CREATE TABLE by_role (id int)")
	itExec(t, admin, "SET ROLE "+role+"; CREATE TABLE by_set_role (id int); RESET ROLE")
	var superuser string
	if err := admin.QueryRow(ctx, "SELECT session_user").Scan(&superuser); err != nil {
		t.Fatal(err)
	}
	rows, err := admin.Query(ctx, `SELECT object_identity || ' ' || "session_user" || ' ' || "current_user"
FROM driftwatch.ddl_events WHERE object_type = 'table' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"public.by_role " + role + " " + role, "public.by_set_role " + superuser + " " + role}
	if !slices.Equal(got, want) {
		t.Errorf("attribution:\n got %q\nwant %q", got, want)
	}
	if _, err := asRole.Exec(ctx, "SELECT count(*) FROM driftwatch.ddl_events"); err == nil {
		t.Errorf("a plain role can read driftwatch.ddl_events")
	}
	st, err := InstallStatus(ctx, asRole)
	if err != nil || !st.Installed || !st.VersionHidden || !st.OK() {
		t.Errorf("status seen by a plain role = %+v (%v), problems %q", st, err, st.Problems())
	}
}
