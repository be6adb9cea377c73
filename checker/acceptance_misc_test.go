package checker

import "testing"

// Rules, extended statistics, event triggers, ignore patterns and severity
// overrides.
func TestAcceptanceMisc(t *testing.T) {
	const base = `CREATE TABLE t (id int, a int, b int, note text);
CREATE TABLE log (id int);
CREATE FUNCTION on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
`
	const every = base + `
CREATE RULE no_delete AS ON DELETE TO t DO INSTEAD NOTHING;
CREATE RULE copy AS ON INSERT TO t DO ALSO INSERT INTO log VALUES (NEW.id);
CREATE STATISTICS st (dependencies, ndistinct) ON a, b FROM t;
CREATE STATISTICS st_expr ON (a + b), note FROM t;
CREATE EVENT TRIGGER audit_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE') EXECUTE FUNCTION on_ddl();
CREATE EVENT TRIGGER off_ddl ON sql_drop EXECUTE FUNCTION on_ddl();
ALTER EVENT TRIGGER off_ddl DISABLE;
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "missing and unexpected rules",
			canonical: base + `CREATE RULE no_delete AS ON DELETE TO t DO INSTEAD NOTHING;`,
			live:      base + `CREATE RULE no_update AS ON UPDATE TO t DO INSTEAD NOTHING;`,
			want:      []string{"missing rule public.t.no_delete", "unexpected rule public.t.no_update"},
			severity:  Warning,
		},
		{
			name:      "rule changed",
			canonical: base + `CREATE RULE copy AS ON INSERT TO t DO ALSO INSERT INTO log VALUES (NEW.id);`,
			live:      base + `CREATE RULE copy AS ON INSERT TO t WHERE NEW.id > 0 DO ALSO INSERT INTO log VALUES (NEW.a);`,
			want:      []string{"changed rule public.t.copy"},
		},
		{
			name:      "statistics missing, unexpected and changed",
			canonical: base + `CREATE STATISTICS st (dependencies) ON a, b FROM t; CREATE STATISTICS st2 ON a, note FROM t;`,
			live:      base + `CREATE STATISTICS st (ndistinct) ON a, b FROM t; CREATE STATISTICS st3 ON b, note FROM t;`,
			want:      []string{"changed statistics public.st", "missing statistics public.st2", "unexpected statistics public.st3"},
		},
		{
			name: "statistics targets: set, changed, back to default, with a missing object",
			canonical: base + `CREATE STATISTICS st (dependencies) ON a, b FROM t; ALTER STATISTICS st SET STATISTICS 500;
CREATE STATISTICS st2 ON a, note FROM t; CREATE STATISTICS st4 ON b, note FROM t; ALTER STATISTICS st4 SET STATISTICS 0;
CREATE STATISTICS st5 ON a, note FROM t; ALTER STATISTICS st5 SET STATISTICS 20;`,
			live: base + `CREATE STATISTICS st (dependencies) ON a, b FROM t;
CREATE STATISTICS st2 ON a, note FROM t; ALTER STATISTICS st2 SET STATISTICS 50;
CREATE STATISTICS st5 ON a, note FROM t; ALTER STATISTICS st5 SET STATISTICS 30;`,
			want: []string{"changed statistics public.st", "changed statistics public.st2", "changed statistics public.st5", "missing statistics public.st4"},
		},
		{
			name:      "event triggers",
			canonical: base + `CREATE EVENT TRIGGER audit_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION on_ddl(); CREATE EVENT TRIGGER e2 ON sql_drop EXECUTE FUNCTION on_ddl();`,
			live:      base + `CREATE EVENT TRIGGER audit_ddl ON ddl_command_end EXECUTE FUNCTION on_ddl(); CREATE EVENT TRIGGER e3 ON ddl_command_start EXECUTE FUNCTION on_ddl();`,
			want:      []string{"changed event trigger audit_ddl", "missing event trigger e2", "unexpected event trigger e3"},
		},
		{
			name:      "event trigger disabled",
			canonical: base + `CREATE EVENT TRIGGER e ON sql_drop EXECUTE FUNCTION on_ddl();`,
			live:      base + `CREATE EVENT TRIGGER e ON sql_drop EXECUTE FUNCTION on_ddl(); ALTER EVENT TRIGGER e DISABLE;`,
			want:      []string{"changed event trigger e"},
		},
		{
			name:      "driftwatch's own event triggers are not drift",
			canonical: base,
			live:      base + `CREATE EVENT TRIGGER driftwatch_ddl ON ddl_command_end EXECUTE FUNCTION on_ddl();`,
		},
		{
			name: "ignore patterns",
			canonical: base + `CREATE SCHEMA audit; CREATE TABLE audit.entries (id int);
CREATE TABLE tmp_a (id int); CREATE INDEX t_note ON t (note);`,
			live: base + `CREATE SCHEMA audit; CREATE TABLE audit.entries (id bigint, extra text); CREATE TABLE audit.more (x int);
CREATE TABLE tmp_b (id int); ALTER TABLE t ADD COLUMN scratch int;`,
			opts: DiffOptions{Ignore: []string{"audit.*", "public.tmp_*", "public.t.scratch", "public.t.t_note"}},
		},
		{
			name:      "ignore patterns leave the rest",
			canonical: base + `CREATE SCHEMA audit; CREATE TABLE audit.entries (id int);`,
			live:      base + `CREATE SCHEMA audit; CREATE TABLE audit.entries (id bigint); ALTER TABLE t ADD COLUMN scratch int;`,
			opts:      DiffOptions{Ignore: []string{"audit.*"}},
			want:      []string{"unexpected column public.t.scratch"},
		},
		{
			name:      "severity overrides",
			canonical: base + `CREATE INDEX t_a ON t (a); CREATE TRIGGER x AFTER INSERT ON t EXECUTE FUNCTION suppress_redundant_updates_trigger();`,
			live:      base,
			opts: DiffOptions{Severity: SeverityRules{
				{Change: Missing, Kind: KindIndex, Level: Critical},
				{Change: "*", Kind: KindTrigger, Level: Critical},
			}},
			want:     []string{"missing index public.t.t_a", "missing trigger public.t.x"},
			severity: Critical,
		},
		{
			name:      "severity override lowers",
			canonical: base + `CREATE TABLE extra (id int);`,
			live:      base,
			opts:      DiffOptions{Severity: SeverityRules{{Change: "*", Kind: "*", Level: Warning}}},
			want:      []string{"missing table public.extra"},
			severity:  Warning,
		},
	})
}
