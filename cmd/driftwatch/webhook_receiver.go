package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/driftwatch/driftwatch/notify"
	"github.com/driftwatch/driftwatch/watcher"
)

// maxWebhookBody bounds a received webhook body.
const maxWebhookBody = 1 << 20

type webhookReceiverCommand struct {
	stdout, stderr io.Writer
	started        func(addr string) // tests: called once listening
}

func (c *webhookReceiverCommand) name() string { return "webhook-receiver" }
func (c *webhookReceiverCommand) synopsis() string {
	return "receive driftwatch webhooks, verify their signatures and print the events"
}

func (c *webhookReceiverCommand) run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("webhook-receiver", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	listen := fs.String("listen", ":9000", "HTTP `ADDR` to receive webhooks on")
	secret := fs.String("secret", "", "the webhooks' signing `SECRET`, whsec_<base64> or raw (default $DRIFTWATCH_WEBHOOK_SECRET)")
	full := fs.Bool("json", false, "print each verified event's full JSON, not one line")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: driftwatch webhook-receiver [--listen :9000] --secret SECRET [--json]

A small receiver for testing driftwatch's webhooks (docker compose, the
demo, end-to-end tests): it verifies each POST's Standard Webhooks
signature and timestamp, answers 204 and prints the event; a missing or
bad signature is answered 401 and logged. Stops on SIGTERM/SIGINT.

Flags:
`)
		fs.PrintDefaults()
	}
	if stop, err := parseNoArgs(fs, args); stop {
		return err
	}
	if *secret == "" {
		*secret = os.Getenv(watcher.EnvWebhookSecret)
	}
	if *secret == "" {
		return usageErrorf("webhook-receiver: no secret: pass --secret or set %s (the secret driftwatch signs with)", watcher.EnvWebhookSecret)
	}
	if _, err := notify.ParseSecret(*secret); err != nil {
		return usageErrorf("webhook-receiver: %v", err)
	}
	h := &webhookReceiver{secret: *secret, full: *full, out: c.stdout, log: c.stderr}
	srv, err := watcher.StartHTTPServer(*listen, h, zerolog.Nop())
	if err != nil {
		return &codedError{code: exitError, err: fmt.Errorf("webhook-receiver: %w", err)}
	}
	fmt.Fprintf(c.stderr, "webhook-receiver: listening on %s\n", srv.Addr())
	if c.started != nil {
		c.started(srv.Addr())
	}
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// webhookReceiver verifies and prints webhooks.
type webhookReceiver struct {
	secret string
	full   bool
	mu     sync.Mutex // serializes output
	out    io.Writer
	log    io.Writer
}

func (h *webhookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST driftwatch events here", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody+1))
	if err != nil || len(body) > maxWebhookBody {
		http.Error(w, "read body: too large or cut short", http.StatusBadRequest)
		return
	}
	if err := notify.Verify(h.secret, r.Header, body); err != nil {
		h.printf(h.log, "webhook-receiver: rejected a request from %s: %v\n", r.RemoteAddr, err)
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var e notify.Event
	if err := json.Unmarshal(body, &e); err != nil {
		http.Error(w, "decode event: "+err.Error(), http.StatusBadRequest)
		return
	}
	if h.full {
		h.printf(h.out, "%s\n", body)
	} else {
		h.printf(h.out, "verified %s %s id=%s%s\n", e.ShortType(), e.Subject, e.ID, eventSummary(e))
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *webhookReceiver) printf(w io.Writer, format string, a ...any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fmt.Fprintf(w, format, a...)
}

// eventSummary adds a drift event's change, severity and who did it.
func eventSummary(e notify.Event) string {
	var d notify.DriftData
	if json.Unmarshal(e.Data, &d) != nil || d.Change == "" {
		return ""
	}
	s := fmt.Sprintf(" change=%s severity=%s", d.Change, d.Severity)
	if a := d.Attribution; a != nil {
		s += fmt.Sprintf(" by=%s app=%q", a.User, a.ApplicationName)
	}
	return s
}
