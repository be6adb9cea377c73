package checker

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// runSnapshotRebuild checks the SQL snapshot's contract on each DDL: the
// script it writes, run in an empty database, gives the same schema back.
func runSnapshotRebuild(t *testing.T, cases map[string]string) {
	t.Helper()
	for name, ddl := range cases {
		ddl := ddl
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			dsn := pgtest.NewDB(t)
			pgtest.Exec(t, dsn, ddl)
			m := inspectDSN(t, ctx, dsn)
			var snap bytes.Buffer
			if err := WriteSQL(&snap, m); err != nil {
				t.Fatal(err)
			}
			rebuilt := pgtest.NewDB(t)
			pgtest.Exec(t, rebuilt, snap.String())
			all := DiffOptions{Comments: true, Privileges: true, ColumnOrder: true}
			if items := Diff(m, inspectDSN(t, ctx, rebuilt), all); len(items) > 0 {
				t.Fatalf("the SQL snapshot does not rebuild the schema:\n%s\nsnapshot:\n%s", dumpItems(items), snap.String())
			}
		})
	}
}

func TestSnapshotSQLRebuildsPartitions(t *testing.T) {
	runSnapshotRebuild(t, map[string]string{
		// pg_dump's order: the partition made on its own, attached, then
		// the parent's default set with ONLY; the partition has none.
		"partition without the parent's default": `CREATE SEQUENCE p_id_seq;
CREATE TABLE p (id bigint NOT NULL, k int NOT NULL) PARTITION BY LIST (k);
CREATE TABLE p1 (id bigint NOT NULL, k int NOT NULL);
ALTER TABLE ONLY p ATTACH PARTITION p1 FOR VALUES IN (1);
ALTER TABLE ONLY p ALTER COLUMN id SET DEFAULT nextval('p_id_seq'::regclass);`,
	})
}

func TestSnapshotSQLRebuildsPartitionColumnOrder(t *testing.T) {
	runSnapshotRebuild(t, map[string]string{
		// Attached with its columns in its own order, as pg_dump keeps
		// it; the parent's CHECK, key, foreign key and index come along.
		"partition attached in another column order": `CREATE TABLE r (id int PRIMARY KEY);
CREATE TABLE p (a int NOT NULL, b text, c date NOT NULL, CONSTRAINT p_b_check CHECK (b <> ''),
  PRIMARY KEY (a, c), FOREIGN KEY (a) REFERENCES r (id)) PARTITION BY RANGE (c);
CREATE INDEX p_b ON p (b);
CREATE TABLE p1 (c date NOT NULL, b text, a int NOT NULL, CONSTRAINT p_b_check CHECK (b <> ''));
ALTER TABLE ONLY p ATTACH PARTITION p1 FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE p2 (b text, a int NOT NULL, c date NOT NULL, CONSTRAINT p_b_check CHECK (b <> '')) PARTITION BY LIST (a);
CREATE TABLE p2a (a int NOT NULL, c date NOT NULL, b text, CONSTRAINT p_b_check CHECK (b <> ''));
ALTER TABLE ONLY p2 ATTACH PARTITION p2a FOR VALUES IN (1);
ALTER TABLE ONLY p ATTACH PARTITION p2 FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');`,
	})
}

func TestSnapshotSQLRebuildsInheritance(t *testing.T) {
	runSnapshotRebuild(t, map[string]string{
		// pg_dump gives each child its default with ALTER TABLE ONLY;
		// one child was never given it.
		"child without the parent's default": `CREATE SEQUENCE f_id_seq;
CREATE TABLE f (id int NOT NULL, user_id int);
CREATE TABLE f_0 (CONSTRAINT f_0_check CHECK ((user_id % 2) = 0)) INHERITS (f);
CREATE TABLE f_1 (CONSTRAINT f_1_check CHECK ((user_id % 2) = 1)) INHERITS (f);
ALTER TABLE ONLY f ALTER COLUMN id SET DEFAULT nextval('f_id_seq'::regclass);
ALTER TABLE ONLY f_0 ALTER COLUMN id SET DEFAULT nextval('f_id_seq'::regclass);`,
		"child with a local column and no default": `CREATE TABLE g (id int DEFAULT 5, k int);
CREATE TABLE g_0 (id int, k int);
ALTER TABLE g_0 INHERIT g;`,
	})
}

func TestSnapshotSQLRebuildsCastAliases(t *testing.T) {
	runSnapshotRebuild(t, map[string]string{
		// The subselect's column is named date by its alias, not by the
		// cast: without the alias it would be created_at, and the view's
		// JSON keys would change with it.
		"a subselect alias equal to the cast's type": `CREATE TABLE clicks (id int, created_at timestamptz);
CREATE VIEW v AS SELECT json_agg(row_to_json(r.*)) AS j
  FROM (SELECT count(*) AS n, (c.created_at)::date AS date FROM clicks c GROUP BY 2) r;`,
	})
}

func TestSnapshotSQLRebuildsDomains(t *testing.T) {
	runSnapshotRebuild(t, map[string]string{
		"domain with a NOT VALID check": `CREATE DOMAIN d AS int DEFAULT 2 NOT NULL CONSTRAINT d_pos CHECK (VALUE > 0);
ALTER DOMAIN d ADD CONSTRAINT "d even" CHECK (VALUE % 2 = 0) NOT VALID;
CREATE TABLE t (v d);`,
	})
}

func TestSnapshotSQLRebuildsPublicSchema(t *testing.T) {
	runSnapshotRebuild(t, map[string]string{
		// An old dump's grants on the public schema, and its comment.
		"public schema privileges and comment": `REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT ALL ON SCHEMA public TO PUBLIC;
GRANT ALL ON SCHEMA public TO CURRENT_USER;
COMMENT ON SCHEMA public IS 'ours';`,
		"public schema without a comment": `COMMENT ON SCHEMA public IS NULL;`,
	})
}

func TestSnapshotSQLRebuildsOwnedSequences(t *testing.T) {
	runSnapshotRebuild(t, map[string]string{
		"serial's sequence with a comment and a grant": `CREATE TABLE t (id serial PRIMARY KEY);
COMMENT ON SEQUENCE t_id_seq IS 'ids';
GRANT USAGE ON SEQUENCE t_id_seq TO PUBLIC;`,
	})
}
