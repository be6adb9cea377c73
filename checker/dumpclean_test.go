package checker

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// dumpCleanCase is a schema that must compare clean against itself: as
// written, against a copy made by the same DDL, and against its own
// pg_dump --schema-only loaded the way check loads a canonical file.
type dumpCleanCase struct {
	name string
	ddl  string
}

// runDumpClean runs the zero-false-positive check for each case.
func runDumpClean(t *testing.T, cases []dumpCleanCase) {
	t.Helper()
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			dsn, copyDSN := pgtest.NewDB(t), pgtest.NewDB(t)
			pgtest.Exec(t, dsn, tc.ddl)
			pgtest.Exec(t, copyDSN, tc.ddl)
			all := DiffOptions{Comments: true, Privileges: true, ColumnOrder: true}
			live := inspectDSN(t, ctx, dsn)
			if items := Diff(inspectDSN(t, ctx, copyDSN), live, all); len(items) > 0 {
				t.Fatalf("false positives against the same DDL:\n%s", dumpItems(items))
			}
			dump := dumpSchema(t, ctx, dsn)
			canon, _, err := LoadCanonical(ctx, CanonicalSource{Path: dump, TargetDSN: dsn}, LoadOptions{NoCache: true})
			if err != nil {
				t.Fatalf("load pg_dump output: %v", err)
			}
			if items := Diff(canon, live, all); len(items) > 0 {
				t.Fatalf("false positives against its own pg_dump:\n%s", dumpItems(items))
			}
			if items := Diff(canon, inspectShared(t, ctx, dsn, canon), all); len(items) > 0 {
				t.Fatalf("false positives when sharing the canonical model:\n%s", dumpItems(items))
			}
		})
	}
}

// dumpSchema writes dsn's pg_dump --schema-only output to a file of the
// test's and returns its path: a canonical file as users make them.
func dumpSchema(t *testing.T, ctx context.Context, dsn string) string {
	t.Helper()
	out, err := exec.CommandContext(ctx, "pg_dump", "--schema-only", "--dbname", dsn).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	path := filepath.Join(t.TempDir(), "canonical-schema.sql")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
