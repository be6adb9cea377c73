package checker

import "testing"

// Column type changes between built-in types PostgreSQL has no cast for:
// the fix goes through the values' text form.
func TestAcceptanceNoBuiltinCast(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name:      "bigint to timestamp, NOT NULL and default",
			canonical: `CREATE TABLE t (id int PRIMARY KEY, c timestamp NOT NULL, m timestamp(3) DEFAULT CURRENT_TIMESTAMP NOT NULL);`,
			live:      `CREATE TABLE t (id int PRIMARY KEY, c bigint, m bigint);`,
			want:      []string{"changed column public.t.c", "changed column public.t.m"},
			severity:  Critical,
		},
		{
			name:      "arrays, uuid and date from numbers and booleans",
			canonical: `CREATE TABLE t (a date[], u uuid, d date, b boolean);`,
			live:      `CREATE TABLE t (a integer[], u bigint, d numeric(8,0), b smallint);`,
			want:      []string{"changed column public.t.a", "changed column public.t.b", "changed column public.t.d", "changed column public.t.u"},
			severity:  Critical,
		},
	})
}
