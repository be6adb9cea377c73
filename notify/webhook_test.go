package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The reference vector published with the Standard Webhooks spec.
func TestSignStandardWebhooksVector(t *testing.T) {
	const (
		secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
		id     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
		body   = `{"test": 2432232314}`
		want   = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
	)
	got, err := Sign(secret, id, time.Unix(1614265330, 0), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	h := http.Header{}
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", "1614265330")
	h.Set("webhook-signature", want)
	if err := VerifyAt(secret, h, []byte(body), time.Unix(1614265330+60, 0), DefaultVerifyTolerance); err != nil {
		t.Fatalf("VerifyAt rejected the reference vector: %v", err)
	}
}

// Known answer computed here, independently of Sign, for both secret forms.
func TestSignKnownAnswer(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	id := "4f3c2a1b-0000-4000-8000-000000000001"
	ts := int64(1767225600)
	body := []byte(`{"specversion":"1.0","type":"io.driftwatch.drift.opened"}`)

	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + strconv.FormatInt(ts, 10) + "." + string(body)))
	want := "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))

	for name, secret := range map[string]string{
		"raw":   string(key),
		"whsec": "whsec_" + base64.StdEncoding.EncodeToString(key),
	} {
		got, err := Sign(secret, id, time.Unix(ts, 0), body)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got != want {
			t.Errorf("%s secret: Sign = %s, want %s", name, got, want)
		}
	}
}

func TestParseSecret(t *testing.T) {
	if b, err := ParseSecret("whsec_aGVsbG8="); err != nil || string(b) != "hello" {
		t.Errorf("whsec: %q %v", b, err)
	}
	if b, err := ParseSecret("plain secret"); err != nil || string(b) != "plain secret" {
		t.Errorf("raw: %q %v", b, err)
	}
	for _, bad := range []string{"", "whsec_", "whsec_not base64!"} {
		if _, err := ParseSecret(bad); err == nil {
			t.Errorf("ParseSecret(%q) accepted", bad)
		}
	}
	_, err := ParseSecret("whsec_s3cr3t!!")
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("error leaks or is missing: %v", err)
	}
}

func TestVerifyRejects(t *testing.T) {
	const secret = "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM="
	now := time.Unix(1767225600, 0)
	body := []byte(`{"id":"e1"}`)
	signed := func(id string, ts time.Time, b []byte) http.Header {
		sig, err := Sign(secret, id, ts, b)
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		h.Set("webhook-id", id)
		h.Set("webhook-timestamp", strconv.FormatInt(ts.Unix(), 10))
		h.Set("webhook-signature", sig)
		return h
	}
	good := signed("e1", now, body)
	if err := VerifyAt(secret, good, body, now, DefaultVerifyTolerance); err != nil {
		t.Fatalf("valid request rejected: %v", err)
	}
	// Several signatures (key rotation): one valid one is enough.
	multi := good.Clone()
	multi.Set("webhook-signature", "v1,AAAA v2,xyz "+good.Get("webhook-signature"))
	if err := VerifyAt(secret, multi, body, now, DefaultVerifyTolerance); err != nil {
		t.Fatalf("valid signature among others rejected: %v", err)
	}

	with := func(k, v string) http.Header { h := good.Clone(); h.Set(k, v); return h }
	without := func(k string) http.Header { h := good.Clone(); h.Del(k); return h }
	cases := []struct {
		name   string
		secret string
		h      http.Header
		body   []byte
		now    time.Time
		want   error
	}{
		{"tampered body", secret, good, []byte(`{"id":"e2"}`), now, ErrBadSignature},
		{"tampered id", secret, with("webhook-id", "e2"), body, now, ErrBadSignature},
		{"tampered timestamp", secret, with("webhook-timestamp", strconv.FormatInt(now.Unix()+1, 10)), body, now, ErrBadSignature},
		{"wrong secret", "whsec_b3RoZXIta2V5", good, body, now, ErrBadSignature},
		{"raw secret is not the decoded one", "c2VjcmV0LWtleS1mb3ItdGVzdHM=", good, body, now, ErrBadSignature},
		{"other version only", secret, with("webhook-signature", strings.Replace(good.Get("webhook-signature"), "v1,", "v2,", 1)), body, now, ErrBadSignature},
		{"old timestamp", secret, signed("e1", now.Add(-6*time.Minute), body), body, now, ErrTimestampTooOld},
		{"future timestamp", secret, signed("e1", now.Add(6*time.Minute), body), body, now, ErrTimestampTooNew},
		{"bad timestamp", secret, with("webhook-timestamp", "soon"), body, now, ErrBadTimestamp},
		{"no signature", secret, without("webhook-signature"), body, now, ErrMissingHeaders},
		{"no id", secret, without("webhook-id"), body, now, ErrMissingHeaders},
	}
	for _, c := range cases {
		err := VerifyAt(c.secret, c.h, c.body, c.now, DefaultVerifyTolerance)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	// Verify uses the real clock: a fresh signature passes, the old one not.
	fresh := signed("e1", time.Now(), body)
	if err := Verify(secret, fresh, body); err != nil {
		t.Errorf("Verify rejected a fresh request: %v", err)
	}
	if err := Verify(secret, good, body); !errors.Is(err, ErrTimestampTooOld) {
		t.Errorf("Verify accepted a 2026-01-01 timestamp: %v", err)
	}
}

// receiver is a webhook endpoint that verifies every request and answers
// with the next status of its script (then 200).
type receiver struct {
	secret string
	mu     sync.Mutex
	script []int
	reqs   []receivedReq
}

type receivedReq struct {
	header http.Header
	body   []byte
	verr   error
	status int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	verr := Verify(r.secret, req.Header, body)
	r.mu.Lock()
	status := http.StatusOK
	if len(r.script) > 0 {
		status, r.script = r.script[0], r.script[1:]
	}
	if verr != nil {
		status = http.StatusUnauthorized
	}
	r.reqs = append(r.reqs, receivedReq{header: req.Header.Clone(), body: body, verr: verr, status: status})
	r.mu.Unlock()
	w.WriteHeader(status)
	_, _ = io.WriteString(w, http.StatusText(status))
}

func (r *receiver) requests() []receivedReq {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]receivedReq(nil), r.reqs...)
}

