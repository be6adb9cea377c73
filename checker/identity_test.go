package checker

import "testing"

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
		if got := identityOptions(c.typ, c.raw); got != c.want {
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
