package checker

import "testing"

// Tables: regular, partitioned (with bounds, attach and detach), unlogged,
// inheritance, row-level security.
func TestAcceptanceTables(t *testing.T) {
	const parts = `CREATE TABLE events (id int NOT NULL, at date NOT NULL, body text) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_rest PARTITION OF events DEFAULT;
CREATE INDEX events_at_idx ON events (at);
`
	const inherit = `CREATE TABLE base (id int NOT NULL, note text CHECK (note <> ''));
CREATE TABLE child (extra int) INHERITS (base);
`
	every := parts + inherit + `
CREATE TABLE plain (id int PRIMARY KEY, name text);
CREATE UNLOGGED TABLE scratch (k text PRIMARY KEY, v jsonb) WITH (fillfactor = 70);
CREATE TABLE regions (code text NOT NULL, name text) PARTITION BY LIST (code);
CREATE TABLE regions_eu PARTITION OF regions FOR VALUES IN ('de', 'fr');
CREATE TABLE buckets (id bigint NOT NULL) PARTITION BY HASH (id);
CREATE TABLE buckets_0 PARTITION OF buckets FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE buckets_1 PARTITION OF buckets FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE secrets (id int, owner text);
ALTER TABLE secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE secrets FORCE ROW LEVEL SECURITY;
ALTER TABLE plain REPLICA IDENTITY FULL;
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{name: "identical with column order", canonical: every, live: every, opts: DiffOptions{ColumnOrder: true}},
		{
			name:      "missing table",
			canonical: `CREATE TABLE a (id int); CREATE TABLE b (id int PRIMARY KEY, a_id int, name text DEFAULT 'x' NOT NULL);`,
			live:      `CREATE TABLE a (id int);`,
			want:      []string{"missing table public.b"},
			severity:  Critical,
		},
		{
			name:      "unexpected table",
			canonical: `CREATE TABLE a (id int);`,
			live:      `CREATE TABLE a (id int); CREATE TABLE extra (id serial PRIMARY KEY, note text); CREATE INDEX ON extra (note);`,
			want:      []string{"unexpected table public.extra"},
			severity:  Warning,
		},
		{
			name:      "missing partition",
			canonical: parts,
			live: `CREATE TABLE events (id int NOT NULL, at date NOT NULL, body text) PARTITION BY RANGE (at);
CREATE TABLE events_rest PARTITION OF events DEFAULT;
CREATE INDEX events_at_idx ON events (at);`,
			want: []string{"missing table public.events_2024"},
		},
		{
			// A partition may make an inherited column NOT NULL or give it
			// its own default; the CREATE in the fix must keep both.
			name: "missing partition with its own column settings",
			canonical: `CREATE TABLE jobs (kind text, state text) PARTITION BY LIST (kind);
CREATE TABLE jobs_mail PARTITION OF jobs (state NOT NULL DEFAULT 'queued') FOR VALUES IN ('mail');`,
			live: `CREATE TABLE jobs (kind text, state text) PARTITION BY LIST (kind);`,
			want: []string{"missing table public.jobs_mail"},
		},
		{
			name:      "unexpected partition",
			canonical: parts,
			live:      parts + `CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');`,
			want:      []string{"unexpected table public.events_2025"},
		},
		{
			name:      "partition detached",
			canonical: parts,
			live:      parts + `ALTER TABLE events DETACH PARTITION events_2024;`,
			want:      []string{"changed table public.events_2024"},
			severity:  Critical,
		},
		{
			name:      "table attached as a partition",
			canonical: parts + `ALTER TABLE events DETACH PARTITION events_2024;`,
			live:      parts,
			want:      []string{"changed table public.events_2024"},
		},
		{
			name:      "partition bound differs",
			canonical: parts,
			live: `CREATE TABLE events (id int NOT NULL, at date NOT NULL, body text) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
CREATE TABLE events_rest PARTITION OF events DEFAULT;
CREATE INDEX events_at_idx ON events (at);`,
			want: []string{"changed table public.events_2024"},
		},
		{
			name:      "partition key differs",
			canonical: `CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);`,
			live:      `CREATE TABLE m (id int, at date) PARTITION BY RANGE (id);`,
			want:      []string{"changed table public.m"},
			manual:    true,
			severity:  Critical,
		},
		{
			name:      "partitioned table is a plain table",
			canonical: `CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);`,
			live:      `CREATE TABLE m (id int, at date);`,
			want:      []string{"changed table public.m"},
			manual:    true,
		},
		{
			name:      "logged instead of unlogged",
			canonical: `CREATE UNLOGGED TABLE c (k text PRIMARY KEY);`,
			live:      `CREATE TABLE c (k text PRIMARY KEY);`,
			want:      []string{"changed table public.c"},
			severity:  Warning,
		},
		{
			name:      "unlogged instead of logged",
			canonical: `CREATE TABLE c (k text);`,
			live:      `CREATE UNLOGGED TABLE c (k text);`,
			want:      []string{"changed table public.c"},
		},
		{
			name:      "child no longer inherits",
			canonical: inherit,
			live: `CREATE TABLE base (id int NOT NULL, note text CHECK (note <> ''));
CREATE TABLE child (id int NOT NULL, note text CONSTRAINT base_note_check CHECK (note <> ''), extra int);`,
			want: []string{"changed table public.child"},
		},
		{
			name:      "unexpected inheritance",
			canonical: `CREATE TABLE base (id int NOT NULL); CREATE TABLE other (id int NOT NULL); CREATE TABLE child (extra int) INHERITS (base);`,
			live:      `CREATE TABLE base (id int NOT NULL); CREATE TABLE other (id int NOT NULL); CREATE TABLE child (extra int) INHERITS (base, other);`,
			want:      []string{"changed table public.child"},
		},
		{
			name:      "row level security off",
			canonical: `CREATE TABLE s (id int); ALTER TABLE s ENABLE ROW LEVEL SECURITY; ALTER TABLE s FORCE ROW LEVEL SECURITY;`,
			live:      `CREATE TABLE s (id int);`,
			want:      []string{"changed table public.s"},
			severity:  Critical,
		},
		{
			name:      "row level security forced only live",
			canonical: `CREATE TABLE s (id int); ALTER TABLE s ENABLE ROW LEVEL SECURITY;`,
			live:      `CREATE TABLE s (id int); ALTER TABLE s ENABLE ROW LEVEL SECURITY; ALTER TABLE s FORCE ROW LEVEL SECURITY;`,
			want:      []string{"changed table public.s"},
			severity:  Critical,
		},
		{
			name:      "storage options and replica identity",
			canonical: `CREATE TABLE o (id int) WITH (fillfactor = 70, autovacuum_enabled = false); ALTER TABLE o REPLICA IDENTITY FULL;`,
			live:      `CREATE TABLE o (id int) WITH (fillfactor = 90, toast_tuple_target = 256);`,
			want:      []string{"changed table public.o"},
		},
		{
			name:      "missing partitioned table with partitions",
			canonical: `CREATE TABLE x (id int);` + parts,
			live:      `CREATE TABLE x (id int);`,
			want:      []string{"missing table public.events", "missing table public.events_2024", "missing table public.events_rest"},
		},
		{
			name:      "unexpected partitioned table with partitions",
			canonical: `CREATE TABLE x (id int);`,
			live:      `CREATE TABLE x (id int);` + parts,
			want:      []string{"unexpected table public.events", "unexpected table public.events_2024", "unexpected table public.events_rest"},
		},
		{
			// Two tables that reference each other: neither DROP TABLE
			// can go first unless the other's foreign key goes before it.
			name:      "unexpected tables referencing each other",
			canonical: ``,
			live: `CREATE TABLE hen (id int PRIMARY KEY, egg_id int); CREATE TABLE egg (id int PRIMARY KEY, hen_id int REFERENCES hen);
ALTER TABLE hen ADD FOREIGN KEY (egg_id) REFERENCES egg;`,
			want: []string{"unexpected table public.egg", "unexpected table public.hen"},
		},
		{
			// The partitioned table's DROP takes its partitions, which a
			// table of another schema about to go references.
			name:      "unexpected partitioned table referenced from an unexpected schema",
			canonical: ``,
			live: `CREATE TABLE region (code text PRIMARY KEY) PARTITION BY LIST (code);
CREATE TABLE region_eu PARTITION OF region FOR VALUES IN ('eu');
CREATE SCHEMA billing; CREATE TABLE billing.invoice (code text REFERENCES region);
CREATE TABLE audit (code text REFERENCES region_eu);`,
			want: []string{"unexpected schema billing", "unexpected table public.audit", "unexpected table public.region", "unexpected table public.region_eu"},
		},
	})
}
