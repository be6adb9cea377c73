package watcher

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/checker"
)

// A migration of 20 statements in one transaction is one re-check.
func TestRecheckCoalescesOneTransaction(t *testing.T) {
	t.Parallel()
	env := dtNewEnv(t, dtUsersSchema)
	rec := &dtRechecks{}
	env.open(env.config(), rec)
	var b strings.Builder
	b.WriteString("BEGIN;\n")
	for i := range 20 {
		fmt.Fprintf(&b, "CREATE TABLE public.m%02d (id int);\n", i)
	}
	b.WriteString("COMMIT;\n")
	env.exec("migrate", b.String())
	env.waitHandled()
	infos := rec.all()
	if len(infos) != 1 {
		t.Fatalf("re-checks = %d, want 1: %+v", len(infos), infos)
	}
	if infos[0].Events != 20 || infos[0].Full || len(infos[0].Names) != 20 {
		t.Errorf("re-check = %+v, want 20 events over 20 names", infos[0])
	}
	if n := len(env.events("drift.opened", "")); n != 20 {
		t.Errorf("drift.opened = %d, want 20 (one per unexpected table)", n)
	}
}

// A burst of autocommit statements within the coalescing window is one
// re-check too.
func TestRecheckCoalescesBurst(t *testing.T) {
	t.Parallel()
	env := dtNewEnv(t, dtUsersSchema)
	rec := &dtRechecks{}
	cfg := env.config()
	cfg.Coalesce = Duration(400 * time.Millisecond)
	env.open(cfg, rec)
	var b strings.Builder
	for i := range 20 {
		fmt.Fprintf(&b, "CREATE INDEX users_email_%02d ON public.users (email);\n", i)
	}
	env.exec("migrate", b.String()) // a multi-statement query: 20 transactions
	env.waitHandled()
	infos := rec.all()
	if len(infos) != 1 {
		t.Fatalf("re-checks = %d, want 1: %+v", len(infos), infos)
	}
	if infos[0].Events != 20 || !slices.Contains(infos[0].Names, checker.Name{Schema: "public", Name: "users"}) {
		t.Errorf("re-check = %+v, want 20 events on public.users", infos[0])
	}
}

// Touching one table of many re-inspects that table (and what depends on
// it), not the schema.
func TestRecheckScopeIsTheTouchedTable(t *testing.T) {
	t.Parallel()
	var schema strings.Builder
	for i := range 40 {
		fmt.Fprintf(&schema, "CREATE TABLE public.t%02d (id bigint PRIMARY KEY, name text NOT NULL, note text);\n", i)
		fmt.Fprintf(&schema, "CREATE INDEX t%02d_name ON public.t%02d (name);\n", i, i)
	}
	schema.WriteString("CREATE VIEW public.v17 AS SELECT id, name FROM public.t17;\n")
	env := dtNewEnv(t, schema.String())
	rec := &dtRechecks{}
	env.open(env.config(), rec)

	env.exec("migrate", "ALTER TABLE public.t05 ADD COLUMN extra int")
	env.waitEvents("drift.opened", "public.t05.extra", 1)
	env.waitHandled()
	infos := rec.all()
	if len(infos) != 1 {
		t.Fatalf("re-checks = %d, want 1", len(infos))
	}
	if want := []checker.Name{{Schema: "public", Name: "t05"}}; infos[0].Full || !slices.Equal(infos[0].Names, want) {
		t.Errorf("scope = %v (full %v), want %v", infos[0].Names, infos[0].Full, want)
	}
	// t05: table, 4 columns, primary key, index.
	if infos[0].LiveObjects != 7 {
		t.Errorf("re-inspected %d objects, want 7 (one table's)", infos[0].LiveObjects)
	}

	// A table with a dependent view brings the view into scope; dropping an
	// index (whose event names only the index) re-checks its table.
	env.exec("migrate", "ALTER TABLE public.t17 RENAME COLUMN name TO title")
	env.waitEvents("drift.opened", "public.v17", 1)
	env.exec("migrate", "DROP INDEX public.t23_name")
	env.waitEvents("drift.opened", "public.t23.t23_name", 1)
	env.waitHandled()
	infos = rec.all()
	if len(infos) != 3 {
		t.Fatalf("re-checks = %d, want 3", len(infos))
	}
	if want := []checker.Name{{Schema: "public", Name: "t17"}, {Schema: "public", Name: "v17"}}; !slices.Equal(infos[1].Names, want) {
		t.Errorf("rename scope = %v, want %v", infos[1].Names, want)
	}
	if want := []checker.Name{{Schema: "public", Name: "t23"}}; !slices.Equal(infos[2].Names, want) {
		t.Errorf("drop index scope = %v, want %v", infos[2].Names, want)
	}
	for _, ev := range env.events("drift.opened", "") {
		if id, _ := ev.Data["identity"].(string); !strings.HasPrefix(id, "public.t05") &&
			!strings.HasPrefix(id, "public.t17") && !strings.HasPrefix(id, "public.v17") && !strings.HasPrefix(id, "public.t23") {
			t.Errorf("drift outside the touched tables: %s", id)
		}
	}
}

// Schema DDL cannot be scoped: it re-checks everything.
func TestRecheckSchemaDDLIsFull(t *testing.T) {
	t.Parallel()
	env := dtNewEnv(t, dtUsersSchema)
	rec := &dtRechecks{}
	env.open(env.config(), rec)
	env.exec("migrate", "CREATE SCHEMA extra")
	env.waitEvents("drift.opened", "extra", 1)
	env.waitHandled()
	infos := rec.all()
	if len(infos) != 1 || !infos[0].Full {
		t.Fatalf("re-checks = %+v, want one full", infos)
	}
}

func TestParseIdentities(t *testing.T) {
	t.Parallel()
	n := func(s, o string) checker.Name { return checker.Name{Schema: s, Name: o} }
	cases := []struct {
		fn   func(string) (checker.Name, bool)
		in   string
		want checker.Name
		ok   bool
	}{
		{qualifiedName, "public.t", n("public", "t"), true},
		{qualifiedName, `public."We.ird"`, n("public", "We.ird"), true},
		{qualifiedName, `"a""b".c`, n(`a"b`, "c"), true},
		{qualifiedName, "public.f(integer, text)", n("public", "f"), true},
		{qualifiedName, `public."f(x"(integer)`, n("public", "f(x"), true},
		{qualifiedName, "public.mood[]", checker.Name{}, false},
		{qualifiedName, "s2", checker.Name{}, false},
		{onName, "trg on public.t", n("public", "t"), true},
		{onName, `"x on y" on public."T"`, n("public", "T"), true},
		{onName, `"_RETURN" on public.v`, n("public", "v"), true},
		{onName, "public.t", checker.Name{}, false},
		{columnOwner, `public."We.ird"."C.2"`, n("public", "We.ird"), true},
		{columnOwner, "for public.t.id", n("public", "t"), true},
		{columnOwner, "public.t", checker.Name{}, false},
	}
	for _, c := range cases {
		got, ok := c.fn(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("parse %q = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
