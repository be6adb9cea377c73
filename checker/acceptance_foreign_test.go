package checker

import (
	"context"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// skipBefore skips a test on servers older than version (server_version_num).
func skipBefore(t *testing.T, version int) {
	t.Helper()
	var v int
	conn := pgtest.Connect(t, pgtest.AdminDSN())
	if err := conn.QueryRow(context.Background(), "SELECT current_setting('server_version_num')::int").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v < version {
		t.Skipf("needs server_version_num %d, have %d", version, v)
	}
}

// fdwServer is a foreign-data wrapper without handler and a server on it:
// enough to create foreign tables (not to read them) without an extension.
const fdwServer = `CREATE FOREIGN DATA WRAPPER dw_test_fdw;
CREATE SERVER dw_remote FOREIGN DATA WRAPPER dw_test_fdw OPTIONS (host 'db.example');
`

// Foreign tables: they have no replica identity of their own
// (relreplident reads 'n'), and ALTER TABLE ... REPLICA IDENTITY fails on
// them, so neither the comparison nor a fix may mention one.
func TestAcceptanceForeignTables(t *testing.T) {
	const ft = fdwServer + `CREATE FOREIGN TABLE remote_users (id int NOT NULL, name text) SERVER dw_remote OPTIONS (table_name 'users');
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: ft, live: ft},
		{
			name:      "missing foreign table",
			canonical: ft,
			live:      fdwServer,
			want:      []string{"missing table public.remote_users"},
		},
		{
			name:      "unexpected foreign table",
			canonical: fdwServer,
			live:      ft,
			want:      []string{"unexpected table public.remote_users"},
		},
		{
			name:      "missing column of a foreign table",
			canonical: ft,
			live:      fdwServer + `CREATE FOREIGN TABLE remote_users (id int NOT NULL) SERVER dw_remote OPTIONS (table_name 'users');`,
			want:      []string{"missing column public.remote_users.name"},
		},
	})
}

// Typed tables (CREATE TABLE t OF type): the type is compared and fixed
// with ALTER TABLE ... OF / NOT OF; the columns come from the type, so
// a change to the type is one item (its fix cascades to the tables), not
// one more per column of each typed table.
func TestAcceptanceTypedTables(t *testing.T) {
	const ty = `CREATE TYPE person AS (id int, name text, born date);
`
	const typed = ty + `CREATE TABLE people OF person (id WITH OPTIONS PRIMARY KEY, name WITH OPTIONS NOT NULL DEFAULT 'x');
`
	const plain = ty + `CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL DEFAULT 'x', born date);
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: typed, live: typed},
		{name: "identical with column order", canonical: typed, live: typed, opts: DiffOptions{ColumnOrder: true}},
		{
			name:      "missing typed table",
			canonical: typed,
			live:      ty,
			want:      []string{"missing table public.people"},
		},
		{
			name:      "unexpected typed table",
			canonical: ty,
			live:      typed,
			want:      []string{"unexpected table public.people"},
		},
		{
			name:      "table should be typed",
			canonical: typed,
			live:      plain,
			want:      []string{"changed table public.people"},
		},
		{
			name:      "table should not be typed",
			canonical: plain,
			live:      typed,
			want:      []string{"changed table public.people"},
		},
		{
			name:      "table should be typed but its columns differ from the type's",
			canonical: typed,
			live:      ty + `CREATE TABLE people (id int PRIMARY KEY, born date, name text NOT NULL DEFAULT 'x');`,
			want:      []string{"changed table public.people"},
			manual:    true,
		},
		{
			// NOT OF first: a typed table's columns cannot be dropped,
			// added or retyped.
			name:      "table should not be typed and has other columns",
			canonical: ty + `CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL DEFAULT 'x', email text);`,
			live:      typed,
			want:      []string{"changed table public.people", "missing column public.people.email", "unexpected column public.people.born"},
		},
		{
			name:      "typed by another type of the same shape",
			canonical: typed + `CREATE TYPE person2 AS (id int, name text, born date);`,
			live: `CREATE TYPE person2 AS (id int, name text, born date);
` + ty + `CREATE TABLE people OF person2 (id WITH OPTIONS PRIMARY KEY, name WITH OPTIONS NOT NULL DEFAULT 'x');`,
			want: []string{"changed table public.people"},
		},
		{
			name: "typed by a new type of the same shape",
			canonical: ty + `CREATE TYPE person2 AS (id int, name text, born date);
CREATE TABLE people OF person2 (id WITH OPTIONS PRIMARY KEY, name WITH OPTIONS NOT NULL DEFAULT 'x');`,
			live: typed,
			want: []string{"changed table public.people", "missing type public.person2"},
		},
		{
			name:      "a column setting of a typed table",
			canonical: typed,
			live:      ty + `CREATE TABLE people OF person (id WITH OPTIONS PRIMARY KEY);`,
			want:      []string{"changed column public.people.name"},
		},
		{
			// The type gains an attribute: one item for the type, whose
			// fix cascades to the table, not a missing column besides.
			name:      "the type of a typed table gains an attribute",
			canonical: `CREATE TYPE person AS (id int, name text, born date, email text); CREATE TABLE people OF person;`,
			live:      `CREATE TYPE person AS (id int, name text, born date); CREATE TABLE people OF person;`,
			want:      []string{"changed type public.person"},
		},
		{
			name:      "the type of a typed table loses an attribute",
			canonical: `CREATE TYPE person AS (id int, name text); CREATE TABLE people OF person;`,
			live:      `CREATE TYPE person AS (id int, name text, born date); CREATE TABLE people OF person;`,
			want:      []string{"changed type public.person"},
		},
	})
}

