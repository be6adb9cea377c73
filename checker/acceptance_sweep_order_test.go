package checker

import "testing"

// A composite type whose attribute is a table's row type is created after
// that table: its attributes' dependencies are recorded against the type's
// own relation, which must lead to the type.
func TestAcceptanceCompositeOnRowType(t *testing.T) {
	const every = `CREATE TABLE zz_rows (q1 int8, q2 int8);
CREATE TYPE zz_mood AS ENUM ('sad', 'ok');
CREATE TYPE a_nested AS (x zz_rows, m zz_mood);
CREATE TYPE b_outer AS (n a_nested);
CREATE TABLE a_user (n a_nested, o b_outer);
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "all missing",
			canonical: every,
			live:      ``,
			want: []string{"missing table public.a_user", "missing table public.zz_rows", "missing type public.a_nested",
				"missing type public.b_outer", "missing type public.zz_mood"},
		},
	})
}

// Sequences come before the types and functions whose defaults and bodies
// take their values (pg_depend records those uses against the sequence,
// which the dependency read does not know), and are dropped after them.
func TestAcceptanceSequenceUsers(t *testing.T) {
	const every = `CREATE SEQUENCE zz_seq;
CREATE FUNCTION a_next(x bigint DEFAULT nextval('zz_seq')) RETURNS bigint LANGUAGE sql AS 'SELECT x';
CREATE FUNCTION a_body() RETURNS bigint LANGUAGE sql RETURN nextval('zz_seq');
CREATE DOMAIN a_dom AS bigint DEFAULT nextval('zz_seq');
CREATE TABLE a_t (id a_dom, n bigint DEFAULT a_next());
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "all missing",
			canonical: every,
			live:      ``,
			want: []string{"missing function public.a_body()", "missing function public.a_next(x bigint)",
				"missing sequence public.zz_seq", "missing table public.a_t", "missing type public.a_dom"},
		},
		{
			name:      "all unexpected",
			canonical: ``,
			live:      every,
			want: []string{"unexpected function public.a_body()", "unexpected function public.a_next(x bigint)",
				"unexpected sequence public.zz_seq", "unexpected table public.a_t", "unexpected type public.a_dom"},
		},
	})
}

// A table that leaves its parent (NO INHERIT, DETACH PARTITION) keeps the
// columns it inherited, which can be dropped only once it has left.
func TestAcceptanceLeaveParentDropColumns(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name:      "no inherit",
			canonical: `CREATE TABLE road (name text, thepath path); CREATE TABLE shighway (surface text);`,
			live:      `CREATE TABLE road (name text, thepath path); CREATE TABLE shighway (surface text) INHERITS (road);`,
			want:      []string{"changed table public.shighway", "unexpected column public.shighway.name", "unexpected column public.shighway.thepath"},
		},
		{
			name:      "detach partition",
			canonical: `CREATE TABLE p (a int, b int) PARTITION BY LIST (a); CREATE TABLE c (a int);`,
			live:      `CREATE TABLE p (a int, b int) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1);`,
			want:      []string{"changed table public.c", "unexpected column public.c.b"},
		},
	})
}

func TestAcceptanceSwitchParentDropColumns(t *testing.T) {
	runAcceptance(t, []acceptanceCase{{
		name:      "inherit from another parent",
		canonical: `CREATE TABLE a (x int, y int); CREATE TABLE b (z int); CREATE TABLE c (w int) INHERITS (b);`,
		live:      `CREATE TABLE a (x int, y int); CREATE TABLE b (z int); CREATE TABLE c (w int) INHERITS (a);`,
		want:      []string{"changed table public.c", "missing column public.c.z", "unexpected column public.c.x", "unexpected column public.c.y"},
	}})
}
