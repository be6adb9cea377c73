package checker

import "testing"

// The story driftwatch exists for: the code expects users."pkceRequired",
// the migration that adds it was never applied.
func TestAcceptancePKCERequired(t *testing.T) {
	base := `CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);`
	runAcceptance(t, []acceptanceCase{{
		name:      "missing column",
		canonical: base + `ALTER TABLE users ADD COLUMN "pkceRequired" boolean NOT NULL DEFAULT false;`,
		live:      base,
		want:      []string{`missing column public.users."pkceRequired"`},
		severity:  Critical,
	}, {
		name:      "in sync",
		canonical: base + `ALTER TABLE users ADD COLUMN "pkceRequired" boolean NOT NULL DEFAULT false;`,
		live:      base + `ALTER TABLE users ADD COLUMN "pkceRequired" boolean NOT NULL DEFAULT false;`,
	}})
}
