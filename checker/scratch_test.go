package checker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	"github.com/jackc/pgx/v5"
)

// databaseExists reports whether the test server has a database of that name.
func databaseExists(t *testing.T, name string) bool {
	t.Helper()
	conn := pgtest.Connect(t, pgtest.AdminDSN())
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func TestScratchCreatedAndDropped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.NewDB(t)
	s, err := NewScratch(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.Name, scratchPrefix) || !databaseExists(t, s.Name) {
		t.Fatalf("scratch database %q not created", s.Name)
	}
	var db, tmpl string
	if err := s.Conn.QueryRow(ctx, "SELECT current_database(), (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace)::text").Scan(&db, &tmpl); err != nil {
		t.Fatal(err)
	}
	if db != s.Name || tmpl != "0" {
		t.Errorf("connected to %q with %s relations in public; want %q, empty", db, tmpl, s.Name)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if databaseExists(t, s.Name) {
		t.Errorf("scratch database %q still exists after Close", s.Name)
	}
	if err := s.Close(ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestScratchCloseAfterCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := NewScratch(ctx, pgtest.NewDB(t))
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatalf("Close after cancel: %v", err)
	}
	if databaseExists(t, s.Name) {
		t.Errorf("scratch database %q survived a cancelled context", s.Name)
	}
}

func TestScratchNeedsCreateDB(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	role := "dwtest_nocreatedb_" + hex.EncodeToString(b)
	pgtest.Exec(t, pgtest.AdminDSN(), "CREATE ROLE "+role+" LOGIN NOCREATEDB")
	t.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, pgtest.AdminDSN())
		if err == nil {
			_, _ = conn.Exec(ctx, "DROP ROLE IF EXISTS "+role)
			conn.Close(ctx)
		}
	})
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	roleDSN := fmt.Sprintf("host=%s port=%d dbname=%s user=%s sslmode=disable", cfg.Host, cfg.Port, cfg.Database, role)
	_, err = NewScratch(context.Background(), roleDSN)
	if err == nil || !strings.Contains(err.Error(), "grant it CREATEDB") || !strings.Contains(err.Error(), "--scratch-dsn") {
		t.Fatalf("NewScratch without CREATEDB = %v; want advice to grant CREATEDB or pass --scratch-dsn", err)
	}
}

func TestScratchSweepsStale(t *testing.T) {
	t.Parallel()
	stale := fmt.Sprintf("%s%d_%s", scratchPrefix, time.Now().Add(-2*time.Hour).Unix(), "0badc0de")
	fresh := fmt.Sprintf("%s%d_%s", scratchPrefix, time.Now().Add(-time.Minute).Unix(), "0badc0de")
	for _, name := range []string{stale, fresh} {
		pgtest.Exec(t, pgtest.AdminDSN(), "CREATE DATABASE "+name)
		t.Cleanup(func() { pgtest.Drop(t, name) })
	}
	s, err := NewScratch(context.Background(), pgtest.NewDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	if databaseExists(t, stale) {
		t.Errorf("stale scratch database %s not swept", stale)
	}
	if !databaseExists(t, fresh) {
		t.Errorf("recent scratch database %s was swept", fresh)
	}
}

func TestUseScratchRefusesNonEmpty(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, "CREATE TABLE keep_me (id int)")
	_, err := UseScratch(context.Background(), dsn)
	if err == nil || !strings.Contains(err.Error(), "must be empty") || !strings.Contains(err.Error(), "relation public.keep_me") {
		t.Fatalf("UseScratch on a database with a table = %v; want it refused, naming the table", err)
	}
}

