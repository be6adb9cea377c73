package checker

import "testing"

// Cases found by sweeping migra's fixtures (and variations on them)
// through check: each failed before its fix.

// A foreign key to a partitioned table depends on every partition, so
// PostgreSQL refuses DROP TABLE on an unexpected partition while a kept
// table's key still references the parent; detaching the partition first
// lets it go.
func TestAcceptancePartitionUnderReferencedParent(t *testing.T) {
	const parent = `CREATE TABLE p (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);
CREATE TABLE p2 PARTITION OF p FOR VALUES IN (2) PARTITION BY LIST (id);
CREATE TABLE p2a PARTITION OF p2 FOR VALUES IN (1);
CREATE TABLE p2b PARTITION OF p2 FOR VALUES IN (2);
CREATE TABLE ref (id int, k int, FOREIGN KEY (id, k) REFERENCES p);
`
	runAcceptance(t, []acceptanceCase{
		{
			name:      "an unexpected default partition",
			canonical: parent,
			live:      parent + `CREATE TABLE pd PARTITION OF p DEFAULT;`,
			want:      []string{"unexpected table public.pd"},
		},
		{
			name:      "an unexpected partition one level down",
			canonical: parent,
			live:      parent + `CREATE TABLE p2c PARTITION OF p2 FOR VALUES IN (3);`,
			want:      []string{"unexpected table public.p2c"},
		},
		{
			name: "an unexpected partitioned partition",
			canonical: `CREATE TABLE p (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);
CREATE TABLE ref (id int, k int, FOREIGN KEY (id, k) REFERENCES p);
`,
			live: parent,
			want: []string{"unexpected table public.p2", "unexpected table public.p2a", "unexpected table public.p2b"},
		},
		{
			name:      "the key that references the parent changes too",
			canonical: parent,
			live: `CREATE TABLE p (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);
CREATE TABLE p2 PARTITION OF p FOR VALUES IN (2) PARTITION BY LIST (id);
CREATE TABLE p2a PARTITION OF p2 FOR VALUES IN (1);
CREATE TABLE p2b PARTITION OF p2 FOR VALUES IN (2);
CREATE TABLE pd PARTITION OF p DEFAULT;
CREATE TABLE ref (id int, k int, FOREIGN KEY (id, k) REFERENCES p ON DELETE CASCADE);
`,
			want: []string{"unexpected table public.pd", "changed constraint public.ref.ref_id_k_fkey"},
		},
	})
}
