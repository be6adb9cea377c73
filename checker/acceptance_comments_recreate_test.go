package checker

import "testing"

// With --comments, a comment on the index behind a primary key, unique or
// exclusion constraint is compared, and the comments on what a fix drops
// and creates again (keys, their indexes, foreign keys, triggers) come back.
func TestAcceptanceCommentsRecreated(t *testing.T) {
	comments := DiffOptions{Comments: true}
	const keyed = `CREATE TABLE t (id int, x int, CONSTRAINT t_pkey PRIMARY KEY (id), CONSTRAINT t_x_key UNIQUE (x));
COMMENT ON INDEX t_pkey IS 'the key''s index'; COMMENT ON CONSTRAINT t_pkey ON t IS 'the key';
COMMENT ON INDEX t_x_key IS 'x index';`
	runAcceptance(t, []acceptanceCase{
		{name: "key index comments identical", canonical: keyed, live: keyed, opts: comments},
		{name: "key index comments ignored by default", canonical: keyed,
			live: `CREATE TABLE t (id int, x int, CONSTRAINT t_pkey PRIMARY KEY (id), CONSTRAINT t_x_key UNIQUE (x));`},
		{
			name:      "key index comment missing",
			canonical: keyed,
			live: `CREATE TABLE t (id int, x int, CONSTRAINT t_pkey PRIMARY KEY (id), CONSTRAINT t_x_key UNIQUE (x));
COMMENT ON CONSTRAINT t_pkey ON t IS 'the key'; COMMENT ON INDEX t_x_key IS 'other';`,
			opts: comments,
			want: []string{"changed constraint public.t.t_pkey", "changed constraint public.t.t_x_key"},
		},
		{
			name:      "key index comment unexpected",
			canonical: `CREATE TABLE t (id int PRIMARY KEY);`,
			live:      `CREATE TABLE t (id int PRIMARY KEY); COMMENT ON INDEX t_pkey IS 'stray';`,
			opts:      comments,
			want:      []string{"changed constraint public.t.t_pkey"},
		},
		{
			name:      "missing table with commented key index",
			canonical: keyed,
			opts:      comments,
			want:      []string{"missing table public.t"},
		},
		{
			name: "exclusion index comment",
			canonical: `CREATE TABLE r (a int4range, EXCLUDE USING gist (a WITH &&));
COMMENT ON INDEX r_a_excl IS 'no overlap';`,
			live: `CREATE TABLE r (a int4range, EXCLUDE USING gist (a WITH &&));`,
			opts: comments,
			want: []string{"changed constraint public.r.r_a_excl"},
		},
		{
			// The key is dropped and made again: its comment, its index's
			// comment and the comment of the foreign key that goes with it
			// come back.
			name: "key recreated keeps comments",
			canonical: `CREATE TABLE t (id int, x int, CONSTRAINT t_pkey PRIMARY KEY (id, x));
CREATE TABLE c (id int, x int, CONSTRAINT c_fk FOREIGN KEY (id, x) REFERENCES t);
COMMENT ON INDEX t_pkey IS 'pk index'; COMMENT ON CONSTRAINT t_pkey ON t IS 'pk';
COMMENT ON CONSTRAINT c_fk ON c IS 'fk';`,
			live: `CREATE TABLE t (id int, x int, CONSTRAINT t_pkey PRIMARY KEY (x, id));
CREATE TABLE c (id int, x int, CONSTRAINT c_fk FOREIGN KEY (id, x) REFERENCES t (x, id));
COMMENT ON INDEX t_pkey IS 'pk index'; COMMENT ON CONSTRAINT t_pkey ON t IS 'pk';
COMMENT ON CONSTRAINT c_fk ON c IS 'fk';`,
			opts: comments,
			want: []string{"changed constraint public.c.c_fk", "changed constraint public.t.t_pkey"},
		},
		{
			// The unique key a foreign key uses is made again; the
			// foreign key, equal in both, is dropped and comes back.
			name: "foreign key dropped for its key keeps its comment",
			canonical: `CREATE TABLE t (id int, x int, CONSTRAINT t_id_key UNIQUE (id) INCLUDE (x));
CREATE TABLE c (id int, CONSTRAINT c_fk FOREIGN KEY (id) REFERENCES t (id));
COMMENT ON CONSTRAINT c_fk ON c IS 'fk'; COMMENT ON INDEX t_id_key IS 'uk';`,
			live: `CREATE TABLE t (id int, x int, CONSTRAINT t_id_key UNIQUE (id));
CREATE TABLE c (id int, CONSTRAINT c_fk FOREIGN KEY (id) REFERENCES t (id));
COMMENT ON CONSTRAINT c_fk ON c IS 'fk'; COMMENT ON INDEX t_id_key IS 'uk';`,
			opts: comments,
			want: []string{"changed constraint public.t.t_id_key"},
		},
		{
			name: "trigger recreated keeps its comment",
			canonical: `CREATE TABLE t (id int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
COMMENT ON TRIGGER tr ON t IS 'fires';`,
			live: `CREATE TABLE t (id int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION tf();
COMMENT ON TRIGGER tr ON t IS 'fires';`,
			opts: comments,
			want: []string{"changed trigger public.t.tr"},
		},
		{
			// A column changes type: the check, the expression index and
			// the policy that read it go and come back with their comments.
			name: "column type change keeps its users' comments",
			canonical: `CREATE TABLE t (id bigint, CONSTRAINT pos CHECK (id > 0));
CREATE INDEX t_expr ON t ((id + 1));
CREATE POLICY p ON t USING (id > 1);
COMMENT ON CONSTRAINT pos ON t IS 'positive'; COMMENT ON INDEX t_expr IS 'expr'; COMMENT ON POLICY p ON t IS 'pol';`,
			live: `CREATE TABLE t (id int, CONSTRAINT pos CHECK (id > 0));
CREATE INDEX t_expr ON t ((id + 1));
CREATE POLICY p ON t USING (id > 1);
COMMENT ON CONSTRAINT pos ON t IS 'positive'; COMMENT ON INDEX t_expr IS 'expr'; COMMENT ON POLICY p ON t IS 'pol';`,
			opts: comments,
			want: []string{"changed column public.t.id"},
		},
	})
}