func TestWebhookSinkSendsSignedEvent(t *testing.T) {
	rcv := &receiver{secret: "whsec_dGVzdC13ZWJob29rLXNlY3JldA==", script: []int{http.StatusInternalServerError}}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	sink, err := NewWebhookSink(WebhookConfig{Name: "hook", URL: srv.URL + "/hook?token=tok3n", Secret: rcv.secret})
	if err != nil {
		t.Fatal(err)
	}
	e := testEvent(t, "public.users.pkceRequired")
	ctx := context.Background()

	err = sink.Send(ctx, e)
	if err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("Send to a 500 endpoint: err = %v", err)
	}
	if err := sink.Send(ctx, e); err != nil {
		t.Fatalf("Send: %v", err)
	}
	reqs := rcv.requests()
	if len(reqs) != 2 {
		t.Fatalf("receiver got %d requests, want 2", len(reqs))
	}
	for _, r := range reqs {
		if r.verr != nil {
			t.Errorf("receiver could not verify: %v", r.verr)
		}
		if got := r.header.Get("webhook-id"); got != e.ID {
			t.Errorf("webhook-id = %q, want the event id %q", got, e.ID)
		}
		if !strings.HasPrefix(r.header.Get("Content-Type"), "application/cloudevents+json") {
			t.Errorf("content type %q", r.header.Get("Content-Type"))
		}
	}
	if err := validateJSON(eventSchema(t), reqs[1].body); err != nil {
		t.Errorf("posted body is not a valid event: %v", err)
	}
}

func TestWebhookSinkTimeoutAndRedaction(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	sink, err := NewWebhookSink(WebhookConfig{URL: srv.URL + "/hook?token=tok3n", Secret: "raw-secret", Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sink.Name(), "webhook:127.0.0.1:") {
		t.Errorf("default name %q", sink.Name())
	}
	start := time.Now()
	err = sink.Send(context.Background(), testEvent(t, "public.t"))
	if err == nil {
		t.Fatal("Send to a hanging endpoint succeeded")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send took %s despite a 200ms timeout", d)
	}
	if strings.Contains(err.Error(), "tok3n") || strings.Contains(err.Error(), "raw-secret") {
		t.Errorf("error leaks the URL token or secret: %v", err)
	}

	if _, err := NewWebhookSink(WebhookConfig{URL: "ftp://x/y"}); err == nil {
		t.Error("accepted an ftp URL")
	}
	if _, err := NewWebhookSink(WebhookConfig{URL: "http://x/y", Secret: "whsec_%%%"}); err == nil {
		t.Error("accepted a bad whsec secret")
	}
}

func FuzzVerify(f *testing.F) {
	f.Add("e1", "1767225600", "v1,AAAA", []byte("{}"))
	f.Add("", "", "", []byte(nil))
	f.Add("msg", "-1", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,", []byte("x"))
	const secret = "whsec_ZnV6ei1rZXk="
	now := time.Unix(1767225600, 0)
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set("webhook-id", id)
		h.Set("webhook-timestamp", ts)
		h.Set("webhook-signature", sig)
		if VerifyAt(secret, h, body, now, DefaultVerifyTolerance) != nil {
			return
		}
		// Accepted: then the header must hold the signature we compute.
		unix, _ := strconv.ParseInt(ts, 10, 64)
		want, _ := Sign(secret, id, time.Unix(unix, 0), body)
		if !strings.Contains(sig, strings.TrimPrefix(want, "v1,")) {
			t.Fatalf("accepted a signature that is not ours: %q", sig)
		}
	})
}
