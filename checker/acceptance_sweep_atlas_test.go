package checker

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// Cases found by sweeping schemas from other projects' test suites (Atlas,
// PostgreSQL's regression SQL) through check: each failed before its fix.

// A BETWEEN, a row comparison or a NOT BETWEEN is stored as an AND (an OR)
// of its own; ANDed with more on its right it prints as a nested AND,
// "(((a >= 1) AND (a <= 9)) AND (b > 0))", which reads back flattened,
// "((a >= 1) AND (a <= 9) AND (b > 0))": pg_dump of a database loaded
// again must compare clean.
func TestAcceptanceNestedBoolReadBack(t *testing.T) {
	const base = `CREATE TABLE t (a int, b int, c int);
CREATE TABLE u (x int, y int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
`
	const written = base + `ALTER TABLE t ADD CONSTRAINT t_c CHECK (a BETWEEN 1 AND 9 AND b > 0);
ALTER TABLE t ADD CONSTRAINT t_or CHECK (a NOT BETWEEN 3 AND 4 OR b IS NULL OR c = 0);
ALTER TABLE t ADD CONSTRAINT t_row CHECK ((a, b) <> (0, 0) AND c IS NOT NULL);
CREATE INDEX t_p ON t (a) WHERE a BETWEEN 1 AND 9 AND b > 0;
CREATE VIEW v AS SELECT * FROM t WHERE t.a BETWEEN (SELECT x FROM u WHERE y = 1) AND (SELECT y FROM u WHERE x = 2)
  AND EXISTS (SELECT 1 FROM u WHERE u.x = t.c);
CREATE POLICY p ON t USING ((a, b) = (1, 2) AND c > 0);
CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW WHEN (NEW.a BETWEEN 1 AND 2 AND NEW.b > 0) EXECUTE FUNCTION tf();
CREATE DOMAIN d AS int CHECK (VALUE BETWEEN 1 AND 9 AND VALUE <> 5);
`
	const readBack = base + `ALTER TABLE t ADD CONSTRAINT t_c CHECK (((a >= 1) AND (a <= 9) AND (b > 0)));
ALTER TABLE t ADD CONSTRAINT t_or CHECK (((a < 3) OR (a > 4) OR (b IS NULL) OR (c = 0)));
ALTER TABLE t ADD CONSTRAINT t_row CHECK (((a <> 0) OR (b <> 0)) AND (c IS NOT NULL));
CREATE INDEX t_p ON t (a) WHERE ((a >= 1) AND (a <= 9) AND (b > 0));
CREATE VIEW v AS SELECT * FROM t WHERE ((t.a >= (SELECT x FROM u WHERE y = 1)) AND (t.a <= (SELECT y FROM u WHERE x = 2))
  AND (EXISTS (SELECT 1 FROM u WHERE u.x = t.c)));
CREATE POLICY p ON t USING (((a = 1) AND (b = 2) AND (c > 0)));
CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW WHEN (((new.a >= 1) AND (new.a <= 2) AND (new.b > 0))) EXECUTE FUNCTION tf();
CREATE DOMAIN d AS int CHECK (((VALUE >= 1) AND (VALUE <= 9) AND (VALUE <> 5)));
`
	runAcceptance(t, []acceptanceCase{
		{name: "as written and as read back", canonical: written, live: readBack},
		{name: "as read back and as written", canonical: readBack, live: written},
		{
			// Flattening is no licence to reorder or drop an operand.
			name:      "operands that differ still differ",
			canonical: base + `ALTER TABLE t ADD CONSTRAINT t_c CHECK (a BETWEEN 1 AND 9 AND b > 0);`,
			live:      base + `ALTER TABLE t ADD CONSTRAINT t_c CHECK (((a >= 1) AND (b > 0) AND (a <= 9)));`,
			want:      []string{"changed constraint public.t.t_c"},
		},
		{
			name:      "AND and OR are not the same",
			canonical: base + `ALTER TABLE t ADD CONSTRAINT t_c CHECK (a BETWEEN 1 AND 9 OR b > 0);`,
			live:      base + `ALTER TABLE t ADD CONSTRAINT t_c CHECK (((a >= 1) AND (a <= 9) AND (b > 0)));`,
			want:      []string{"changed constraint public.t.t_c"},
		},
	})
}

