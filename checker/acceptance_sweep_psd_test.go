package checker

import "testing"

// Cases found by a sweep of pg-schema-diff's acceptance cases: each one's
// fix failed or did not converge before its fix.

// A partition's row triggers cloned from its parent come and go with the
// ATTACH and DETACH of the table's own item.
func TestAcceptancePartitionClonedTriggers(t *testing.T) {
	const base = `CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE p1 (a int) PARTITION BY LIST (a);
CREATE TABLE p2 (a int) PARTITION BY LIST (a);
CREATE TRIGGER t BEFORE UPDATE ON p1 FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION f();
CREATE TRIGGER t BEFORE UPDATE ON p2 FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION f();
CREATE INDEX p1_a ON p1 (a);
`
	runAcceptance(t, []acceptanceCase{
		{
			name:      "attached: the trigger comes with it",
			canonical: base + `CREATE TABLE c PARTITION OF p1 FOR VALUES IN (1);`,
			live:      base + `CREATE TABLE c (a int);`,
			want:      []string{"changed table public.c", "missing index public.c.c_a_idx"},
		},
		{
			name:      "detached: the trigger goes, the index after it",
			canonical: base + `CREATE TABLE c (a int);`,
			live:      base + `CREATE TABLE c PARTITION OF p1 FOR VALUES IN (1);`,
			want:      []string{"changed table public.c", "unexpected index public.c.c_a_idx"},
		},
		{
			name:      "moved to another parent",
			canonical: base + `CREATE TABLE c PARTITION OF p2 FOR VALUES IN (1);`,
			live:      base + `CREATE TABLE c PARTITION OF p1 FOR VALUES IN (1);`,
			want:      []string{"changed table public.c", "unexpected index public.c.c_a_idx"},
		},
	})
}

// A partition made before its parent's unique index has its own key's
// index attached to it, not a clone beside the key.
func TestAcceptancePartitionKeyHeldByParentIndex(t *testing.T) {
	const parent = `CREATE TABLE p (a int, b int) PARTITION BY LIST (a);
`
	runAcceptance(t, []acceptanceCase{
		{
			name:      "primary key",
			canonical: parent + `CREATE TABLE c PARTITION OF p (PRIMARY KEY (a, b)) FOR VALUES IN (1); CREATE UNIQUE INDEX p_uidx ON p (a, b);`,
			live:      parent + `CREATE UNIQUE INDEX p_uidx ON p (a, b);`,
			want:      []string{"missing table public.c"},
		},
		{
			name:      "attached to a parent with a primary key",
			canonical: `CREATE TABLE p (a int PRIMARY KEY) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1);`,
			live:      `CREATE TABLE p (a int PRIMARY KEY) PARTITION BY LIST (a); CREATE TABLE c (a int NOT NULL);`,
			want:      []string{"changed table public.c", "missing constraint public.c.c_pkey"},
		},
		{
			name:      "unique",
			canonical: parent + `CREATE TABLE c PARTITION OF p (UNIQUE (a, b)) FOR VALUES IN (1); CREATE UNIQUE INDEX p_uidx ON p (a, b);`,
			live:      parent + `CREATE UNIQUE INDEX p_uidx ON p (a, b);`,
			want:      []string{"missing table public.c"},
		},
	})
}

// A partition in an unexpected schema, of a table a kept foreign key
// references: detached before DROP SCHEMA ... CASCADE, which would take
// the foreign key with it.
func TestAcceptanceSchemaDropKeepsForeignKey(t *testing.T) {
	const keep = `CREATE TABLE p (a int PRIMARY KEY) PARTITION BY LIST (a);
CREATE TABLE r (a int REFERENCES p (a));
`
	runAcceptance(t, []acceptanceCase{
		{
			name:      "partition in the dropped schema",
			canonical: keep,
			live:      keep + `CREATE SCHEMA s2; CREATE TABLE s2.c PARTITION OF p FOR VALUES IN (1);`,
			want:      []string{"unexpected schema s2"},
		},
	})
}

// A partitioned table made anew under another name, its partition moving
// along: the new table's index takes the old one's name, so it follows
// the old table's drop, which follows the partition's move.
func TestAcceptancePartitionMovesToRenamedParent(t *testing.T) {
	const old = `CREATE TABLE p1 (a int) PARTITION BY LIST (a);
CREATE TABLE c PARTITION OF p1 FOR VALUES IN (1);
CREATE INDEX i ON p1 (a);
`
	const renamed = `CREATE TABLE p2 (a int) PARTITION BY LIST (a);
CREATE TABLE c PARTITION OF p2 FOR VALUES IN (1);
CREATE INDEX i ON p2 (a);
`
	runAcceptance(t, []acceptanceCase{
		{
			name: "p1 to p2", canonical: renamed, live: old,
			want: []string{"changed table public.c", "missing index public.p2.i", "missing table public.p2", "unexpected table public.p1"},
		},
		{
			name: "p2 to p1", canonical: old, live: renamed,
			want: []string{"changed table public.c", "missing index public.p1.i", "missing table public.p1", "unexpected table public.p2"},
		},
	})
}

