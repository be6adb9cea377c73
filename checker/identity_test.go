package checker

import (
	"strings"
	"testing"
)

func TestIdentityOptions(t *testing.T) {
	cases := []struct{ typ, raw, want string }{
		{"integer", "1 1 1 2147483647 1 f", ""},
		{"bigint", "1 1 1 9223372036854775807 1 f", ""},
		{"integer", "-1 -1 -2147483648 -1 1 f", "INCREMENT BY -1"},
		{"integer", "-200 10 -200 200 1 f", "INCREMENT BY 10 MINVALUE -200 MAXVALUE 200"},
		{"bigint", "-100 -5 -1000 -10 20 f", "START WITH -100 INCREMENT BY -5 MINVALUE -1000 MAXVALUE -10 CACHE 20"},
		{"smallint", "5 1 1 32767 1 t", "START WITH 5 CYCLE"},
		{"mydomain", "1 1 1 100 1 f", "START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 100 CACHE 1"},
	}
	for _, c := range cases {
		if got := identityOptions(c.typ, c.raw, "public", "t", "a"); got != c.want {
			t.Errorf("identityOptions(%q, %q) = %q, want %q", c.typ, c.raw, got, c.want)
		}
	}
	sets := []struct{ typ, opts, want string }{
		{"integer", "", "SET START WITH 1 SET INCREMENT BY 1 SET NO MINVALUE SET NO MAXVALUE SET CACHE 1 SET NO CYCLE"},
		{"integer", "INCREMENT BY 10 MINVALUE -200 MAXVALUE 200", "SET START WITH -200 SET INCREMENT BY 10 SET MINVALUE -200 SET MAXVALUE 200 SET CACHE 1 SET NO CYCLE"},
		{"bigint", "START WITH -100 INCREMENT BY -5 MINVALUE -1000 MAXVALUE -10 CACHE 20", "SET START WITH -100 SET INCREMENT BY -5 SET MINVALUE -1000 SET MAXVALUE -10 SET CACHE 20 SET NO CYCLE"},
		{"integer", "INCREMENT BY -1", "SET START WITH -1 SET INCREMENT BY -1 SET NO MINVALUE SET NO MAXVALUE SET CACHE 1 SET NO CYCLE"},
		{"smallint", "START WITH 5 CYCLE", "SET START WITH 5 SET INCREMENT BY 1 SET NO MINVALUE SET NO MAXVALUE SET CACHE 1 SET CYCLE"},
	}
	for _, c := range sets {
		if got := identitySetOptions(c.typ, c.opts); got != c.want {
			t.Errorf("identitySetOptions(%q, %q)\n got %q\nwant %q", c.typ, c.opts, got, c.want)
		}
	}
}

func TestIdentitySequenceName(t *testing.T) {
	long := strings.Repeat("a", 70)
	cases := []struct{ table, column, want string }{
		{"t", "id", "t_id_seq"},
		{"Odd Table", "x", "Odd Table_x_seq"},
		{long, "id", strings.Repeat("a", 56) + "_id_seq"},
		{long, long, strings.Repeat("a", 29) + "_" + strings.Repeat("a", 29) + "_seq"},
		// not cut within a character: é is two bytes
		{strings.Repeat("é", 30), "id", strings.Repeat("é", 28) + "_id_seq"},
	}
	for _, c := range cases {
		if got := identitySequenceName(c.table, c.column); got != c.want {
			t.Errorf("identitySequenceName(%q, %q) = %q, want %q", c.table, c.column, got, c.want)
		}
	}
	named := []struct{ raw, want string }{
		{"1 1 1 2147483647 1 f 6 public t_a_seq", ""},
		{"1 1 1 2147483647 1 f 6 public t_a_seq1", "SEQUENCE NAME public.t_a_seq1"},
		{"1 1 1 2147483647 1 f 5 other t_a_seq", "SEQUENCE NAME other.t_a_seq"},
		{"5 1 1 2147483647 1 t 6 my sch odd \"name\"", `SEQUENCE NAME "my sch"."odd ""name""" START WITH 5 CYCLE`},
	}
	for _, c := range named {
		got := identityOptions("integer", c.raw, "public", "t", "a")
		if got != c.want {
			t.Errorf("identityOptions(%q) = %q, want %q", c.raw, got, c.want)
			continue
		}
		name, rest := identitySequence(got)
		if got != "" && strings.TrimSpace("SEQUENCE NAME "+name+" "+rest) != got {
			t.Errorf("identitySequence(%q) = %q, %q", got, name, rest)
		}
	}
	if s, n, ok := identitySequenceParts(`SEQUENCE NAME "my sch"."odd ""name""" START WITH 5 CYCLE`); !ok || s != "my sch" || n != `odd "name"` {
		t.Errorf("identitySequenceParts: %q %q %v", s, n, ok)
	}
	if s, _, _ := identityEffective("integer", `SEQUENCE NAME "a 5 CYCLE" START WITH 5`); s.cycle || s.start != 5 {
		t.Errorf("identityEffective read the sequence's name as options: %+v", s)
	}
}

// An identity's sequence in another schema than its table cannot be made
// on PostgreSQL 15 (CREATE TABLE looks for the table in the sequence's
// schema), nor moved there: a person's call, not a RENAME.
func TestRenameIdentitySequence(t *testing.T) {
	col := func(opts string) *Object {
		o := newObject(KindColumn, "public", "t", "a")
		o.setNamed("type", "integer", "identity", "always", "identity_options", opts)
		return o
	}
	cases := []struct {
		want, have string
		sql        string
		manual     bool
	}{
		{"", "", "", false},
		{"SEQUENCE NAME public.custom", "", "ALTER SEQUENCE public.t_a_seq RENAME TO custom;", false},
		{"", `SEQUENCE NAME public."Odd seq" CACHE 5`, `ALTER SEQUENCE public."Odd seq" RENAME TO t_a_seq;`, false},
		{"SEQUENCE NAME other.t_a_seq", "", "", true},
	}
	for _, c := range cases {
		var b sqlBuilder
		b.renameIdentitySequence(col(c.want), col(c.have))
		if b.manual != c.manual || !c.manual && b.String() != c.sql {
			t.Errorf("rename %q to %q: %q manual=%v, want %q manual=%v", c.have, c.want, b.String(), b.manual, c.sql, c.manual)
		}
	}
}
