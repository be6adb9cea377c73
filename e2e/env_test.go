package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	"github.com/driftwatch/driftwatch/notify"
)

// canonicalSQL is what the code expects: users with "pkceRequired".
const canonicalSQL = `CREATE TABLE public.users (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    "pkceRequired" boolean DEFAULT false NOT NULL
);
`

// liveSQL is production before 0003_add_pkce_required.sql is applied.
const liveSQL = `CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL);`

// migrationSQL is 0003_add_pkce_required.sql.
const migrationSQL = `ALTER TABLE public.users ADD COLUMN "pkceRequired" boolean DEFAULT false NOT NULL`

// pkceIdentity is the identity of the pkceRequired column in drift events.
const pkceIdentity = `public.users."pkceRequired"`

// env is one test's world: its database, canonical file, webhook
// receiver, NATS stream and subject prefix, and daemon configuration.
type env struct {
	dsn       string
	db        string
	canonical string
	config    string
	secret    string
	recv      *receiver
	natsURL   string
	stream    string
	prefix    string
	starts    int
}

type envOptions struct {
	natsURL string // default: the shared test server
	yaml    string // extra top-level YAML for the daemon's config
}

// newEnv creates the test's database with liveSQL, its canonical file
// and receiver, and the daemon's configuration.
func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	id := randomID()
	e := &env{
		dsn:     pgtest.NewDB(t),
		secret:  "whsec_" + "ZTJlLXRlc3Qtc2VjcmV0LWZvci1kcmlmdHdhdGNo", // base64("e2e-test-secret-for-driftwatch")
		natsURL: o.natsURL,
		stream:  "E2E_" + strings.ToUpper(id),
		prefix:  "e2e_" + id,
	}
	if e.natsURL == "" {
		e.natsURL = pgtest.NATSURL()
	}
	cfg, err := pgx.ParseConfig(e.dsn)
	if err != nil {
		t.Fatalf("parse test DSN: %v", err)
	}
	e.db = cfg.Database
	pgtest.Exec(t, e.dsn, liveSQL)
	dir := t.TempDir()
	e.canonical = filepath.Join(dir, "canonical-schema.sql")
	if err := os.WriteFile(e.canonical, []byte(canonicalSQL), 0o600); err != nil {
		t.Fatal(err)
	}
	e.config = filepath.Join(dir, "driftwatch.yaml")
	yaml := fmt.Sprintf(`coalesce: 10ms
shutdown_timeout: 3s
log_level: debug
sweep:
  schedule: "0 2 * * *"
nats:
  stream: %s
  subject_prefix: %s
  subjects: ["%s.>"]
outbox:
  retry_base: 100ms
  retry_max: 400ms
  max_attempts: 50
%s`, e.stream, e.prefix, e.prefix, o.yaml)
	if err := os.WriteFile(e.config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	e.recv = newReceiver(t, e.secret)
	t.Cleanup(func() { e.deleteStream(t) })
	return e
}

func randomID() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// deleteStream removes the test's stream from the NATS server, if there.
func (e *env) deleteStream(t testing.TB) {
	nc, err := nats.Connect(e.natsURL, nats.Timeout(2*time.Second))
	if err != nil {
		return // a private server that is gone already
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := js.DeleteStream(ctx, e.stream); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
		t.Logf("delete NATS stream %s: %v", e.stream, err)
	}
}

// natsEvents reads every message of the test's stream (none while the
// stream does not exist), checks each subject is
// <prefix>.<database>.<short type> and its body a valid event, and
// returns the events in stream order.
func (e *env) natsEvents(t testing.TB) ([]notify.Event, error) {
	nc, err := nats.Connect(e.natsURL, nats.Timeout(2*time.Second))
	if err != nil {
		return nil, fmt.Errorf("connect to NATS %s: %w", e.natsURL, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, e.stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up stream %s: %w", e.stream, err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		return nil, err
	}
	var out []notify.Event
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			return nil, fmt.Errorf("get message %d: %w", seq, err)
		}
		var ev notify.Event
		if err := json.Unmarshal(m.Data, &ev); err != nil {
			t.Errorf("NATS message %d on %s is not an event: %v: %s", seq, m.Subject, err, m.Data)
			continue
		}
		if err := ev.Validate(); err != nil {
			t.Errorf("NATS message %d: %v", seq, err)
		}
		want := e.prefix + "." + notify.SubjectToken(e.db) + "." + ev.ShortType()
		if m.Subject != want {
			t.Errorf("NATS message %d (%s) on subject %q, want %q", seq, ev.Type, m.Subject, want)
		}
		if got := m.Header.Get("Nats-Msg-Id"); got != ev.ID {
			t.Errorf("NATS message %d: Nats-Msg-Id %q, want the event id %q", seq, got, ev.ID)
		}
		out = append(out, ev)
	}
	return out, nil
}

