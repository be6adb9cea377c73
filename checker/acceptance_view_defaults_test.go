package checker

import "testing"

// A view's columns may have defaults of their own (used by INSERT through
// the view): compared, set, and kept when the view is made again.
func TestAcceptanceViewColumnDefaults(t *testing.T) {
	const base = `CREATE TABLE t (id int, at timestamptz, "Odd, name" text);
CREATE VIEW v AS SELECT id, at, "Odd, name" FROM t;
`
	runAcceptance(t, []acceptanceCase{
		{
			name:      "identical",
			canonical: base + `ALTER VIEW v ALTER COLUMN at SET DEFAULT now(); ALTER VIEW v ALTER COLUMN "Odd, name" SET DEFAULT 'a, b';`,
			live:      base + `ALTER VIEW v ALTER COLUMN at SET DEFAULT now(); ALTER VIEW v ALTER COLUMN "Odd, name" SET DEFAULT 'a, b';`,
		},
		{
			name:      "default missing",
			canonical: base + `ALTER VIEW v ALTER COLUMN at SET DEFAULT now(); ALTER VIEW v ALTER COLUMN "Odd, name" SET DEFAULT 'a, b';`,
			live:      base,
			want:      []string{"changed view public.v"},
		},
		{
			name:      "default unexpected and different",
			canonical: base + `ALTER VIEW v ALTER COLUMN id SET DEFAULT 1;`,
			live:      base + `ALTER VIEW v ALTER COLUMN id SET DEFAULT 2; ALTER VIEW v ALTER COLUMN at SET DEFAULT now();`,
			want:      []string{"changed view public.v"},
		},
		{
			// A line break inside a string default or a column name is
			// not a break between two columns' defaults.
			name:      "defaults holding line breaks",
			canonical: base + "ALTER VIEW v ALTER COLUMN \"Odd, name\" SET DEFAULT 'x\nid 1'; ALTER VIEW v ALTER COLUMN at SET DEFAULT now();",
			live:      base,
			want:      []string{"changed view public.v"},
		},
		{
			name:      "a column name holding a line break",
			canonical: "CREATE TABLE t (\"a\nb\" text); CREATE VIEW v AS SELECT * FROM t; ALTER VIEW v ALTER COLUMN \"a\nb\" SET DEFAULT 'q';",
			live:      "CREATE TABLE t (\"a\nb\" text); CREATE VIEW v AS SELECT * FROM t; ALTER VIEW v ALTER COLUMN \"a\nb\" SET DEFAULT 'r';",
			want:      []string{"changed view public.v"},
		},
		{
			name:      "missing view with defaults",
			canonical: base + `ALTER VIEW v ALTER COLUMN at SET DEFAULT now();`,
			live:      `CREATE TABLE t (id int, at timestamptz, "Odd, name" text);`,
			want:      []string{"missing view public.v"},
		},
		{
			// The view is dropped and made again for its column's type:
			// its defaults come back.
			name:      "view recreated keeps its defaults",
			canonical: `CREATE TABLE t (id bigint); CREATE VIEW v AS SELECT id FROM t; ALTER VIEW v ALTER COLUMN id SET DEFAULT 7;`,
			live:      `CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t; ALTER VIEW v ALTER COLUMN id SET DEFAULT 7;`,
			want:      []string{"changed column public.t.id"},
		},
	})
}
