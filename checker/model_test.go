package checker

import (
	"strings"
	"testing"
)

// columns() fills column attributes by position; the spec must keep that order.
func TestColumnAttributeOrder(t *testing.T) {
	want := "type collation not_null default identity identity_options generated position local" +
		" storage statistics compression options fdw_options type_storage"
	if got := strings.Join(AttrNames(KindColumn), " "); got != want {
		t.Fatalf("column attributes are %q; columns() in inspect_relations.go assumes %q", got, want)
	}
}

func TestPackedAttributes(t *testing.T) {
	o := newObject(KindColumn, "public", "users", "id")
	if got := o.Attr("default"); got != "" {
		t.Fatalf("new object default = %q", got)
	}
	o.SetAttr("default", "nextval('x'::regclass)")
	o.SetAttr("type", "bigint")
	o.SetAttr("local", "true")
	if o.Attr("type") != "bigint" || o.Attr("default") != "nextval('x'::regclass)" || o.Attr("local") != "true" || o.Attr("identity") != "" {
		t.Fatalf("attributes: %q", o.attrList())
	}
	if o.Attr("no such") != "" {
		t.Fatal("unknown attribute must read empty")
	}
	if n := len(o.attrList()); n != len(AttrNames(KindColumn)) {
		t.Fatalf("attrList has %d entries", n)
	}
}

func TestVersionedQuery(t *testing.T) {
	q := "SELECT /*v15*/i.indnullsnotdistinct/*else*/false/*end*/, /*v18*/co.conperiod/*else*/false/*end*/ FROM x"
	if got := versioned(q, 150020); got != "SELECT i.indnullsnotdistinct, false FROM x" {
		t.Errorf("15: %s", got)
	}
	if got := versioned(q, 130000); got != "SELECT false, false FROM x" {
		t.Errorf("13: %s", got)
	}
	if got := versioned(q, 180001); got != "SELECT i.indnullsnotdistinct, co.conperiod FROM x" {
		t.Errorf("18: %s", got)
	}
}

func TestScopedQuery(t *testing.T) {
	q := "CASE WHEN /*full*/false/*scoped*/true/*endscope*/ OR /*v15*/x/*else*/y/*end*/ THEN a END, /*full*/t/*scoped*/NULL/*endscope*/"
	v := versioned(q, 150000)
	if got := scoped(v, false); got != "CASE WHEN false OR x THEN a END, t" {
		t.Errorf("full: %s", got)
	}
	if got := scoped(v, true); got != "CASE WHEN true OR x THEN a END, NULL" {
		t.Errorf("scoped: %s", got)
	}
}

func TestParseServerVersion(t *testing.T) {
	for v, want := range map[string]int{
		"15.20 (Debian 15.20-0+deb12u1)": 150020,
		"13.0":                           130000,
		"16beta1":                        160000,
		"17devel":                        170000,
		"18.1":                           180001,
		"":                               -1,
		"9.6.24":                         -1, // would need its own rule; older than supported anyway
		"garbage":                        -1,
	} {
		got, ok := parseServerVersion(v)
		if !ok {
			got = -1
		}
		if got != want {
			t.Errorf("parseServerVersion(%q) = %d, want %d", v, got, want)
		}
	}
}