// A unique index moving to another table with the foreign key using it:
// the key is dropped before the index (its own item adds it again after
// the new index exists), where waiting for that item made a cycle.
func TestAcceptanceForeignKeyFollowsMovedIndex(t *testing.T) {
	const tables = `CREATE TABLE p (a int); CREATE TABLE q (a int);
`
	runAcceptance(t, []acceptanceCase{
		{
			name:      "index name moves to another table",
			canonical: tables + `CREATE UNIQUE INDEX u ON q (a); CREATE TABLE c (a int, CONSTRAINT c_fk FOREIGN KEY (a) REFERENCES q (a));`,
			live:      tables + `CREATE UNIQUE INDEX u ON p (a); CREATE TABLE c (a int, CONSTRAINT c_fk FOREIGN KEY (a) REFERENCES p (a));`,
			want:      []string{"changed constraint public.c.c_fk", "missing index public.q.u", "unexpected index public.p.u"},
		},
		{
			name:      "referenced table replaced",
			canonical: `CREATE TABLE b (a int); CREATE UNIQUE INDEX u ON b (a); CREATE TABLE c (a int, CONSTRAINT c_fk FOREIGN KEY (a) REFERENCES b (a));`,
			live:      `CREATE TABLE a (a int); CREATE UNIQUE INDEX u ON a (a); CREATE TABLE c (a int, CONSTRAINT c_fk FOREIGN KEY (a) REFERENCES a (a));`,
			want: []string{"changed constraint public.c.c_fk", "missing index public.b.u", "missing table public.b",
				"unexpected table public.a"},
		},
	})
}

// A policy defined anew that used a dropped column is made again after
// the column's drop, which drops it, even when the drop waits for an
// unexpected schema's (a view on the table in it).
func TestAcceptancePolicyAfterColumnDrop(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name:      "view in a dropped schema",
			canonical: `CREATE TABLE t (a text); CREATE POLICY pol ON t FOR SELECT USING (a = 'x');`,
			live: `CREATE TABLE t (a text, q text); CREATE POLICY pol ON t FOR SELECT USING (a = 'x' AND q = 'y');
CREATE SCHEMA s; CREATE VIEW s.v AS SELECT a FROM t;`,
			want: []string{"changed policy public.t.pol", "unexpected column public.t.q", "unexpected schema s"},
		},
	})
}

// A PL/pgSQL function naming a table's row type in its declarations is
// created with its body unchecked, as pg_dump does: the table may come
// after it.
func TestAcceptancePlpgsqlRowtypeBeforeTable(t *testing.T) {
	const every = `CREATE TABLE events (id int);
CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ DECLARE r events%ROWTYPE; batch events[]; BEGIN END $$;`
	runAcceptance(t, []acceptanceCase{
		{name: "from empty", canonical: every, live: ``, want: []string{"missing function public.f()", "missing table public.events"},
			severity: Critical},
	})
}

// The partitions of an ignored partitioned table are ignored with it:
// they hold its rows, and cannot be made without it.
func TestAcceptanceIgnoredParentsPartitions(t *testing.T) {
	const tmp = `CREATE TABLE tmp_events (id int) PARTITION BY RANGE (id);
CREATE TABLE events_p1 PARTITION OF tmp_events FOR VALUES FROM (0) TO (100) PARTITION BY RANGE (id);
CREATE TABLE events_p1a PARTITION OF events_p1 FOR VALUES FROM (0) TO (50);
CREATE INDEX ON tmp_events (id);
`
	ignore := DiffOptions{Ignore: []string{"public.tmp_*"}}
	runAcceptance(t, []acceptanceCase{
		{name: "live only", canonical: `CREATE TABLE kept (a int);`, live: `CREATE TABLE kept (a int);` + tmp, opts: ignore},
		{name: "canonical only", canonical: `CREATE TABLE kept (a int);` + tmp, live: `CREATE TABLE kept (a int);`, opts: ignore},
	})
}

