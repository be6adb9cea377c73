package checker

import "testing"

// A function only the live database has may still be called by parts of
// tables (defaults, checks, indexes, policies, triggers): DROP FUNCTION
// refuses while they do. The parts go first; those canonical has come back
// once what they call in canonical exists (a function of the same name
// that replaces the live one).
func TestAcceptanceUnexpectedFunctionInUse(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name:      "called by a default canonical does not have",
			canonical: `CREATE TABLE t (id int DEFAULT 1);`,
			live: `CREATE FUNCTION g() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 2';
CREATE TABLE t (id int DEFAULT g());`,
			want: []string{"changed column public.t.id", "unexpected function public.g()"},
		},
		{
			name:      "called by a check, an index, a policy and a trigger canonical does not have",
			canonical: `CREATE TABLE t (id int);`,
			live: `CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x';
CREATE FUNCTION tg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TABLE t (id int CONSTRAINT c CHECK (g(id) > 0));
CREATE INDEX t_g ON t (g(id));
CREATE POLICY p ON t USING (g(id) > 1);
CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tg();`,
			want: []string{"unexpected constraint public.t.c", "unexpected function public.g(x integer)",
				"unexpected function public.tg()", "unexpected index public.t.t_g", "unexpected policy public.t.p",
				"unexpected trigger public.t.tr"},
		},
		{
			// The same text calls another function in canonical: f(y)
			// replaces f(x), which CREATE OR REPLACE cannot rename. The
			// parts go, the canonical function comes, the parts come back.
			name: "parameter renamed, called by a default, a check, an index, a policy, a trigger and a view",
			canonical: `CREATE FUNCTION f(y int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT y + 1';
CREATE FUNCTION tg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TABLE t (id int DEFAULT f(1), CONSTRAINT c CHECK (f(id) > 0));
CREATE INDEX t_f ON t (f(id));
CREATE POLICY p ON t USING (f(id) > 1);
CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW WHEN (f(NEW.id) > 2) EXECUTE FUNCTION tg();
CREATE VIEW v AS SELECT f(id) AS y FROM t;`,
			live: `CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
CREATE FUNCTION tg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TABLE t (id int DEFAULT f(1), CONSTRAINT c CHECK (f(id) > 0));
CREATE INDEX t_f ON t (f(id));
CREATE POLICY p ON t USING (f(id) > 1);
CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW WHEN (f(NEW.id) > 2) EXECUTE FUNCTION tg();
CREATE VIEW v AS SELECT f(id) AS y FROM t;`,
			want: []string{"missing function public.f(y integer)", "unexpected function public.f(x integer)"},
		},
		{
			name: "parameter renamed, parts keep their comments",
			canonical: `CREATE FUNCTION f(y int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT y + 1';
CREATE TABLE t (id int, CONSTRAINT c CHECK (f(id) > 0));
CREATE INDEX t_f ON t (f(id));
COMMENT ON CONSTRAINT c ON t IS 'check'; COMMENT ON INDEX t_f IS 'index';`,
			live: `CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
CREATE TABLE t (id int, CONSTRAINT c CHECK (f(id) > 0));
CREATE INDEX t_f ON t (f(id));
COMMENT ON CONSTRAINT c ON t IS 'check'; COMMENT ON INDEX t_f IS 'index';`,
			want: []string{"missing function public.f(y integer)", "unexpected function public.f(x integer)"},
			opts: DiffOptions{Comments: true},
		},
		{
			name: "parameter renamed, parts keep their live comments when comments are not compared",
			canonical: `CREATE FUNCTION f(y int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT y + 1';
CREATE TABLE t (id int, CONSTRAINT c CHECK (f(id) > 0));
COMMENT ON CONSTRAINT c ON t IS 'check';`,
			live: `CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
CREATE TABLE t (id int, CONSTRAINT c CHECK (f(id) > 0));
COMMENT ON CONSTRAINT c ON t IS 'live';`,
			want: []string{"missing function public.f(y integer)", "unexpected function public.f(x integer)"},
		},
		{
			// f(bigint) replaces f(integer): calls print a cast, so the
			// parts change too, after the new function exists.
			name: "replaced by a canonical overload, called by a default, a check, an index and a policy",
			canonical: `CREATE FUNCTION f(x bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
CREATE TABLE t (id int DEFAULT f(1), CONSTRAINT c CHECK (f(id) > 0));
CREATE INDEX t_f ON t (f(id));
CREATE POLICY p ON t USING (f(id) > 1);`,
			live: `CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
CREATE TABLE t (id int DEFAULT f(1), CONSTRAINT c CHECK (f(id) > 0));
CREATE INDEX t_f ON t (f(id));
CREATE POLICY p ON t USING (f(id) > 1);`,
			want: []string{"changed column public.t.id", "changed constraint public.t.c", "changed index public.t.t_f",
				"changed policy public.t.p", "missing function public.f(x bigint)", "unexpected function public.f(x integer)"},
		},
		{
			name: "replaced by a canonical overload, called by a trigger's condition",
			canonical: `CREATE FUNCTION f(x bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT x > 0';
CREATE FUNCTION tg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TABLE t (id int);
CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW WHEN (f(NEW.id)) EXECUTE FUNCTION tg();`,
			live: `CREATE FUNCTION f(x int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT x > 0';
CREATE FUNCTION tg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TABLE t (id int);
CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW WHEN (f(NEW.id)) EXECUTE FUNCTION tg();`,
			want: []string{"changed trigger public.t.tr", "missing function public.f(x bigint)", "unexpected function public.f(x integer)"},
		},
		{
			// A trigger function renamed: the trigger changes, the old
			// function goes after it.
			name: "trigger function replaced by another",
			canonical: `CREATE FUNCTION tg_new() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TABLE t (id int);
CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tg_new();`,
			live: `CREATE FUNCTION tg_old() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TABLE t (id int);
CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tg_old();`,
			want: []string{"changed trigger public.t.tr", "missing function public.tg_new()", "unexpected function public.tg_old()"},
		},
		{
			// A view calls it too: the view goes and comes back after the
			// canonical function.
			name: "replaced by a canonical overload, called by a view and a default",
			canonical: `CREATE FUNCTION f(x bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
CREATE TABLE t (id int DEFAULT f(1));
CREATE VIEW v AS SELECT f(id) AS y FROM t;`,
			live: `CREATE FUNCTION f(x int) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
CREATE TABLE t (id int DEFAULT f(1));
CREATE VIEW v AS SELECT f(id) AS y FROM t;`,
			want: []string{"changed column public.t.id", "changed view public.v", "missing function public.f(x bigint)",
				"unexpected function public.f(x integer)"},
		},
		{
			// A generated column loses its expression first (its data
			// stays); its own item makes it as canonical has it.
			name:      "called by a generated column",
			canonical: `CREATE TABLE t (id int, g int GENERATED ALWAYS AS (id + 1) STORED);`,
			live: `CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 2';
CREATE TABLE t (id int, g int GENERATED ALWAYS AS (g(id)) STORED);`,
			want: []string{"changed column public.t.g", "unexpected function public.g(x integer)"},
		},
		{
			name: "parameter renamed, called by a generated column",
			canonical: `CREATE FUNCTION g(y int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT y + 2';
CREATE TABLE t (id int, g int GENERATED ALWAYS AS (g(id)) STORED);`,
			live: `CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 2';
CREATE TABLE t (id int, g int GENERATED ALWAYS AS (g(id)) STORED);`,
			want: []string{"missing function public.g(y integer)", "unexpected function public.g(x integer)"},
		},
		{
			// The materialized view goes and comes back whole, its index
			// with it.
			name: "parameter renamed, called by an index on a materialized view",
			canonical: `CREATE FUNCTION g(y int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT y + 2';
CREATE TABLE t (id int); CREATE MATERIALIZED VIEW m AS SELECT id FROM t; CREATE INDEX m_g ON m (g(id));`,
			live: `CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 2';
CREATE TABLE t (id int); CREATE MATERIALIZED VIEW m AS SELECT id FROM t; CREATE INDEX m_g ON m (g(id));`,
			want: []string{"missing function public.g(y integer)", "unexpected function public.g(x integer)"},
		},
		{
			// A domain's check and default call it: they go from the domain
			// and come back after the canonical function.
			name: "parameter renamed, called by a domain's check and default",
			canonical: `CREATE FUNCTION g(y int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT y + 2';
CREATE DOMAIN d AS int DEFAULT g(1) CONSTRAINT d_pos CHECK (g(VALUE) > 0); CREATE TABLE t (id d);`,
			live: `CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 2';
CREATE DOMAIN d AS int DEFAULT g(1) CONSTRAINT d_pos CHECK (g(VALUE) > 0); CREATE TABLE t (id d);`,
			want: []string{"missing function public.g(y integer)", "unexpected function public.g(x integer)"},
		},
		{
			name:      "called by a domain's check canonical has otherwise",
			canonical: `CREATE DOMAIN d AS int CONSTRAINT d_pos CHECK (VALUE > 0); CREATE TABLE t (id d);`,
			live: `CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 2';
CREATE DOMAIN d AS int CONSTRAINT d_pos CHECK (g(VALUE) > 0); CREATE TABLE t (id d);`,
			want: []string{"changed type public.d", "unexpected function public.g(x integer)"},
		},
	})
}
