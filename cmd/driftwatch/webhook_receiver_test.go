package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	"github.com/driftwatch/driftwatch/notify"
)

func TestWebhookReceiver(t *testing.T) {
	t.Parallel()
	const secret = "whsec_c2VjcmV0LWZvci10ZXN0cw=="
	var stdout, stderr pgtest.SyncBuffer
	addrc := make(chan string, 1)
	c := &webhookReceiverCommand{stdout: &stdout, stderr: &stderr, started: func(a string) { addrc <- a }}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- NewMain(&stdout, &stderr).exitCode(c.run(ctx, []string{"--listen", "127.0.0.1:0", "--secret", secret}))
	}()
	var url string
	select {
	case a := <-addrc:
		url = "http://" + a + "/hook"
	case code := <-done:
		t.Fatalf("exited %d: %s", code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("receiver did not start")
	}

	e, err := notify.NewDriftEvent(notify.Origin{Host: "db:5432", Database: "app"}, notify.TypeDriftOpened, notify.Drift{
		Change: notify.ChangeMissing, ObjectType: "column", Identity: `public.users."pkceRequired"`, Expected: "boolean",
		Severity: notify.SeverityCritical, FixSQL: "ALTER TABLE ...", FirstSeen: time.Now(), LastSeen: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	good, err := notify.NewWebhookSink(notify.WebhookConfig{URL: url, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	if err := good.Send(t.Context(), e); err != nil {
		t.Fatalf("signed send: %v", err)
	}
	want := `verified drift.opened public.users."pkceRequired" id=` + e.ID + " change=missing severity=critical"
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("stdout %q, want %q", stdout.String(), want)
	}

	for name, s := range map[string]string{"wrong secret": "whsec_b3RoZXI=", "unsigned": ""} {
		sink, err := notify.NewWebhookSink(notify.WebhookConfig{URL: url, Secret: s})
		if err != nil {
			t.Fatal(err)
		}
		if err := sink.Send(t.Context(), e); err == nil || !strings.Contains(err.Error(), "status 401") {
			t.Errorf("%s: %v, want status 401", name, err)
		}
	}
	if strings.Count(stdout.String(), "verified") != 1 {
		t.Errorf("a rejected event was printed: %q", stdout.String())
	}
	if !strings.Contains(stderr.String(), "rejected a request") || strings.Contains(stderr.String(), secret) {
		t.Errorf("stderr: %q", stderr.String())
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", resp.StatusCode)
	}

	cancel()
	select {
	case code := <-done:
		if code != exitClean {
			t.Errorf("exit %d after stop: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("receiver did not stop")
	}
}

func TestWebhookReceiverNeedsSecret(t *testing.T) {
	t.Setenv("DRIFTWATCH_WEBHOOK_SECRET", "")
	code, _, errOut := runCLI(t, "webhook-receiver", "--listen", "127.0.0.1:0")
	if code != exitError || !strings.Contains(errOut, "no secret") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "webhook-receiver", "--secret", "whsec_!!", "--listen", "127.0.0.1:0")
	if code != exitError || !strings.Contains(errOut, "not valid base64") {
		t.Errorf("bad secret: exit %d, stderr %q", code, errOut)
	}
}