func TestUseScratchResets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, "COMMENT ON SCHEMA public IS 'kept'")
	publicBefore := publicState(t, dsn)
	s, err := UseScratch(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	script := `
SELECT pg_catalog.set_config('search_path', '', false);
CREATE SCHEMA app;
CREATE EXTENSION hstore WITH SCHEMA public;
CREATE TABLE app.t (id int, h public.hstore);
CREATE TABLE public.p (id int);
CREATE FUNCTION public.f() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER et ON ddl_command_end EXECUTE FUNCTION public.f();
CREATE PUBLICATION pub FOR TABLE public.p;
CREATE FOREIGN DATA WRAPPER fdw;
CREATE SERVER srv FOREIGN DATA WRAPPER fdw;
GRANT CREATE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS 'changed';
`
	if _, err := ExecuteScript(ctx, s.Conn, "reset.sql", script); err != nil {
		t.Fatal(err)
	}
	conn := pgtest.Connect(t, dsn)
	if objs, err := userObjects(ctx, conn); err != nil || len(objs) < 5 {
		t.Fatalf("after the load, user objects = %v, %v; want the loaded ones", objs, err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if objs, err := userObjects(ctx, conn); err != nil || len(objs) != 0 {
		t.Errorf("after Close, user objects = %v, %v; want none", objs, err)
	}
	if after := publicState(t, dsn); after != publicBefore {
		t.Errorf("schema public after reset = %s; before %s", after, publicBefore)
	}
}

// publicState describes schema public's owner, privileges and comment.
func publicState(t *testing.T, dsn string) string {
	t.Helper()
	var s string
	err := pgtest.Connect(t, dsn).QueryRow(context.Background(), `
		SELECT pg_get_userbyid(nspowner) || ' ' || coalesce(nspacl::text, 'default') || ' ' || coalesce(obj_description(oid, 'pg_namespace'), '')
		FROM pg_namespace WHERE nspname = 'public'`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRedactDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://u:secret@h:5432/db?sslmode=disable", "postgres://u:xxxxx@h:5432/db?sslmode=disable"},
		{"postgres://u@h/db?password=secret", "postgres://u@h/db?password=xxxxx"},
		{"host=h user=u password=secret dbname=db", "host=h user=u password=xxxxx dbname=db"},
		{"host=h password = 'a b\\' c' dbname=db", "host=h password = xxxxx dbname=db"},
		{"host=h dbname=db", "host=h dbname=db"},
	}
	for _, tt := range tests {
		if got := redactDSN(tt.in); got != tt.want {
			t.Errorf("redactDSN(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.Contains(redactDSN(tt.in), "secret") {
			t.Errorf("redactDSN(%q) leaks the password", tt.in)
		}
	}
}

// Casts between built-in types, access methods with a built-in handler
// and large objects (a dump with their metadata creates them) belong to no
// schema: dropping the schemas leaves them, and the next load of the same
// canonical file into the scratch database failed on CREATE CAST ("cast
// ... already exists") or lo_create.
func TestUseScratchResetsCastsAndAccessMethods(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.NewDB(t)
	script := `
CREATE CAST (json AS character varying) WITHOUT FUNCTION AS IMPLICIT;
CREATE CAST (text AS json) WITH INOUT;
CREATE ACCESS METHOD heap_too TYPE TABLE HANDLER heap_tableam_handler;
CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE EXTENSION hstore;
SELECT pg_catalog.lo_create('424242');
`
	conn := pgtest.Connect(t, dsn)
	for i := 0; i < 2; i++ {
		s, err := UseScratch(ctx, dsn)
		if err != nil {
			t.Fatalf("load %d: %v", i+1, err)
		}
		if _, err := ExecuteScript(ctx, s.Conn, "casts.sql", script); err != nil {
			t.Fatalf("load %d: %v", i+1, err)
		}
		if objs, err := userObjects(ctx, conn); err != nil || len(objs) < 4 {
			t.Fatalf("after load %d, user objects = %v, %v; want the loaded ones", i+1, objs, err)
		}
		if err := s.Close(ctx); err != nil {
			t.Fatalf("close %d: %v", i+1, err)
		}
		var casts, ams, los int
		if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM pg_cast WHERE oid >= 16384), (SELECT count(*) FROM pg_am WHERE oid >= 16384),
			(SELECT count(*) FROM pg_largeobject_metadata)`).Scan(&casts, &ams, &los); err != nil {
			t.Fatal(err)
		}
		if casts != 0 || ams != 0 || los != 0 {
			t.Fatalf("after close %d: %d casts, %d access methods and %d large objects left; want none", i+1, casts, ams, los)
		}
	}
}