// Foreign-data wrappers and foreign servers: options, type, version.
// User mappings are not compared (their options hold passwords).
func TestAcceptanceForeignServers(t *testing.T) {
	const validator = `CREATE FUNCTION dw_validate(text[], oid) RETURNS void LANGUAGE plpgsql AS $$BEGIN END$$;
`
	const fdw = validator + `CREATE FOREIGN DATA WRAPPER dw_w VALIDATOR dw_validate OPTIONS (debug 'true', "Mixed Case" 'it''s');
`
	const srv = fdw + `CREATE SERVER dw_s TYPE 'pg' VERSION '15' FOREIGN DATA WRAPPER dw_w OPTIONS (host 'a.example', port '5432');
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: srv, live: srv},
		{
			name:      "user mappings are not compared",
			canonical: srv + `CREATE USER MAPPING FOR CURRENT_USER SERVER dw_s OPTIONS (user 'app', password 'one');`,
			live:      srv + `CREATE USER MAPPING FOR PUBLIC SERVER dw_s OPTIONS (user 'app', password 'two');`,
		},
		{
			name:      "missing wrapper and server",
			canonical: srv,
			live:      validator,
			want:      []string{"missing foreign data wrapper dw_w", "missing server dw_s"},
			severity:  Warning,
		},
		{
			name:      "unexpected wrapper and server",
			canonical: validator,
			live:      srv,
			want:      []string{"unexpected foreign data wrapper dw_w", "unexpected server dw_s"},
		},
		{
			name:      "unexpected server with a foreign table",
			canonical: fdw,
			live:      srv + `CREATE FOREIGN TABLE ft (id int) SERVER dw_s;`,
			want:      []string{"unexpected server dw_s", "unexpected table public.ft"},
		},
		{
			name:      "an extension's wrapper is not compared on its own",
			canonical: `CREATE EXTENSION postgres_fdw;`,
			live:      `CREATE EXTENSION postgres_fdw; CREATE SERVER dw_s FOREIGN DATA WRAPPER postgres_fdw;`,
			want:      []string{"unexpected server dw_s"},
		},
		{
			name:      "wrapper options and validator",
			canonical: fdw,
			live:      validator + `CREATE FOREIGN DATA WRAPPER dw_w OPTIONS (debug 'false', other 'x');`,
			want:      []string{"changed foreign data wrapper dw_w"},
		},
		{
			name:      "server version and options",
			canonical: srv,
			live:      fdw + `CREATE SERVER dw_s TYPE 'pg' FOREIGN DATA WRAPPER dw_w OPTIONS (host 'b.example');`,
			want:      []string{"changed server dw_s"},
		},
		{
			name:      "server loses its version and options",
			canonical: fdw + `CREATE SERVER dw_s TYPE 'pg' FOREIGN DATA WRAPPER dw_w;`,
			live:      srv,
			want:      []string{"changed server dw_s"},
		},
		{
			name:      "server type",
			canonical: srv,
			live:      fdw + `CREATE SERVER dw_s TYPE 'other' VERSION '15' FOREIGN DATA WRAPPER dw_w OPTIONS (host 'a.example', port '5432');`,
			want:      []string{"changed server dw_s"},
			manual:    true,
		},
		{
			name:      "missing server with a missing foreign table",
			canonical: srv + `CREATE FOREIGN TABLE ft (id int) SERVER dw_s OPTIONS (table_name 'x');`,
			live:      fdw,
			want:      []string{"missing server dw_s", "missing table public.ft"},
		},
	})
}

// Casts: user-defined ones only; a range type's casts to its multirange
// and an extension's casts are not the user's.
func TestAcceptanceCasts(t *testing.T) {
	const fn = `CREATE TYPE temp AS (c numeric);
CREATE FUNCTION temp_text(temp) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT ($1).c::text';
`
	const casts = fn + `CREATE CAST (temp AS text) WITH FUNCTION temp_text(temp) AS ASSIGNMENT;
CREATE CAST (json AS character varying) WITHOUT FUNCTION AS IMPLICIT;
CREATE CAST (text AS json) WITH INOUT;
COMMENT ON CAST (text AS json) IS 'read text as json';
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: casts, live: casts, opts: DiffOptions{Comments: true}},
		{
			name:      "a range type's multirange casts are not user casts",
			canonical: ``,
			live:      `CREATE TYPE floatrange AS RANGE (subtype = float8);`,
			want:      []string{"unexpected type public.floatrange"},
		},
		{
			name:      "an extension's casts are not user casts",
			canonical: ``,
			live:      `CREATE EXTENSION hstore;`,
			want:      []string{"unexpected extension hstore"},
		},
		{
			name:      "missing casts",
			canonical: casts,
			live:      fn,
			want:      []string{"missing cast (public.temp AS text)", "missing cast (json AS character varying)", "missing cast (text AS json)"},
			severity:  Warning,
			opts:      DiffOptions{Comments: true},
		},
		{
			name:      "unexpected cast",
			canonical: fn,
			live:      fn + `CREATE CAST (temp AS text) WITH FUNCTION temp_text(temp);`,
			want:      []string{"unexpected cast (public.temp AS text)"},
		},
		{
			name:      "cast context and method",
			canonical: casts,
			live: fn + `CREATE CAST (temp AS text) WITH FUNCTION temp_text(temp) AS IMPLICIT;
CREATE CAST (json AS character varying) WITH INOUT AS IMPLICIT;
CREATE CAST (text AS json) WITH INOUT;`,
			want: []string{"changed cast (public.temp AS text)", "changed cast (json AS character varying)", "changed cast (text AS json)"},
			opts: DiffOptions{Comments: true},
		},
		{
			// The cast is made anew: its comment comes back.
			name:      "a commented cast changes context",
			canonical: fn + `CREATE CAST (temp AS text) WITH FUNCTION temp_text(temp); COMMENT ON CAST (temp AS text) IS 'kept';`,
			live:      fn + `CREATE CAST (temp AS text) WITH FUNCTION temp_text(temp) AS IMPLICIT; COMMENT ON CAST (temp AS text) IS 'kept';`,
			want:      []string{"changed cast (public.temp AS text)"},
			opts:      DiffOptions{Comments: true},
		},
		{
			// The function goes first, then the type: the cast before both.
			name:      "unexpected cast with its function and type",
			canonical: ``,
			live:      fn + `CREATE CAST (temp AS text) WITH FUNCTION temp_text(temp);`,
			want:      []string{"unexpected cast (public.temp AS text)", "unexpected function public.temp_text(public.temp)", "unexpected type public.temp"},
		},
	})
}

