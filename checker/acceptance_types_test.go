package checker

import "testing"

// Types: enums (added values fixed in place, removed or reordered values
// need a person), domains, composites, ranges.
func TestAcceptanceTypes(t *testing.T) {
	const every = `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN email AS text COLLATE "C" DEFAULT 'x@y' NOT NULL CONSTRAINT has_at CHECK (VALUE ~ '@');
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE TYPE pair AS (a int, b text COLLATE "C", m mood);
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TABLE t (m mood, e email, p pair, r floatrange, n posint);
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "enum value added at the end and in the middle",
			canonical: `CREATE TYPE mood AS ENUM ('sad', 'meh', 'ok', 'happy', 'ecstatic'); CREATE TABLE t (m mood);`,
			live:      `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE TABLE t (m mood);`,
			want:      []string{"changed type public.mood"},
			severity:  Critical,
		},
		{
			name:      "enum value removed",
			canonical: `CREATE TYPE mood AS ENUM ('sad', 'happy');`,
			live:      `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');`,
			want:      []string{"changed type public.mood"},
		},
		{
			name:      "enum values reordered",
			canonical: `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');`,
			live:      `CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');`,
			want:      []string{"changed type public.mood"},
		},
		{
			// The enum is recreated: the columns (one an array, one with a
			// default, one on a parent table and its child) are converted,
			// the views and functions using it come back.
			name: "enum value removed from a type in use",
			canonical: `CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE t (id int PRIMARY KEY, m mood DEFAULT 'happy'::mood, ms mood[]);
CREATE TABLE child (x int) INHERITS (t);
CREATE VIEW v AS SELECT id, m, 'sad'::mood AS s FROM t;
CREATE VIEW vv AS SELECT id FROM v;
CREATE FUNCTION f(x mood) RETURNS mood LANGUAGE sql AS $$ SELECT x $$;
INSERT INTO t VALUES (1, 'sad', '{happy}');`,
			live: `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE t (id int PRIMARY KEY, m mood DEFAULT 'happy'::mood, ms mood[]);
CREATE TABLE child (x int) INHERITS (t);
CREATE VIEW v AS SELECT id, m, 'sad'::mood AS s FROM t;
CREATE VIEW vv AS SELECT id FROM v;
CREATE FUNCTION f(x mood) RETURNS mood LANGUAGE sql AS $$ SELECT x $$;
CREATE TABLE gone (m mood);
INSERT INTO t VALUES (1, 'sad', '{happy}');`,
			want: []string{"changed type public.mood", "unexpected table public.gone"},
		},
		{
			// The live default names the label that goes; canonical has
			// no default on the column.
			name:      "enum value removed that a live column default names",
			canonical: `CREATE TYPE lvl AS ENUM ('low', 'high'); CREATE TABLE t (l lvl);`,
			live:      `CREATE TYPE lvl AS ENUM ('low', 'mid', 'high'); CREATE TABLE t (l lvl DEFAULT 'mid');`,
			want:      []string{"changed column public.t.l", "changed type public.lvl"},
		},
		{
			// A check, a partial index, a policy and a trigger name a
			// label: they are rebuilt against the new type.
			name: "enum value removed from a type that expressions name",
			canonical: `CREATE TYPE st AS ENUM ('a', 'b');
CREATE TABLE items (id int PRIMARY KEY, s st NOT NULL DEFAULT 'a', CONSTRAINT not_b CHECK (s <> 'b'));
CREATE INDEX items_a ON items (id) WHERE s = 'a';
CREATE POLICY p ON items USING (s = 'a');
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER tr BEFORE UPDATE ON items FOR EACH ROW WHEN (NEW.s = 'a') EXECUTE FUNCTION tf();`,
			live: `CREATE TYPE st AS ENUM ('a', 'b', 'c');
CREATE TABLE items (id int PRIMARY KEY, s st NOT NULL DEFAULT 'a', CONSTRAINT not_b CHECK (s <> 'b'));
CREATE INDEX items_a ON items (id) WHERE s = 'a';
CREATE POLICY p ON items USING (s = 'a');
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER tr BEFORE UPDATE ON items FOR EACH ROW WHEN (NEW.s = 'a') EXECUTE FUNCTION tf();`,
			want: []string{"changed type public.st"},
		},
		{
			// The live default names the label that goes: canonical's is set.
			name:      "enum value removed and the default that named it changed",
			canonical: `CREATE TYPE e AS ENUM ('a'); CREATE TABLE t (x e DEFAULT 'a');`,
			live:      `CREATE TYPE e AS ENUM ('a', 'b'); CREATE TABLE t (x e DEFAULT 'b');`,
			want:      []string{"changed column public.t.x", "changed type public.e"},
		},
		{
			// Enums have no cast to one another: the values go through text.
			name: "column moves to another enum",
			canonical: `CREATE TYPE new_st AS ENUM ('a', 'b');
CREATE TABLE items (id int PRIMARY KEY, s new_st NOT NULL, ss new_st[]);`,
			live: `CREATE TYPE old_st AS ENUM ('a', 'b');
CREATE TABLE items (id int PRIMARY KEY, s old_st NOT NULL, ss old_st[]);
INSERT INTO items VALUES (1, 'b', '{a,b}');`,
			want: []string{"changed column public.items.s", "changed column public.items.ss", "missing type public.new_st", "unexpected type public.old_st"},
		},
		{
			name:      "enum value removed from a type a domain uses",
			canonical: `CREATE TYPE mood AS ENUM ('sad', 'happy'); CREATE DOMAIN dm AS mood;`,
			live:      `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE DOMAIN dm AS mood;`,
			want:      []string{"changed type public.mood"},
			manual:    true,
		},
		{
			name:      "enum value with a quote",
			canonical: `CREATE TYPE q AS ENUM ('it''s', 'a\b', 'x');`,
			live:      `CREATE TYPE q AS ENUM ('x');`,
			want:      []string{"changed type public.q"},
		},
		{
			name:      "missing and unexpected types",
			canonical: `CREATE TYPE mood AS ENUM ('a'); CREATE TYPE pair AS (x int, y mood); CREATE DOMAIN d AS pair;`,
			live:      `CREATE TYPE other AS ENUM ('a'); CREATE DOMAIN od AS other;`,
			want: []string{"missing type public.d", "missing type public.mood", "missing type public.pair",
				"unexpected type public.od", "unexpected type public.other"},
		},
		{
			name:      "domain check changed",
			canonical: `CREATE DOMAIN posint AS int CONSTRAINT pos CHECK (VALUE > 0);`,
			live:      `CREATE DOMAIN posint AS int CONSTRAINT pos CHECK (VALUE >= 0);`,
			want:      []string{"changed type public.posint"},
		},
		{
			name:      "domain in use changes default, nullability and checks",
			canonical: `CREATE DOMAIN email AS text DEFAULT 'a@b' NOT NULL CONSTRAINT has_at CHECK (VALUE ~ '@'); CREATE TABLE t (e email);`,
			live:      `CREATE DOMAIN email AS text CONSTRAINT has_dot CHECK (VALUE ~ '\.'); CREATE TABLE t (e email);`,
			want:      []string{"changed type public.email"},
		},
		{
			name:      "composite attribute added",
			canonical: `CREATE TYPE pair AS (a int, b text, c date);`,
			live:      `CREATE TYPE pair AS (a int, b text);`,
			want:      []string{"changed type public.pair"},
		},
		{
			name:      "composite in use gains and loses attributes",
			canonical: `CREATE TYPE pair AS (a int, c date); CREATE TABLE t (p pair);`,
			live:      `CREATE TYPE pair AS (a int, b text); CREATE TABLE t (p pair);`,
			want:      []string{"changed type public.pair"},
		},
		{
			name:      "composite in use changes an attribute type",
			canonical: `CREATE TYPE pair AS (a bigint); CREATE TABLE t (p pair);`,
			live:      `CREATE TYPE pair AS (a int); CREATE TABLE t (p pair);`,
			want:      []string{"changed type public.pair"},
			manual:    true,
		},
		{
			name:      "composite types nested in each other both go",
			canonical: ``,
			live:      `CREATE TYPE a_inner AS (n int); CREATE TYPE b_outer AS (i a_inner, label text);`,
			want:      []string{"unexpected type public.a_inner", "unexpected type public.b_outer"},
		},
		{
			name:      "composite types nested in each other both come, the inner one named last",
			canonical: `CREATE TYPE z_inner AS (n int); CREATE TYPE a_outer AS (i z_inner[], label text);`,
			live:      ``,
			want:      []string{"missing type public.a_outer", "missing type public.z_inner"},
		},
		{
			name:      "composite attributes reordered",
			canonical: `CREATE TYPE pair AS (b text, a int);`,
			live:      `CREATE TYPE pair AS (a int, b text);`,
			want:      []string{"changed type public.pair"},
		},
		{
			// Recreated beside its column (acceptance_domain_base_test.go).
			name:      "domain in use changes its base type",
			canonical: `CREATE DOMAIN d AS bigint; CREATE TABLE t (v d);`,
			live:      `CREATE DOMAIN d AS int; CREATE TABLE t (v d);`,
			want:      []string{"changed type public.d"},
		},
		{
			name:      "range subtype diff",
			canonical: `CREATE TYPE fr AS RANGE (subtype = float8, subtype_diff = float8mi);`,
			live:      `CREATE TYPE fr AS RANGE (subtype = float8);`,
			want:      []string{"changed type public.fr"},
		},
		{
			// The type can only go once the column no longer uses it.
			name:      "enum column turned into varchar and the enum dropped",
			canonical: `CREATE TABLE shirt (size varchar(10) DEFAULT 'm');`,
			live:      `CREATE TYPE sz AS ENUM ('s', 'm', 'l'); CREATE TABLE shirt (size sz DEFAULT 'm');`,
			want:      []string{"changed column public.shirt.size", "unexpected type public.sz"},
		},
		{
			// The domain whose CHECK calls the function goes first.
			name:      "unexpected domain checked by an unexpected function",
			canonical: ``,
			live: `CREATE FUNCTION is_even(v int) RETURNS bool LANGUAGE sql IMMUTABLE RETURN v % 2 = 0;
CREATE DOMAIN even_int AS int CHECK (is_even(VALUE));`,
			want: []string{"unexpected function public.is_even(v integer)", "unexpected type public.even_int"},
		},
	})
}

// A domain CHECK added NOT VALID cannot be written in CREATE DOMAIN.
func TestAcceptanceDomainNotValidCheck(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name: "missing domain with a NOT VALID check",
			canonical: `CREATE DOMAIN d AS int NOT NULL CONSTRAINT d_pos CHECK (VALUE > 0);
ALTER DOMAIN d ADD CONSTRAINT "d even" CHECK (VALUE % 2 = 0) NOT VALID;`,
			live: ``,
			want: []string{"missing type public.d"},
		},
	})
}
