package watcher

import (
	"strings"
	"testing"
)

// A restart never re-announces an open drift; DDL done while the daemon
// was stopped is caught on restart, from the event log (with its
// attribution), once.
func TestStateRestartDoesNotReannounce(t *testing.T) {
	t.Parallel()
	env := dtNewEnv(t, dtUsersSchema)
	d := env.open(env.config(), nil)
	env.exec("migrator", "ALTER TABLE public.users ADD COLUMN nickname text")
	env.waitEvents("drift.opened", "public.users.nickname", 1)
	env.waitHandled()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	env.exec("offline", "ALTER TABLE public.orders ADD COLUMN note text")

	d2 := env.open(env.config(), nil)
	caught := env.waitEvents("drift.opened", "public.orders.note", 1)
	if caught[0].Data["detected_by"] != "ddl" {
		t.Errorf("DDL while stopped detected by %v, want ddl (caught up before the sweep)", caught[0].Data["detected_by"])
	}
	if attr, _ := caught[0].Data["attribution"].(map[string]any); attr == nil || attr["application_name"] != "offline" {
		t.Errorf("attribution = %v, want the offline session's", caught[0].Data["attribution"])
	}
	env.waitHandled()
	if _, err := d2.Sweep(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := d2.Close(); err != nil {
		t.Fatal(err)
	}
	env.open(env.config(), nil)

	for _, id := range []string{"public.users.nickname", "public.orders.note"} {
		if n := len(env.events("drift.opened", id)); n != 1 {
			t.Errorf("drift.opened for %s = %d, want 1 across three starts", id, n)
		}
	}
	if n := len(env.events("drift.opened", "")); n != 2 {
		t.Errorf("drift.opened = %d, want 2", n)
	}
	if n := len(env.events("drift.resolved", "")); n != 0 {
		t.Errorf("drift.resolved = %d, want 0", n)
	}
	if n := len(env.events("sweep.completed", "")); n != 4 {
		t.Errorf("sweep.completed = %d, want 4 (three starts, one by hand)", n)
	}
}

// An open item whose definition changes is announced as drift.changed,
// not opened again.
func TestStateDriftChanged(t *testing.T) {
	t.Parallel()
	env := dtNewEnv(t, dtUsersSchema)
	env.open(env.config(), nil)
	env.exec("m1", "ALTER TABLE public.users ALTER COLUMN email TYPE varchar(100)")
	env.waitEvents("drift.opened", "public.users.email", 1)
	env.exec("m2", "ALTER TABLE public.users ALTER COLUMN email TYPE varchar(200)")
	changed := env.waitEvents("drift.changed", "public.users.email", 1)
	if actual, _ := changed[0].Data["actual"].(string); !strings.Contains(actual, "200") {
		t.Errorf("drift.changed actual = %q, want the new type", actual)
	}
	if attr, _ := changed[0].Data["attribution"].(map[string]any); attr == nil || attr["application_name"] != "m2" {
		t.Errorf("drift.changed attribution = %v", changed[0].Data["attribution"])
	}
	env.exec("m3", "ALTER TABLE public.users ALTER COLUMN email TYPE text")
	env.waitEvents("drift.resolved", "public.users.email", 1)
	env.waitHandled()
	if n := len(env.events("drift.opened", "public.users.email")); n != 1 {
		t.Errorf("drift.opened = %d, want 1", n)
	}
	// The same drift again is opened again (a new episode).
	env.exec("m4", "ALTER TABLE public.users ALTER COLUMN email TYPE varchar(100)")
	env.waitEvents("drift.opened", "public.users.email", 2)
}
