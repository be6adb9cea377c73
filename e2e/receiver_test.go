package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/driftwatch/driftwatch/notify"
)

// receiver is a webhook endpoint that verifies each request's signature
// with notify.Verify and records what it got. It can be told to answer
// 500 to the next requests, or to every request until told otherwise.
type receiver struct {
	srv    *httptest.Server
	secret string

	mu       sync.Mutex
	failNext int  // answer 500 to this many more requests
	failAll  bool // answer 500 to every request
	requests []receipt
	events   []notify.Event // accepted (verified, 2xx) events, in order
}

// receipt is one request the receiver answered.
type receipt struct {
	id       string // webhook-id header
	status   int
	verified bool
	event    notify.Event
}

func newReceiver(t testing.TB, secret string) *receiver {
	r := &receiver{secret: secret}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	t.Cleanup(func() {
		for _, q := range r.all() {
			if !q.verified {
				t.Errorf("webhook request %s had no valid signature", q.id)
			}
		}
	})
	return r
}

func (r *receiver) url() string { return r.srv.URL + "/hooks/driftwatch" }

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	q := receipt{id: req.Header.Get(notify.HeaderWebhookID)}
	verr := notify.Verify(r.secret, req.Header, body)
	q.verified = verr == nil
	if err := json.Unmarshal(body, &q.event); err != nil {
		q.verified = false
	}
	if q.verified && q.event.ID != q.id {
		q.verified = false // the signed webhook-id must be the event's id
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case !q.verified:
		q.status = http.StatusUnauthorized
	case r.failAll:
		q.status = http.StatusInternalServerError
	case r.failNext > 0:
		r.failNext--
		q.status = http.StatusInternalServerError
	default:
		q.status = http.StatusNoContent
		r.events = append(r.events, q.event)
	}
	r.requests = append(r.requests, q)
	w.WriteHeader(q.status)
}

// fail makes the next n requests fail with 500.
func (r *receiver) fail(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failNext = n
}

// setFailAll makes every request fail with 500 (on) or none (off).
func (r *receiver) setFailAll(on bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failAll = on
}

func (r *receiver) accepted() []notify.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notify.Event(nil), r.events...)
}

func (r *receiver) all() []receipt {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]receipt(nil), r.requests...)
}
