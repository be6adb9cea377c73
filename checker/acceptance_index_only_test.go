package checker

import "testing"

// Indexes created ON ONLY a partitioned table and not attached on every
// partition: the parent index stays invalid (indisvalid = false), which a
// valid one is not, and a fix must build it as canonical has it.
func TestAcceptanceIndexesOnOnly(t *testing.T) {
	const tables = `CREATE TABLE p (a int, b int) PARTITION BY RANGE (a);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
`
	const two = tables + `CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (10) TO (20);
`
	const three = two + `CREATE TABLE p3 PARTITION OF p FOR VALUES FROM (20) TO (30);
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical, invalid", canonical: tables + `CREATE INDEX pi ON ONLY p (b);`, live: tables + `CREATE INDEX pi ON ONLY p (b);`},
		{
			name:      "missing invalid index",
			canonical: tables + `CREATE INDEX pi ON ONLY p (b);`,
			live:      tables,
			want:      []string{"missing index public.p.pi"},
		},
		{
			name:      "unexpected invalid index",
			canonical: tables,
			live:      tables + `CREATE INDEX pi ON ONLY p (b);`,
			want:      []string{"unexpected index public.p.pi"},
		},
		{
			name:      "attached on canonical only",
			canonical: tables + `CREATE INDEX pi ON ONLY p (b); CREATE INDEX p1_b_idx ON p1 (b); ALTER INDEX pi ATTACH PARTITION p1_b_idx;`,
			live:      tables + `CREATE INDEX pi ON ONLY p (b); CREATE INDEX p1_b_idx ON p1 (b);`,
			want:      []string{"changed index public.p.pi"},
		},
		{
			name:      "attached on live only",
			canonical: tables + `CREATE INDEX pi ON ONLY p (b); CREATE INDEX p1_b_idx ON p1 (b);`,
			live:      tables + `CREATE INDEX pi ON ONLY p (b); CREATE INDEX p1_b_idx ON p1 (b); ALTER INDEX pi ATTACH PARTITION p1_b_idx;`,
			want:      []string{"changed index public.p.pi"},
		},
		{
			name:      "invalid where live is valid",
			canonical: tables + `CREATE INDEX pi ON ONLY p (b);`,
			live:      tables + `CREATE INDEX pi ON p (b);`,
			want:      []string{"changed index public.p.pi"},
		},
		{
			name:      "valid where live is invalid",
			canonical: tables + `CREATE INDEX pi ON p (b);`,
			live:      tables + `CREATE INDEX pi ON ONLY p (b);`,
			want:      []string{"changed index public.p.pi"},
		},
		{
			// p1's index is attached, p2 has none: still invalid.
			name:      "attached on one of two partitions where live is valid",
			canonical: two + `CREATE INDEX pi ON ONLY p (b); CREATE INDEX p1_b_idx ON p1 (b); ALTER INDEX pi ATTACH PARTITION p1_b_idx;`,
			live:      two + `CREATE INDEX pi ON p (b);`,
			want:      []string{"changed index public.p.pi"}, // p2's index goes along
		},
		{
			name:      "missing, attached on one of two partitions",
			canonical: two + `CREATE INDEX pi ON ONLY p (b); CREATE INDEX p1_b_idx ON p1 (b); ALTER INDEX pi ATTACH PARTITION p1_b_idx;`,
			live:      two,
			want:      []string{"missing index public.p.pi"}, // with p1's
		},
		{
			name:      "missing table with an invalid index",
			canonical: two + `CREATE INDEX pi ON ONLY p (b); CREATE INDEX p1_b_idx ON p1 (b); ALTER INDEX pi ATTACH PARTITION p1_b_idx;`,
			live:      ``,
			want:      []string{"missing index public.p.pi", "missing table public.p", "missing table public.p1", "missing table public.p2"},
		},
		{
			// A partition partitioned in turn: its own index is invalid
			// too, and attached to the top one.
			name: "two levels, the middle one invalid",
			canonical: `CREATE TABLE p (a int, b int) PARTITION BY RANGE (a);
CREATE TABLE q PARTITION OF p FOR VALUES FROM (0) TO (10) PARTITION BY RANGE (a);
CREATE TABLE q1 PARTITION OF q FOR VALUES FROM (0) TO (5);
CREATE INDEX pi ON ONLY p (b); CREATE INDEX qi ON ONLY q (b); ALTER INDEX pi ATTACH PARTITION qi;`,
			live: `CREATE TABLE p (a int, b int) PARTITION BY RANGE (a);
CREATE TABLE q PARTITION OF p FOR VALUES FROM (0) TO (10) PARTITION BY RANGE (a);
CREATE TABLE q1 PARTITION OF q FOR VALUES FROM (0) TO (5);`,
			want: []string{"missing index public.p.pi"},
		},
		{
			name: "two levels, live valid",
			canonical: `CREATE TABLE p (a int, b int) PARTITION BY RANGE (a);
CREATE TABLE q PARTITION OF p FOR VALUES FROM (0) TO (10) PARTITION BY RANGE (a);
CREATE TABLE q1 PARTITION OF q FOR VALUES FROM (0) TO (5);
CREATE INDEX pi ON ONLY p (b); CREATE INDEX qi ON ONLY q (b); ALTER INDEX pi ATTACH PARTITION qi;`,
			live: `CREATE TABLE p (a int, b int) PARTITION BY RANGE (a);
CREATE TABLE q PARTITION OF p FOR VALUES FROM (0) TO (10) PARTITION BY RANGE (a);
CREATE TABLE q1 PARTITION OF q FOR VALUES FROM (0) TO (5);
CREATE INDEX pi ON p (b); ALTER INDEX q_b_idx RENAME TO qi;`,
			want: []string{"changed index public.p.pi"},
		},
		{
			// Creating the partition clones the invalid index onto it.
			name:      "missing partition of a table with an invalid index",
			canonical: two + `CREATE INDEX pi ON ONLY p (b);`,
			live:      tables + `CREATE INDEX pi ON ONLY p (b);`,
			want:      []string{"missing table public.p2"},
		},
		{
			// The clone is the index canonical attaches: pi's item only
			// makes sure.
			name:      "missing partition whose index canonical attaches",
			canonical: two + `CREATE INDEX pi ON ONLY p (b); CREATE INDEX p2_b_idx ON p2 (b); ALTER INDEX pi ATTACH PARTITION p2_b_idx;`,
			live:      tables + `CREATE INDEX pi ON ONLY p (b);`,
			want:      []string{"changed index public.p.pi", "missing table public.p2"},
		},
		{
			// The new partition's clone goes with the index, made again
			// right after it; p1's index is built and attached by the
			// index's own item.
			name:      "missing partition, and an index to attach that live lacks",
			canonical: two + `CREATE INDEX pi ON ONLY p (b); CREATE INDEX p1_x ON p1 (b); ALTER INDEX pi ATTACH PARTITION p1_x;`,
			live:      tables + `CREATE INDEX pi ON ONLY p (b);`,
			want:      []string{"changed index public.p.pi", "missing table public.p2"},
		},
		{
			// Both invalid: which partitions are attached tells them apart.
			name:      "invalid on both sides, attached on different partitions",
			canonical: two + `CREATE INDEX pi ON ONLY p (b); CREATE INDEX p1_b_idx ON p1 (b); CREATE INDEX p2_b_idx ON p2 (b); ALTER INDEX pi ATTACH PARTITION p1_b_idx;`,
			live:      two + `CREATE INDEX pi ON ONLY p (b); CREATE INDEX p1_b_idx ON p1 (b); CREATE INDEX p2_b_idx ON p2 (b); ALTER INDEX pi ATTACH PARTITION p2_b_idx;`,
			want:      []string{"changed index public.p.pi"},
		},
		{
			// Canonical attaches more: attached in place, nothing rebuilt.
			name:      "invalid on both sides, canonical attaches one more that live lacks",
			canonical: three + `CREATE INDEX pi ON ONLY p (b); CREATE INDEX p1_b_idx ON p1 (b); CREATE INDEX p2_b_idx ON p2 (b); ALTER INDEX pi ATTACH PARTITION p1_b_idx; ALTER INDEX pi ATTACH PARTITION p2_b_idx;`,
			live:      three + `CREATE INDEX pi ON ONLY p (b); CREATE INDEX p1_b_idx ON p1 (b); ALTER INDEX pi ATTACH PARTITION p1_b_idx;`,
			want:      []string{"changed index public.p.pi"},
		},
	})
}

// After PostgreSQL's regression tests (indexing.sql): indexes made ON ONLY
// at two levels, and attached one by one, some not yet.
func TestAcceptanceIndexesOnOnlyLevels(t *testing.T) {
	const tables = `CREATE TABLE idxpart (a int, b int, c text) PARTITION BY RANGE (a);
CREATE TABLE idxpart1 PARTITION OF idxpart FOR VALUES FROM (0) TO (10);
CREATE TABLE idxpart2 PARTITION OF idxpart FOR VALUES FROM (10) TO (100) PARTITION BY RANGE (b);
CREATE TABLE idxpart21 PARTITION OF idxpart2 FOR VALUES FROM (0) TO (100);
CREATE TABLE idxpart22 PARTITION OF idxpart2 FOR VALUES FROM (100) TO (200);
`
	const indexes = `CREATE INDEX ON idxpart1 (a);
CREATE INDEX ON ONLY idxpart2 (a);
CREATE INDEX ON idxpart21 (a);
CREATE INDEX ON ONLY idxpart (a);
CREATE INDEX ON ONLY idxpart (b, c);
ALTER INDEX idxpart_a_idx ATTACH PARTITION idxpart1_a_idx;
ALTER INDEX idxpart_a_idx ATTACH PARTITION idxpart2_a_idx;
ALTER INDEX idxpart2_a_idx ATTACH PARTITION idxpart21_a_idx;
`
	// idxpart22 gets its index attached: everything is valid.
	const complete = indexes + `CREATE INDEX ON idxpart22 (a); ALTER INDEX idxpart2_a_idx ATTACH PARTITION idxpart22_a_idx;`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: tables + indexes, live: tables + indexes},
		{
			name:      "all missing",
			canonical: tables + indexes,
			live:      tables,
			want:      []string{"missing index public.idxpart.idxpart_a_idx", "missing index public.idxpart.idxpart_b_c_idx"},
		},
		{
			name:      "all unexpected",
			canonical: tables,
			live:      tables + indexes,
			want:      []string{"unexpected index public.idxpart.idxpart_a_idx", "unexpected index public.idxpart.idxpart_b_c_idx"},
		},
		{
			// An attachment cannot be undone: built again from the top.
			name:      "live attaches the last one",
			canonical: tables + indexes,
			live:      tables + complete,
			want:      []string{"changed index public.idxpart.idxpart_a_idx"},
		},
		{
			// Attached one level down; the top one follows.
			name:      "canonical attaches the last one",
			canonical: tables + complete,
			live:      tables + indexes,
			want:      []string{"changed index public.idxpart.idxpart_a_idx", "changed index public.idxpart2.idxpart2_a_idx"},
		},
		{
			name:      "missing tables",
			canonical: tables + indexes,
			live:      ``,
			want: []string{"missing index public.idxpart.idxpart_a_idx", "missing index public.idxpart.idxpart_b_c_idx",
				"missing table public.idxpart", "missing table public.idxpart1", "missing table public.idxpart2", "missing table public.idxpart21", "missing table public.idxpart22"},
		},
	})
	runDumpClean(t, []dumpCleanCase{
		{name: "dump, some attached", ddl: tables + indexes},
		{name: "dump, all attached", ddl: tables + complete},
	})
}

// Invalid partitioned indexes compare clean against themselves and their
// own pg_dump, which keeps them invalid.
func TestAcceptanceIndexesOnOnlyDumpClean(t *testing.T) {
	runDumpClean(t, []dumpCleanCase{
		{name: "invalid, attached on one partition", ddl: `CREATE SCHEMA "Odd S";
CREATE TABLE "Odd S".p (a int, b int) PARTITION BY RANGE (a);
CREATE TABLE "Odd S".p1 PARTITION OF "Odd S".p FOR VALUES FROM (0) TO (10);
CREATE TABLE "Odd S".p2 PARTITION OF "Odd S".p FOR VALUES FROM (10) TO (20);
CREATE INDEX "p i" ON ONLY "Odd S".p (b);
CREATE INDEX p1_b ON "Odd S".p1 (b);
ALTER INDEX "Odd S"."p i" ATTACH PARTITION "Odd S".p1_b;
CREATE INDEX pa ON ONLY "Odd S".p (a);
CREATE INDEX pv ON "Odd S".p (a, b);`},
		{name: "two levels", ddl: `CREATE TABLE p (a int, b int) PARTITION BY RANGE (a);
CREATE TABLE q PARTITION OF p FOR VALUES FROM (0) TO (10) PARTITION BY RANGE (a);
CREATE TABLE q1 PARTITION OF q FOR VALUES FROM (0) TO (5);
CREATE INDEX pi ON ONLY p (b); CREATE INDEX qi ON ONLY q (b); ALTER INDEX pi ATTACH PARTITION qi;`},
	})
}