// A partition's key is PostgreSQL's clone of its parent's: the comment on
// its index is still its own.
func TestAcceptanceCommentsPartitionKeyIndex(t *testing.T) {
	comments := DiffOptions{Comments: true}
	const parent = `CREATE TABLE p (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
`
	const part = `CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);
COMMENT ON INDEX p1_pkey IS 'partition key';`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: parent + part, live: parent + part, opts: comments},
		{
			name:      "partition index comment missing",
			canonical: parent + part,
			live:      parent + `CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);`,
			opts:      comments,
			want:      []string{"changed constraint public.p1.p1_pkey"},
		},
		{
			name:      "missing partition with a commented key index",
			canonical: parent + part,
			live:      parent,
			opts:      comments,
			want:      []string{"missing table public.p1"},
		},
	})
}

func TestAcceptanceCommentsPartitionClones(t *testing.T) {
	comments := DiffOptions{Comments: true}
	const parent = `CREATE TABLE p (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
CREATE INDEX p_k ON p (k);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER tr BEFORE INSERT ON p FOR EACH ROW EXECUTE FUNCTION tf();
`
	runAcceptance(t, []acceptanceCase{
		{
			name: "missing partition with commented clones",
			canonical: parent + `CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);
COMMENT ON CONSTRAINT p1_pkey ON p1 IS 'key'; COMMENT ON INDEX p1_k_idx IS 'index'; COMMENT ON TRIGGER tr ON p1 IS 'trigger';`,
			live: parent,
			opts: comments,
			want: []string{"missing table public.p1"},
		},
	})
}

// The partitions' indexes made with a missing index of their partitioned
// table come with their comments.
func TestAcceptanceCommentsPartitionIndexes(t *testing.T) {
	comments := DiffOptions{Comments: true}
	const tables = `CREATE TABLE p (id int, k int) PARTITION BY LIST (k);
CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);
`
	runAcceptance(t, []acceptanceCase{
		{
			name:      "missing partitioned index with commented partition indexes",
			canonical: tables + `CREATE INDEX p_k ON p (k); COMMENT ON INDEX p_k IS 'parent'; COMMENT ON INDEX p1_k_idx IS 'partition';`,
			live:      tables,
			opts:      comments,
			want:      []string{"missing index public.p.p_k"},
		},
		{
			// The partition's own index, attached in live, goes with the
			// parent's and is built again, with its comment.
			name:      "partition's own index rebuilt with its comment",
			canonical: tables + `CREATE INDEX p1_k ON p1 (k); COMMENT ON INDEX p1_k IS 'own';`,
			live:      tables + `CREATE INDEX p_k ON ONLY p (k); CREATE INDEX p1_k ON p1 (k); ALTER INDEX p_k ATTACH PARTITION p1_k; COMMENT ON INDEX p1_k IS 'own';`,
			opts:      comments,
			want:      []string{"unexpected index public.p.p_k"},
		},
	})
}

// A generated column whose expression changes is dropped and added again:
// its comment and grants come back.
func TestAcceptanceGeneratedColumnReadded(t *testing.T) {
	const extras = `COMMENT ON COLUMN t.g IS 'derived'; GRANT SELECT (g) ON t TO pg_monitor;`
	runAcceptance(t, []acceptanceCase{
		{
			name:      "comment and grants compared",
			canonical: `CREATE TABLE t (id int, g int GENERATED ALWAYS AS (id + 1) STORED);` + extras,
			live:      `CREATE TABLE t (id int, g int GENERATED ALWAYS AS (id + 2) STORED);` + extras,
			want:      []string{"changed column public.t.g"},
			opts:      DiffOptions{Comments: true, Privileges: true},
		},
		{
			// Not compared: the live ones are put back; the fix must
			// still apply and converge.
			name:      "comment and grants not compared",
			canonical: `CREATE TABLE t (id int, g int GENERATED ALWAYS AS (id + 1) STORED);` + extras,
			live:      `CREATE TABLE t (id int, g int GENERATED ALWAYS AS (id + 2) STORED);` + extras,
			want:      []string{"changed column public.t.g"},
		},
	})
}