func TestFlattenBools(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"(((a >= 1) AND (a <= 9)) AND (b > 0))", "((a >= 1) AND (a <= 9) AND (b > 0))"},
		{"(((a < 1) OR (a > 9)) OR (b > 0))", "((a < 1) OR (a > 9) OR (b > 0))"},
		// an OR inside an AND, or an AND inside an OR, stays
		{"(((a < 1) OR (a > 9)) AND (b > 0))", "(((a < 1) OR (a > 9)) AND (b > 0))"},
		{"(((a >= 1) AND (a <= 9)) OR (b > 0))", "(((a >= 1) AND (a <= 9)) OR (b > 0))"},
		// inside literals and quoted identifiers nothing moves
		{"((('(x AND y) AND z' = c) AND (\"(p AND q)\" > 0)))", "((('(x AND y) AND z' = c) AND (\"(p AND q)\" > 0)))"},
		// a mixed level (pretty-printed) is left as it is
		{"(a AND (b AND c) OR d)", "(a AND (b AND c) OR d)"},
		// NOT (...) is no operand to splice
		{"((NOT ((a) AND (b))) AND (c))", "((NOT ((a) AND (b))) AND (c))"},
		// nested deeper, in a function call
		{"f(((((x = 1) AND (y = 2)) AND (z = 3))))", "f((((x = 1) AND (y = 2) AND (z = 3))))"},
	} {
		if got := flattenBools(tc.in); got != tc.want {
			t.Errorf("flattenBools(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// A column in a live table's partition key can be neither dropped nor
// retyped: its item needs a person, like the table's whose key changes,
// and every other item's fix still runs.
func TestAcceptancePartitionKeyColumns(t *testing.T) {
	for _, tc := range []struct {
		name, canonical, live string
		manual                []string // items that need a person
	}{
		{
			name:      "partition key changes with its columns",
			canonical: `CREATE TABLE logs (a int NOT NULL, b int NOT NULL) PARTITION BY RANGE (a, (b * (a % 2)));`,
			live:      `CREATE TABLE logs (value int NOT NULL) PARTITION BY LIST (value);`,
			manual:    []string{"changed table public.logs", "unexpected column public.logs.value"},
		},
		{
			name:      "a key column's type changes",
			canonical: `CREATE TABLE m (a bigint, b text, c int) PARTITION BY RANGE (a, (lower(b)));`,
			live:      `CREATE TABLE m (a int, b varchar(5), c bigint) PARTITION BY RANGE (a, (lower(b)));`,
			manual:    []string{"changed column public.m.a", "changed column public.m.b", "changed table public.m"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			canonDSN, liveDSN := pgtest.NewDB(t), pgtest.NewDB(t)
			pgtest.Exec(t, canonDSN, tc.canonical)
			pgtest.Exec(t, liveDSN, tc.live)
			items := Diff(inspectDSN(t, ctx, canonDSN), inspectDSN(t, ctx, liveDSN), DiffOptions{})
			var manual []string
			conn := pgtest.Connect(t, liveDSN)
			for _, it := range items {
				if it.Manual {
					manual = append(manual, fmt.Sprintf("%s %s %s", it.Change, it.ObjectType, it.Identity))
				}
				if _, err := conn.Exec(ctx, it.FixSQL); err != nil {
					t.Fatalf("apply fix for %s %s: %v\n%s\nall items:\n%s", it.Change, it.Identity, err, it.FixSQL, dumpItems(items))
				}
			}
			sort.Strings(manual)
			if strings.Join(manual, "\n") != strings.Join(tc.manual, "\n") {
				t.Fatalf("manual items\n got: %q\nwant: %q\nitems:\n%s", manual, tc.manual, dumpItems(items))
			}
		})
	}
}

// A partition's foreign key cloned from its parent's is the parent's
// business: its name (a partition's own key merged into the parent's keeps
// its name, which a pg_dump reload does not) and a SET NULL column list
// (PostgreSQL 15 copies it by the parent's column numbers, which a
// partition with a dropped column does not share) may differ while the
// schemas are the same.
func TestAcceptanceForeignKeyClones(t *testing.T) {
	const base = `CREATE TABLE pkey (a int PRIMARY KEY);
CREATE TABLE fk_part (a int) PARTITION BY LIST (a);
`
	const pk = `CREATE TABLE pk (a int, b int, PRIMARY KEY (a, b));
CREATE TABLE f (b int, a int) PARTITION BY LIST (a);
`
	runAcceptance(t, []acceptanceCase{
		{
			name: "merged clone keeps its own name",
			canonical: base + `CREATE TABLE fk_part_1 PARTITION OF fk_part FOR VALUES IN (1);
ALTER TABLE fk_part ADD FOREIGN KEY (a) REFERENCES pkey;`,
			live: base + `CREATE TABLE fk_part_1 PARTITION OF fk_part (FOREIGN KEY (a) REFERENCES pkey) FOR VALUES IN (1);
ALTER TABLE fk_part ADD FOREIGN KEY (a) REFERENCES pkey;`,
		},
		{
			name: "SET NULL column list on a partition with a dropped column",
			canonical: pk + `CREATE TABLE f2 PARTITION OF f FOR VALUES IN (1);
ALTER TABLE f ADD FOREIGN KEY (a, b) REFERENCES pk ON DELETE SET NULL (a);`,
			live: pk + `CREATE TABLE f2 (b int, c text, a int); ALTER TABLE f2 DROP COLUMN c; ALTER TABLE f ATTACH PARTITION f2 FOR VALUES IN (1);
ALTER TABLE f ADD FOREIGN KEY (a, b) REFERENCES pk ON DELETE SET NULL (a);`,
		},
		{
			name: "the parent's key still differs",
			canonical: base + `CREATE TABLE fk_part_1 PARTITION OF fk_part FOR VALUES IN (1);
ALTER TABLE fk_part ADD FOREIGN KEY (a) REFERENCES pkey ON DELETE CASCADE;`,
			live: base + `CREATE TABLE fk_part_1 PARTITION OF fk_part (FOREIGN KEY (a) REFERENCES pkey) FOR VALUES IN (1);
ALTER TABLE fk_part ADD FOREIGN KEY (a) REFERENCES pkey;`,
			want: []string{"changed constraint public.fk_part.fk_part_a_fkey"},
		},
	})
}

// Enabling or disabling a partitioned table's trigger carries on to its
// clones on the partitions: a clone canonical has in another state is set
// back after it.
func TestAcceptanceTriggerCloneState(t *testing.T) {
	const base = `CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE p (a int) PARTITION BY LIST (a);
CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);
CREATE TABLE p2 PARTITION OF p FOR VALUES IN (2) PARTITION BY LIST (a);
CREATE TABLE p21 PARTITION OF p2 FOR VALUES IN (2);
`
	const trig = `CREATE TRIGGER tr AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION tf();
`
	const canonical = base + trig + `ALTER TABLE p1 DISABLE TRIGGER tr; ALTER TABLE p2 ENABLE ALWAYS TRIGGER tr; ALTER TABLE p21 ENABLE REPLICA TRIGGER tr;`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: canonical, live: canonical},
		{
			name:      "parent disabled",
			canonical: canonical,
			live:      base + trig + `ALTER TABLE p DISABLE TRIGGER tr;`,
			// p1's clone is disabled on both sides: it is set back after p's
			want: []string{"changed trigger public.p.tr", "changed trigger public.p2.tr", "changed trigger public.p21.tr"},
		},
		{
			name:      "trigger missing",
			canonical: canonical,
			live:      base,
			want:      []string{"missing trigger public.p.tr"},
		},
	})
}