// waitNATS polls the stream until match returns true for its events.
func (e *env) waitNATS(t testing.TB, timeout time.Duration, what string, match func([]notify.Event) bool) []notify.Event {
	t.Helper()
	var evs []notify.Event
	eventually(t, timeout, what+" on NATS", func() (bool, string) {
		var err error
		evs, err = e.natsEvents(t)
		if err != nil {
			return false, err.Error()
		}
		return match(evs), summarize(evs)
	})
	return evs
}

// waitWebhook polls the receiver until match returns true for the
// events it accepted.
func (e *env) waitWebhook(t testing.TB, timeout time.Duration, what string, match func([]notify.Event) bool) []notify.Event {
	t.Helper()
	var evs []notify.Event
	eventually(t, timeout, what+" on the webhook", func() (bool, string) {
		evs = e.recv.accepted()
		return match(evs), summarize(evs)
	})
	return evs
}

// drift is one drift event with its data decoded.
type drift struct {
	notify.Event
	notify.DriftData
}

// drifts returns the events of type typ (a short type such as
// "drift.opened") whose data satisfies match (nil: all).
func drifts(t testing.TB, evs []notify.Event, typ string, match func(notify.DriftData) bool) []drift {
	t.Helper()
	var out []drift
	for _, ev := range evs {
		if ev.ShortType() != typ {
			continue
		}
		var d notify.DriftData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			t.Fatalf("decode %s data: %v: %s", ev.Type, err, ev.Data)
		}
		if match == nil || match(d) {
			out = append(out, drift{ev, d})
		}
	}
	return out
}

// has returns a matcher: at least n events of typ satisfying match.
func has(t testing.TB, n int, typ string, match func(notify.DriftData) bool) func([]notify.Event) bool {
	return func(evs []notify.Event) bool { return len(drifts(t, evs, typ, match)) >= n }
}

func isPKCE(d notify.DriftData) bool { return d.Identity == pkceIdentity }

func summarize(evs []notify.Event) string {
	if len(evs) == 0 {
		return "no events"
	}
	var parts []string
	for _, ev := range evs {
		s := ev.ShortType() + " " + ev.Subject
		var d notify.DriftData
		if json.Unmarshal(ev.Data, &d) == nil && d.Change != "" {
			s += " (" + string(d.Change) + ")"
		}
		parts = append(parts, s)
	}
	return fmt.Sprintf("%d events: %s", len(evs), strings.Join(parts, "; "))
}

// deliveries lists the outbox deliveries of the test's database.
func (e *env) deliveries(t testing.TB, f notify.DeliveryFilter) []notify.Delivery {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, e.dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	ds, err := notify.ListDeliveries(ctx, conn, f)
	if err != nil {
		t.Fatalf("list outbox deliveries: %v", err)
	}
	return ds
}

// webhookSink is the outbox name of the receiver's sink.
func (e *env) webhookSink() string { return "webhook:" + strings.TrimPrefix(e.recv.srv.URL, "http://") }

// ids returns the event ids of evs.
func ids(evs []drift) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}

// requireUniqueIDs fails when an event id occurs twice in evs.
func requireUniqueIDs(t testing.TB, where string, evs []notify.Event) {
	t.Helper()
	seen := map[string]bool{}
	for _, ev := range evs {
		if seen[ev.ID] {
			t.Errorf("%s: event %s (%s %s) delivered twice", where, ev.ID, ev.ShortType(), ev.Subject)
		}
		seen[ev.ID] = true
	}
}
