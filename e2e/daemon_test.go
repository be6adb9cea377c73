package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	"github.com/driftwatch/driftwatch/watcher"
)

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// process is a subprocess whose output goes to the test log when the test
// fails, and which is killed when the test ends.
type process struct {
	t    testing.TB
	name string
	cmd  *exec.Cmd
	out  *pgtest.SyncBuffer
	done chan struct{}
}

func startProcess(t testing.TB, name string, env []string, bin string, args ...string) *process {
	t.Helper()
	p := &process{t: t, name: name, out: &pgtest.SyncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("--- output of %s (%s) ---\n%s", name, p.cmd.ProcessState, p.out.String())
		}
		if strings.Contains(p.out.String(), "WARNING: DATA RACE") {
			t.Errorf("%s: the race detector reported a data race (see its output)", name)
		}
	})
	return p
}

// running reports whether the process has not exited.
func (p *process) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// kill sends SIGKILL and waits for the process to exit.
func (p *process) kill() {
	if p.running() {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-p.done
}

// stop sends SIGTERM and waits for a clean exit (exit status 0).
func (p *process) stop() {
	p.t.Helper()
	if !p.running() {
		p.t.Fatalf("stop %s: it had already exited (%s)", p.name, p.cmd.ProcessState)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.kill()
		p.t.Fatalf("stop %s: still running 30s after SIGTERM", p.name)
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		p.t.Fatalf("stop %s: exit code %d after SIGTERM, want 0", p.name, code)
	}
}

// terminate sends SIGTERM and waits for the process to exit, whatever
// its exit status.
func (p *process) terminate() {
	if p.running() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
	}
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.kill()
	}
}

// daemon is one `driftwatch watch` process.
type daemon struct {
	*process
	addr string // host:port of its HTTP server
}

// startDaemon runs driftwatch watch for the environment and waits until
// /readyz answers 200 (connected, canonical loaded, first sweep done).
func (e *env) startDaemon(t testing.TB) *daemon {
	t.Helper()
	e.starts++
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	args := []string{"watch",
		"--config", e.config,
		"--dsn", e.dsn,
		"--canonical", e.canonical,
		"--listen", addr,
		"--nats-url", e.natsURL,
		"--webhook", e.recv.url(),
		"--webhook-secret", e.secret,
		"--health-column", "users.pkceRequired",
		"--install",
	}
	env := append(os.Environ(), "DRIFTWATCH_CACHE_DIR="+cacheDir)
	d := &daemon{process: startProcess(t, fmt.Sprintf("driftwatch watch #%d", e.starts), env, binary, args...), addr: addr}
	e.waitReady(t, d)
	return d
}

func (e *env) waitReady(t testing.TB, d *daemon) {
	t.Helper()
	eventually(t, 60*time.Second, "daemon ready (/readyz 200)", func() (bool, string) {
		if !d.running() {
			t.Fatalf("%s exited during start-up (%s)", d.name, d.cmd.ProcessState)
		}
		code, body, err := httpGet("http://" + d.addr + "/readyz")
		if err != nil {
			return false, err.Error()
		}
		return code == http.StatusOK, fmt.Sprintf("%d %s", code, body)
	})
}

// health returns the status code and report of /health/schema.
func (d *daemon) health() (int, watcher.HealthReport, error) {
	var r watcher.HealthReport
	code, body, err := httpGet("http://" + d.addr + "/health/schema")
	if err != nil {
		return 0, r, err
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return code, r, fmt.Errorf("decode /health/schema %q: %w", body, err)
	}
	return code, r, nil
}

// metric returns the value of an unlabelled sample in /metrics.
func (d *daemon) metric(name string) (string, error) {
	_, body, err := httpGet("http://" + d.addr + "/metrics")
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("metric %s not in /metrics", name)
}

var httpClient = &http.Client{Timeout: 5 * time.Second}

func httpGet(url string) (int, []byte, error) {
	resp, err := httpClient.Get(url)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, err = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.Bytes(), err
}

// eventually polls cond every 50ms until it holds, and fails the test
// with cond's last detail when timeout passes first.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, detail := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s; last: %s", timeout, what, detail)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// natsServer is a private nats-server with JetStream and its own store.
type natsServer struct {
	*process
	port     int
	storeDir string
}

// natsServerBinary finds nats-server: $DRIFTWATCH_NATS_SERVER, $PATH or
// /usr/sbin.
func natsServerBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("DRIFTWATCH_NATS_SERVER"); p != "" {
		return p
	}
	if p, err := exec.LookPath("nats-server"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/nats-server"); err == nil {
		return "/usr/sbin/nats-server"
	}
	t.Fatalf("nats-server not found: install it or set DRIFTWATCH_NATS_SERVER")
	return ""
}

// startNATS starts a private server on port with JetStream stored in
// storeDir and waits until it takes connections.
func startNATS(t testing.TB, port int, storeDir string) *natsServer {
	t.Helper()
	n := &natsServer{port: port, storeDir: storeDir}
	n.process = startProcess(t, fmt.Sprintf("nats-server :%d", port), os.Environ(), natsServerBinary(t),
		"-a", "127.0.0.1", "-p", fmt.Sprint(port), "-js", "-sd", storeDir)
	eventually(t, 20*time.Second, "private nats-server up", func() (bool, string) {
		if !n.running() {
			t.Fatalf("nats-server exited: %s", n.out.String())
		}
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err != nil {
			return false, err.Error()
		}
		c.Close()
		return true, ""
	})
	return n
}

func (n *natsServer) url() string { return fmt.Sprintf("nats://127.0.0.1:%d", n.port) }

// newStoreDir returns a JetStream store directory removed after the test.
func newStoreDir(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "jetstream")
}

// ctxT returns a context bounded by d and cancelled at the end of the test.
func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
