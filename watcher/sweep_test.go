package watcher

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// A change made with the event triggers disabled is found by the next
// sweep (detected_by sweep, no attribution); fixing it the same way is
// resolved by the sweep after.
func TestSweepFindsChangeWithTriggerDisabled(t *testing.T) {
	t.Parallel()
	env := dtNewEnv(t, dtUsersSchema)
	rec := &dtRechecks{}
	d := env.open(env.config(), rec)
	env.exec("", `ALTER EVENT TRIGGER driftwatch_ddl_command_end DISABLE;
ALTER EVENT TRIGGER driftwatch_sql_drop DISABLE;
CREATE TABLE public.sneaky (id int);
DROP TABLE public.orders;`)
	res, err := d.Sweep(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// public.sneaky unexpected; public.orders missing, and its foreign key
	// (the differ keeps foreign keys apart so they wait for their tables).
	if res.Opened != 3 || res.DriftsOpen != 3 || res.Resolved != 0 {
		t.Errorf("sweep = %+v, want 3 opened, 3 open", res)
	}
	for _, id := range []string{"public.sneaky", "public.orders"} {
		evs := env.events("drift.opened", id)
		if len(evs) != 1 {
			t.Fatalf("drift.opened for %s = %d, want 1", id, len(evs))
		}
		if evs[0].Data["detected_by"] != "sweep" || evs[0].Data["attribution"] != nil {
			t.Errorf("%s: detected_by %v, attribution %v; want sweep, none", id, evs[0].Data["detected_by"], evs[0].Data["attribution"])
		}
	}
	if len(rec.all()) != 0 {
		t.Errorf("re-checks ran with the triggers disabled: %+v", rec.all())
	}
	sweeps := env.events("sweep.completed", "")
	last := sweeps[len(sweeps)-1].Data
	if last["opened"] != 3.0 || last["drifts_open"] != 3.0 || last["objects_checked"] == 0.0 {
		t.Errorf("sweep.completed data = %v", last)
	}

	env.exec("", "DROP TABLE public.sneaky")
	res, err = d.Sweep(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Resolved != 1 || res.DriftsOpen != 2 {
		t.Errorf("second sweep = %+v, want 1 resolved, 2 open", res)
	}
	if evs := env.events("drift.resolved", "public.sneaky"); len(evs) != 1 || evs[0].Data["detected_by"] != "sweep" {
		t.Errorf("drift.resolved for public.sneaky = %+v", evs)
	}
	if s := d.Status(); s.LastSweep.IsZero() || s.LastError != "" {
		t.Errorf("status = %+v", s)
	}
}

// The schedule runs sweeps (cron descriptors work too).
func TestSweepOnSchedule(t *testing.T) {
	t.Parallel()
	env := dtNewEnv(t, dtUsersSchema)
	cfg := env.config()
	cfg.Sweep.Schedule = "@every 1s"
	cfg.Sweep.TimeZone = "Europe/Berlin"
	env.open(cfg, nil)
	env.waitEvents("sweep.completed", "", 3)
}

// Without the event trigger (and no install), the daemon runs on sweeps.
func TestSweepOnlyWithoutTrigger(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, dtUsersSchema+"CREATE TABLE public.extra (id int);")
	path := t.TempDir() + "/canonical.sql"
	if err := os.WriteFile(path, []byte(dtUsersSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	env := &dtEnv{t: t, dsn: dsn, canonical: path}
	d := env.open(env.config(), nil)
	if s := d.Status(); s.TriggerInstalled {
		t.Errorf("status = %+v, want the trigger reported missing", s)
	}
	evs := env.events("drift.opened", "public.extra")
	if len(evs) != 1 || evs[0].Data["detected_by"] != "sweep" {
		t.Fatalf("drift.opened for public.extra = %+v", evs)
	}
}

// Reload loads the new canonical schema and sweeps against it.
func TestSweepAfterReload(t *testing.T) {
	t.Parallel()
	env := dtNewEnv(t, dtUsersSchema)
	d := env.open(env.config(), nil)
	next := dtUsersSchema + "CREATE TABLE public.invoices (id bigint PRIMARY KEY);\n"
	path := t.TempDir() + "/canonical-v2.sql"
	if err := os.WriteFile(path, []byte(next), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := env.config()
	cfg.Canonical = path
	if err := d.Reload(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	evs := env.events("drift.opened", "public.invoices")
	if len(evs) != 1 || evs[0].Data["change"] != "missing" {
		t.Fatalf("drift.opened for public.invoices = %+v", evs)
	}
	bad := cfg
	bad.DSN += "&application_name=other"
	if err := d.Reload(t.Context(), bad); err == nil || !strings.Contains(err.Error(), "restart") {
		t.Errorf("reload with another DSN: %v, want an error saying to restart", err)
	}
}

// Drift events reach NATS JetStream through the outbox.
func TestDaemonPublishesToNATS(t *testing.T) {
	t.Parallel()
	env := dtNewEnv(t, dtUsersSchema)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	suffix := hex.EncodeToString(b)
	cfg := env.config()
	cfg.NATS.URL = pgtest.NATSURL()
	cfg.NATS.Stream = "DWTEST_" + strings.ToUpper(suffix)
	cfg.NATS.Prefix = "dwtest" + suffix
	cfg.NATS.Subjects = []string{cfg.NATS.Prefix + ".>"}
	env.open(cfg, nil)

	nc, err := nats.Connect(cfg.NATS.URL)
	if err != nil {
		t.Fatalf("connect to NATS: %v", err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = js.DeleteStream(context.Background(), cfg.NATS.Stream) })

	env.exec("migrator", "DROP TABLE public.orders")
	var stream jetstream.Stream
	pgtest.WaitFor(t, 20*time.Second, "stream created by the sink", func() (bool, error) {
		s, err := js.Stream(t.Context(), cfg.NATS.Stream)
		if err != nil {
			return false, nil
		}
		stream = s
		return true, nil
	})
	cons, err := stream.OrderedConsumer(t.Context(), jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{cfg.NATS.Prefix + ".*.drift.opened"},
	})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := cons.Next(jetstream.FetchMaxWait(20 * time.Second))
	if err != nil {
		t.Fatalf("no drift.opened on NATS: %v", err)
	}
	var ev struct {
		Subject string          `json:"subject"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(msg.Data(), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Subject != "public.orders" || !strings.Contains(string(ev.Data), `"application_name":"migrator"`) {
		t.Errorf("NATS event = %s %s", ev.Subject, ev.Data)
	}
}
