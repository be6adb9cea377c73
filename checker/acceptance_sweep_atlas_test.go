package checker

import "testing"

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
