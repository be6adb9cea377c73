package checker

import "testing"

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
			name:      "typed by another type of the same shape",
			canonical: typed + `CREATE TYPE person2 AS (id int, name text, born date);`,
			live: `CREATE TYPE person2 AS (id int, name text, born date);
` + ty + `CREATE TABLE people OF person2 (id WITH OPTIONS PRIMARY KEY, name WITH OPTIONS NOT NULL DEFAULT 'x');`,
			want: []string{"changed table public.people"},
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