// A partition moving to a parent whose column has another type is
// retyped between its DETACH and ATTACH: inherited, its column could not
// be retyped before.
func TestAcceptancePartitionMovesToParentOfOtherType(t *testing.T) {
	const p = `CREATE TABLE p (k int, v int) PARTITION BY LIST (k);
`
	const q = `CREATE TABLE q (k int, v text) PARTITION BY LIST (k);
`
	runAcceptance(t, []acceptanceCase{
		{
			name: "int to text", canonical: q + `CREATE TABLE p1 PARTITION OF q FOR VALUES IN (1);`,
			live: p + `CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);`,
			want: []string{"changed column public.p1.v", "changed table public.p1", "missing table public.q", "unexpected table public.p"},
		},
		{
			name: "text to int, both parents kept", canonical: p + q + `CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);`,
			live: p + q + `CREATE TABLE p1 PARTITION OF q FOR VALUES IN (1);`,
			want: []string{"changed column public.p1.v", "changed table public.p1"},
		},
	})
}

// A partition moving from a parent whose primary key it inherits to one
// without, keeping a key of its own: the columns let go of the old key's
// NOT NULL after the DETACH, and take a new parent's before the ATTACH.
func TestAcceptancePartitionMovesFromInheritedKey(t *testing.T) {
	const withKey = `CREATE TABLE p (k int, id int, PRIMARY KEY (k, id)) PARTITION BY LIST (k);
`
	const without = `CREATE TABLE q (k int, id int) PARTITION BY LIST (k);
`
	runAcceptance(t, []acceptanceCase{
		{
			name: "to a parent without a key", canonical: without + `CREATE TABLE p1 PARTITION OF q (PRIMARY KEY (k)) FOR VALUES IN (1);`,
			live: withKey + `CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);`,
			want: []string{"changed column public.p1.id", "changed constraint public.p1.p1_pkey", "changed table public.p1",
				"missing table public.q", "unexpected table public.p"},
		},
		{
			name: "to a parent with a key", canonical: withKey + `CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);`,
			live: without + `CREATE TABLE p1 PARTITION OF q (PRIMARY KEY (k)) FOR VALUES IN (1);`,
			want: []string{"changed column public.p1.id", "changed constraint public.p1.p1_pkey", "changed table public.p1",
				"missing table public.p", "unexpected table public.q"},
		},
	})
}

// A type made anew (an enum reordered, a domain on another base type)
// keeps its comment and grants. Found by a sweep of pgschema's cases.
func TestAcceptanceTypeRecreatedKeepsCommentAndGrants(t *testing.T) {
	const live = `CREATE TYPE ct AS ENUM ('a', 'b'); COMMENT ON TYPE ct IS 'tt';
CREATE DOMAIN d AS int; GRANT USAGE ON DOMAIN d TO pg_monitor; COMMENT ON DOMAIN d IS 'dd';
CREATE TYPE r AS RANGE (subtype = int4); GRANT USAGE ON TYPE r TO pg_monitor;`
	const canonical = `CREATE TYPE ct AS ENUM ('b', 'a'); COMMENT ON TYPE ct IS 'tt';
CREATE DOMAIN d AS bigint; GRANT USAGE ON DOMAIN d TO pg_monitor; COMMENT ON DOMAIN d IS 'dd';
CREATE TYPE r AS RANGE (subtype = int8); GRANT USAGE ON TYPE r TO pg_monitor;`
	all := DiffOptions{Comments: true, Privileges: true}
	runAcceptance(t, []acceptanceCase{
		{name: "compared", canonical: canonical, live: live, opts: all,
			want: []string{"changed type public.ct", "changed type public.d", "changed type public.r"}},
		{name: "not compared", canonical: canonical, live: live,
			want: []string{"changed type public.ct", "changed type public.d", "changed type public.r"}},
	})
}

// A grantee that granted on with its grant option: its REVOKE cascades
// to what it granted, which REVOKE otherwise refuses. Found by a sweep
// of pgschema's cases.
func TestAcceptanceRevokeGrantChain(t *testing.T) {
	const table = `CREATE TABLE t (id int);
`
	const chain = table + `GRANT SELECT ON t TO pg_monitor WITH GRANT OPTION;
SET ROLE pg_monitor; GRANT SELECT ON t TO pg_read_all_data; RESET ROLE;
`
	privileges := DiffOptions{Privileges: true}
	runAcceptance(t, []acceptanceCase{
		{name: "no grants in canonical", canonical: table, live: chain, opts: privileges,
			want: []string{"changed table public.t"}},
		{name: "the second grantee kept", canonical: table + `GRANT SELECT ON t TO pg_read_all_data;`, live: chain, opts: privileges,
			want: []string{"changed table public.t"}},
	})
}
