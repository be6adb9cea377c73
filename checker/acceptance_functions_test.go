package checker

import "testing"

// Functions, procedures, aggregates, overloads, return types and
// SQL-standard bodies.
func TestAcceptanceFunctions(t *testing.T) {
	const every = `
CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql AS $$ SELECT a || b $$;
CREATE FUNCTION std(x int) RETURNS int LANGUAGE sql RETURN x * 2;
CREATE FUNCTION atomic(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT x + 1; END;
CREATE FUNCTION plp() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION setof_rows(n int) RETURNS TABLE (i int, s text) LANGUAGE sql STABLE AS $$ SELECT g, g::text FROM generate_series(1, n) g $$;
CREATE PROCEDURE proc(INOUT n int) LANGUAGE plpgsql AS $$ BEGIN n := n + 1; END $$;
CREATE AGGREGATE total(int) (sfunc = int4pl, stype = int, initcond = '0');
CREATE AGGREGATE anysum(numeric) (sfunc = numeric_add, stype = numeric);
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "missing overload",
			canonical: `CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT $1'; CREATE FUNCTION f(text) RETURNS text LANGUAGE sql AS 'SELECT $1';`,
			live:      `CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT $1';`,
			want:      []string{"missing function public.f(text)"},
			severity:  Critical,
		},
		{
			name:      "unexpected overload",
			canonical: `CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT $1';`,
			live:      `CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT $1'; CREATE FUNCTION f(int, int) RETURNS int LANGUAGE sql AS 'SELECT $1';`,
			want:      []string{"unexpected function public.f(integer, integer)"},
			severity:  Warning,
		},
		{
			name:      "body changed",
			canonical: `CREATE FUNCTION f(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN x + 1; END $$;`,
			live:      `CREATE FUNCTION f(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN x + 2; END $$;`,
			want:      []string{"changed function public.f(x integer)"},
			severity:  Warning,
		},
		{
			name:      "attributes changed",
			canonical: `CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT x';`,
			live:      `CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql SECURITY DEFINER COST 5 AS 'SELECT x';`,
			want:      []string{"changed function public.f(x integer)"},
		},
		{
			name:      "return type changed",
			canonical: `CREATE FUNCTION f(x int) RETURNS bigint LANGUAGE sql AS 'SELECT x::bigint';`,
			live:      `CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT x';`,
			want:      []string{"changed function public.f(x integer)"},
		},
		{
			// DROP FUNCTION refuses while views and table parts use it:
			// they go first and come back.
			name: "return type changed, used by views, a default, a check, an index and a policy",
			canonical: `CREATE FUNCTION f() RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT 1::bigint';
CREATE TABLE t (a bigint DEFAULT f(), b bigint CHECK (b > f()));
CREATE INDEX t_f ON t ((a + f()));
CREATE POLICY p ON t USING (a > f());
CREATE VIEW v AS SELECT f() AS x;
CREATE VIEW vv AS SELECT x FROM v;`,
			live: `CREATE FUNCTION f() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 1';
CREATE TABLE t (a bigint DEFAULT f(), b bigint CHECK (b > f()));
CREATE INDEX t_f ON t ((a + f()));
CREATE POLICY p ON t USING (a > f());
CREATE VIEW v AS SELECT f() AS x;
CREATE VIEW vv AS SELECT x FROM v;`,
			want: []string{"changed function public.f()"},
		},
		{
			// CREATE OR REPLACE cannot remove parameter defaults: the
			// function is dropped and made anew.
			name:      "parameter default removed",
			canonical: `CREATE FUNCTION f(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';`,
			live:      `CREATE FUNCTION f(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql AS 'SELECT a + b';`,
			want:      []string{"changed function public.f(a integer, b integer)"},
		},
		{
			// The new function gets the live comment and grants back.
			name: "parameter default removed, grants and comment kept",
			canonical: `CREATE FUNCTION f(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';
REVOKE EXECUTE ON FUNCTION f(int, int) FROM PUBLIC; COMMENT ON FUNCTION f(int, int) IS 'kept';`,
			live: `CREATE FUNCTION f(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql AS 'SELECT a + b';
REVOKE EXECUTE ON FUNCTION f(int, int) FROM PUBLIC; COMMENT ON FUNCTION f(int, int) IS 'kept';`,
			want: []string{"changed function public.f(a integer, b integer)"},
			opts: DiffOptions{Comments: true, Privileges: true},
		},
		{
			name:      "parameter default added",
			canonical: `CREATE FUNCTION f(a int DEFAULT 2, b int DEFAULT 1) RETURNS int LANGUAGE sql AS 'SELECT a + b';`,
			live:      `CREATE FUNCTION f(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql AS 'SELECT a + b';`,
			want:      []string{"changed function public.f(a integer, b integer)"},
		},
		{
			name:      "out parameters changed",
			canonical: `CREATE FUNCTION f(x int, OUT a int, OUT b text) LANGUAGE sql AS 'SELECT x, x::text';`,
			live:      `CREATE FUNCTION f(x int, OUT a int) LANGUAGE sql AS 'SELECT x';`,
			// PostgreSQL prints OUT parameters in the identity.
			want: []string{"missing function public.f(x integer, OUT a integer, OUT b text)", "unexpected function public.f(x integer, OUT a integer)"},
		},
		{
			name:      "sql standard body changed",
			canonical: `CREATE TABLE t (id int); CREATE FUNCTION f(x int) RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM t WHERE id > x; END;`,
			live:      `CREATE TABLE t (id int); CREATE FUNCTION f(x int) RETURNS bigint LANGUAGE sql RETURN (SELECT count(*) FROM t);`,
			want:      []string{"changed function public.f(x integer)"},
		},
		{
			name:      "procedure changed",
			canonical: `CREATE PROCEDURE p(n int) LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE '%', n; END $$;`,
			live:      `CREATE PROCEDURE p(n int) LANGUAGE sql AS $$ SELECT n $$;`,
			want:      []string{"changed function public.p(IN n integer)"},
		},
		{
			name:      "function became a procedure",
			canonical: `CREATE PROCEDURE p(n int) LANGUAGE sql AS $$ SELECT n $$;`,
			live:      `CREATE FUNCTION p(n int) RETURNS void LANGUAGE sql AS $$ SELECT n $$;`,
			want:      []string{"missing function public.p(IN n integer)", "unexpected function public.p(n integer)"},
		},
		{
			name:      "aggregate changed",
			canonical: `CREATE AGGREGATE total(int) (sfunc = int4pl, stype = int, initcond = '0');`,
			live:      `CREATE AGGREGATE total(int) (sfunc = int4pl, stype = int);`,
			want:      []string{"changed function public.total(integer)"},
		},
		{
			name:      "missing aggregate and its state function",
			canonical: `CREATE FUNCTION acc(int, int) RETURNS int LANGUAGE sql AS 'SELECT $1 + $2'; CREATE AGGREGATE zsum(int) (sfunc = acc, stype = int);`,
			live:      ``,
			want:      []string{"missing function public.acc(integer, integer)", "missing function public.zsum(integer)"},
		},
		{
			name:      "function returning a table's row type",
			canonical: `CREATE TABLE z (id int); CREATE FUNCTION a() RETURNS SETOF z LANGUAGE sql AS 'SELECT * FROM z';`,
			live:      ``,
			want:      []string{"missing function public.a()", "missing table public.z"},
		},
		{
			// The function that called the unexpected one is rewritten first.
			name:      "function no longer calls a helper that goes away",
			canonical: `CREATE FUNCTION total(a int) RETURNS int LANGUAGE sql RETURN a;`,
			live:      `CREATE FUNCTION twice(a int) RETURNS int LANGUAGE sql RETURN a * 2; CREATE FUNCTION total(a int) RETURNS int LANGUAGE sql RETURN twice(a);`,
			want:      []string{"changed function public.total(a integer)", "unexpected function public.twice(a integer)"},
		},
		{
			// A quoted SQL body is checked at CREATE against the table it
			// writes, which the fix creates only later.
			name:      "sql procedure writing to a missing table",
			canonical: `CREATE TABLE visit (at timestamptz); CREATE PROCEDURE log_visit() LANGUAGE sql AS $$ INSERT INTO visit VALUES (now()) $$;`,
			live:      ``,
			want:      []string{"missing function public.log_visit()", "missing table public.visit"},
		},
	})
}

