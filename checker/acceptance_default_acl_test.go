package checker

import "testing"

// Default privileges (ALTER DEFAULT PRIVILEGES), compared with
// privileges: for all schemas, where an entry replaces the built-in
// defaults (EXECUTE for PUBLIC on functions), and in one schema, where it
// only adds. Made last, so that they grant nothing on what the fix makes.
func TestAcceptanceDefaultPrivileges(t *testing.T) {
	const base = `CREATE SCHEMA app;
`
	const every = base + `ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor GRANT SELECT ON TABLES TO pg_read_all_data;
ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor IN SCHEMA app GRANT USAGE ON SEQUENCES TO pg_read_all_data WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor IN SCHEMA app GRANT USAGE ON TYPES TO pg_read_all_data;
`
	privileges := DiffOptions{Privileges: true}
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every, opts: privileges},
		{
			name: "given in another order and in pieces", canonical: every, opts: privileges,
			live: base + `ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor IN SCHEMA app GRANT USAGE ON TYPES TO pg_read_all_data;
ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor IN SCHEMA app GRANT USAGE ON SEQUENCES TO pg_read_all_data WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor REVOKE ALL ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor GRANT SELECT, INSERT ON TABLES TO pg_read_all_data;
ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor REVOKE INSERT ON TABLES FROM pg_read_all_data;`,
		},
		{
			name: "missing", canonical: every, live: base, opts: privileges,
			want: []string{"missing default privileges FOR ROLE pg_monitor IN SCHEMA app ON SEQUENCES",
				"missing default privileges FOR ROLE pg_monitor IN SCHEMA app ON TYPES",
				"missing default privileges FOR ROLE pg_monitor ON FUNCTIONS", "missing default privileges FOR ROLE pg_monitor ON TABLES"},
			severity: Warning,
		},
		{
			name: "unexpected", canonical: base, live: every, opts: privileges,
			want: []string{"unexpected default privileges FOR ROLE pg_monitor IN SCHEMA app ON SEQUENCES",
				"unexpected default privileges FOR ROLE pg_monitor IN SCHEMA app ON TYPES",
				"unexpected default privileges FOR ROLE pg_monitor ON FUNCTIONS", "unexpected default privileges FOR ROLE pg_monitor ON TABLES"},
		},
		{
			name: "changed", canonical: every, opts: privileges,
			live: base + `ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor GRANT SELECT, UPDATE ON TABLES TO pg_read_all_data;
ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor GRANT EXECUTE ON FUNCTIONS TO pg_read_all_data;
ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor IN SCHEMA app GRANT USAGE ON SEQUENCES TO pg_read_all_data;
ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor IN SCHEMA app GRANT USAGE ON TYPES TO pg_read_all_data;`,
			want: []string{"changed default privileges FOR ROLE pg_monitor IN SCHEMA app ON SEQUENCES",
				"changed default privileges FOR ROLE pg_monitor ON FUNCTIONS", "changed default privileges FOR ROLE pg_monitor ON TABLES"},
		},
		{
			name: "another role's", canonical: every, opts: privileges,
			live: every + `ALTER DEFAULT PRIVILEGES FOR ROLE pg_read_all_data IN SCHEMA app GRANT SELECT ON TABLES TO pg_monitor;`,
			want: []string{"unexpected default privileges FOR ROLE pg_read_all_data IN SCHEMA app ON TABLES"},
		},
		{name: "not compared without privileges", canonical: every, live: base},
	})
}

// An entry that differs from the defaults only in the role's own
// privileges is no drift: owners' privileges are not compared.
func TestAcceptanceDefaultPrivilegesOwnOnly(t *testing.T) {
	privileges := DiffOptions{Privileges: true}
	runAcceptance(t, []acceptanceCase{
		{name: "own revoked", canonical: `ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor REVOKE DELETE ON TABLES FROM pg_monitor;`,
			live: ``, opts: privileges},
		{name: "own revoked, live", canonical: ``,
			live: `ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor REVOKE ALL ON FUNCTIONS FROM pg_monitor;`, opts: privileges},
	})
}

// What a fix creates starts with the live default privileges' grants,
// not the built-in ones: they are revoked where canonical lacks them, and
// the built-in ones given back where the live ones took them.
func TestAcceptanceCreatedUnderDefaultPrivileges(t *testing.T) {
	const defaults = `ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO pg_monitor;
ALTER DEFAULT PRIVILEGES GRANT USAGE ON SEQUENCES TO pg_monitor;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE USAGE ON TYPES FROM PUBLIC;
`
	privileges := DiffOptions{Privileges: true}
	runAcceptance(t, []acceptanceCase{
		{
			name: "missing objects", opts: privileges,
			canonical: defaults + `CREATE TABLE t (id serial); REVOKE SELECT ON t FROM pg_monitor; REVOKE USAGE ON SEQUENCE t_id_seq FROM pg_monitor;
CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1; GRANT EXECUTE ON FUNCTION f() TO PUBLIC;
CREATE TYPE e AS ENUM ('a'); GRANT USAGE ON TYPE e TO PUBLIC;
CREATE VIEW v AS SELECT 1 AS one; REVOKE SELECT ON v FROM pg_monitor;`,
			live: defaults,
			want: []string{"missing function public.f()", "missing table public.t", "missing type public.e", "missing view public.v"},
		},
	})
}
