package checker

import "testing"

// Sequences: options, ownership, serial columns.
func TestAcceptanceSequences(t *testing.T) {
	const every = `CREATE SEQUENCE plain;
CREATE SEQUENCE tuned AS integer INCREMENT BY 5 MINVALUE 10 MAXVALUE 100000 START WITH 20 CACHE 10 CYCLE;
CREATE SEQUENCE down INCREMENT BY -1;
CREATE TABLE t (id serial, n bigint);
CREATE SEQUENCE owned OWNED BY t.n;
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "missing and unexpected",
			canonical: `CREATE SEQUENCE a START 100; CREATE SEQUENCE b;`,
			live:      `CREATE SEQUENCE b; CREATE SEQUENCE c;`,
			want:      []string{"missing sequence public.a", "unexpected sequence public.c"},
		},
		{
			name:      "increment and cache",
			canonical: `CREATE SEQUENCE s INCREMENT BY 10 CACHE 20;`,
			live:      `CREATE SEQUENCE s;`,
			want:      []string{"changed sequence public.s"},
			severity:  Warning,
		},
		{
			name:      "type and bounds",
			canonical: `CREATE SEQUENCE s AS integer;`,
			live:      `CREATE SEQUENCE s AS bigint MINVALUE 5 START 5 CYCLE;`,
			want:      []string{"changed sequence public.s"},
		},
		{
			name:      "descending",
			canonical: `CREATE SEQUENCE s INCREMENT BY -1;`,
			live:      `CREATE SEQUENCE s;`,
			want:      []string{"changed sequence public.s"},
			manual:    true, // restarting a live sequence is a person's call
		},
		{
			name:      "range narrowed around the start",
			canonical: `CREATE SEQUENCE s MINVALUE 1 MAXVALUE 1000 CACHE 5;`,
			live:      `CREATE SEQUENCE s MINVALUE -5 START 1 CACHE 5;`,
			want:      []string{"changed sequence public.s"},
		},
		{
			name:      "ownership",
			canonical: `CREATE TABLE t (a int, b int); CREATE SEQUENCE s OWNED BY t.a; CREATE SEQUENCE s2;`,
			live:      `CREATE TABLE t (a int, b int); CREATE SEQUENCE s OWNED BY t.b; CREATE SEQUENCE s2 OWNED BY t.a;`,
			want:      []string{"changed sequence public.s", "changed sequence public.s2"},
		},
		{
			name:      "used values do not count",
			canonical: `CREATE SEQUENCE s;`,
			live:      `CREATE SEQUENCE s; SELECT nextval('s'); SELECT setval('s', 500);`,
		},
		{
			name:      "serial column replaced by a plain one",
			canonical: `CREATE TABLE t (id serial);`,
			live:      `CREATE TABLE t (id int NOT NULL);`,
			want:      []string{"changed column public.t.id", "missing sequence public.t_id_seq"},
		},
		{
			name:      "sequence of a missing table",
			canonical: `CREATE TABLE t (id bigserial PRIMARY KEY, v text);`,
			live:      ``,
			want:      []string{"missing table public.t"},
		},
		{
			// The fix must hand the sequence over before DROP TABLE would
			// take it along, and OWNED BY must wait for the new column.
			name:      "sequence moves to a table the live database lacks",
			canonical: `CREATE SEQUENCE ticket_no; CREATE TABLE desk (n bigint); ALTER SEQUENCE ticket_no OWNED BY desk.n;`,
			live:      `CREATE SEQUENCE ticket_no; CREATE TABLE counter (n bigint); ALTER SEQUENCE ticket_no OWNED BY counter.n;`,
			want:      []string{"changed sequence public.ticket_no", "missing table public.desk", "unexpected table public.counter"},
		},
		{
			name:      "serial column missing along with its sequence",
			canonical: `CREATE TABLE t (v text, "row no" serial);`,
			live:      `CREATE TABLE t (v text);`,
			want:      []string{"missing column public.t.\"row no\"", "missing sequence public.\"t_row no_seq\""},
		},
		{
			// The new sequence comes before the new column that takes its
			// values, and the column before the key that names it.
			name:      "serial key column missing along with its sequence",
			canonical: `CREATE TABLE ledger (memo text, entry_no bigserial PRIMARY KEY);`,
			live:      `CREATE TABLE ledger (memo text);`,
			want:      []string{"missing column public.ledger.entry_no", "missing constraint public.ledger.ledger_pkey", "missing sequence public.ledger_entry_no_seq"},
		},
		{
			name:      "serial turned into text on a partitioned table",
			canonical: `CREATE TABLE p (id text, k int) PARTITION BY LIST (k); CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);`,
			live:      `CREATE TABLE p (id serial, k int) PARTITION BY LIST (k); CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);`,
			want:      []string{"changed column public.p.id", "unexpected sequence public.p_id_seq"},
		},
	})
}
