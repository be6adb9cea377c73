package watcher

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rs/zerolog"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestHTTPEndpoints(t *testing.T) {
	t.Parallel()
	h, err := NewHealthChecker(HealthConfig{Tables: []string{"users"}}, func() *pgxpool.Pool { return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := NewMetrics()
	m.OpenDrifts.WithLabelValues("critical").Set(2)
	var ready atomic.Bool
	var driftErr atomic.Bool
	handler, err := NewHandler(Endpoints{
		Health:  h,
		Metrics: m,
		Ready: func() (bool, string, DaemonStatus) {
			if ready.Load() {
				return true, "", DaemonStatus{Connected: true, CanonicalLoaded: true, FirstSweepDone: true, LastSweep: time.Unix(1700000000, 0)}
			}
			return false, "first sweep not done yet", DaemonStatus{Connected: true, CanonicalLoaded: true}
		},
		Drifts: func(context.Context) ([]DriftRecord, error) {
			if driftErr.Load() {
				return nil, errors.New("daemon is starting")
			}
			return []DriftRecord{{ID: "d1", Change: "missing", ObjectType: "column", Identity: "public.users.pkceRequired", Severity: "critical"}}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := StartHTTPServer("127.0.0.1:0", handler, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + srv.Addr()

	if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	code, body := get(t, base+"/readyz")
	if code != 503 || !strings.Contains(body, `"reason": "first sweep not done yet"`) || !strings.Contains(body, `"status": "not ready"`) {
		t.Errorf("/readyz not ready: %d %s", code, body)
	}
	ready.Store(true)
	code, body = get(t, base+"/readyz")
	if code != 200 || !strings.Contains(body, `"status": "ready"`) || !strings.Contains(body, `"last_sweep": "2023-11-14T22:13:20Z"`) {
		t.Errorf("/readyz ready: %d %s", code, body)
	}
	code, body = get(t, base+"/health/schema")
	var rep HealthReport
	if err := json.Unmarshal([]byte(body), &rep); err != nil || code != 503 || rep.Status != Unhealthy || rep.Checks["table_users"] {
		t.Errorf("/health/schema without a database: %d %s (%v)", code, body, err)
	}
	code, body = get(t, base+"/metrics")
	if code != 200 || !strings.Contains(body, `driftwatch_open_drifts{severity="critical"} 2`) {
		t.Errorf("/metrics: %d, missing the open drift gauge", code)
	}
	code, body = get(t, base+"/drift")
	var drifts driftBody
	if err := json.Unmarshal([]byte(body), &drifts); err != nil || code != 200 || drifts.Count != 1 || drifts.Drifts[0].Identity != "public.users.pkceRequired" {
		t.Errorf("/drift: %d %s (%v)", code, body, err)
	}
	driftErr.Store(true)
	if code, body = get(t, base+"/drift"); code != 503 || !strings.Contains(body, "daemon is starting") {
		t.Errorf("/drift failing: %d %s", code, body)
	}
	if code, _ = get(t, base+"/nope"); code != 404 {
		t.Errorf("/nope: %d", code)
	}
	resp, err := http.Post(base+"/healthz", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz: %d", resp.StatusCode)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still answers after Shutdown")
	}
}

func TestHTTPServerBusyPort(t *testing.T) {
	t.Parallel()
	srv, err := StartHTTPServer("127.0.0.1:0", http.NotFoundHandler(), zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	if _, err := StartHTTPServer(srv.Addr(), http.NotFoundHandler(), zerolog.Nop()); err == nil || !strings.Contains(err.Error(), "listen on") {
		t.Errorf("second server on %s: %v", srv.Addr(), err)
	}
}

func TestNewHandlerNeedsEverything(t *testing.T) {
	if _, err := NewHandler(Endpoints{}); err == nil {
		t.Error("no error for empty endpoints")
	}
}
