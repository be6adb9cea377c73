package watcher

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"
)

// Endpoints is what the HTTP server serves. Every field is needed.
type Endpoints struct {
	Health  *HealthChecker // /health/schema
	Metrics *Metrics       // /metrics
	// Ready reports readiness and, when not ready, why (/readyz).
	Ready func() (ready bool, reason string, status DaemonStatus)
	// Drifts lists the open drift items (/drift).
	Drifts func(ctx context.Context) ([]DriftRecord, error)
}

// NewHandler returns the daemon's HTTP API:
//
//	/healthz        200 while the process runs
//	/readyz         200 when connected, canonical loaded and first sweep done; else 503 and why
//	/health/schema  200 or 503 with per-element checks (see HealthChecker)
//	/metrics        Prometheus metrics
//	/drift          the open drift items as JSON
func NewHandler(e Endpoints) (http.Handler, error) {
	if e.Health == nil || e.Metrics == nil || e.Ready == nil || e.Drifts == nil {
		return nil, errors.New("new HTTP handler: every endpoint is needed")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		ready, reason, st := e.Ready()
		body := readyBody{Status: "ready", Reason: reason, Connected: st.Connected, CanonicalLoaded: st.CanonicalLoaded,
			FirstSweepDone: st.FirstSweepDone, TriggerInstalled: st.TriggerInstalled, LastError: st.LastError}
		if !st.LastSweep.IsZero() {
			body.LastSweep = st.LastSweep.UTC().Format(time.RFC3339)
		}
		code := http.StatusOK
		if !ready {
			body.Status, code = "not ready", http.StatusServiceUnavailable
		}
		writeJSON(w, code, body)
	})
	mux.Handle("GET /health/schema", e.Health)
	mux.Handle("GET /metrics", promhttp.HandlerFor(e.Metrics.Registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /drift", func(w http.ResponseWriter, r *http.Request) {
		items, err := e.Drifts(r.Context())
		if err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "list open drift: " + err.Error()})
			return
		}
		if items == nil {
			items = []DriftRecord{}
		}
		writeJSON(w, http.StatusOK, driftBody{Count: len(items), Drifts: items})
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = fmt.Fprint(w, "driftwatch\n\n/healthz\n/readyz\n/health/schema\n/metrics\n/drift\n")
	})
	return mux, nil
}

type readyBody struct {
	Status           string `json:"status"` // "ready" or "not ready"
	Reason           string `json:"reason,omitempty"`
	Connected        bool   `json:"connected"`
	CanonicalLoaded  bool   `json:"canonical_loaded"`
	FirstSweepDone   bool   `json:"first_sweep_done"`
	LastSweep        string `json:"last_sweep,omitempty"`
	TriggerInstalled bool   `json:"trigger_installed"`
	LastError        string `json:"last_error,omitempty"`
}

type driftBody struct {
	Count  int           `json:"count"`
	Drifts []DriftRecord `json:"drifts"`
}

// DaemonView adapts a Daemon to Endpoints. It reads the daemon's pool
// and drift state only after MarkOpen, so the HTTP server can answer
// /healthz (and say "starting" elsewhere) while Daemon.Open runs.
type DaemonView struct {
	d    *Daemon
	open atomic.Bool
	pool atomic.Pointer[pgxpool.Pool]
}

// NewDaemonView returns a view of d, not yet open.
func NewDaemonView(d *Daemon) *DaemonView { return &DaemonView{d: d} }

// MarkOpen is called once Daemon.Open has returned without error.
func (v *DaemonView) MarkOpen() {
	v.pool.Store(v.d.Pool())
	v.open.Store(true)
}

// Pool returns the daemon's pool, nil before MarkOpen.
func (v *DaemonView) Pool() *pgxpool.Pool { return v.pool.Load() }

// InSync is canonical_in_sync: the first sweep has compared the database
// with the canonical schema and no critical drift is open.
func (v *DaemonView) InSync() bool {
	if !v.open.Load() {
		return false
	}
	st := v.d.Status()
	return st.CanonicalLoaded && st.FirstSweepDone && !v.d.CriticalOpen()
}

// Ready is /readyz.
func (v *DaemonView) Ready() (bool, string, DaemonStatus) {
	if !v.open.Load() {
		return false, "starting: connecting, installing and loading the canonical schema", DaemonStatus{}
	}
	st := v.d.Status()
	switch {
	case !st.Connected:
		reason := "not connected to the database"
		if st.LastError != "" {
			reason += ": " + st.LastError
		}
		return false, reason, st
	case !st.CanonicalLoaded:
		return false, "canonical schema not loaded", st
	case !st.FirstSweepDone:
		return false, "first sweep not done yet", st
	}
	return true, "", st
}

// Drifts is /drift.
func (v *DaemonView) Drifts(ctx context.Context) ([]DriftRecord, error) {
	if !v.open.Load() {
		return nil, errors.New("daemon is starting")
	}
	return v.d.OpenDrifts(ctx)
}

// HTTPServer serves a handler until Shutdown.
type HTTPServer struct {
	srv  *http.Server
	ln   net.Listener
	done chan struct{}
	err  error // of Serve, read after done
}

// StartHTTPServer listens on addr (":0" picks a free port) and serves h
// in the background. A busy port is an error here, not later.
func StartHTTPServer(addr string, h http.Handler, log zerolog.Logger) (*HTTPServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s := &HTTPServer{
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       10 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       60 * time.Second,
		},
		ln:   ln,
		done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.err = err
			log.Error().Err(err).Msg("HTTP server stopped")
		}
	}()
	log.Info().Str("addr", s.Addr()).Msg("HTTP server listening")
	return s, nil
}

// Addr returns the address listened on, e.g. "127.0.0.1:41234".
func (s *HTTPServer) Addr() string { return s.ln.Addr().String() }

// Shutdown stops accepting connections and waits, up to ctx, for the
// requests in flight; then it closes what is left.
func (s *HTTPServer) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		_ = s.srv.Close()
	}
	<-s.done
	if err == nil {
		err = s.err
	}
	if err != nil {
		return fmt.Errorf("shut down HTTP server: %w", err)
	}
	return nil
}
