package checker

import "testing"

// Extensions available on the test server (PostgreSQL's contrib): pgcrypto,
// hstore, citext; hstore and citext ship several versions.
func TestAcceptanceExtensions(t *testing.T) {
	const every = `CREATE EXTENSION pgcrypto; CREATE EXTENSION hstore; CREATE SCHEMA ext; CREATE EXTENSION citext SCHEMA ext;
CREATE TABLE t (h hstore, c ext.citext, id uuid DEFAULT gen_random_uuid());
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "missing extension used by a table",
			canonical: `CREATE EXTENSION hstore; CREATE TABLE t (h hstore);`,
			live:      ``,
			want:      []string{"missing extension hstore", "missing table public.t"},
			severity:  Critical,
		},
		{
			name:      "unexpected extension",
			canonical: `CREATE EXTENSION pgcrypto;`,
			live:      `CREATE EXTENSION pgcrypto; CREATE EXTENSION citext;`,
			want:      []string{"unexpected extension citext"},
			severity:  Warning,
		},
		{
			name:      "older version in the database",
			canonical: `CREATE EXTENSION hstore VERSION '1.8';`,
			live:      `CREATE EXTENSION hstore VERSION '1.6';`,
			want:      []string{"changed extension hstore"},
		},
		{
			name:      "older citext version with a column using it",
			canonical: `CREATE EXTENSION citext VERSION '1.6'; CREATE TABLE t (c citext);`,
			live:      `CREATE EXTENSION citext VERSION '1.4'; CREATE TABLE t (c citext);`,
			want:      []string{"changed extension citext"},
		},
		{
			// No downgrade scripts: the older version is installed anew.
			name:      "newer version in the database",
			canonical: `CREATE EXTENSION hstore VERSION '1.6';`,
			live:      `CREATE EXTENSION hstore VERSION '1.8';`,
			want:      []string{"changed extension hstore"},
		},
		{
			name:      "extension in another schema",
			canonical: `CREATE SCHEMA ext; CREATE EXTENSION hstore SCHEMA ext;`,
			live:      `CREATE SCHEMA ext; CREATE EXTENSION hstore;`,
			want:      []string{"changed extension hstore"},
		},
		{
			name:      "extension objects are not reported on their own",
			canonical: `CREATE EXTENSION pgcrypto;`,
			live:      `CREATE EXTENSION pgcrypto; CREATE EXTENSION hstore; CREATE EXTENSION citext;`,
			want:      []string{"unexpected extension citext", "unexpected extension hstore"},
		},
	})
}
