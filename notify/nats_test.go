package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/rs/zerolog"
)

// uniqueNATS returns a stream name and subject prefix no other test uses.
func uniqueNATS() (stream, prefix string) {
	id := strings.ReplaceAll(NewEventID(), "-", "")[:12]
	return "DWTEST_" + strings.ToUpper(id), "dwtest_" + id
}

// jsFor opens a JetStream context on url for the test's own checks.
func jsFor(t *testing.T, url string) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(url, nats.Timeout(5*time.Second))
	if err != nil {
		t.Fatalf("connect to NATS at %s (set DRIFTWATCH_TEST_NATS_URL): %v", url, err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

func streamMsgs(t *testing.T, js jetstream.JetStream, name string) (uint64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, name)
	if err != nil {
		return 0, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return 0, err
	}
	return info.State.Msgs, nil
}

func TestNATSSinkPublishesAndDeduplicates(t *testing.T) {
	t.Parallel()
	url := pgtest.NATSURL()
	stream, prefix := uniqueNATS()
	js := jsFor(t, url)
	t.Cleanup(func() { _ = js.DeleteStream(context.Background(), stream) })

	sink, err := NewNATSSink(NATSConfig{URL: url, Stream: stream, SubjectPrefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	if sink.Name() != "nats" {
		t.Errorf("default name %q", sink.Name())
	}

	e, err := NewDriftEvent(Origin{Host: "h", Database: "app.prod db"}, TypeDriftOpened, Drift{
		Change: ChangeMissing, ObjectType: "column", Identity: "public.users.pkceRequired",
		Severity: SeverityCritical, FirstSeen: t0, LastSeen: t0,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := sink.Send(ctx, e); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if err := sink.Send(ctx, e); err != nil { // a redelivery of the same event
		t.Fatalf("Send again: %v", err)
	}
	n, err := streamMsgs(t, js, stream)
	if err != nil {
		t.Fatalf("stream %s was not created: %v", stream, err)
	}
	if n != 1 {
		t.Fatalf("stream holds %d messages after a duplicate publish, want 1", n)
	}
	s, _ := js.Stream(ctx, stream)
	info, _ := s.Info(ctx)
	if got := info.Config.Subjects; len(got) != 1 || got[0] != prefix+".>" {
		t.Errorf("stream subjects %v", got)
	}
	msg, err := s.GetMsg(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := prefix + ".app_prod_db.drift.opened"; msg.Subject != want {
		t.Errorf("subject %q, want %q", msg.Subject, want)
	}
	if got := msg.Header.Get("Nats-Msg-Id"); got != e.ID {
		t.Errorf("Nats-Msg-Id %q, want %q", got, e.ID)
	}
	if err := validateJSON(eventSchema(t), msg.Data); err != nil {
		t.Errorf("published payload is not a valid event: %v", err)
	}

	// Another event is not a duplicate.
	e2 := e
	e2.ID = NewEventID()
	if err := sink.Send(ctx, e2); err != nil {
		t.Fatal(err)
	}
	if n, _ := streamMsgs(t, js, stream); n != 2 {
		t.Fatalf("stream holds %d messages, want 2", n)
	}
}

// An existing stream is used as it is, not replaced.
func TestNATSSinkUsesExistingStream(t *testing.T) {
	t.Parallel()
	url := pgtest.NATSURL()
	stream, prefix := uniqueNATS()
	js := jsFor(t, url)
	ctx := context.Background()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: stream, Subjects: []string{prefix + ".*.drift.>", prefix + ".*.sweep.>"}, Storage: jetstream.MemoryStorage}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = js.DeleteStream(context.Background(), stream) })
	sink, err := NewNATSSink(NATSConfig{URL: url, Stream: stream, SubjectPrefix: prefix, Subjects: []string{"ignored.>"}})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	if err := sink.Send(ctx, testEvent(t, "public.t")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	s, _ := js.Stream(ctx, stream)
	info, _ := s.Info(ctx)
	if info.State.Msgs != 1 || len(info.Config.Subjects) != 2 || info.Config.Storage != jetstream.MemoryStorage {
		t.Fatalf("stream changed or got nothing: %+v / %d msgs", info.Config, info.State.Msgs)
	}
}

// A server that is down makes Send fail quickly, and a restarted one is
// used again.
func TestNATSSinkFailsFastWhenDown(t *testing.T) {
	t.Parallel()
	srv := startNATSServer(t)
	sink, err := NewNATSSink(NATSConfig{URL: srv.url(), Stream: "DRIFTWATCH", Timeout: time.Second, ReconnectWait: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	ctx := context.Background()
	if err := sink.Send(ctx, testEvent(t, "public.a")); err != nil {
		t.Fatalf("Send while up: %v", err)
	}
	srv.stop()
	for i := range 3 {
		start := time.Now()
		err := sink.Send(ctx, testEvent(t, "public.b"))
		if err == nil {
			t.Fatalf("Send %d succeeded with the server down", i)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Fatalf("Send took %s with the server down (timeout 1s)", d)
		}
	}
	srv.start()
	pgtest.WaitFor(t, 20*time.Second, "Send to succeed after restart", func() (bool, error) {
		return sink.Send(ctx, testEvent(t, "public.c")) == nil, nil
	})
}

func TestNATSSinkNeverConnected(t *testing.T) {
	t.Parallel()
	srv := startNATSServer(t)
	url := srv.url()
	srv.stop()
	sink, err := NewNATSSink(NATSConfig{URL: url, Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatalf("NewNATSSink must not fail on a down server: %v", err)
	}
	defer sink.Close()
	start := time.Now()
	if err := sink.Send(context.Background(), testEvent(t, "public.t")); err == nil {
		t.Fatal("Send succeeded with no server")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Send took %s", d)
	}
}

func TestSubjectToken(t *testing.T) {
	for in, want := range map[string]string{
		"app": "app", "app.prod": "app_prod", "a*b>c d": "a_b_c_d", "": "_", "Ünï": "__n__", "my-db_1": "my-db_1",
	} {
		if got := SubjectToken(in); got != want {
			t.Errorf("SubjectToken(%q) = %q, want %q", in, got, want)
		}
	}
	e := testEvent(t, "public.t")
	e.Type = TypeSweepCompleted
	if got, _ := NATSSubject("driftwatch", e); got != "driftwatch.app.sweep.completed" {
		t.Errorf("subject %q", got)
	}
}

func TestLogSink(t *testing.T) {
	var buf bytes.Buffer
	s := NewLogSink(zerolog.New(&buf))
	e := testEvent(t, "public.users.pkceRequired")
	if err := s.Send(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	var line struct {
		Level   string          `json:"level"`
		EventID string          `json:"event_id"`
		Type    string          `json:"event_type"`
		Subject string          `json:"subject"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("log line is not JSON: %v: %s", err, buf.String())
	}
	var d DriftData
	if err := json.Unmarshal(line.Data, &d); err != nil {
		t.Fatalf("data is not nested JSON: %v", err)
	}
	if line.EventID != e.ID || line.Type != TypeDriftOpened || line.Subject != e.Subject || d.Identity != e.Subject || line.Level != "warn" {
		t.Errorf("log line %s", buf.String())
	}
}
