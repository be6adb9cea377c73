package checker

import "testing"

// Linking a live table to a parent, a partitioned table or a type
// (INHERIT, ATTACH PARTITION) checks its columns against the parent's:
// the columns the table still misses are added first.
func TestAcceptanceLinkColumns(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name:      "inherit a parent whose column the child lacks",
			canonical: `CREATE TABLE parent (id int); CREATE TABLE child (extra text) INHERITS (parent);`,
			live:      `CREATE TABLE parent (id int); CREATE TABLE child (extra text);`,
			want:      []string{"changed table public.child", "missing column public.child.id"},
		},
		{
			name: "inherit two parents",
			canonical: `CREATE TABLE p1 (a int); CREATE TABLE p2 (b text);
CREATE TABLE child (c text) INHERITS (p1, p2);`,
			live: `CREATE TABLE p1 (a int); CREATE TABLE p2 (b text); CREATE TABLE child (c text);`,
			want: []string{"changed table public.child", "missing column public.child.a", "missing column public.child.b"},
		},
		{
			name: "attach a partition that lacks a column",
			canonical: `CREATE TABLE logs (id bigint NOT NULL, at timestamp NOT NULL, note text) PARTITION BY RANGE (at);
CREATE TABLE logs_2024 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');`,
			live: `CREATE TABLE logs (id bigint NOT NULL, at timestamp NOT NULL, note text) PARTITION BY RANGE (at);
CREATE TABLE logs_2024 (id bigint NOT NULL, at timestamp NOT NULL, extra int);`,
			want: []string{"changed table public.logs_2024", "missing column public.logs_2024.note", "unexpected column public.logs_2024.extra"},
		},
	})
}
