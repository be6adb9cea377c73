package checker

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

var hostileIdentifiers = []string{
	"user", "User", `a"b`, `""`, "select", "Ünïcødé", "with space", "dots.in.name", "1leading",
	"_ok", "ok_1", "trailing ", "\ttab", strings.Repeat("x", 63), "semi;colon", "back\\slash",
	"'quote'", "$1", "日本語", "from", "varchar", "between", "left", "analyse", "a-b",
}

// QuoteIdentMin must quote exactly as the server's quote_ident does, or
// fix SQL and identities would read differently from what PostgreSQL prints.
func TestQuoteIdentMatchesServer(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn := pgtest.Connect(t, pgtest.AdminDSN())
	for _, s := range hostileIdentifiers {
		var server string
		if err := conn.QueryRow(ctx, "SELECT pg_catalog.quote_ident($1)", s).Scan(&server); err != nil {
			t.Fatal(err)
		}
		if got := QuoteIdentMin(s); got != server {
			t.Errorf("QuoteIdentMin(%q) = %s, quote_ident gives %s", s, got, server)
		}
		// And the quoted name names the same thing.
		if err := conn.QueryRow(ctx, "SELECT "+QuoteIdent(s)+" FROM (SELECT 1 AS "+QuoteIdent(s)+") x").Scan(new(int)); err != nil {
			t.Errorf("SELECT with %s: %v", QuoteIdent(s), err)
		}
	}
}

// Quoting round-trips through splitQualified for any identifier, and the
// minimal form is either the bare name (only when that is safe) or the
// fully quoted one.
func FuzzQuoteIdent(f *testing.F) {
	for _, s := range hostileIdentifiers {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return // PostgreSQL identifiers are non-empty valid text without NUL
		}
		q := QuoteIdent(s)
		if parts := splitQualified(q); len(parts) != 1 || parts[0] != s {
			t.Fatalf("QuoteIdent(%q) = %s splits back to %q", s, q, parts)
		}
		m := QuoteIdentMin(s)
		if m != s && m != q {
			t.Fatalf("QuoteIdentMin(%q) = %s: neither bare nor fully quoted", s, m)
		}
		if m == s {
			for i, r := range s {
				if !(r >= 'a' && r <= 'z' || r == '_' || (i > 0 && r >= '0' && r <= '9')) {
					t.Fatalf("QuoteIdentMin left %q bare", s)
				}
			}
		}
		qualified := QualifiedName(s, s)
		if parts := splitQualified(qualified); len(parts) != 2 || parts[0] != s || parts[1] != s {
			t.Fatalf("QualifiedName(%q, %q) = %s splits to %q", s, s, qualified, parts)
		}
	})
}
