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
