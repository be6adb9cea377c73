package checker

import (
	"context"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// Primary keys and unique constraints added ON ONLY a partitioned table
// (ALTER TABLE ONLY ... ADD CONSTRAINT, as pg_dump writes them), their
// index invalid until every partition's key index is attached to it.
func TestAcceptanceKeysOnOnly(t *testing.T) {
	const one = `CREATE TABLE p (a int NOT NULL, b int NOT NULL) PARTITION BY RANGE (a);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
`
	const tables = one + `CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (10) TO (20);
`
	const pk = `ALTER TABLE ONLY p ADD CONSTRAINT p_pkey PRIMARY KEY (a);
`
	const childKeys = `ALTER TABLE ONLY p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (a);
ALTER TABLE ONLY p2 ADD CONSTRAINT p2_pkey PRIMARY KEY (a);
`
	const attach1 = `ALTER INDEX p_pkey ATTACH PARTITION p1_pkey;
`
	const attach2 = `ALTER INDEX p_pkey ATTACH PARTITION p2_pkey;
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical, attached on one partition", canonical: tables + pk + childKeys + attach1, live: tables + pk + childKeys + attach1},
		{
			// Built without ONLY it would give p2 a key too.
			name:      "missing, attached on the one partition with a key",
			canonical: tables + `ALTER TABLE ONLY p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (a);` + pk + attach1,
			live:      tables + `ALTER TABLE ONLY p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (a);`,
			want:      []string{"missing constraint public.p.p_pkey"},
		},
		{
			name:      "missing tables",
			canonical: tables + `ALTER TABLE ONLY p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (a);` + pk + attach1,
			live:      ``,
			want:      []string{"missing constraint public.p.p_pkey", "missing table public.p", "missing table public.p1", "missing table public.p2"},
		},
		{
			// Creating p2 clones the key onto it, attached: undone.
			name:      "missing partition of a table with an invalid key",
			canonical: tables + `ALTER TABLE ONLY p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (a);` + pk,
			live:      one + `ALTER TABLE ONLY p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (a);` + pk,
			want:      []string{"missing table public.p2"},
		},
		{
			// p1's attached key is all the live one needs to be valid.
			name:      "missing partition, live valid with the one partition attached",
			canonical: tables + `ALTER TABLE ONLY p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (a);` + pk + attach1,
			live:      one + `ALTER TABLE ONLY p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (a);` + pk + attach1,
			want:      []string{"changed constraint public.p.p_pkey", "missing table public.p2"},
		},
		{
			// The drop takes p1's attached key along; it comes back as
			// p1's own. (Worked before keys had invalid: kept as a guard.)
			name:      "unexpected",
			canonical: tables + childKeys,
			live:      tables + pk + childKeys + attach1,
			want:      []string{"unexpected constraint public.p.p_pkey"},
		},
		{
			name:      "attached on canonical only",
			canonical: tables + pk + childKeys + attach1,
			live:      tables + pk + childKeys,
			want:      []string{"changed constraint public.p.p_pkey"},
		},
		{
			name:      "attached on live only",
			canonical: tables + pk + childKeys,
			live:      tables + pk + childKeys + attach1,
			want:      []string{"changed constraint public.p.p_pkey"},
		},
		{
			name:      "valid on live",
			canonical: tables + pk + childKeys + attach1,
			live:      tables + pk + childKeys + attach1 + attach2,
			want:      []string{"changed constraint public.p.p_pkey"},
		},
		{
			name:      "valid on canonical",
			canonical: tables + pk + childKeys + attach1 + attach2,
			live:      tables + pk + childKeys + attach1,
			want:      []string{"changed constraint public.p.p_pkey"},
		},
		{
			name:      "valid on live, made by ADD CONSTRAINT without ONLY",
			canonical: tables + pk + childKeys + attach1,
			live:      tables + `ALTER TABLE p ADD CONSTRAINT p_pkey PRIMARY KEY (a);`,
			want:      []string{"changed constraint public.p.p_pkey"},
		},
		{
			name:      "unique, attached on different partitions",
			canonical: tables + `ALTER TABLE ONLY p ADD CONSTRAINT p_b_key UNIQUE (b, a); ALTER TABLE p1 ADD CONSTRAINT p1_b_key UNIQUE (b, a); ALTER TABLE p2 ADD CONSTRAINT p2_b_key UNIQUE (b, a); ALTER INDEX p_b_key ATTACH PARTITION p1_b_key;`,
			live:      tables + `ALTER TABLE ONLY p ADD CONSTRAINT p_b_key UNIQUE (b, a); ALTER TABLE p1 ADD CONSTRAINT p1_b_key UNIQUE (b, a); ALTER TABLE p2 ADD CONSTRAINT p2_b_key UNIQUE (b, a); ALTER INDEX p_b_key ATTACH PARTITION p2_b_key;`,
			want:      []string{"changed constraint public.p.p_b_key"},
		},
	})
}

// A partitioned table in a partitioned table: the middle one's key added
// ON ONLY too and attached to the top one, both invalid while a leaf has
// no key attached.
func TestAcceptanceKeysOnOnlyLevels(t *testing.T) {
	const tables = `CREATE TABLE p (a int NOT NULL, b int NOT NULL) PARTITION BY RANGE (a);
CREATE TABLE q PARTITION OF p FOR VALUES FROM (0) TO (10) PARTITION BY RANGE (b);
CREATE TABLE q1 PARTITION OF q FOR VALUES FROM (0) TO (5);
CREATE TABLE q2 PARTITION OF q FOR VALUES FROM (5) TO (10);
CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (10) TO (20);
`
	const keys = `ALTER TABLE ONLY p ADD CONSTRAINT p_key UNIQUE (a, b);
ALTER TABLE ONLY q ADD CONSTRAINT q_key UNIQUE (a, b);
ALTER TABLE ONLY q1 ADD CONSTRAINT q1_key UNIQUE (a, b);
ALTER TABLE ONLY p2 ADD CONSTRAINT p2_key UNIQUE (a, b);
ALTER INDEX p_key ATTACH PARTITION q_key;
ALTER INDEX q_key ATTACH PARTITION q1_key;
ALTER INDEX p_key ATTACH PARTITION p2_key;
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: tables + keys, live: tables + keys},
		{
			name:      "missing",
			canonical: tables + keys,
			live:      tables,
			want:      []string{"missing constraint public.p.p_key"},
		},
		{
			// q2 gets its key attached: q's becomes valid, and p's with it.
			name:      "live attaches the last leaf",
			canonical: tables + keys,
			live:      tables + keys + `ALTER TABLE ONLY q2 ADD CONSTRAINT q2_key UNIQUE (a, b); ALTER INDEX q_key ATTACH PARTITION q2_key;`,
			want:      []string{"changed constraint public.p.p_key"},
		},
		{
			name:      "valid on live",
			canonical: tables + keys,
			live:      tables + `ALTER TABLE p ADD CONSTRAINT p_key UNIQUE (a, b); ALTER INDEX q_a_b_key RENAME TO q_key;`,
			want:      []string{"changed constraint public.p.p_key"},
		},
	})
	runDumpClean(t, []dumpCleanCase{
		{name: "dump, some attached", ddl: tables + keys},
		{name: "dump, all attached", ddl: tables + keys + `ALTER TABLE ONLY q2 ADD CONSTRAINT q2_key UNIQUE (a, b); ALTER INDEX q_key ATTACH PARTITION q2_key;`},
	})
}

