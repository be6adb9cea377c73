package checker

import "testing"

// Views, materialized views, and views that depend on views.
func TestAcceptanceViews(t *testing.T) {
	const base = `CREATE TABLE t (id int, name text, score int);
`
	const every = base + `
CREATE VIEW v AS SELECT id, name FROM t WHERE score > 0;
CREATE VIEW v2 AS SELECT id FROM v;
CREATE VIEW sec WITH (security_barrier = true) AS SELECT id FROM t;
CREATE MATERIALIZED VIEW mv AS SELECT score, count(*) AS n FROM t GROUP BY score;
CREATE VIEW on_mv AS SELECT n FROM mv;
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "missing view on a view",
			canonical: base + `CREATE VIEW a2 AS SELECT 1 AS x; CREATE VIEW z1 AS SELECT id FROM t; CREATE VIEW a3 AS SELECT id FROM z1;`,
			live:      base,
			want:      []string{"missing view public.a2", "missing view public.a3", "missing view public.z1"},
			severity:  Critical,
		},
		{
			name:      "unexpected views",
			canonical: base,
			live:      base + `CREATE VIEW z1 AS SELECT id FROM t; CREATE VIEW a3 AS SELECT id FROM z1; CREATE MATERIALIZED VIEW m AS SELECT id FROM a3;`,
			want:      []string{"unexpected materialized view public.m", "unexpected view public.a3", "unexpected view public.z1"},
			severity:  Warning,
		},
		{
			name:      "view gains a column",
			canonical: base + `CREATE VIEW v AS SELECT id, name FROM t; CREATE VIEW v2 AS SELECT id FROM v;`,
			live:      base + `CREATE VIEW v AS SELECT id FROM t; CREATE VIEW v2 AS SELECT id FROM v;`,
			want:      []string{"changed view public.v"},
		},
		{
			name:      "view loses a column",
			canonical: base + `CREATE VIEW v AS SELECT id FROM t;`,
			live:      base + `CREATE VIEW v AS SELECT id, name FROM t;`,
			want:      []string{"changed view public.v"},
		},
		{
			name:      "view with a dependent view changes its columns",
			canonical: base + `CREATE VIEW v AS SELECT name, id FROM t; CREATE VIEW v2 AS SELECT id FROM v;`,
			live:      base + `CREATE VIEW v AS SELECT id, score FROM t; CREATE VIEW v2 AS SELECT id FROM v;`,
			want:      []string{"changed view public.v"},
		},
		{
			name:      "view filter and options",
			canonical: base + `CREATE VIEW v WITH (security_barrier = true) AS SELECT id FROM t WHERE score > 0;`,
			live:      base + `CREATE VIEW v AS SELECT id FROM t WHERE score > 1;`,
			want:      []string{"changed view public.v"},
		},
		{
			name:      "materialized view definition",
			canonical: base + `CREATE MATERIALIZED VIEW mv AS SELECT id FROM t WHERE score > 0; CREATE INDEX mv_id ON mv (id);`,
			live:      base + `CREATE MATERIALIZED VIEW mv AS SELECT id FROM t; CREATE INDEX mv_id ON mv (id);`,
			want:      []string{"changed materialized view public.mv"},
		},
		{
			name:      "missing materialized view with index",
			canonical: base + `CREATE MATERIALIZED VIEW mv AS SELECT id FROM t; CREATE UNIQUE INDEX mv_id ON mv (id);`,
			live:      base,
			want:      []string{"missing materialized view public.mv"},
		},
		{
			name:      "view is a table",
			canonical: base + `CREATE VIEW v AS SELECT id FROM t;`,
			live:      base + `CREATE TABLE v (id int);`,
			want:      []string{"missing view public.v", "unexpected table public.v"},
		},
	})
}

// Views that must be dropped to change keep their dependents, indexes,
// triggers, grants and comments.
func TestAcceptanceViewsRecreated(t *testing.T) {
	const base = `CREATE TABLE t (id int, name text, score int);
CREATE FUNCTION ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
`
	const deps = `CREATE VIEW top AS SELECT id FROM v;
CREATE MATERIALIZED VIEW m AS SELECT id FROM top;
CREATE INDEX m_id ON m (id);
CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION ins();
COMMENT ON VIEW v IS 'the view';
GRANT SELECT ON v, top TO PUBLIC;
`
	runAcceptance(t, []acceptanceCase{
		{
			name:      "view with dependents loses a column",
			canonical: base + `CREATE VIEW v AS SELECT id FROM t;` + deps,
			live:      base + `CREATE VIEW v AS SELECT id, name FROM t;` + deps,
			want:      []string{"changed view public.v"},
		},
		{
			name:      "view with dependents, compared with grants and comments",
			canonical: base + `CREATE VIEW v AS SELECT id FROM t;` + deps,
			live:      base + `CREATE VIEW v AS SELECT score AS id FROM t;` + deps,
			want:      []string{"changed view public.v"},
			opts:      DiffOptions{Comments: true, Privileges: true},
		},
		{
			name:      "materialized view under a view",
			canonical: base + `CREATE MATERIALIZED VIEW mv AS SELECT id FROM t WHERE score > 0; CREATE VIEW over AS SELECT id FROM mv;`,
			live:      base + `CREATE MATERIALIZED VIEW mv AS SELECT id FROM t; CREATE VIEW over AS SELECT id FROM mv;`,
			want:      []string{"changed materialized view public.mv"},
		},
		{
			// The view must leave before the column it reads is dropped;
			// its own item creates it again on the new column.
			name:      "view moves from a dropped column to a new one",
			canonical: `CREATE TABLE task (id int, new_state text); CREATE VIEW open_task AS SELECT id FROM task WHERE new_state = 'open';`,
			live:      `CREATE TABLE task (id int, old_state text); CREATE VIEW open_task AS SELECT id FROM task WHERE old_state = 'open';`,
			want:      []string{"changed view public.open_task", "missing column public.task.new_state", "unexpected column public.task.old_state"},
		},
		{
			name:      "view moves to a table that replaces its old one",
			canonical: `CREATE TABLE ledger2 (amount int); CREATE VIEW total AS SELECT sum(amount) AS s FROM ledger2;`,
			live:      `CREATE TABLE ledger1 (amount int); CREATE VIEW total AS SELECT sum(amount) AS s FROM ledger1;`,
			want:      []string{"changed view public.total", "missing table public.ledger2", "unexpected table public.ledger1"},
		},
	})
}

// An outer NATURAL join of tables with no common column has no condition
// and prints as "ON TRUE"; the dump of it reads back with the condition
// true, "ON (true)". The two views are the same.
func TestAcceptanceViewOuterJoinWithoutCondition(t *testing.T) {
	const base = `CREATE TABLE shelves (shelf int, aisle int);
CREATE TABLE bins (bin int, size int);
`
	runAcceptance(t, []acceptanceCase{
		{
			name:      "natural left join as written and as dumped",
			canonical: base + `CREATE VIEW stock AS SELECT shelves.shelf, shelves.aisle, bins.bin, bins.size FROM (shelves LEFT JOIN bins ON (true));`,
			live:      base + `CREATE VIEW stock AS SELECT * FROM shelves NATURAL LEFT JOIN bins;`,
		},
		{
			name:      "natural left join against a real condition",
			canonical: base + `CREATE VIEW stock AS SELECT shelves.shelf, shelves.aisle, bins.bin, bins.size FROM (shelves LEFT JOIN bins ON (shelves.shelf = bins.bin));`,
			live:      base + `CREATE VIEW stock AS SELECT * FROM shelves NATURAL LEFT JOIN bins;`,
			want:      []string{"changed view public.stock"},
		},
	})
}
