package checker

import "testing"

// A table canonical partitions is a plain table live: the parent needs a
// person, and so do the partitions that cannot exist before it is redone.
func TestAcceptancePartitionOfUnpartitioned(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name: "missing partition and a plain table to attach",
			canonical: `CREATE TABLE p (id int, k text) PARTITION BY LIST (k);
CREATE TABLE p1 PARTITION OF p FOR VALUES IN ('a');
CREATE TABLE p2 PARTITION OF p FOR VALUES IN ('b');`,
			live: `CREATE TABLE p (id int, k text);
CREATE TABLE p2 (id int, k text);`,
			want:   []string{"changed table public.p", "changed table public.p2", "missing table public.p1"},
			manual: true,
		},
	})
}
