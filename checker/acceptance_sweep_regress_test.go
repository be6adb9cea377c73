package checker

import (
	"strings"
	"testing"
)

// Cases found by checking databases built from PostgreSQL's regression SQL
// against their own pg_dump: each compared dirty, or failed, before its fix.

// A child created after its parent's NOT VALID check holds a valid copy;
// pg_dump creates the child first and adds the parent's check after it, so
// the reloaded child's copy is NOT VALID. The parent's own definition
// carries the state.
func TestAcceptanceInheritedNotValidCheck(t *testing.T) {
	const written = `CREATE TABLE p (b int);
ALTER TABLE p ADD CONSTRAINT b_big CHECK (b > 10) NOT VALID;
CREATE TABLE c1 () INHERITS (p);
CREATE TABLE pp (a int) PARTITION BY LIST (a);
ALTER TABLE pp ADD CONSTRAINT a_pos CHECK (a > 0) NOT VALID;
CREATE TABLE pp1 PARTITION OF pp FOR VALUES IN (1);
`
	const dumped = `CREATE TABLE p (b int);
CREATE TABLE c1 () INHERITS (p);
ALTER TABLE p ADD CONSTRAINT b_big CHECK (b > 10) NOT VALID;
CREATE TABLE pp (a int) PARTITION BY LIST (a);
CREATE TABLE pp1 PARTITION OF pp FOR VALUES IN (1);
ALTER TABLE pp ADD CONSTRAINT a_pos CHECK (a > 0) NOT VALID;
`
	runAcceptance(t, []acceptanceCase{
		{name: "created before and after the check", canonical: dumped, live: written},
		{name: "created after and before the check", canonical: written, live: dumped},
		{
			name:      "parent's check validated",
			canonical: dumped,
			live:      dumped + `ALTER TABLE p VALIDATE CONSTRAINT b_big;`,
			want:      []string{"changed constraint public.p.b_big"},
		},
	})
}

// "SELECT 'z'" in a BEGIN ATOMIC body prints as "SELECT 'z'::text", which
// reads back from a dump named after its cast: "SELECT 'z'::text AS text".
func TestAcceptanceAtomicBodyCastAlias(t *testing.T) {
	const written = `CREATE FUNCTION f(x int) RETURNS text LANGUAGE sql
BEGIN ATOMIC
  SELECT 'z' WHERE x > 0;
  SELECT (SELECT 'w'), '$1.50'::money, $1 + 1;
  SELECT 2147483648;
  SELECT '1 day'::interval;
  SELECT 'y' UNION ALL SELECT 'u';
  SELECT 'a'::varchar(3) AS label;
END;
`
	const dumped = `CREATE FUNCTION f(x int) RETURNS text LANGUAGE sql
BEGIN ATOMIC
  SELECT 'z'::text WHERE (x > 0);
  SELECT ( SELECT 'w'::text AS text) AS text, '$1.50'::money AS money, ($1 + 1);
  SELECT '2147483648'::bigint;
  SELECT '1 day'::interval AS "interval";
  SELECT 'y'::text UNION ALL SELECT 'u'::text;
  SELECT 'a'::character varying(3) AS label;
END;
`
	runAcceptance(t, []acceptanceCase{
		{name: "as written and as dumped", canonical: dumped, live: written},
		{name: "as dumped and as written", canonical: written, live: dumped},
		{
			name:      "another constant",
			canonical: dumped,
			live:      strings.Replace(written, "'z'", "'q'", 1),
			want:      []string{"changed function public.f(x integer)"},
		},
		{
			name:      "another alias",
			canonical: dumped,
			live:      strings.Replace(written, "AS label", "AS title", 1),
			want:      []string{"changed function public.f(x integer)"},
		},
	})
}

// The same holds for a subselect in a view or a policy; a view's own
// column names are its top-level aliases and stay compared.
func TestAcceptanceSubselectCastAlias(t *testing.T) {
	const base = `CREATE TABLE t (a int, b text);
`
	const written = base + `CREATE VIEW v AS SELECT 1 AS n, (SELECT 'x') AS sub, (SELECT (SELECT 'y')) AS sub2 FROM t
  WHERE EXISTS (SELECT 'z') AND b IN (SELECT 'q' UNION SELECT 'w');
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON t USING (b = (SELECT 'z'));
`
	const dumped = base + `CREATE VIEW v AS SELECT 1 AS n, (SELECT 'x'::text AS text) AS sub, (SELECT (SELECT 'y'::text AS text) AS text) AS sub2 FROM t
  WHERE EXISTS (SELECT 'z'::text AS text) AND b IN (SELECT 'q'::text AS text UNION SELECT 'w'::text AS text);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON t USING (b = (SELECT 'z'::text AS text));
`
	runAcceptance(t, []acceptanceCase{
		{name: "as written and as dumped", canonical: dumped, live: written},
		{name: "as dumped and as written", canonical: written, live: dumped},
		{
			name:      "a view column named after its cast",
			canonical: base + `CREATE VIEW v AS SELECT 'x'::text AS sub;`,
			live:      base + `CREATE VIEW v AS SELECT 'x'::text AS text;`,
			want:      []string{"changed view public.v"},
		},
	})
}

// A view over a VALUES list with its columns renamed prints the list as a
// subquery, "FROM (VALUES (1,2), (3,4)) \"*VALUES*\""; read back from a
// dump, the subquery prints "FROM ( VALUES".
func TestAcceptanceValuesViewReadBack(t *testing.T) {
	const written = `CREATE VIEW v (a, b) AS VALUES (1, 2), (3, 4);`
	const dumped = `CREATE VIEW v AS SELECT "*VALUES*".column1 AS a, "*VALUES*".column2 AS b
   FROM (VALUES (1,2), (3,4)) "*VALUES*";`
	runAcceptance(t, []acceptanceCase{
		{name: "as written and as dumped", canonical: dumped, live: written},
		{name: "as dumped and as written", canonical: written, live: dumped},
		{
			name:      "another row",
			canonical: dumped,
			live:      `CREATE VIEW v (a, b) AS VALUES (1, 2), (3, 5);`,
			want:      []string{"changed view public.v"},
		},
	})
}

// A child table's column order is its history's: a column its parent
// gained later comes last, one it had before INHERIT keeps its place.
// pg_dump writes the child as CREATE TABLE ... INHERITS, its parents'
// columns first. With column order compared, a child's columns read back
// from a dump are not drift; a table without parents still is.
func TestAcceptanceInheritedColumnOrder(t *testing.T) {
	const written = `CREATE TABLE p (a int);
CREATE TABLE c (b int) INHERITS (p);
ALTER TABLE p ADD COLUMN z int;
CREATE TABLE c2 (b int, z int, a int);
ALTER TABLE c2 INHERIT p;
`
	const dumped = `CREATE TABLE p (a int, z int);
CREATE TABLE c (b int) INHERITS (p);
CREATE TABLE c2 (b int, a int, z int) INHERITS (p);
`
	order := DiffOptions{ColumnOrder: true}
	runAcceptance(t, []acceptanceCase{
		{name: "as written and as dumped", canonical: dumped, live: written, opts: order},
		{name: "as dumped and as written", canonical: written, live: dumped, opts: order},
		{
			name:      "a table without parents",
			canonical: dumped + `CREATE TABLE u (x int, y int);`,
			live:      written + `CREATE TABLE u (y int, x int);`,
			want:      []string{"changed column public.u.x", "changed column public.u.y"},
			manual:    true,
			opts:      order,
		},
	})
}
