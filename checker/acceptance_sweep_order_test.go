package checker

import "testing"

// A composite type whose attribute is a table's row type is created after
// that table: its attributes' dependencies are recorded against the type's
// own relation, which must lead to the type.
func TestAcceptanceCompositeOnRowType(t *testing.T) {
	const every = `CREATE TABLE zz_rows (q1 int8, q2 int8);
CREATE TYPE zz_mood AS ENUM ('sad', 'ok');
CREATE TYPE a_nested AS (x zz_rows, m zz_mood);
CREATE TYPE b_outer AS (n a_nested);
CREATE TABLE a_user (n a_nested, o b_outer);
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "all missing",
			canonical: every,
			live:      ``,
			want: []string{"missing table public.a_user", "missing table public.zz_rows", "missing type public.a_nested",
				"missing type public.b_outer", "missing type public.zz_mood"},
		},
	})
}
