package checker

import "testing"

func TestFoldCastAliases(t *testing.T) {
	const head = "CREATE OR REPLACE FUNCTION public.f()\n RETURNS text\n LANGUAGE sql\nBEGIN ATOMIC\n "
	for _, c := range []struct{ in, want string }{
		{"SELECT 'z'::text AS text;", "SELECT 'z'::text;"},
		{"SELECT '2147483648'::bigint AS int8;", "SELECT '2147483648'::bigint;"},
		{"SELECT '1 day'::interval AS \"interval\";", "SELECT '1 day'::interval;"},
		{"SELECT 'a'::character varying(3) AS \"varchar\", 2;", "SELECT 'a'::character varying(3), 2;"},
		{"SELECT '2020-01-01'::timestamp(3) with time zone AS timestamptz;", "SELECT '2020-01-01'::timestamp(3) with time zone;"},
		{"SELECT NULL::public.\"My T\"[] AS \"My T\";", "SELECT NULL::public.\"My T\"[];"},
		{"SELECT 'x'::text AS label;", "SELECT 'x'::text AS label;"},
		{"SELECT (x)::text AS x;", "SELECT (x)::text AS x;"},
		{"SELECT 1::integer AS int8;", "SELECT 1::integer AS int8;"},
		{"SELECT ( SELECT 'w'::text AS text) AS text, ( SELECT NULL::text) AS text;", "SELECT ( SELECT 'w'::text), ( SELECT NULL::text);"},
		{"SELECT ( SELECT 'w'::text) AS label;", "SELECT ( SELECT 'w'::text) AS label;"},
		{"SELECT '1010'::\"bit\" AS \"bit\", ($1 + 1);", "SELECT '1010'::\"bit\", ($1 + 1);"},
	} {
		if got := foldCastAliases(head+c.in+"\nEND", KindFunction); got != head+c.want+"\nEND" {
			t.Errorf("%s:\n got %q\nwant %q", c.in, got, head+c.want+"\nEND")
		}
	}
	if def := "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS 'SELECT 1::text AS text'"; foldCastAliases(def, KindFunction) != def {
		t.Errorf("a body that is a string changed")
	}
}

func TestFoldCastAliasesInSubselects(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 'z'::text AS text, ( SELECT 'x'::text AS text) AS sub;", "SELECT 'z'::text AS text, ( SELECT 'x'::text) AS sub;"},
		{"SELECT 1 AS n\n  WHERE (EXISTS ( SELECT 'z'::text AS text));", "SELECT 1 AS n\n  WHERE (EXISTS ( SELECT 'z'::text));"},
		{"SELECT ( SELECT ( SELECT 'x'::text AS text) AS text) AS b;", "SELECT ( SELECT ( SELECT 'x'::text)) AS b;"},
		{"SELECT ( SELECT 'x'::text) AS text;", "SELECT ( SELECT 'x'::text) AS text;"},
		{"SELECT 'a)'::text AS text FROM t WHERE (x = ( SELECT 'b'::text AS lbl));", "SELECT 'a)'::text AS text FROM t WHERE (x = ( SELECT 'b'::text AS lbl));"},
		// The operand names these columns; the aliases were written.
		{"SELECT x FROM ( SELECT (t.created_at)::date AS date FROM t) s;", "SELECT x FROM ( SELECT (t.created_at)::date AS date FROM t) s;"},
		{"SELECT x FROM ( SELECT lower(t.c)::text AS text FROM t) s;", "SELECT x FROM ( SELECT lower(t.c)::text AS text FROM t) s;"},
		{"SELECT x FROM ( SELECT (a + b)::text AS text FROM t) s;", "SELECT x FROM ( SELECT (a + b)::text FROM t) s;"},
	} {
		if got := foldCastAliases(c.in, KindView); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}
