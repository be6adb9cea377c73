package checker

import "testing"

// Comments and privileges: compared only when asked.
func TestAcceptanceCommentsPrivileges(t *testing.T) {
	const base = `CREATE SCHEMA app;
CREATE TABLE app.t (id int, secret text);
CREATE SEQUENCE app.s;
CREATE VIEW app.v AS SELECT id FROM app.t;
CREATE FUNCTION app.f(x int) RETURNS int LANGUAGE sql AS 'SELECT x';
CREATE TYPE app.mood AS ENUM ('a', 'b');
CREATE DOMAIN app.d AS int;
`
	const commented = base + `
COMMENT ON SCHEMA app IS 'the app';
COMMENT ON TABLE app.t IS 'things';
COMMENT ON COLUMN app.t.secret IS 'do not log';
COMMENT ON SEQUENCE app.s IS 'counter';
COMMENT ON VIEW app.v IS 'a view';
COMMENT ON FUNCTION app.f(int) IS 'it''s identity';
COMMENT ON TYPE app.mood IS 'feelings';
COMMENT ON DOMAIN app.d IS 'a domain';
`
	const granted = base + `
GRANT USAGE ON SCHEMA app TO pg_monitor;
GRANT SELECT, INSERT ON app.t TO pg_read_all_data;
GRANT SELECT (id) ON app.t TO pg_monitor;
GRANT USAGE ON SEQUENCE app.s TO PUBLIC;
GRANT SELECT ON app.v TO pg_monitor WITH GRANT OPTION;
REVOKE EXECUTE ON FUNCTION app.f(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.f(int) TO pg_monitor;
REVOKE USAGE ON TYPE app.mood FROM PUBLIC;
`
	const columnGrants = `GRANT SELECT (secret), UPDATE (secret) ON app.t TO pg_monitor WITH GRANT OPTION;
GRANT INSERT (id) ON app.t TO pg_monitor;
`
	const otherColumnGrants = `GRANT SELECT (secret), REFERENCES (secret) ON app.t TO pg_monitor;
GRANT UPDATE (id) ON app.t TO pg_monitor WITH GRANT OPTION;
`
	comments := DiffOptions{Comments: true}
	privs := DiffOptions{Privileges: true}
	runAcceptance(t, []acceptanceCase{
		{name: "comments identical", canonical: commented, live: commented, opts: comments},
		{name: "privileges identical", canonical: granted, live: granted, opts: privs},
		{name: "comments ignored by default", canonical: commented, live: base},
		{
			name: "view column comments",
			canonical: `CREATE TABLE t (id int, "Odd, name" text, x text);
CREATE VIEW v AS SELECT id, "Odd, name", x FROM t;
COMMENT ON COLUMN v.id IS 'it''s the id, unique'; COMMENT ON COLUMN v."Odd, name" IS 'a\b';`,
			live: `CREATE TABLE t (id int, "Odd, name" text, x text);
CREATE VIEW v AS SELECT id, "Odd, name", x FROM t;
COMMENT ON COLUMN v.id IS 'old'; COMMENT ON COLUMN v.x IS 'gone';`,
			want: []string{"changed view public.v"},
			opts: comments,
		},
		{
			name:      "view column comments kept when the view is recreated",
			canonical: `CREATE TABLE t (id int, n int); CREATE VIEW v AS SELECT id, n FROM t; COMMENT ON COLUMN v.n IS 'n';`,
			live:      `CREATE TABLE t (id int, n bigint); CREATE VIEW v AS SELECT id, n FROM t; COMMENT ON COLUMN v.n IS 'n';`,
			want:      []string{"changed column public.t.n"},
			opts:      comments,
		},
		{name: "privileges ignored by default", canonical: granted, live: base},
		{
			name:      "comments missing",
			canonical: commented,
			live:      base,
			opts:      comments,
			want: []string{"changed column app.t.secret", "changed function app.f(x integer)", "changed schema app",
				"changed sequence app.s", "changed table app.t", "changed type app.d", "changed type app.mood", "changed view app.v"},
			severity: Warning,
		},
		{
			name:      "comments unexpected and different",
			canonical: base + `COMMENT ON TABLE app.t IS 'things';`,
			live:      base + `COMMENT ON TABLE app.t IS 'stuff'; COMMENT ON COLUMN app.t.id IS 'key'; COMMENT ON FUNCTION app.f(int) IS 'x';`,
			opts:      comments,
			want:      []string{"changed column app.t.id", "changed function app.f(x integer)", "changed table app.t"},
		},
		{
			name: "comments on sub-objects",
			canonical: base + `CREATE INDEX t_id ON app.t (id); ALTER TABLE app.t ADD CONSTRAINT pos CHECK (id > 0);
COMMENT ON INDEX app.t_id IS 'lookup'; COMMENT ON CONSTRAINT pos ON app.t IS 'positive';`,
			live: base + `CREATE INDEX t_id ON app.t (id); ALTER TABLE app.t ADD CONSTRAINT pos CHECK (id > 0);`,
			opts: comments,
			want: []string{"changed constraint app.t.pos", "changed index app.t.t_id"},
		},
		{
			name:      "grants missing",
			canonical: granted,
			live:      base,
			opts:      privs,
			want: []string{"changed column app.t.id", "changed function app.f(x integer)", "changed schema app",
				"changed sequence app.s", "changed table app.t", "changed type app.mood", "changed view app.v"},
		},
		{
			name:      "grants unexpected",
			canonical: base,
			live:      granted,
			opts:      privs,
			want: []string{"changed column app.t.id", "changed function app.f(x integer)", "changed schema app",
				"changed sequence app.s", "changed table app.t", "changed type app.mood", "changed view app.v"},
		},
		{
			name:      "grant option and narrower grants",
			canonical: base + `GRANT SELECT, UPDATE ON app.t TO pg_monitor WITH GRANT OPTION;`,
			live:      base + `GRANT SELECT ON app.t TO pg_monitor;`,
			opts:      privs,
			want:      []string{"changed table app.t"},
		},
		{
			// Several privileges on one column, some with grant option:
			// each privilege names the column, and those held with grant
			// option are revoked and granted too.
			name:      "column grants with grant option, to canonical",
			canonical: base + columnGrants,
			live:      base + otherColumnGrants,
			opts:      privs,
			want:      []string{"changed column app.t.id", "changed column app.t.secret"},
		},
		{
			name:      "column grants with grant option, from canonical",
			canonical: base + otherColumnGrants,
			live:      base + columnGrants,
			opts:      privs,
			want:      []string{"changed column app.t.id", "changed column app.t.secret"},
		},
		{
			name:      "missing objects come with comments and grants",
			canonical: commented + `GRANT SELECT ON app.t TO pg_monitor; REVOKE EXECUTE ON FUNCTION app.f(int) FROM PUBLIC;`,
			live:      ``,
			opts:      DiffOptions{Comments: true, Privileges: true},
			want: []string{"missing function app.f(x integer)", "missing schema app", "missing sequence app.s", "missing table app.t",
				"missing type app.d", "missing type app.mood", "missing view app.v"},
		},
	})
}
