package checker

import "testing"

// Indexes: partial, expression, unique, INCLUDE columns, on partitioned
// tables.
func TestAcceptanceIndexes(t *testing.T) {
	const tables = `CREATE TABLE t (id int, email text, score numeric, at timestamptz, data jsonb);
CREATE TABLE p (id int NOT NULL, at date NOT NULL, v int) PARTITION BY RANGE (at);
CREATE TABLE p_2024 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE p_2025 PARTITION OF p FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
`
	const every = tables + `
CREATE INDEX t_partial ON t (at) WHERE score > 0;
CREATE INDEX t_expr ON t (lower(email), (data->>'k'));
CREATE UNIQUE INDEX t_email ON t (email) INCLUDE (score);
CREATE INDEX t_gin ON t USING gin (data jsonb_path_ops);
CREATE INDEX t_desc ON t (score DESC NULLS LAST, id) WITH (fillfactor = 80);
CREATE INDEX p_at ON p (at);
CREATE UNIQUE INDEX p_id ON p (id, at);
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "missing partial and expression index",
			canonical: tables + `CREATE INDEX t_partial ON t (at) WHERE score > 0; CREATE INDEX t_expr ON t (lower(email));`,
			live:      tables,
			want:      []string{"missing index public.t.t_expr", "missing index public.t.t_partial"},
			severity:  Warning,
		},
		{
			name:      "unexpected index",
			canonical: tables,
			live:      tables + `CREATE INDEX ON t (id); CREATE UNIQUE INDEX t_u ON t (email);`,
			want:      []string{"unexpected index public.t.t_id_idx", "unexpected index public.t.t_u"},
			severity:  Warning,
		},
		{
			name:      "predicate changed",
			canonical: tables + `CREATE INDEX t_partial ON t (at) WHERE score > 0;`,
			live:      tables + `CREATE INDEX t_partial ON t (at) WHERE score > 10;`,
			want:      []string{"changed index public.t.t_partial"},
		},
		{
			// The foreign keys print the same, but the live one uses the
			// changed index: its fix must drop and re-add the foreign key
			// around the index, with or without sharing the canonical model.
			name: "changed unique index a foreign key uses instead of the primary key",
			canonical: `CREATE TABLE fp (id int PRIMARY KEY);
CREATE UNIQUE INDEX fp_id_uidx ON fp (id);
CREATE TABLE fc (pid int REFERENCES fp (id));`,
			live: `CREATE TABLE fp (id int);
CREATE UNIQUE INDEX fp_id_uidx ON fp (id) WITH (fillfactor = 70);
ALTER TABLE fp ADD PRIMARY KEY (id);
CREATE TABLE fc (pid int REFERENCES fp (id));`,
			want: []string{"changed index public.fp.fp_id_uidx"},
		},
		{
			name:      "unique and include columns changed",
			canonical: tables + `CREATE UNIQUE INDEX t_email ON t (email) INCLUDE (score);`,
			live:      tables + `CREATE INDEX t_email ON t (email) INCLUDE (at);`,
			want:      []string{"changed index public.t.t_email"},
		},
		{
			name:      "missing index on a partitioned table",
			canonical: tables + `CREATE INDEX p_at ON p (at);`,
			live:      tables,
			want:      []string{"missing index public.p.p_at"},
		},
		{
			name:      "unexpected index on a partitioned table",
			canonical: tables,
			live:      tables + `CREATE INDEX p_v ON p (v);`,
			want:      []string{"unexpected index public.p.p_v"},
		},
		{
			name:      "index on a partitioned table changed",
			canonical: tables + `CREATE INDEX p_x ON p (at);`,
			live:      tables + `CREATE INDEX p_x ON p (v);`,
			want:      []string{"changed index public.p.p_x"},
		},
		{
			name:      "index on one partition only",
			canonical: tables + `CREATE INDEX p_2024_v ON p_2024 (v);`,
			live:      tables,
			want:      []string{"missing index public.p_2024.p_2024_v"},
		},
		{
			name:      "index on a materialized view",
			canonical: tables + `CREATE MATERIALIZED VIEW mv AS SELECT id, email FROM t; CREATE UNIQUE INDEX mv_id ON mv (id);`,
			live:      tables + `CREATE MATERIALIZED VIEW mv AS SELECT id, email FROM t;`,
			want:      []string{"missing index public.mv.mv_id"},
		},
		{
			// The partitioned table's index was built after its partitions
			// had a matching index and a key: it adopted them. The fix builds
			// it after the partitions too (an item of its own), or PostgreSQL
			// would clone new ones next to them.
			name: "missing partitioned table whose index adopted the partitions' own",
			canonical: `CREATE TABLE reading (sensor text, at int, v int) PARTITION BY LIST (sensor);
CREATE TABLE reading_a PARTITION OF reading (PRIMARY KEY (sensor, at)) FOR VALUES IN ('a');
CREATE TABLE reading_b PARTITION OF reading FOR VALUES IN ('b');
CREATE UNIQUE INDEX reading_b_by_time ON reading_b (sensor, at);
CREATE UNIQUE INDEX reading_key ON reading (sensor, at);`,
			live: ``,
			want: []string{"missing index public.reading.reading_key", "missing table public.reading", "missing table public.reading_a", "missing table public.reading_b"},
		},
		{
			// Dropping the partitioned index drops the partition's index
			// attached to it, which canonical keeps on its own: it is
			// built again.
			name: "partition index kept when the partitioned index it is attached to goes",
			canonical: `CREATE TABLE visit (site text, n int) PARTITION BY LIST (site);
CREATE TABLE visit_x PARTITION OF visit FOR VALUES IN ('x');
CREATE INDEX visit_x_by_n ON visit_x (site, n);`,
			live: `CREATE TABLE visit (site text, n int) PARTITION BY LIST (site);
CREATE TABLE visit_x PARTITION OF visit FOR VALUES IN ('x');
CREATE INDEX visit_x_by_n ON visit_x (site, n);
CREATE INDEX visit_by_n ON visit (site, n);`,
			want: []string{"unexpected index public.visit.visit_by_n"},
		},
		{
			// Dropping the partitioned table's key drops the partition's
			// key cloned from it, which canonical has as the partition's
			// own: it is added again.
			name: "partition key kept when the partitioned table's key goes",
			canonical: `CREATE TABLE shelf (aisle text NOT NULL, slot int NOT NULL) PARTITION BY LIST (aisle);
CREATE TABLE shelf_a PARTITION OF shelf FOR VALUES IN ('a');
ALTER TABLE shelf_a ADD CONSTRAINT shelf_a_pkey PRIMARY KEY (aisle, slot);`,
			live: `CREATE TABLE shelf (aisle text NOT NULL, slot int NOT NULL, PRIMARY KEY (aisle, slot)) PARTITION BY LIST (aisle);
CREATE TABLE shelf_a PARTITION OF shelf FOR VALUES IN ('a');`,
			want: []string{"unexpected constraint public.shelf.shelf_pkey"},
		},
	})
}

// An expression index's statistics targets (ALTER INDEX ... ALTER COLUMN n
// SET STATISTICS), set in place, and given to an index made anew.
func TestAcceptanceIndexStatistics(t *testing.T) {
	const base = `CREATE TABLE t (a int, b text, c int);`
	runAcceptance(t, []acceptanceCase{
		{
			name:      "identical",
			canonical: base + `CREATE INDEX t_expr ON t (a, lower(b), (c + 1)); ALTER INDEX t_expr ALTER COLUMN 2 SET STATISTICS 300;`,
			live:      base + `CREATE INDEX t_expr ON t (a, lower(b), (c + 1)); ALTER INDEX t_expr ALTER COLUMN 2 SET STATISTICS 300;`,
		},
		{
			name:      "targets set, changed and back to default",
			canonical: base + `CREATE INDEX t_expr ON t (a, lower(b), (c + 1)); ALTER INDEX t_expr ALTER COLUMN 2 SET STATISTICS 300;`,
			live: base + `CREATE INDEX t_expr ON t (a, lower(b), (c + 1));
ALTER INDEX t_expr ALTER COLUMN 2 SET STATISTICS 30; ALTER INDEX t_expr ALTER COLUMN 3 SET STATISTICS 10;`,
			want: []string{"changed index public.t.t_expr"},
		},
		{
			name:      "missing index with a target",
			canonical: base + `CREATE INDEX t_lower ON t (lower(b)); ALTER INDEX t_lower ALTER COLUMN 1 SET STATISTICS 0;`,
			live:      base,
			want:      []string{"missing index public.t.t_lower"},
		},
		{
			name:      "definition and target changed",
			canonical: base + `CREATE INDEX t_lower ON t (lower(b)) WHERE a > 0; ALTER INDEX t_lower ALTER COLUMN 1 SET STATISTICS 50;`,
			live:      base + `CREATE INDEX t_lower ON t (lower(b)); ALTER INDEX t_lower ALTER COLUMN 1 SET STATISTICS 60;`,
			want:      []string{"changed index public.t.t_lower"},
		},
	})
}
