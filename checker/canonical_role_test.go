package checker

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// A canonical script that sets default privileges under SET ROLE sets
// them for that role, as the live database that ran it did: the load
// does not take the role on, and names it in the statement instead.
func TestCanonicalDefaultPrivilegesUnderSetRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const script = `SET ROLE pg_monitor;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO pg_read_all_data;
ALTER DEFAULT PRIVILEGES FOR ROLE pg_monitor GRANT USAGE ON SEQUENCES TO pg_read_all_data;
RESET ROLE;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
SET SESSION AUTHORIZATION 'pg_monitor';
alter default privileges grant usage on types to pg_read_all_data;
SET ROLE NONE;
`
	live := pgtest.NewDB(t)
	pgtest.Exec(t, live, script)
	path := filepath.Join(t.TempDir(), "canonical.sql")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	canon, _, err := LoadCanonical(ctx, CanonicalSource{Path: path, TargetDSN: pgtest.NewDB(t)}, LoadOptions{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if items := Diff(canon, inspectDSN(t, ctx, live), DiffOptions{Privileges: true}); len(items) > 0 {
		t.Errorf("drift against the database the same script built:\n%s", dumpItems(items))
	}
	if n := len(canon.Filter(func(o *Object) bool { return o.Kind == KindDefaultACL }).Objects); n != 4 {
		t.Errorf("canonical has %d default privileges entries, want 4", n)
	}
}
