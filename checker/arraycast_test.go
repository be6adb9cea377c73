package checker

import "testing"

func TestFoldArrayCasts(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"CHECK (((v)::text = ANY ((ARRAY['x'::character varying, 'y'::character varying])::text[])))",
			"CHECK (((v)::text = ANY (ARRAY[('x'::character varying)::text, ('y'::character varying)::text])))"},
		{"(n = ANY ((ARRAY[1.5, f(a, b)])::numeric(8,2)[]))", "(n = ANY (ARRAY[(1.5)::numeric(8,2), (f(a, b))::numeric(8,2)]))"},
		{"x = ANY ((ARRAY['(ARRAY[', 'b'])::\"My type\"[])", "x = ANY (ARRAY[('(ARRAY[')::\"My type\", ('b')::\"My type\"])"},
		{"'(ARRAY[1])::text[]'", "'(ARRAY[1])::text[]'"},
		{"(ARRAY[ARRAY[1]])::text[]", "(ARRAY[ARRAY[1]])::text[]"},
		{"(ARRAY[1])::text[][]", "(ARRAY[1])::text[][]"},
		{"(ARRAY[1, 2])", "(ARRAY[1, 2])"},
		{"(ARRAY[1, 2])[1]", "(ARRAY[1, 2])[1]"},
		{"(c::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[]))",
			"(c::text = ANY (ARRAY['a'::character varying::text, 'b'::character varying::text]))"},
		{"x = ANY (ARRAY[a, 'b'::character varying]::text[])", "x = ANY (ARRAY[a, 'b'::character varying]::text[])"},
		{"MYARRAY['a'::t]::text[]", "MYARRAY['a'::t]::text[]"},
	} {
		if got := foldArrayCasts(c.in); got != c.want {
			t.Errorf("foldArrayCasts(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFoldJoinOnTrue(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"FROM (a\n     LEFT JOIN b ON TRUE);", "FROM (a\n     LEFT JOIN b ON (true));"},
		{"FROM (a LEFT JOIN b ON TRUE)", "FROM (a LEFT JOIN b ON (true))"},
		{"SELECT ' ON TRUE' AS x", "SELECT ' ON TRUE' AS x"},
		{"SELECT 1 AS \" ON TRUE\"", "SELECT 1 AS \" ON TRUE\""},
		{"x ON TRUEX", "x ON TRUEX"},
	} {
		if got := foldJoinOnTrue(c.in); got != c.want {
			t.Errorf("foldJoinOnTrue(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFoldValuesParen(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`FROM (VALUES (1,2), (3,4)) "*VALUES*";`, `FROM ( VALUES (1,2), (3,4)) "*VALUES*";`},
		{`FROM ( VALUES (1,2)) "*VALUES*";`, `FROM ( VALUES (1,2)) "*VALUES*";`},
		{`SELECT '(VALUES x' AS v`, `SELECT '(VALUES x' AS v`},
	} {
		if got := foldValuesParen(c.in); got != c.want {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}
