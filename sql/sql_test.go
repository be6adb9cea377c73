package sql

import (
	"io/fs"
	"strings"
	"testing"
)

// Every embedded query expands: no unknown macro (Query would panic), no
// macro left behind.
func TestQueriesExpand(t *testing.T) {
	entries, err := fs.ReadDir(queriesFS, "queries")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 10 {
		t.Fatalf("only %d queries embedded", len(entries))
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".sql")
		q := Query(name)
		if strings.Contains(q, "{{") || strings.Contains(q, "}}") {
			t.Errorf("%s: a macro is left unexpanded", name)
		}
	}
}

func TestMacros(t *testing.T) {
	got := expandMacros("x", "WHERE {{user_schema n}} AND {{not_extension_member pg_class c.oid}}")
	want := "WHERE n.nspname <> ALL ('{pg_catalog,information_schema,pg_toast,driftwatch}') AND n.nspname !~ '^pg_(toast_)?temp_'" +
		" AND /*full*/c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass" +
		" AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND e.deptype = 'e')" +
		"/*scoped*/NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND e.objid = c.oid AND e.deptype = 'e')/*endscope*/"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	got = expandMacros("x", "{{option_names s.srvoptions}}")
	want = "(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(pg_catalog.split_part(o, '=', 1)), E'\\x1f' ORDER BY o) FROM pg_catalog.unnest(s.srvoptions) o)"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("an unknown macro must panic")
		}
	}()
	expandMacros("x", "{{no_such n}}")
}
