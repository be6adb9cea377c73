package checker

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// assertRoundTrips checks that m survives the binary cache, the JSON
// snapshot and the SQL snapshot (loaded again as a canonical file would
// be) with no drift against itself.
func assertRoundTrips(t *testing.T, ctx context.Context, m *Model) {
	t.Helper()
	all := DiffOptions{Comments: true, Privileges: true, ColumnOrder: true}
	decoded, err := DecodeModel(EncodeModel(m))
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(m, decoded, all); len(d) != 0 {
		t.Fatalf("binary round trip shows drift:\n%s", dumpItems(d))
	}
	var js bytes.Buffer
	if err := WriteSnapshot(&js, m); err != nil {
		t.Fatal(err)
	}
	fromJSON, err := ReadSnapshot(&js)
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(m, fromJSON, all); len(d) != 0 {
		t.Fatalf("JSON round trip shows drift:\n%s", dumpItems(d))
	}
	var sqlText strings.Builder
	if err := WriteSQL(&sqlText, m); err != nil {
		t.Fatal(err)
	}
	again := pgtest.NewDB(t)
	pgtest.Exec(t, again, sqlText.String())
	if d := Diff(m, inspectDSN(t, ctx, again), all); len(d) != 0 {
		t.Fatalf("SQL snapshot round trip shows drift:\n%s\nsnapshot:\n%s", dumpItems(d), sqlText.String())
	}
}
