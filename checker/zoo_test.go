package checker

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// The zero-false-positive test: a database using a zoo of PostgreSQL
// features is clean against its own pg_dump --schema-only, loaded the way
// check loads it, with every optional comparison on; and driftwatch's SQL
// snapshot of it rebuilds a database that is clean too.
func TestZooHasNoFalsePositives(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	zoo, err := os.ReadFile("testdata/zoo.sql")
	if err != nil {
		t.Fatal(err)
	}
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, string(zoo))
	all := DiffOptions{Comments: true, Privileges: true, ColumnOrder: true}

	dump := dumpSchema(t, ctx, dsn)
	canon, _, err := LoadCanonical(ctx, CanonicalSource{Path: dump, TargetDSN: dsn}, LoadOptions{NoCache: true})
	if err != nil {
		t.Fatalf("load pg_dump output: %v", err)
	}
	live := inspectDSN(t, ctx, dsn)
	if items := Diff(canon, live, all); len(items) > 0 {
		t.Fatalf("false positives against its own pg_dump:\n%s", dumpItems(items))
	}

	// As check reads it: every object is equal, so every one is shared,
	// and the canonical model is left as it was.
	var before, after bytes.Buffer
	if err := WriteSnapshot(&before, canon); err != nil {
		t.Fatal(err)
	}
	shared := inspectShared(t, ctx, dsn, canon)
	if items := Diff(canon, shared, all); len(items) > 0 {
		t.Fatalf("false positives when sharing the canonical model:\n%s", dumpItems(items))
	}
	for _, o := range shared.Objects {
		if c := canon.Lookup(o.Key()); o.Kind == KindExtension && c != nil && c.Attr("version") == "" {
			continue // pg_dump names no version: canonical has any, live its own
		}
		if c := canon.Lookup(o.Key()); c != nil && c.attrs != o.attrs && compare(c, o, all) == nil {
			continue // equal only as expressions that read back otherwise (exprnorm.go)
		}
		if canon.Lookup(o.Key()) != o {
			t.Errorf("%s %s was read equal but not shared", o.Kind, o.Identity())
		}
	}
	if err := WriteSnapshot(&after, canon); err != nil {
		t.Fatal(err)
	}
	if before.String() != after.String() {
		t.Errorf("inspecting against the canonical model changed it")
	}

	// A scoped read of every name (as re-checks read, with definitions
	// printed by the server) must read each object as the full read does.
	var names []Name
	seen := map[Name]bool{}
	for _, o := range live.Objects {
		if n := Owner(o); !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	scopedRead, err := Inspect(ctx, pgtest.Connect(t, dsn), InspectOptions{Scope: &Scope{Names: names}})
	if err != nil {
		t.Fatalf("scoped inspect: %v", err)
	}
	inScope := live.InScope(names)
	// Searching the sorted model finds what walking it finds, name by name.
	walked := &Model{ServerVersion: live.ServerVersion, Objects: live.Objects}
	if !live.sorted || walked.sorted {
		t.Fatal("an inspected model is sorted, a model built without Sort is not")
	}
	for _, n := range append(names, Name{Schema: "public", Name: "no_such"}) {
		got, want := live.InScope([]Name{n}), walked.InScope([]Name{n})
		if !slices.Equal(got.Objects, want.Objects) {
			t.Errorf("InScope(%v): searched %d objects, walked %d", n, len(got.Objects), len(want.Objects))
		}
	}
	for _, o := range live.Objects {
		if got, want := live.OwnersOf(o.Kind, o.Schema, o.Name), walked.OwnersOf(o.Kind, o.Schema, o.Name); !slices.Equal(got, want) {
			t.Errorf("OwnersOf(%s %s.%s): searched %v, walked %v", o.Kind, o.Schema, o.Name, got, want)
		}
	}
	if len(scopedRead.InScope(names).Objects) != len(inScope.Objects) {
		t.Errorf("scoped read: %d objects, full read: %d", len(scopedRead.InScope(names).Objects), len(inScope.Objects))
	}
	for _, o := range inScope.Objects {
		s := scopedRead.Lookup(o.Key())
		if s == nil {
			t.Errorf("scoped read misses %s %s", o.Kind, o.Identity())
			continue
		}
		if s.attrs != o.attrs || s.Comment() != o.Comment() || s.ACL() != o.ACL() || s.Inherited() != o.Inherited() {
			t.Errorf("%s %s: scoped read %q, full read %q", o.Kind, o.Identity(), s.attrs, o.attrs)
		}
	}

	// One connection reading step after step (as a sweep does), and three
	// sharing the steps out otherwise than two (the default), must read
	// exactly what two parallel readers read.
	var a bytes.Buffer
	if err := WriteSnapshot(&a, live); err != nil {
		t.Fatal(err)
	}
	for _, parallel := range []int{1, 3} {
		other, err := Inspect(ctx, pgtest.Connect(t, dsn), InspectOptions{Parallel: parallel})
		if err != nil {
			t.Fatalf("inspect on %d connections: %v", parallel, err)
		}
		var b bytes.Buffer
		if err := WriteSnapshot(&b, other); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("a read on %d connections differs from one on two:\n%s", parallel, firstDifference(a.String(), b.String()))
		}
	}

	var snap bytes.Buffer
	if err := WriteSQL(&snap, live); err != nil {
		t.Fatal(err)
	}
	rebuilt := pgtest.NewDB(t)
	pgtest.Exec(t, rebuilt, snap.String())
	if items := Diff(canon, inspectDSN(t, ctx, rebuilt), all); len(items) > 0 {
		t.Fatalf("the SQL snapshot does not rebuild the schema:\n%s", dumpItems(items))
	}
}

// snapshot's contract: deterministic output. Two databases built from the
// same DDL (different OIDs, different creation history underneath) give
// byte-identical SQL and JSON snapshots.
func TestSnapshotIsDeterministic(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	zoo, err := os.ReadFile("testdata/zoo.sql")
	if err != nil {
		t.Fatal(err)
	}
	var sqls, jsons []string
	for i := 0; i < 2; i++ {
		dsn := pgtest.NewDB(t)
		if i == 1 {
			// Shift every OID the second time round.
			pgtest.Exec(t, dsn, "CREATE TABLE shift AS SELECT 1; DROP TABLE shift; CREATE TYPE shift_t AS ENUM ('a'); DROP TYPE shift_t;")
		}
		pgtest.Exec(t, dsn, string(zoo))
		m := inspectDSN(t, ctx, dsn)
		var s, j bytes.Buffer
		if err := WriteSQL(&s, m); err != nil {
			t.Fatal(err)
		}
		if err := WriteSnapshot(&j, m); err != nil {
			t.Fatal(err)
		}
		sqls, jsons = append(sqls, s.String()), append(jsons, j.String())
	}
	if sqls[0] != sqls[1] {
		t.Error("SQL snapshots of two identical schemas differ")
	}
	if jsons[0] != jsons[1] {
		t.Error("JSON snapshots of two identical schemas differ")
	}
}

// firstDifference shows where two texts part, with some context.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("parallel: ...%s\none:      ...%s", a[from:min(len(a), i+200)], b[from:min(len(b), i+200)])
}
