package checker

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// Index definitions are rendered from pg_index's fields instead of calling
// pg_get_indexdef (indexes.sql, indexdef.go). They must read exactly as
// that function prints them; constraints use pg_get_constraintdef itself,
// and are checked here too so a future change stays honest.
func TestDefinitionsMatchServerFunctions(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, `
CREATE SCHEMA "S p";
CREATE TABLE "S p"."T" (id int, "Mixed" text COLLATE "C", v varchar(20), j jsonb, r int4range, n int, b bool,
  CONSTRAINT t_pk PRIMARY KEY (id) INCLUDE (n) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT t_u UNIQUE NULLS NOT DISTINCT (n, v),
  CONSTRAINT t_u2 UNIQUE (v) WITH (fillfactor = 50),
  CONSTRAINT t_ex EXCLUDE USING gist (r WITH &&));
CREATE TABLE ref (a int, b int, c int, PRIMARY KEY (a, b), UNIQUE (c));
CREATE TABLE child (x int, y int, z int,
  FOREIGN KEY (x, y) REFERENCES ref (a, b) MATCH FULL ON UPDATE SET NULL ON DELETE SET DEFAULT,
  CONSTRAINT fk2 FOREIGN KEY (z) REFERENCES ref (c) ON DELETE CASCADE DEFERRABLE NOT VALID,
  CONSTRAINT fk3 FOREIGN KEY (x, y) REFERENCES ref ON DELETE SET NULL (x),
  CONSTRAINT ck CHECK (x > 0) NOT VALID);
CREATE INDEX i1 ON "S p"."T" ("Mixed" text_pattern_ops DESC NULLS LAST, v COLLATE "C" NULLS FIRST);
CREATE INDEX i2 ON "S p"."T" USING hash (v);
CREATE INDEX i3 ON "S p"."T" USING gin (j jsonb_path_ops) WITH (fastupdate = off);
CREATE UNIQUE INDEX i4 ON "S p"."T" (n) INCLUDE (b) WHERE b AND n > 0;
CREATE INDEX i5 ON "S p"."T" USING brin (n) WITH (pages_per_range = 16, autosummarize = on);
CREATE INDEX i6 ON "S p"."T" (lower(v), n DESC);
CREATE INDEX i7 ON "S p"."T" USING spgist (r);
CREATE UNIQUE INDEX i8 ON "S p"."T" (n, id) NULLS NOT DISTINCT;
CREATE TABLE parted (k int, d date) PARTITION BY RANGE (d);
CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE INDEX parted_k ON parted (k DESC);
CREATE MATERIALIZED VIEW mv AS SELECT 1 AS one;
CREATE INDEX mv_one ON mv (one);
CREATE INDEX mv_p ON mv (one) WHERE one > 0;
-- Predicates are deparsed once per distinct tree and column names: the
-- same predicate at other attnums, after a dropped column, and the same
-- tree on a column of another name must each print their own.
CREATE TABLE p1 (id int, deleted_at timestamptz, flag bool);
CREATE TABLE p2 (flag bool, deleted_at timestamptz, id int);
CREATE TABLE p3 (gone int, id int, deleted_at timestamptz, flag bool);
ALTER TABLE p3 DROP COLUMN gone;
CREATE TABLE p4 (id int, removed_at timestamptz, "Flag" bool);
CREATE INDEX p1_a ON p1 (id) WHERE deleted_at IS NULL;
CREATE INDEX p2_a ON p2 (id) WHERE deleted_at IS NULL;
CREATE INDEX p3_a ON p3 (id) WHERE deleted_at IS NULL;
CREATE INDEX p4_a ON p4 (id) WHERE removed_at IS NULL;
CREATE INDEX p1_b ON p1 (id) WHERE flag AND id > 10;
CREATE INDEX p2_b ON p2 (id) WHERE flag AND id > 10;
CREATE INDEX p4_b ON p4 (id) WHERE "Flag" AND id > 10;
CREATE INDEX p1_c ON p1 (id) WHERE p1 IS NOT NULL;
CREATE INDEX p2_c ON p2 (id) WHERE p2 IS NOT NULL;
CREATE INDEX p1_d ON p1 (id) WHERE deleted_at > '2020-01-01' AND id <> ALL ('{1,2}');
CREATE TABLE q1 (id int, s text, c text COLLATE "C", j jsonb, n numeric(10,2), b bool, arr int[]);
CREATE TABLE q2 (b bool, arr int[], n numeric(10,2), j jsonb, c text COLLATE "C", s text, id int);
-- Keyword column names; a foreign key to a table no inspection reads (its
-- columns are named by a lookup of their own).
CREATE SCHEMA driftwatch;
CREATE TABLE driftwatch.outside (k int PRIMARY KEY);
CREATE TABLE "select" ("from" int REFERENCES driftwatch.outside (k), "user" int UNIQUE, "Ünï" int);
CREATE INDEX select_i ON "select" ("user" DESC, "Ünï");
`)
	// The same variety of predicates on two tables whose columns stand at
	// other attnums: each pair shares one deparse.
	for i, pred := range []string{
		"s IN ('a', 'b''c')", "s LIKE 'x%'", "c < 'm'", "s COLLATE \"C\" > 'k'", "lower(s) = 'q'",
		"j ? 'key'", "(j ->> 'k') IS NOT NULL", "n BETWEEN 1.5 AND 2", "NOT b", "b IS NOT TRUE",
		"id IS DISTINCT FROM 3", "arr @> '{1}'", "id = ANY (arr)", "s IS NULL OR id > 0",
		"COALESCE(s, '') <> ''", "id::text = s", "length(s) > 3 AND b", "n::int % 2 = 0",
	} {
		for _, table := range []string{"q1", "q2"} {
			pgtest.Exec(t, dsn, fmt.Sprintf("CREATE INDEX %s_pred_%d ON %s (id) WHERE %s", table, i, table, pred))
		}
	}
	conn := pgtest.Connect(t, dsn)
	// One reader renders as rows arrive, after the columns step; two and
	// three render once the columns step (whole, or in halves), read
	// alongside, is done.
	for _, parallel := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("parallel %d", parallel), func(t *testing.T) {
			compareDefinitions(ctx, t, conn, InspectOptions{Parallel: parallel})
		})
	}
}

