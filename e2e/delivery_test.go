package e2e

import (
	"fmt"
	"net/http"
	"syscall"
	"testing"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	"github.com/driftwatch/driftwatch/notify"
)

// waitDrained waits until the outbox has no pending delivery to any sink.
func (e *env) waitDrained(t testing.TB) {
	t.Helper()
	eventually(t, wait, "outbox drained", func() (bool, string) {
		p := e.deliveries(t, notify.DeliveryFilter{Pending: true})
		return len(p) == 0, fmt.Sprintf("%d pending: %+v", len(p), p)
	})
}

func countType(evs []notify.Event, short string) int {
	n := 0
	for _, ev := range evs {
		if ev.ShortType() == short {
			n++
		}
	}
	return n
}

// waitSweeps waits until n sweep.completed events reached both sinks
// and nothing is pending: everything the daemon recorded so far is out.
func (e *env) waitSweeps(t testing.TB, n int) (hooks, onNATS []notify.Event) {
	t.Helper()
	atLeast := func(evs []notify.Event) bool { return countType(evs, "sweep.completed") >= n }
	hooks = e.waitWebhook(t, wait, fmt.Sprintf("%d sweep.completed", n), atLeast)
	e.waitNATS(t, wait, fmt.Sprintf("%d sweep.completed", n), atLeast)
	e.waitDrained(t)
	hooks = e.recv.accepted()
	onNATS, err := e.natsEvents(t)
	if err != nil {
		t.Fatal(err)
	}
	return hooks, onNATS
}

// TestCatchUpAfterRestart: DDL while the daemon is stopped is caught up on
// restart (with its attribution, from driftwatch.ddl_events), and a drift
// open before the stop is not announced again.
func TestCatchUpAfterRestart(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	d := e.startDaemon(t)
	e.waitSweeps(t, 1)
	d.stop()

	const stmt = `ALTER TABLE public.users ADD COLUMN added_while_down text`
	pgtest.Exec(t, e.dsn, stmt)

	e.startDaemon(t)
	isDown := func(d notify.DriftData) bool { return d.Identity == "public.users.added_while_down" }
	e.waitWebhook(t, wait, "drift.opened for added_while_down", has(t, 1, "drift.opened", isDown))
	hooks, onNATS := e.waitSweeps(t, 2)
	for where, evs := range map[string][]notify.Event{"webhook": hooks, "NATS": onNATS} {
		requireUniqueIDs(t, where, evs)
		if n := len(drifts(t, evs, "drift.opened", isPKCE)); n != 1 {
			t.Errorf("%s: %d drift.opened for pkceRequired across the restart, want 1: %s", where, n, summarize(evs))
		}
		if n := len(drifts(t, evs, "drift.resolved", nil)); n != 0 {
			t.Errorf("%s: %d drift.resolved, want none: %s", where, n, summarize(evs))
		}
		down := drifts(t, evs, "drift.opened", isDown)
		if len(down) != 1 {
			t.Errorf("%s: %d drift.opened for added_while_down, want 1", where, len(down))
			continue
		}
		if a := down[0].Attribution; a == nil || a.Statement != stmt {
			t.Errorf("%s: drift.opened for DDL made while stopped: detected_by %s, attribution %+v; want the caught-up statement %q",
				where, down[0].DetectedBy, a, stmt)
		}
	}
}

// TestNATSOutage: with the NATS server down, events wait in the outbox
// (the webhook still gets them); when the server is back, with the same
// store, they are delivered once.
func TestNATSOutage(t *testing.T) {
	t.Parallel()
	port, store := freePort(t), newStoreDir(t)
	ns := startNATS(t, port, store)
	e := newEnv(t, envOptions{natsURL: ns.url()})
	pgtest.Exec(t, e.dsn, migrationSQL) // in sync at start
	e.startDaemon(t)
	e.waitSweeps(t, 1) // the stream exists on the private server

	ns.terminate()
	pgtest.Exec(t, e.dsn, `ALTER TABLE public.users ADD COLUMN during_outage text`)
	isOutage := func(d notify.DriftData) bool { return d.Identity == "public.users.during_outage" }
	hooks := e.waitWebhook(t, wait, "drift.opened for during_outage", has(t, 1, "drift.opened", isOutage))
	id := drifts(t, hooks, "drift.opened", isOutage)[0].ID

	eventually(t, wait, "the NATS delivery pending in the outbox after a failed attempt", func() (bool, string) {
		for _, p := range e.deliveries(t, notify.DeliveryFilter{Pending: true, Sink: "nats"}) {
			if p.EventID == id && p.Attempts >= 1 && p.LastError != "" {
				return true, ""
			}
		}
		return false, fmt.Sprintf("%+v", e.deliveries(t, notify.DeliveryFilter{Sink: "nats"}))
	})

	startNATS(t, port, store)
	onNATS := e.waitNATS(t, wait, "drift.opened for during_outage", has(t, 1, "drift.opened", isOutage))
	e.waitDrained(t)
	onNATS, err := e.natsEvents(t)
	if err != nil {
		t.Fatal(err)
	}
	requireUniqueIDs(t, "NATS", onNATS)
	if got := ids(drifts(t, onNATS, "drift.opened", isOutage)); len(got) != 1 || got[0] != id {
		t.Errorf("drift.opened on NATS after the outage: ids %v, want %s once", got, id)
	}
	if countType(onNATS, "sweep.completed") != 1 {
		t.Errorf("the stream lost what it had before the outage: %s", summarize(onNATS))
	}
}

