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

// A partition attached before its parent got a default has none of its
// own: creating it where it is missing must not give it the parent's.
func TestAcceptancePartitionWithoutParentDefault(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name: "missing partition that has no default",
			canonical: `CREATE TABLE p (id int NOT NULL, k int NOT NULL) PARTITION BY LIST (k);
CREATE TABLE p1 (id int NOT NULL, k int NOT NULL);
ALTER TABLE ONLY p ATTACH PARTITION p1 FOR VALUES IN (1);
ALTER TABLE ONLY p ALTER COLUMN id SET DEFAULT 7;`,
			live: `CREATE TABLE p (id int NOT NULL DEFAULT 7, k int NOT NULL) PARTITION BY LIST (k);`,
			want: []string{"missing table public.p1"},
		},
	})
}

// A partition attached with its columns in its own order keeps that
// order when its fix creates it.
func TestAcceptanceMissingReorderedPartition(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name: "missing partition in its own column order",
			canonical: `CREATE TABLE p (a int NOT NULL, b text CHECK (b <> ''), c int NOT NULL) PARTITION BY LIST (c);
CREATE TABLE p1 (c int NOT NULL, b text CHECK (b <> ''), a int NOT NULL);
ALTER TABLE p1 RENAME CONSTRAINT p1_b_check TO p_b_check;
ALTER TABLE ONLY p ATTACH PARTITION p1 FOR VALUES IN (1);`,
			live: `CREATE TABLE p (a int NOT NULL, b text CHECK (b <> ''), c int NOT NULL) PARTITION BY LIST (c);`,
			want: []string{"missing table public.p1"},
			opts: DiffOptions{ColumnOrder: true},
		},
	})
}
