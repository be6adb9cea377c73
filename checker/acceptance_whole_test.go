package checker

import (
	"os"
	"testing"
)

// A schema using every modelled kind, created from nothing and dropped to
// nothing by fix SQL alone.
func TestAcceptanceWholeSchema(t *testing.T) {
	every, err := os.ReadFile("testdata/every_kind.sql")
	if err != nil {
		t.Fatal(err)
	}
	all := DiffOptions{Comments: true, Privileges: true}
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: string(every), live: string(every), opts: all},
		{name: "identical with column order", canonical: string(every), live: string(every), opts: DiffOptions{ColumnOrder: true}},
		{name: "everything missing", canonical: string(every), live: "", opts: all, want: everyKindMissing},
		{name: "everything unexpected", canonical: "", live: string(every), opts: all, want: everyKindUnexpected},
	})
}
