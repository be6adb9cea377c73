package checker

import (
	"strings"
	"testing"
)

// columns() fills column attributes by position; the spec must keep that order.
func TestColumnAttributeOrder(t *testing.T) {
	want := "type collation not_null default identity generated position local"
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
