package checker

import "testing"

// Row-level-security policies. Roles are the server's predefined ones, so
// parallel tests share nothing they could race on.
func TestAcceptancePolicies(t *testing.T) {
	const base = `CREATE TABLE doc (id int, owner text, public boolean);
ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
`
	const every = base + `
CREATE POLICY own ON doc USING (owner = current_user);
CREATE POLICY pub ON doc FOR SELECT TO pg_read_all_data, pg_monitor USING (public);
CREATE POLICY ins ON doc FOR INSERT WITH CHECK (owner = current_user);
CREATE POLICY no_del ON doc AS RESTRICTIVE FOR DELETE TO PUBLIC USING (false);
CREATE POLICY upd ON doc FOR UPDATE USING (owner = current_user) WITH CHECK (id > 0);
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "missing policy",
			canonical: base + `CREATE POLICY own ON doc USING (owner = current_user);`,
			live:      base,
			want:      []string{"missing policy public.doc.own"},
			severity:  Critical,
		},
		{
			name:      "unexpected policy",
			canonical: base,
			live:      base + `CREATE POLICY everyone ON doc USING (true);`,
			want:      []string{"unexpected policy public.doc.everyone"},
			severity:  Warning,
		},
		{
			name:      "using and check changed",
			canonical: base + `CREATE POLICY upd ON doc FOR UPDATE USING (owner = current_user) WITH CHECK (id > 0);`,
			live:      base + `CREATE POLICY upd ON doc FOR UPDATE USING (true) WITH CHECK (id >= 0);`,
			want:      []string{"changed policy public.doc.upd"},
			severity:  Critical,
		},
		{
			name:      "roles changed",
			canonical: base + `CREATE POLICY pub ON doc FOR SELECT TO pg_read_all_data, pg_monitor USING (public);`,
			live:      base + `CREATE POLICY pub ON doc FOR SELECT TO pg_monitor USING (public);`,
			want:      []string{"changed policy public.doc.pub"},
		},
		{
			name:      "restrictive became permissive",
			canonical: base + `CREATE POLICY r ON doc AS RESTRICTIVE USING (id > 0);`,
			live:      base + `CREATE POLICY r ON doc USING (id > 0);`,
			want:      []string{"changed policy public.doc.r"},
		},
		{
			name:      "command changed",
			canonical: base + `CREATE POLICY c ON doc FOR SELECT USING (true);`,
			live:      base + `CREATE POLICY c ON doc FOR ALL USING (true);`,
			want:      []string{"changed policy public.doc.c"},
		},
		{
			name:      "policy with row level security off",
			canonical: base + `CREATE POLICY own ON doc USING (owner = current_user);`,
			live:      `CREATE TABLE doc (id int, owner text, public boolean); CREATE POLICY own ON doc USING (owner = current_user);`,
			want:      []string{"changed table public.doc"},
			severity:  Critical,
		},
		{
			// The policy reads the column that goes: it is dropped first
			// and created again on the new column.
			name:      "policy moves from a dropped column to a new one",
			canonical: `CREATE TABLE doc (owner_id int, body text); CREATE POLICY mine ON doc USING (owner_id = 1);`,
			live:      `CREATE TABLE doc (author_id int, body text); CREATE POLICY mine ON doc USING (author_id = 1);`,
			want:      []string{"changed policy public.doc.mine", "missing column public.doc.owner_id", "unexpected column public.doc.author_id"},
		},
	})
}
