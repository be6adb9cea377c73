package checker

import "testing"

// fdwServer is a foreign-data wrapper without handler and a server on it:
// enough to create foreign tables (not to read them) without an extension.
const fdwServer = `CREATE FOREIGN DATA WRAPPER dw_test_fdw;
CREATE SERVER dw_remote FOREIGN DATA WRAPPER dw_test_fdw OPTIONS (host 'db.example');
`

// Foreign tables: they have no replica identity of their own
// (relreplident reads 'n'), and ALTER TABLE ... REPLICA IDENTITY fails on
// them, so neither the comparison nor a fix may mention one.
func TestAcceptanceForeignTables(t *testing.T) {
	const ft = fdwServer + `CREATE FOREIGN TABLE remote_users (id int NOT NULL, name text) SERVER dw_remote OPTIONS (table_name 'users');
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: ft, live: ft},
		{
			name:      "missing foreign table",
			canonical: ft,
			live:      fdwServer,
			want:      []string{"missing table public.remote_users"},
		},
		{
			name:      "unexpected foreign table",
			canonical: fdwServer,
			live:      ft,
			want:      []string{"unexpected table public.remote_users"},
		},
		{
			name:      "missing column of a foreign table",
			canonical: ft,
			live:      fdwServer + `CREATE FOREIGN TABLE remote_users (id int NOT NULL) SERVER dw_remote OPTIONS (table_name 'users');`,
			want:      []string{"missing column public.remote_users.name"},
		},
	})
}