// keysOnOnlyOdd has keys added ON ONLY under names that need quoting: one
// attached on a partition, one on none.
const keysOnOnlyOdd = `CREATE SCHEMA "Odd S";
CREATE TABLE "Odd S".p (a int NOT NULL, b int) PARTITION BY RANGE (a);
CREATE TABLE "Odd S".p1 PARTITION OF "Odd S".p FOR VALUES FROM (0) TO (10);
CREATE TABLE "Odd S".p2 PARTITION OF "Odd S".p FOR VALUES FROM (10) TO (20);
ALTER TABLE ONLY "Odd S".p ADD CONSTRAINT "p key" PRIMARY KEY (a);
ALTER TABLE ONLY "Odd S".p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (a);
ALTER INDEX "Odd S"."p key" ATTACH PARTITION "Odd S".p1_pkey;
ALTER TABLE ONLY "Odd S".p ADD CONSTRAINT p_u UNIQUE (a, b);`

// Keys added ON ONLY compare clean against themselves and their own
// pg_dump, which adds them ON ONLY and attaches what was attached.
func TestAcceptanceKeysOnOnlyDumpClean(t *testing.T) {
	runDumpClean(t, []dumpCleanCase{{name: "primary key, attached on one partition", ddl: keysOnOnlyOdd}})
}

