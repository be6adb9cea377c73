package checker

import "testing"

// Cases found by checking databases built from PostgreSQL's regression SQL
// against their own pg_dump: each compared dirty, or failed, before its fix.

// A child created after its parent's NOT VALID check holds a valid copy;
// pg_dump creates the child first and adds the parent's check after it, so
// the reloaded child's copy is NOT VALID. The parent's own definition
// carries the state.
func TestAcceptanceInheritedNotValidCheck(t *testing.T) {
	const written = `CREATE TABLE p (b int);
ALTER TABLE p ADD CONSTRAINT b_big CHECK (b > 10) NOT VALID;
CREATE TABLE c1 () INHERITS (p);
CREATE TABLE pp (a int) PARTITION BY LIST (a);
ALTER TABLE pp ADD CONSTRAINT a_pos CHECK (a > 0) NOT VALID;
CREATE TABLE pp1 PARTITION OF pp FOR VALUES IN (1);
`
	const dumped = `CREATE TABLE p (b int);
CREATE TABLE c1 () INHERITS (p);
ALTER TABLE p ADD CONSTRAINT b_big CHECK (b > 10) NOT VALID;
CREATE TABLE pp (a int) PARTITION BY LIST (a);
CREATE TABLE pp1 PARTITION OF pp FOR VALUES IN (1);
ALTER TABLE pp ADD CONSTRAINT a_pos CHECK (a > 0) NOT VALID;
`
	runAcceptance(t, []acceptanceCase{
		{name: "created before and after the check", canonical: dumped, live: written},
		{name: "created after and before the check", canonical: written, live: dumped},
		{
			name:      "parent's check validated",
			canonical: dumped,
			live:      dumped + `ALTER TABLE p VALIDATE CONSTRAINT b_big;`,
			want:      []string{"changed constraint public.p.b_big"},
		},
	})
}