// A function with an SQL-standard body keeps it deparsed: an IN list over
// a varchar argument reads back from a dump with the casts moved into the
// array, and is the same function.
func TestAcceptanceFunctionStandardBodyInList(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name:      "in list in a RETURN body as written and as dumped",
			canonical: `CREATE FUNCTION is_warm(colour varchar) RETURNS boolean LANGUAGE sql RETURN ((colour)::text = ANY (ARRAY[('red'::character varying)::text, ('amber'::character varying)::text]));`,
			live:      `CREATE FUNCTION is_warm(colour varchar) RETURNS boolean LANGUAGE sql RETURN colour IN ('red', 'amber');`,
		},
		{
			name:      "in list in a RETURN body with another value",
			canonical: `CREATE FUNCTION is_warm(colour varchar) RETURNS boolean LANGUAGE sql RETURN colour IN ('red', 'amber');`,
			live:      `CREATE FUNCTION is_warm(colour varchar) RETURNS boolean LANGUAGE sql RETURN colour IN ('red', 'blue');`,
			want:      []string{"changed function public.is_warm(colour character varying)"},
		},
	})
}

// A function made anew whose view also reads a column that a later item
// retypes: the view comes back once the column has its canonical type,
// not with the function, when it would call the function on the old one.
func TestAcceptanceFunctionRecreatedBeforeColumnRetype(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name: "aggregate changed, its view reads a retyped column",
			canonical: `CREATE TABLE t (c int); CREATE AGGREGATE mysum(int) (sfunc = int4pl, stype = int, initcond = '0');
CREATE VIEW va AS SELECT mysum(c) FROM t;`,
			live: `CREATE TABLE t (c bigint); CREATE AGGREGATE mysum(int) (sfunc = int4pl, stype = int, initcond = '1');
CREATE VIEW va AS SELECT mysum(c::int) FROM t;`,
			want: []string{"changed column public.t.c", "changed function public.mysum(integer)", "changed view public.va"},
		},
		{
			name: "function's result changed, its view reads a retyped column through another view",
			canonical: `CREATE TABLE t (c int); CREATE TABLE u (d text);
CREATE FUNCTION twice(int) RETURNS bigint LANGUAGE sql IMMUTABLE RETURN $1 * 2;
CREATE VIEW v AS SELECT twice(c), d FROM t, u;`,
			live: `CREATE TABLE t (c bigint); CREATE TABLE u (d varchar(5));
CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql IMMUTABLE RETURN $1 * 2;
CREATE VIEW v0 AS SELECT c::int AS c FROM t; CREATE VIEW v AS SELECT twice(c), d FROM v0, u;`,
			want: []string{"changed column public.t.c", "changed column public.u.d", "changed function public.twice(integer)",
				"changed view public.v", "unexpected view public.v0"},
		},
	})
}
