package checker

import "testing"

func TestNormalizeExpr(t *testing.T) {
	cases := []struct{ in, want string }{
		{"CHECK (((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))",
			"CHECK (((status)::text = ANY (ARRAY[('a'::character varying)::text, ('b'::character varying)::text])))"},
		{"CHECK (((status)::text = ANY (ARRAY[('a'::character varying)::text, ('b'::character varying)::text])))",
			"CHECK (((status)::text = ANY (ARRAY[('a'::character varying)::text, ('b'::character varying)::text])))"},
		// inside a literal: left alone
		{"CHECK ((s <> '(ARRAY[1])::text[]'::text))", "CHECK ((s <> '(ARRAY[1])::text[]'::text))"},
		// a type with a typmod, a quoted schema-qualified type
		{"(ARRAY[a, b])::character varying(20)[]", "ARRAY[(a)::character varying(20), (b)::character varying(20)]"},
		{`(ARRAY[a, lower(b, c)])::"S p"."My T"[]`, `ARRAY[(a)::"S p"."My T", (lower(b, c))::"S p"."My T"]`},
		// not an array type: left alone
		{"(ARRAY[1, 2])::mydomain", "(ARRAY[1, 2])::mydomain"},
		// nested
		{"CASE WHEN ((a)::text = ANY ((ARRAY['x'::character varying])::text[])) THEN ((b)::text = ANY ((ARRAY['y'::character varying])::text[])) END", "CASE WHEN ((a)::text = ANY (ARRAY[('x'::character varying)::text])) THEN ((b)::text = ANY (ARRAY[('y'::character varying)::text])) END"},
		{"CHECK ((timezone('utc'::text, created_at) < now()))", "CHECK (((created_at AT TIME ZONE 'utc'::text) < now()))"},
		{"my_timezone('a', b)", "my_timezone('a', b)"},
		{"timezone(x)", "timezone(x)"},
	}
	for _, c := range cases {
		if got := readBackExpr(c.in); got != c.want {
			t.Errorf("readBackExpr(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
	if !sameExpr("WHERE ((s)::text = ANY ((ARRAY['a'::character varying])::text[]))", "WHERE ((s)::text = ANY (ARRAY[('a'::character varying)::text]))") {
		t.Error("sameExpr: the two forms of an IN list differ")
	}
	if !sameExpr("CREATE INDEX i ON public.events USING btree (((created_at AT TIME ZONE 'utc'::text)), id)", "CREATE INDEX i ON public.events USING btree (timezone('utc'::text, created_at), id)") {
		t.Error("sameExpr: an index on timezone() differs from one on AT TIME ZONE")
	}
	if sameExpr("WHERE ((s)::text = ANY ((ARRAY['a'::character varying])::text[]))", "WHERE ((s)::text = ANY (ARRAY[('b'::character varying)::text]))") {
		t.Error("sameExpr: different lists compare equal")
	}
}