// Their invalid and attached survive the binary cache, the JSON snapshot
// and the SQL snapshot.
func TestKeysOnOnlyRoundTrip(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, keysOnOnlyOdd)
	m := inspectDSN(t, ctx, dsn)
	if k := m.Lookup(Key(KindConstraint, "Odd S", "p", "p key")); k == nil || k.Attr("invalid") != "true" || k.Attr("attached") != `"Odd S".p1_pkey` {
		t.Fatalf("key read as %v", k)
	}
	assertRoundTrips(t, ctx, m)
}

// A plain unique index on the partitioned table, a partition's own key
// attached to it, where canonical has a key on the table: the key holds
// on to the index, and DROP INDEX alone is refused.
func TestAcceptanceKeysOverPlainIndex(t *testing.T) {
	const tables = `CREATE TABLE p (a int NOT NULL, b int NOT NULL) PARTITION BY RANGE (a);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (10) TO (20);
`
	const held = `CREATE UNIQUE INDEX p_a_idx ON ONLY p (a);
ALTER TABLE p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (a);
ALTER INDEX p_a_idx ATTACH PARTITION p1_pkey;
`
	runAcceptance(t, []acceptanceCase{
		{
			name:      "primary key",
			canonical: tables + `ALTER TABLE p ADD CONSTRAINT p_pkey PRIMARY KEY (a);`,
			live:      tables + held,
			want:      []string{"missing constraint public.p.p_pkey", "unexpected index public.p.p_a_idx"},
		},
		{
			name:      "primary key added ON ONLY",
			canonical: tables + `ALTER TABLE ONLY p ADD CONSTRAINT p_pkey PRIMARY KEY (a); ALTER TABLE p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (a); ALTER INDEX p_pkey ATTACH PARTITION p1_pkey;`,
			live:      tables + held,
			want:      []string{"missing constraint public.p.p_pkey", "unexpected index public.p.p_a_idx"},
		},
		{
			// Built without ONLY, the index took p1's key and gave p2 one.
			name:      "unique, index valid",
			canonical: tables + `ALTER TABLE p1 ADD CONSTRAINT p1_a_key UNIQUE (a); ALTER TABLE p ADD CONSTRAINT p_a_key UNIQUE (a);`,
			live:      tables + `ALTER TABLE p1 ADD CONSTRAINT p1_a_key UNIQUE (a); CREATE UNIQUE INDEX p_a_idx ON p (a);`,
			want:      []string{"missing constraint public.p.p_a_key", "unexpected index public.p.p_a_idx"},
		},
		{
			// A foreign key uses p1's key: dropped before the CASCADE, and
			// added back.
			name:      "unique, index valid, p1's key used by a foreign key",
			canonical: tables + `ALTER TABLE p1 ADD CONSTRAINT p1_a_key UNIQUE (a); ALTER TABLE p ADD CONSTRAINT p_a_key UNIQUE (a); CREATE TABLE r (a int REFERENCES p1 (a));`,
			live:      tables + `ALTER TABLE p1 ADD CONSTRAINT p1_a_key UNIQUE (a); CREATE UNIQUE INDEX p_a_idx ON p (a); CREATE TABLE r (a int REFERENCES p1 (a));`,
			want:      []string{"missing constraint public.p.p_a_key", "unexpected index public.p.p_a_idx"},
		},
	})
	runDumpClean(t, []dumpCleanCase{{name: "dump, key attached to a plain index", ddl: tables + held}})
}
