package checker

import "testing"

// The storage parameters of the index behind a key or exclusion
// constraint: pg_dump prints them with the constraint, pg_get_constraintdef
// does not.
func TestAcceptanceKeyIndexOptions(t *testing.T) {
	const keyed = `CREATE TABLE t (id int, x int, r int4range,
  CONSTRAINT t_pkey PRIMARY KEY (id) INCLUDE (x) WITH (fillfactor=70) DEFERRABLE,
  CONSTRAINT t_x_key UNIQUE (x) WITH (fillfactor=80),
  CONSTRAINT t_r_excl EXCLUDE USING gist (r WITH &&) WITH (buffering=on) WHERE (x > 0));`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: keyed, live: keyed},
		{
			name:      "options missing",
			canonical: keyed,
			live: `CREATE TABLE t (id int, x int, r int4range,
  CONSTRAINT t_pkey PRIMARY KEY (id) INCLUDE (x) DEFERRABLE,
  CONSTRAINT t_x_key UNIQUE (x),
  CONSTRAINT t_r_excl EXCLUDE USING gist (r WITH &&) WHERE (x > 0));`,
			want: []string{"changed constraint public.t.t_pkey", "changed constraint public.t.t_r_excl", "changed constraint public.t.t_x_key"},
		},
		{
			name:      "options unexpected",
			canonical: `CREATE TABLE t (id int, CONSTRAINT t_id_key UNIQUE (id));`,
			live:      `CREATE TABLE t (id int, CONSTRAINT t_id_key UNIQUE (id) WITH (fillfactor=50));`,
			want:      []string{"changed constraint public.t.t_id_key"},
		},
		{name: "missing table", canonical: keyed, want: []string{"missing table public.t"}},
	})
}
