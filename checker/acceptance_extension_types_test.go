package checker

import "testing"

// A live column whose type belongs to an extension the canonical schema
// does not have: the column changes type before the extension is dropped.
func TestAcceptanceExtensionTypes(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name:      "column leaves an extension's type that is dropped",
			canonical: `CREATE TABLE u (email text);`,
			live:      `CREATE EXTENSION citext; CREATE TABLE u (email citext);`,
			want:      []string{"changed column public.u.email", "unexpected extension citext"},
		},
		{
			name:      "array of an extension's type",
			canonical: `CREATE TABLE u (tags text[]);`,
			live:      `CREATE EXTENSION citext; CREATE TABLE u (tags citext[]);`,
			want:      []string{"changed column public.u.tags", "unexpected extension citext"},
		},
		{
			name:      "extension in its own schema",
			canonical: `CREATE SCHEMA ext; CREATE TABLE u (email text, n int);`,
			live:      `CREATE SCHEMA ext; CREATE EXTENSION citext SCHEMA ext; CREATE TABLE u (email ext.citext, n int);`,
			want:      []string{"changed column public.u.email", "unexpected extension citext"},
		},
	})
}
