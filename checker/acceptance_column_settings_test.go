package checker

import "testing"

// A column's settings of its own: storage, statistics target, compression,
// planner options and a foreign table column's options. The fixes give
// them with ALTER COLUMN, after CREATE TABLE and ADD COLUMN too, where a
// partition starts with its parent's storage and compression.
func TestAcceptanceColumnSettings(t *testing.T) {
	const every = `CREATE TABLE t (a text, b int, c text, d jsonb);
ALTER TABLE t ALTER COLUMN a SET STORAGE EXTERNAL, ALTER COLUMN b SET STATISTICS 500,
  ALTER COLUMN c SET COMPRESSION lz4, ALTER COLUMN d SET (n_distinct = 100, n_distinct_inherited = -0.5);
CREATE FOREIGN DATA WRAPPER w; CREATE SERVER s FOREIGN DATA WRAPPER w;
CREATE FOREIGN TABLE f (x int OPTIONS (column_name 'X', "weird, name" 'a''b, c'), y text) SERVER s;`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "settings given in other statements and orders",
			canonical: `CREATE TABLE t (a text, d jsonb); ALTER TABLE t ALTER COLUMN d SET (n_distinct = 100, n_distinct_inherited = -0.5);`,
			live: `CREATE TABLE t (a text, d jsonb); ALTER TABLE t ALTER COLUMN d SET (n_distinct_inherited = -0.5);
ALTER TABLE t ALTER COLUMN d SET (n_distinct = 100); ALTER TABLE t ALTER COLUMN a SET STORAGE EXTENDED;`,
		},
		{
			name:      "every setting missing",
			canonical: every,
			live: `CREATE TABLE t (a text, b int, c text, d jsonb);
CREATE FOREIGN DATA WRAPPER w; CREATE SERVER s FOREIGN DATA WRAPPER w;
CREATE FOREIGN TABLE f (x int, y text) SERVER s;`,
			want: []string{"changed column public.f.x", "changed column public.t.a", "changed column public.t.b",
				"changed column public.t.c", "changed column public.t.d"},
			severity: Warning,
		},
		{
			name: "every setting unexpected",
			canonical: `CREATE TABLE t (a text, b int, c text, d jsonb); CREATE FOREIGN DATA WRAPPER w; CREATE SERVER s FOREIGN DATA WRAPPER w;
CREATE FOREIGN TABLE f (x int, y text) SERVER s;`,
			live: every,
			want: []string{"changed column public.f.x", "changed column public.t.a", "changed column public.t.b",
				"changed column public.t.c", "changed column public.t.d"},
		},
		{
			name:      "settings changed",
			canonical: every,
			live: `CREATE TABLE t (a text, b int, c text, d jsonb);
ALTER TABLE t ALTER COLUMN a SET STORAGE MAIN, ALTER COLUMN b SET STATISTICS 10,
  ALTER COLUMN c SET COMPRESSION pglz, ALTER COLUMN d SET (n_distinct = 5);
CREATE FOREIGN DATA WRAPPER w; CREATE SERVER s FOREIGN DATA WRAPPER w;
CREATE FOREIGN TABLE f (x int OPTIONS (column_name 'x', other 'o'), y text) SERVER s;`,
			want: []string{"changed column public.f.x", "changed column public.t.a", "changed column public.t.b",
				"changed column public.t.c", "changed column public.t.d"},
		},
		{
			name:      "missing tables and column with settings",
			canonical: every + `ALTER TABLE t ADD COLUMN e text; ALTER TABLE t ALTER COLUMN e SET STORAGE MAIN, ALTER COLUMN e SET STATISTICS 0;`,
			live:      `CREATE TABLE t (a text, b int, c text, d jsonb); CREATE FOREIGN DATA WRAPPER w;`,
			want: []string{"changed column public.t.a", "changed column public.t.b", "changed column public.t.c", "changed column public.t.d",
				"missing column public.t.e", "missing server s", "missing table public.f"},
		},
		{
			name: "partitions made after and before the parent's settings",
			canonical: `CREATE TABLE p (a text, k int, c text) PARTITION BY LIST (k);
CREATE TABLE p_before PARTITION OF p FOR VALUES IN (1);
ALTER TABLE p ALTER COLUMN a SET STORAGE EXTERNAL;
ALTER TABLE ONLY p ALTER COLUMN c SET COMPRESSION lz4;
CREATE TABLE p_after PARTITION OF p FOR VALUES IN (2);`,
			live: `CREATE TABLE p (a text, k int, c text) PARTITION BY LIST (k);`,
			want: []string{"changed column public.p.a", "changed column public.p.c", "missing table public.p_after", "missing table public.p_before"},
		},
		{
			name:      "type changed with its storage",
			canonical: `CREATE TABLE t (a text, b varchar(10)); ALTER TABLE t ALTER COLUMN a SET STORAGE MAIN;`,
			live:      `CREATE TABLE t (a int, b text); ALTER TABLE t ALTER COLUMN b SET STORAGE PLAIN;`,
			want:      []string{"changed column public.t.a", "changed column public.t.b"},
		},
		{
			name:      "generated column made anew keeps its statistics target",
			canonical: `CREATE TABLE t (a int, g int GENERATED ALWAYS AS (a * 2) STORED); ALTER TABLE t ALTER COLUMN g SET STATISTICS 300;`,
			live:      `CREATE TABLE t (a int, g int GENERATED ALWAYS AS (a * 3) STORED);`,
			want:      []string{"changed column public.t.g"},
		},
	})
}