// Publications: the tables (with column lists and row filters), FOR ALL
// TABLES, FOR TABLES IN SCHEMA and the publish options.
func TestAcceptancePublications(t *testing.T) {
	const tables = `CREATE TABLE customers (id int PRIMARY KEY, name text, region text);
CREATE TABLE products (id int PRIMARY KEY, title text);
CREATE TABLE orders (id int PRIMARY KEY);
`
	const pubs = tables + `CREATE PUBLICATION pub_some FOR TABLE customers, products;
CREATE PUBLICATION pub_all FOR ALL TABLES WITH (publish = 'insert, update');
CREATE PUBLICATION "pub_Empty";
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: pubs, live: pubs},
		{
			name:      "missing publications",
			canonical: pubs,
			live:      tables,
			want:      []string{"missing publication pub_some", "missing publication pub_all", `missing publication "pub_Empty"`},
			severity:  Warning,
		},
		{
			name:      "unexpected publication",
			canonical: tables,
			live:      tables + `CREATE PUBLICATION pub_x FOR TABLE orders;`,
			want:      []string{"unexpected publication pub_x"},
		},
		{
			name:      "tables of a publication",
			canonical: tables + `CREATE PUBLICATION p FOR TABLE customers, products;`,
			live:      tables + `CREATE PUBLICATION p FOR TABLE products, orders;`,
			want:      []string{"changed publication p"},
		},
		{
			// FOR ALL TABLES cannot be altered: the publication is made
			// anew, and its comment comes back.
			name:      "a commented publication stops publishing all tables",
			canonical: tables + `CREATE PUBLICATION p FOR TABLE orders; COMMENT ON PUBLICATION p IS 'kept';`,
			live:      tables + `CREATE PUBLICATION p FOR ALL TABLES; COMMENT ON PUBLICATION p IS 'kept';`,
			want:      []string{"changed publication p"},
			opts:      DiffOptions{Comments: true},
		},
		{
			name:      "a publication loses its tables",
			canonical: tables + `CREATE PUBLICATION p;`,
			live:      tables + `CREATE PUBLICATION p FOR TABLE products, orders;`,
			want:      []string{"changed publication p"},
		},
		{
			name:      "for all tables",
			canonical: tables + `CREATE PUBLICATION p FOR ALL TABLES;`,
			live:      tables + `CREATE PUBLICATION p FOR TABLE products;`,
			want:      []string{"changed publication p"},
		},
		{
			name:      "publish options",
			canonical: tables + `CREATE PUBLICATION p FOR TABLE products WITH (publish = 'insert', publish_via_partition_root = true);`,
			live:      tables + `CREATE PUBLICATION p FOR TABLE products;`,
			want:      []string{"changed publication p"},
		},
		{
			// The table goes first, and takes its membership along.
			name:      "an unexpected table in a publication",
			canonical: tables + `CREATE PUBLICATION p FOR TABLE products;`,
			live:      tables + `CREATE TABLE extra (id int); CREATE PUBLICATION p FOR TABLE products, extra;`,
			want:      []string{"changed publication p", "unexpected table public.extra"},
		},
		{
			name:      "a missing table of a missing publication",
			canonical: tables + `CREATE TABLE extra (id int); CREATE PUBLICATION p FOR TABLE extra;`,
			live:      tables,
			want:      []string{"missing publication p", "missing table public.extra"},
		},
	})
}

// Publications of PostgreSQL 15: column lists, row filters, schemas.
func TestAcceptancePublications15(t *testing.T) {
	skipBefore(t, 150000)
	const tables = `CREATE SCHEMA sales;
CREATE TABLE customers (id int PRIMARY KEY, name text, region text);
CREATE TABLE sales.orders (id int PRIMARY KEY);
`
	const pub = tables + `CREATE PUBLICATION p FOR TABLE customers (id, name) WHERE (region = 'eu');
CREATE PUBLICATION ps FOR TABLES IN SCHEMA sales, public;
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: pub, live: pub},
		{
			name:      "missing",
			canonical: pub,
			live:      tables,
			want:      []string{"missing publication p", "missing publication ps"},
		},
		{
			name:      "column list, row filter and schemas",
			canonical: pub,
			live: tables + `CREATE PUBLICATION p FOR TABLE customers WHERE (region <> 'eu');
CREATE PUBLICATION ps FOR TABLE sales.orders, TABLES IN SCHEMA public;`,
			want: []string{"changed publication p", "changed publication ps"},
		},
		{
			name:      "an unexpected schema in a publication",
			canonical: tables + `CREATE PUBLICATION ps FOR TABLES IN SCHEMA sales;`,
			live:      tables + `CREATE SCHEMA extra; CREATE PUBLICATION ps FOR TABLES IN SCHEMA sales, extra;`,
			want:      []string{"changed publication ps", "unexpected schema extra"},
		},
		{
			// A quoted schema name may hold the ", " between names.
			name:      "a schema whose name holds a comma",
			canonical: tables + `CREATE SCHEMA "c""d"; CREATE SCHEMA "a, b"; CREATE PUBLICATION ps FOR TABLES IN SCHEMA "c""d";`,
			live:      tables + `CREATE SCHEMA "c""d"; CREATE SCHEMA "a, b"; CREATE PUBLICATION ps FOR TABLES IN SCHEMA "a, b", "c""d";`,
			want:      []string{"changed publication ps"},
		},
	})
}

