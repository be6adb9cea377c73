package checker

import "testing"

// A domain whose base type changed while columns, functions and views use
// it: recreated beside them, as an enum whose labels changed.
func TestAcceptanceDomainBaseType(t *testing.T) {
	const use = `
CREATE TABLE foo (id int PRIMARY KEY, amount money_amt DEFAULT 1, more money_amt[]);
CREATE FUNCTION twice(v money_amt) RETURNS money_amt LANGUAGE sql IMMUTABLE AS $$ SELECT (v * 2)::money_amt $$;
CREATE VIEW big AS SELECT id, amount FROM foo WHERE amount > 10;
`
	runAcceptance(t, []acceptanceCase{
		{
			name:      "used by a function only",
			canonical: `CREATE DOMAIN d AS numeric(20,4); CREATE FUNCTION ident(v d) RETURNS d LANGUAGE sql IMMUTABLE AS $$ SELECT v $$;`,
			live:      `CREATE DOMAIN d AS numeric(10,2); CREATE FUNCTION ident(v d) RETURNS d LANGUAGE sql IMMUTABLE AS $$ SELECT v $$;`,
			want:      []string{"changed type public.d"},
		},
		{
			name:      "used by columns, a function and a view",
			canonical: `CREATE DOMAIN money_amt AS numeric(20,4) CONSTRAINT money_amt_check CHECK (VALUE >= 0);` + use,
			live:      `CREATE DOMAIN money_amt AS numeric(10,2) CONSTRAINT money_amt_check CHECK (VALUE >= 0);` + use,
			want:      []string{"changed type public.money_amt"},
		},
	})
}
