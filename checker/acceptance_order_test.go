package checker

import "testing"

// Fix SQL applied in order must work where objects use each other: drops
// after what uses the dropped object is gone or changed, creations after
// what they use, and views that do not differ themselves dropped and
// created again around what they use.
func TestAcceptanceOrder(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name:      "chain of unexpected views",
			canonical: `CREATE TABLE base (id int, name text);`,
			live: `CREATE TABLE base (id int, name text);
CREATE VIEW v1 AS SELECT name FROM base; CREATE VIEW v2 AS SELECT name FROM v1; CREATE VIEW v3 AS SELECT name FROM v2;`,
			want: []string{"unexpected view public.v1", "unexpected view public.v2", "unexpected view public.v3"},
		},
		{
			// The function's body uses a view, which PostgreSQL does not
			// record: it is created with its body unchecked.
			name: "sql function using a missing view",
			canonical: `CREATE TABLE base (id int, name text);
CREATE VIEW v1 AS SELECT name FROM base;
CREATE FUNCTION uses_v1() RETURNS SETOF text LANGUAGE sql AS $$ SELECT name FROM v1 $$;`,
			live: `CREATE TABLE base (id int, name text);`,
			want: []string{"missing function public.uses_v1()", "missing view public.v1"},
		},
		{
			// A view that reads the same on both sides uses a table in the
			// database and a view of the same name in canonical.
			name: "table replaced by a view under an unchanged view",
			canonical: `CREATE SCHEMA x; CREATE TABLE x.t_data (id int, name text);
CREATE VIEW x.data AS SELECT * FROM x.t_data; CREATE VIEW x.q AS SELECT * FROM x.data;
CREATE VIEW x.qq AS SELECT id FROM x.q;`,
			live: `CREATE SCHEMA x; CREATE TABLE x.data (id int, name text);
CREATE VIEW x.q AS SELECT * FROM x.data; CREATE VIEW x.qq AS SELECT id FROM x.q;`,
			want: []string{"missing table x.t_data", "missing view x.data", "unexpected table x.data"},
		},
		{
			name: "view replaced by a table under an unchanged view",
			canonical: `CREATE SCHEMA x; CREATE TABLE x.data (id int, name text);
CREATE VIEW x.q AS SELECT * FROM x.data;`,
			live: `CREATE SCHEMA x; CREATE TABLE x.t_data (id int, name text);
CREATE VIEW x.data AS SELECT * FROM x.t_data; CREATE VIEW x.q AS SELECT * FROM x.data;`,
			want: []string{"missing table x.data", "unexpected table x.t_data", "unexpected view x.data"},
		},
		{
			name:      "dropped column used by a changed view",
			canonical: `CREATE TABLE t (a text, n int); CREATE VIEW v AS SELECT a, n FROM t;`,
			live:      `CREATE TABLE t (a text, d timestamp, n int); CREATE VIEW v AS SELECT a, d, n FROM t;`,
			want:      []string{"changed view public.v", "unexpected column public.t.d"},
		},
		{
			name:      "collation dropped after the column leaves it",
			canonical: `CREATE COLLATION num (provider = icu, locale = 'en-u-kn-true'); CREATE TABLE t (a text, b text COLLATE num);`,
			live: `CREATE COLLATION num (provider = icu, locale = 'en-u-kn-true'); CREATE COLLATION ger (provider = icu, locale = 'de-DE');
CREATE TABLE t (a text, b text COLLATE ger);`,
			want: []string{"changed column public.t.b", "unexpected collation public.ger"},
		},
		{
			name:      "child tables dropped before their parent",
			canonical: `CREATE TABLE other (id int);`,
			live: `CREATE TABLE other (id int); CREATE TABLE a_parent (id bigserial, kind text NOT NULL);
CREATE TABLE child_a (CHECK (kind = 'a')) INHERITS (a_parent); CREATE TABLE child_b (CHECK (kind = 'b')) INHERITS (a_parent);`,
			want: []string{"unexpected table public.a_parent", "unexpected table public.child_a", "unexpected table public.child_b"},
		},
		{
			name:      "foreign key dropped with its table before the key it uses",
			canonical: `CREATE TABLE p (id int);`,
			live:      `CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int REFERENCES p);`,
			want:      []string{"changed column public.p.id", "unexpected constraint public.p.p_pkey", "unexpected table public.c"},
		},
		{
			name:      "sequence dropped after the default that uses it",
			canonical: `CREATE TABLE t (id int PRIMARY KEY);`,
			live:      `CREATE TABLE t (id serial PRIMARY KEY);`,
			want:      []string{"changed column public.t.id", "unexpected sequence public.t_id_seq"},
		},
		{
			// ALTER TABLE ONLY parent DROP COLUMN: the child keeps its own.
			name: "parent column dropped, the child keeps it",
			canonical: `CREATE TABLE base (created timestamp);
CREATE TABLE a (a1 int, e int) INHERITS (base);`,
			live: `CREATE TABLE base (created timestamp, e int);
CREATE TABLE a (a1 int) INHERITS (base);`,
			want: []string{"unexpected column public.base.e"},
		},
		{
			name: "parent column dropped, one child keeps it",
			canonical: `CREATE TABLE base (created timestamp);
CREATE TABLE a (e int) INHERITS (base); CREATE TABLE b () INHERITS (base);`,
			live: `CREATE TABLE base (created timestamp, e int);
CREATE TABLE a () INHERITS (base); CREATE TABLE b () INHERITS (base);`,
			want: []string{"unexpected column public.base.e"},
		},
		{
			name:      "view replaced by a materialized view",
			canonical: `CREATE MATERIALIZED VIEW sw AS SELECT 1 AS a;`,
			live:      `CREATE VIEW sw AS SELECT 1 AS a;`,
			want:      []string{"missing materialized view public.sw", "unexpected view public.sw"},
		},
		{
			// A foreign key to a partitioned table depends on each
			// partition: it goes before any of them is dropped.
			name: "partition dropped under a foreign key that changes",
			canonical: `CREATE TABLE route (id int PRIMARY KEY);
CREATE TABLE stop (id int, route int REFERENCES route);`,
			live: `CREATE TABLE route (id int PRIMARY KEY);
CREATE TABLE leg (id int PRIMARY KEY) PARTITION BY LIST (id);
CREATE TABLE leg_1 PARTITION OF leg FOR VALUES IN (1);
CREATE TABLE stop (id int, route int, CONSTRAINT stop_route_fkey FOREIGN KEY (route) REFERENCES leg);`,
			want: []string{"changed constraint public.stop.stop_route_fkey", "unexpected table public.leg", "unexpected table public.leg_1"},
		},
	})
}