// REPLICA IDENTITY USING INDEX names its index: the fix sets it, after
// the index exists.
func TestAcceptanceReplicaIdentityIndex(t *testing.T) {
	const base = `CREATE TABLE t (a int NOT NULL, b int NOT NULL, PRIMARY KEY (a));
CREATE UNIQUE INDEX t_b_key ON t (b);
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: base + `ALTER TABLE t REPLICA IDENTITY USING INDEX t_b_key;`, live: base + `ALTER TABLE t REPLICA IDENTITY USING INDEX t_b_key;`},
		{
			name:      "set from default",
			canonical: base + `ALTER TABLE t REPLICA IDENTITY USING INDEX t_b_key;`,
			live:      base,
			want:      []string{"changed table public.t"},
		},
		{
			name:      "another index",
			canonical: base + `ALTER TABLE t REPLICA IDENTITY USING INDEX t_pkey;`,
			live:      base + `ALTER TABLE t REPLICA IDENTITY USING INDEX t_b_key;`,
			want:      []string{"changed table public.t"},
		},
		{
			name:      "back to default",
			canonical: base,
			live:      base + `ALTER TABLE t REPLICA IDENTITY USING INDEX t_b_key;`,
			want:      []string{"changed table public.t"},
		},
		{
			name:      "the index is missing too",
			canonical: base + `CREATE UNIQUE INDEX t_ab_key ON t (a, b); ALTER TABLE t REPLICA IDENTITY USING INDEX t_ab_key;`,
			live:      base,
			want:      []string{"changed table public.t", "missing index public.t.t_ab_key"},
		},
		{
			name:      "missing table",
			canonical: base + `ALTER TABLE t REPLICA IDENTITY USING INDEX t_b_key;`,
			live:      ``,
			want:      []string{"missing table public.t"},
		},
	})
}

// foreignEvery uses every kind this file adds, and typed and foreign
// tables.
const foreignEvery = `CREATE FUNCTION dw_validate(text[], oid) RETURNS void LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE FOREIGN DATA WRAPPER dw_w VALIDATOR dw_validate OPTIONS (debug 'true');
CREATE SERVER dw_s TYPE 'pg' VERSION '15' FOREIGN DATA WRAPPER dw_w OPTIONS (host 'a.example');
COMMENT ON SERVER dw_s IS 'the remote';
CREATE FOREIGN TABLE remote_users (id int NOT NULL, name text) SERVER dw_s OPTIONS (table_name 'users');
CREATE TYPE person AS (id int, name text);
CREATE TABLE people OF person (id WITH OPTIONS PRIMARY KEY);
CREATE FUNCTION person_text(person) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT ($1).name';
CREATE CAST (person AS text) WITH FUNCTION person_text(person);
CREATE CAST (json AS character varying) WITHOUT FUNCTION AS IMPLICIT;
COMMENT ON CAST (json AS character varying) IS 'loose';
CREATE PUBLICATION pub_people FOR TABLE people WITH (publish = 'insert');
COMMENT ON PUBLICATION pub_people IS 'to the archive';
`

func TestAcceptanceForeignWhole(t *testing.T) {
	all := DiffOptions{Comments: true, Privileges: true}
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: foreignEvery, live: foreignEvery, opts: all},
		{
			name: "everything missing", canonical: foreignEvery, live: "", opts: all,
			want: []string{
				"missing cast (json AS character varying)", "missing cast (public.person AS text)",
				"missing foreign data wrapper dw_w", "missing function public.dw_validate(text[], oid)",
				"missing function public.person_text(public.person)", "missing publication pub_people",
				"missing server dw_s", "missing table public.people", "missing table public.remote_users",
				"missing type public.person",
			},
		},
		{
			name: "everything unexpected", canonical: "", live: foreignEvery, opts: all,
			want: []string{
				"unexpected cast (json AS character varying)", "unexpected cast (public.person AS text)",
				"unexpected foreign data wrapper dw_w", "unexpected function public.dw_validate(text[], oid)",
				"unexpected function public.person_text(public.person)", "unexpected publication pub_people",
				"unexpected server dw_s", "unexpected table public.people", "unexpected table public.remote_users",
				"unexpected type public.person",
			},
		},
	})
}

// The new kinds survive the binary cache, the JSON snapshot and the SQL
// snapshot (loaded again as a canonical file would be).
func TestForeignKindsRoundTrip(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, foreignEvery)
	assertRoundTrips(t, ctx, inspectDSN(t, ctx, dsn))
}

// A wrapper (or server) canonical does not have, still used by a server
// (or foreign table) canonical has on another one: dropping it fails, so
// its item needs a person, as does the server's (or table's) change.
func TestForeignDropStillUsed(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	canonDSN, liveDSN := pgtest.NewDB(t), pgtest.NewDB(t)
	pgtest.Exec(t, canonDSN, `CREATE FOREIGN DATA WRAPPER w2; CREATE SERVER s FOREIGN DATA WRAPPER w2;
CREATE SERVER s2 FOREIGN DATA WRAPPER w2; CREATE FOREIGN TABLE ft (id int) SERVER s2;`)
	pgtest.Exec(t, liveDSN, `CREATE FOREIGN DATA WRAPPER w1; CREATE SERVER s FOREIGN DATA WRAPPER w1;
CREATE FOREIGN DATA WRAPPER w2; CREATE SERVER s1 FOREIGN DATA WRAPPER w2; CREATE FOREIGN TABLE ft (id int) SERVER s1;`)
	items := Diff(inspectDSN(t, ctx, canonDSN), inspectDSN(t, ctx, liveDSN), DiffOptions{})
	manual := map[string]bool{}
	for _, it := range items {
		manual[string(it.Change)+" "+string(it.ObjectType)+" "+it.Identity] = it.Manual
	}
	want := map[string]bool{
		"unexpected foreign data wrapper w1": true, "changed server s": true,
		"unexpected server s1": true, "changed table public.ft": true,
		"missing server s2": false,
	}
	if len(manual) != len(want) {
		t.Fatalf("items:\n%s", dumpItems(items))
	}
	for k, m := range want {
		if got, ok := manual[k]; !ok || got != m {
			t.Errorf("%s: manual=%v (present %v), want %v\nitems:\n%s", k, got, ok, m, dumpItems(items))
		}
	}
}
