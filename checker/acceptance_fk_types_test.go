package checker

import "testing"

// Both sides of a foreign key change to a type the other side's old type
// does not match: the key goes before the first column changes and comes
// back after the last.
func TestAcceptanceForeignKeyTypeChange(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name:      "bigint to timestamp on both sides",
			canonical: `CREATE TABLE p (id timestamp PRIMARY KEY); CREATE TABLE "c hild" (p_id timestamp REFERENCES p (id));`,
			live:      `CREATE TABLE p (id bigint PRIMARY KEY); CREATE TABLE "c hild" (p_id bigint REFERENCES p (id));`,
			want:      []string{"changed column public.\"c hild\".p_id", "changed column public.p.id"},
			severity:  Critical,
		},
		{
			name: "two-column key across schemas, one column changing",
			canonical: `CREATE SCHEMA s; CREATE TABLE p (a int, b text, PRIMARY KEY (a, b));
CREATE TABLE s.c (a int, b text, FOREIGN KEY (a, b) REFERENCES p (a, b) ON DELETE CASCADE);`,
			live: `CREATE SCHEMA s; CREATE TABLE p (a int, b uuid, PRIMARY KEY (a, b));
CREATE TABLE s.c (a int, b uuid, FOREIGN KEY (a, b) REFERENCES p (a, b) ON DELETE CASCADE);`,
			want:     []string{"changed column public.p.b", "changed column s.c.b"},
			severity: Critical,
		},
	})
}