// TestWebhookRetries: a receiver that answers 500 twice gets the same
// signed events again after a short backoff, and each once successfully.
func TestWebhookRetries(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.recv.fail(2)
	e.startDaemon(t)
	hooks, _ := e.waitSweeps(t, 1)
	if len(drifts(t, hooks, "drift.opened", isPKCE)) != 1 {
		t.Errorf("want one drift.opened for pkceRequired: %s", summarize(hooks))
	}
	requireUniqueIDs(t, "webhook", hooks)

	reqs := e.recv.all()
	accepted := map[string]bool{}
	for _, ev := range hooks {
		accepted[ev.ID] = true
	}
	failed := 0
	for i, q := range reqs {
		if q.status == http.StatusInternalServerError {
			failed++
			if i >= 2 {
				t.Errorf("request %d failed; only the first two should", i)
			}
			if !accepted[q.id] {
				t.Errorf("event %s failed with 500 and was never delivered", q.id)
			}
		}
	}
	if failed != 2 || len(reqs) != len(hooks)+2 {
		t.Errorf("%d requests, %d failed, %d accepted; want accepted+2 requests, 2 failed", len(reqs), failed, len(hooks))
	}
	attempts := 0
	for _, dl := range e.deliveries(t, notify.DeliveryFilter{Sink: e.webhookSink()}) {
		if dl.DeliveredAt == nil || dl.Dead {
			t.Errorf("webhook delivery %d of %s not delivered: %+v", dl.ID, dl.EventType, dl)
		}
		attempts += dl.Attempts
	}
	if attempts != len(reqs) {
		t.Errorf("outbox counts %d webhook attempts, the receiver saw %d requests", attempts, len(reqs))
	}
}

// TestCrashBeforePublish: the daemon records a drift (state and outbox in
// one transaction) but cannot publish it to the webhook, and is killed
// with SIGKILL. After a restart with a working receiver, the event — the
// same id — is delivered exactly once, and the drift is not opened again.
func TestCrashBeforePublish(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.recv.setFailAll(true)
	d := e.startDaemon(t)

	var id string
	eventually(t, wait, "drift.opened for pkceRequired in the outbox, webhook attempted and failed", func() (bool, string) {
		ds := e.deliveries(t, notify.DeliveryFilter{Pending: true, Sink: e.webhookSink()})
		for _, p := range ds {
			if p.EventType == notify.TypeDriftOpened && p.Subject == pkceIdentity && p.Attempts >= 1 {
				id = p.EventID
				return true, ""
			}
		}
		return false, fmt.Sprintf("%+v", ds)
	})
	// Whatever is mid-send at the kill (a webhook retry, a NATS publish)
	// is freed when the connection drops and sent by the next daemon.
	d.kill()
	if ws, ok := d.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("daemon ended with %s, want killed by SIGKILL", d.cmd.ProcessState)
	}
	if n := len(e.recv.accepted()); n != 0 {
		t.Fatalf("the receiver accepted %d events before the crash, want none", n)
	}

	e.recv.setFailAll(false)
	e.startDaemon(t)
	hooks, onNATS := e.waitSweeps(t, 2)
	requireUniqueIDs(t, "webhook", hooks)
	requireUniqueIDs(t, "NATS", onNATS)
	if got := ids(drifts(t, hooks, "drift.opened", isPKCE)); len(got) != 1 || got[0] != id {
		t.Errorf("drift.opened on the webhook after the crash: ids %v, want %s exactly once", got, id)
	}
	if got := ids(drifts(t, onNATS, "drift.opened", isPKCE)); len(got) != 1 || got[0] != id {
		t.Errorf("drift.opened on NATS: ids %v, want %s exactly once", got, id)
	}
}
