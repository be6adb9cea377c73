package checker

import "testing"

// Missing columns are added in their canonical order, not by name: ADD
// COLUMN appends, so with column order compared the fix converges.
func TestAcceptanceColumnAppendOrder(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name:      "missing columns whose names do not sort by position",
			canonical: `CREATE TABLE items (v0 float, v1 float, v6 float, v7 int, v8 int, v9 int, v10 int, v11 int);`,
			live:      `CREATE TABLE items (v0 float);`,
			want: []string{"missing column public.items.v1", "missing column public.items.v10", "missing column public.items.v11",
				"missing column public.items.v6", "missing column public.items.v7", "missing column public.items.v8",
				"missing column public.items.v9"},
			opts: DiffOptions{ColumnOrder: true},
		},
		{
			name:      "missing columns after an existing one, in reverse name order",
			canonical: `CREATE TABLE t (id int, zeta text, alpha text);`,
			live:      `CREATE TABLE t (id int);`,
			want:      []string{"missing column public.t.alpha", "missing column public.t.zeta"},
			opts:      DiffOptions{ColumnOrder: true},
		},
	})
}
