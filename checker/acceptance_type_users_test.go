package checker

import "testing"

// A column's type change with checks and expression indexes that use the
// column, and on partitioned tables, whose partitions' columns follow.
func TestAcceptanceTypeChangeUsers(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name: "checks and an expression index that the new type cannot rebuild",
			canonical: `CREATE TABLE t (id int, fizz text, CONSTRAINT c CHECK (length(fizz) > 0), CONSTRAINT keep CHECK (fizz IS NOT NULL));
CREATE INDEX i ON t ((length(fizz)));`,
			live: `CREATE TABLE t (id int, fizz int, CONSTRAINT keep CHECK (fizz IS NOT NULL));
ALTER TABLE t ADD CONSTRAINT c CHECK (fizz > 0) NOT VALID;
CREATE INDEX i ON t ((fizz + 1));`,
			want: []string{"changed column public.t.fizz", "changed constraint public.t.c", "changed index public.t.i"},
		},
		{
			name: "partitioned table: type and collation change on the parent",
			canonical: `CREATE TABLE p (id text, k text, bar text COLLATE "POSIX", PRIMARY KEY (k, id)) PARTITION BY LIST (k);
CREATE TABLE p1 PARTITION OF p FOR VALUES IN ('a');
CREATE TABLE p2 PARTITION OF p (bar NOT NULL) FOR VALUES IN ('b');`,
			live: `CREATE TABLE p (id int, k text, bar text COLLATE "C", PRIMARY KEY (k, id)) PARTITION BY LIST (k);
CREATE TABLE p1 PARTITION OF p (bar NOT NULL) FOR VALUES IN ('a');
CREATE TABLE p2 PARTITION OF p FOR VALUES IN ('b');`,
			want: []string{"changed column public.p.bar", "changed column public.p.id", "changed column public.p1.bar", "changed column public.p2.bar"},
		},
	})
}
