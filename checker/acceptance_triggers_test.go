package checker

import "testing"

// Triggers, including disabled ones, constraint triggers and triggers on
// partitioned tables.
func TestAcceptanceTriggers(t *testing.T) {
	const base = `CREATE TABLE t (id int, at timestamptz);
CREATE TABLE p (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE p_1 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
`
	const every = base + `
CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER t_audit AFTER DELETE ON t FOR EACH STATEMENT EXECUTE FUNCTION audit();
CREATE TRIGGER t_off AFTER INSERT ON t FOR EACH ROW WHEN (NEW.id > 0) EXECUTE FUNCTION audit();
ALTER TABLE t DISABLE TRIGGER t_off;
CREATE CONSTRAINT TRIGGER t_check AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit();
CREATE TRIGGER p_audit AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION audit();
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "missing trigger",
			canonical: base + `CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();`,
			live:      base,
			want:      []string{"missing trigger public.t.t_touch"},
			severity:  Warning,
		},
		{
			name:      "unexpected trigger",
			canonical: base,
			live:      base + `CREATE TRIGGER sneaky AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION audit();`,
			want:      []string{"unexpected trigger public.t.sneaky"},
		},
		{
			name:      "disabled in the database",
			canonical: base + `CREATE TRIGGER x AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION audit();`,
			live:      base + `CREATE TRIGGER x AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION audit(); ALTER TABLE t DISABLE TRIGGER x;`,
			want:      []string{"changed trigger public.t.x"},
		},
		{
			name:      "enabled always instead of disabled",
			canonical: base + `CREATE TRIGGER x AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION audit(); ALTER TABLE t DISABLE TRIGGER x;`,
			live:      base + `CREATE TRIGGER x AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION audit(); ALTER TABLE t ENABLE ALWAYS TRIGGER x;`,
			want:      []string{"changed trigger public.t.x"},
		},
		{
			name:      "timing and condition changed",
			canonical: base + `CREATE TRIGGER x BEFORE UPDATE ON t FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION touch();`,
			live:      base + `CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();`,
			want:      []string{"changed trigger public.t.x"},
		},
		{
			name:      "missing disabled constraint trigger",
			canonical: base + `CREATE CONSTRAINT TRIGGER c AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit(); ALTER TABLE t DISABLE TRIGGER c;`,
			live:      base,
			want:      []string{"missing trigger public.t.c"},
		},
		{
			name:      "constraint trigger made plain",
			canonical: base + `CREATE CONSTRAINT TRIGGER c AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION audit();`,
			live:      base + `CREATE TRIGGER c AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION audit();`,
			want:      []string{"changed trigger public.t.c"},
		},
		{
			name:      "missing trigger on a partitioned table",
			canonical: base + `CREATE TRIGGER p_audit AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION audit();`,
			live:      base,
			want:      []string{"missing trigger public.p.p_audit"},
		},
		{
			name:      "trigger on a partitioned table changed",
			canonical: base + `CREATE TRIGGER p_audit AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION audit();`,
			live:      base + `CREATE TRIGGER p_audit AFTER UPDATE ON p FOR EACH ROW EXECUTE FUNCTION audit();`,
			want:      []string{"changed trigger public.p.p_audit"},
		},
		{
			name:      "missing trigger and its function",
			canonical: `CREATE TABLE a (id int); CREATE FUNCTION zz() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; CREATE TRIGGER a_zz BEFORE INSERT ON a FOR EACH ROW EXECUTE FUNCTION zz();`,
			live:      `CREATE TABLE a (id int);`,
			want:      []string{"missing function public.zz()", "missing trigger public.a.a_zz"},
		},
	})
}