func compareDefinitions(ctx context.Context, t *testing.T, conn *pgx.Conn, opts InspectOptions) {
	m, err := Inspect(ctx, conn, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Compare as Inspect reads: with an empty search_path.
	if _, err := conn.Exec(ctx, "SELECT pg_catalog.set_config('search_path', '', false)"); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, o := range m.Objects {
		var server string
		switch o.Kind {
		case KindIndex:
			err = conn.QueryRow(ctx, `SELECT pg_catalog.pg_get_indexdef(c.oid) FROM pg_catalog.pg_class c
				JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`, o.Schema, o.Name).Scan(&server)
		case KindConstraint:
			// plus a key's index storage parameters, which the function
			// leaves out and driftwatch adds (withIndexOptions)
			var opts []string
			err = conn.QueryRow(ctx, `SELECT pg_catalog.pg_get_constraintdef(co.oid),
				CASE WHEN co.contype IN ('p', 'u') THEN (SELECT ki.reloptions::text[] FROM pg_catalog.pg_class ki WHERE ki.oid = co.conindid) END
				FROM pg_catalog.pg_constraint co
				JOIN pg_catalog.pg_class c ON c.oid = co.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
				WHERE n.nspname = $1 AND c.relname = $2 AND co.conname = $3`, o.Schema, o.Table, o.Name).Scan(&server, &opts)
			server = withIndexOptions(server, opts)
		default:
			continue
		}
		if err != nil {
			t.Fatalf("%s %s: %v", o.Kind, o.Identity(), err)
		}
		checked++
		if got := o.Attr("definition"); got != server {
			t.Errorf("%s %s:\n  driftwatch: %s\n  server:     %s", o.Kind, o.Identity(), got, server)
		}
	}
	t.Logf("%d indexes and constraints checked", checked)
	if checked < 60 {
		t.Fatalf("only %d indexes and constraints checked", checked)
	}
}
