package checker

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// A scoped read finds the same dependencies among its objects as a full read
// (the daemon's re-check orders its fix SQL with them), from depends_scoped.sql.
// Edges to objects outside the scope cannot be named and are left out.
func TestScopedDependencies(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, `
CREATE TYPE mood AS ENUM ('a', 'b');
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION g(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1';
CREATE TABLE t (id int DEFAULT g(1), m mood, CHECK (g(id) > 0));
CREATE INDEX t_g ON t (g(id));
CREATE TRIGGER t_f BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
CREATE VIEW v AS SELECT id, g(id) FROM t;
CREATE VIEW w AS SELECT * FROM v;
CREATE TABLE other (x int);`)
	conn := pgtest.Connect(t, dsn)
	full, err := Inspect(ctx, conn, InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	scoped, err := Inspect(ctx, conn, InspectOptions{Scope: &Scope{Names: []Name{
		{"public", "t"}, {"public", "w"}, {"public", "v"}, {"public", "f"}, {"public", "g"}, {"public", "mood"}}}})
	if err != nil {
		t.Fatal(err)
	}
	deps := func(m *Model, key string) string {
		o := m.Lookup(key)
		if o == nil {
			t.Fatalf("no %q", key)
		}
		d := append([]string(nil), o.Deps()...)
		sort.Strings(d)
		return strings.Join(d, " | ")
	}
	for _, key := range []string{Key(KindTable, "public", "", "t"), Key(KindView, "public", "", "w")} {
		if f, s := deps(full, key), deps(scoped, key); f != s || f == "" {
			t.Errorf("%q: full read %q, scoped read %q", key, f, s)
		}
	}
}
