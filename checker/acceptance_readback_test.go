package checker

import "testing"

// Expressions whose printed form does not read back as itself: a live
// database and the pg_dump of it loaded again must compare clean.
func TestAcceptanceReadBack(t *testing.T) {
	// "s IN ('a', 'b')" on a varchar column is stored as a cast of the
	// whole array, which pg_dump prints as such; loaded again, the cast
	// goes into the elements.
	const inList = `CREATE TABLE t (id int, s varchar(10) CONSTRAINT t_s_check CHECK (s IN ('a', 'b')));
CREATE INDEX t_s_idx ON t (id) WHERE s IN ('a', 'b');
CREATE VIEW v AS SELECT id FROM t WHERE s IN ('a', 'b');
CREATE POLICY p ON t USING (s IN ('a', 'b'));
CREATE DOMAIN d AS varchar(10) CHECK (VALUE IN ('a', 'b'));
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW WHEN (NEW.s IN ('a', 'b')) EXECUTE FUNCTION tf();
`
	const readBack = `CREATE TABLE t (id int, s varchar(10) CONSTRAINT t_s_check CHECK (((s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))));
CREATE INDEX t_s_idx ON t (id) WHERE ((s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]));
CREATE VIEW v AS SELECT id FROM t WHERE ((s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]));
CREATE POLICY p ON t USING (((s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])));
CREATE DOMAIN d AS varchar(10) CHECK (((VALUE)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])));
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW WHEN (((new.s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))) EXECUTE FUNCTION tf();
`
	const tz = `CREATE TABLE e (id int, at timestamp);
`
	runAcceptance(t, []acceptanceCase{
		{name: "IN list on varchar, as written and as read back", canonical: readBack, live: inList},
		{name: "IN list on varchar, as read back and as written", canonical: inList, live: readBack},
		{
			name:      "IN list on varchar with another value",
			canonical: readBack,
			live:      `CREATE TABLE t (id int, s varchar(10) CONSTRAINT t_s_check CHECK (s IN ('a', 'c')));`,
			want: []string{"changed constraint public.t.t_s_check", "missing function public.tf()", "missing index public.t.t_s_idx",
				"missing policy public.t.p", "missing trigger public.t.tr", "missing type public.d", "missing view public.v"},
		},
		{
			// PostgreSQL before 14 printed AT TIME ZONE as timezone().
			name:      "timezone() and AT TIME ZONE",
			canonical: tz + `ALTER TABLE e ADD CONSTRAINT c CHECK (timezone('utc', at) < now()); CREATE INDEX e_at ON e ((timezone('utc', at)), id);`,
			live:      tz + `ALTER TABLE e ADD CONSTRAINT c CHECK ((at AT TIME ZONE 'utc') < now()); CREATE INDEX e_at ON e ((at AT TIME ZONE 'utc'), id);`,
		},
		{
			name:      "timezone() with another zone",
			canonical: tz + `ALTER TABLE e ADD CONSTRAINT c CHECK (timezone('utc', at) < now());`,
			live:      tz + `ALTER TABLE e ADD CONSTRAINT c CHECK ((at AT TIME ZONE 'cet') < now());`,
			want:      []string{"changed constraint public.e.c"},
		},
	})
}
