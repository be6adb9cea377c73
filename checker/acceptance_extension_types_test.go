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

// An unexpected extension is dropped after the creates: its live users may
// be changed rather than dropped, and let go of it only then.
func TestAcceptanceExtensionUsersChanged(t *testing.T) {
	runAcceptance(t, []acceptanceCase{
		{
			name:      "default calls the extension's function",
			canonical: `CREATE TABLE users (id bigint, k bytea NOT NULL);`,
			live:      `CREATE EXTENSION pgcrypto; CREATE TABLE users (id bigint, k bytea NOT NULL DEFAULT gen_random_bytes(16));`,
			want:      []string{"changed column public.users.k", "unexpected extension pgcrypto"},
		},
		{
			name:      "check calls the extension's function",
			canonical: `CREATE TABLE p (h bytea CHECK (length(h) = 32));`,
			live:      `CREATE EXTENSION pgcrypto; CREATE TABLE p (h bytea CHECK (length(digest(h, 'sha256')) = 32));`,
			want:      []string{"changed constraint public.p.p_h_check", "unexpected extension pgcrypto"},
		},
		{
			name:      "view calls the extension's function",
			canonical: `CREATE TABLE p (h bytea); CREATE VIEW v AS SELECT sha256(h) AS d FROM p;`,
			live:      `CREATE EXTENSION pgcrypto; CREATE TABLE p (h bytea); CREATE VIEW v AS SELECT digest(h, 'sha256') AS d FROM p;`,
			want:      []string{"changed view public.v", "unexpected extension pgcrypto"},
		},
		{
			name:      "composite type has an attribute of the extension's type",
			canonical: `CREATE TYPE pair AS (a text, b int);`,
			live:      `CREATE EXTENSION citext; CREATE TYPE pair AS (a citext, b int);`,
			want:      []string{"changed type public.pair", "unexpected extension citext"},
		},
		{
			name:      "extension in an unexpected schema, its type used elsewhere",
			canonical: `CREATE TABLE u (email text);`,
			live:      `CREATE SCHEMA ext; CREATE EXTENSION citext SCHEMA ext; CREATE TABLE u (email ext.citext);`,
			want:      []string{"changed column public.u.email", "unexpected extension citext", "unexpected schema ext"},
		},
	})
}
