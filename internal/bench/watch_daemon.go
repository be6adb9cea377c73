package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	pgdsn "github.com/driftwatch/driftwatch/internal/dsn"
	"github.com/driftwatch/driftwatch/notify"
)

// columnPrefix names the columns the benchmark adds: dwb_<statement>.
const columnPrefix = "dwb_"

// runWatchSize runs the daemon on a copy of the n-table bench database and
// measures Statements ALTERs one by one.
func runWatchSize(ctx context.Context, cfg WatchConfig, n int) (watchResult, error) {
	r := watchResult{Tables: n}
	base := fmt.Sprintf("driftwatch_bench_%d", n)
	if _, err := ensureDatabase(ctx, Config{AdminDSN: cfg.AdminDSN, Out: cfg.Out}, base, n); err != nil {
		return r, err
	}
	// The daemon installs its trigger and the ALTERs add columns: work on
	// a copy, so the shared bench database stays as the builder left it.
	name := fmt.Sprintf("driftwatch_benchwatch_%d_%d", n, os.Getpid())
	dsn, drop, err := cloneDatabase(ctx, cfg, base, name)
	if err != nil {
		return r, err
	}
	defer drop()

	dir, err := os.MkdirTemp("", "driftwatch-benchwatch-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	canonical := filepath.Join(dir, "canonical.json")
	if out, err := exec.CommandContext(ctx, cfg.Binary, "snapshot", "--dsn", dsn, "--format", "json", "-o", canonical).CombinedOutput(); err != nil {
		return r, fmt.Errorf("snapshot the canonical schema: %w\n%s", err, tail(out))
	}
	// Warm the canonical cache with a check, as the daemon's first start
	// would: a restart, the case measured, loads the model from it. The
	// first load of a canonical file (JSON decoded, or SQL run in a scratch
	// database) peaks higher, once per file.
	warm := exec.CommandContext(ctx, cfg.Binary, "check", "--dsn", dsn, "--canonical", canonical)
	warm.Env = append(os.Environ(), "DRIFTWATCH_CACHE_DIR="+filepath.Join(dir, "cache"))
	if out, err := warm.CombinedOutput(); err != nil {
		return r, fmt.Errorf("warm the canonical cache (check must be clean): %w\n%s", err, tail(out))
	}

	id := fmt.Sprintf("%d_%d", n, os.Getpid())
	prefix, stream := "dwbench_"+id, "DWBENCH_"+id
	yaml := fmt.Sprintf("coalesce: %s\nlog_level: debug\nshutdown_timeout: 5s\nnats:\n  stream: %s\n  subject_prefix: %s\n  subjects: [\"%s.>\"]\n",
		cfg.Coalesce, stream, prefix, prefix)
	config := filepath.Join(dir, "driftwatch.yaml")
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		return r, err
	}
	nc, err := nats.Connect(cfg.NATSURL, nats.Timeout(5*time.Second))
	if err != nil {
		return r, fmt.Errorf("connect to NATS %s: %w", cfg.NATSURL, err)
	}
	defer nc.Close()
	defer deleteStream(nc, stream)
	received := make(chan arrival, cfg.Statements+16)
	sub, err := nc.Subscribe(prefix+"."+notify.SubjectToken(name)+".drift.opened", func(m *nats.Msg) {
		at := time.Now()
		var ev notify.Event
		var d notify.DriftData
		if json.Unmarshal(m.Data, &ev) != nil || json.Unmarshal(ev.Data, &d) != nil {
			return
		}
		if i, ok := statementOf(d.Identity); ok {
			received <- arrival{i, at}
		}
	})
	if err != nil {
		return r, fmt.Errorf("subscribe: %w", err)
	}
	defer func() { _ = sub.Unsubscribe() }()

	addr, err := freeAddr()
	if err != nil {
		return r, err
	}
	d, err := startWatch(ctx, cfg.Binary, dir, "watch", "--config", config, "--dsn", dsn, "--canonical", canonical,
		"--listen", addr, "--nats-url", cfg.NATSURL, "--install")
	if err != nil {
		return r, err
	}
	defer d.kill()
	launched := time.Now()
	if err := waitReady(ctx, d, addr, 10*time.Minute); err != nil {
		return r, err
	}
	r.StartReady = time.Since(launched)
	fmt.Fprintf(cfg.Out, "%d tables: daemon ready in %v; running %d ALTERs\n", n, r.StartReady.Round(time.Millisecond), cfg.Statements)

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return r, err
	}
	defer conn.Close(context.Background())
	for i := 0; i < cfg.Statements; i++ {
		table := 1 + (i*max(n/cfg.Statements, 1))%n // distinct tables when n allows
		stmt := fmt.Sprintf("ALTER TABLE t_%d ADD COLUMN %s%d integer", table, columnPrefix, i)
		sent := time.Now()
		if _, err := conn.Exec(ctx, stmt); err != nil {
			return r, fmt.Errorf("%s: %w", stmt, err)
		}
		acked := time.Now()
		at, err := awaitArrival(ctx, received, i, 30*time.Second)
		if err != nil {
			return r, fmt.Errorf("%s: %w\n%s", stmt, err, d.tail())
		}
		r.Latency = append(r.Latency, at.Sub(acked))
		r.FromSend = append(r.FromSend, at.Sub(sent))
	}
	if sum, count, err := recheckMetric(addr); err == nil && count > 0 {
		r.RecheckMetricMean = time.Duration(sum / float64(count) * float64(time.Second))
		r.RecheckMetricCount = count
	}
	r.RSSMB = d.peakRSSMB()
	r.SteadyRSSMB = d.steadyRSSMB()
	if err := d.stop(); err != nil {
		return r, err
	}
	r.RSSMB = max(r.RSSMB, d.rusageMB())
	r.Recheck = d.rechecks()
	fmt.Fprintf(cfg.Out, "%d tables: commit → NATS p50 %s p99 %s, re-check p50 %s (%d re-checks), peak RSS %.1f MB, steady RSS %.1f MB\n", n,
		fmtDur(percentile(r.Latency, 50)), fmtDur(percentile(r.Latency, 99)), fmtDur(percentile(r.Recheck, 50)), len(r.Recheck), r.RSSMB, r.SteadyRSSMB)
	return r, nil
}

type arrival struct {
	statement int
	at        time.Time
}

// statementOf reads the statement number from a column identity
// public.t_N.dwb_<i>.
func statementOf(identity string) (int, bool) {
	i := strings.LastIndex(identity, "."+columnPrefix)
	if i < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(strings.Trim(identity[i+1+len(columnPrefix):], `"`))
	return n, err == nil
}

// awaitArrival waits for statement i's event; earlier statements' late
// duplicates are dropped.
func awaitArrival(ctx context.Context, ch <-chan arrival, i int, timeout time.Duration) (time.Time, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		select {
		case a := <-ch:
			if a.statement == i {
				return a.at, nil
			}
		case <-t.C:
			return time.Time{}, fmt.Errorf("no drift.opened on NATS within %v", timeout)
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		}
	}
}

// cloneDatabase copies base to name (a file copy) and returns its DSN and
// a function dropping it.
func cloneDatabase(ctx context.Context, cfg WatchConfig, base, name string) (string, func(), error) {
	admin, err := pgx.Connect(ctx, cfg.AdminDSN)
	if err != nil {
		return "", nil, fmt.Errorf("connect: %w", err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return "", nil, err
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		_, err = admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s STRATEGY FILE_COPY", name, base))
		// another session on the template (someone's bench) blocks the copy: wait for it
		if err == nil || !strings.Contains(err.Error(), "being accessed by other users") || time.Now().After(deadline) {
			break
		}
		time.Sleep(2 * time.Second)
	}
	if err != nil {
		return "", nil, fmt.Errorf("copy %s: %w", base, err)
	}
	drop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if c, err := pgx.Connect(ctx, cfg.AdminDSN); err == nil {
			_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			_ = c.Close(ctx)
		}
	}
	dsn, err := pgdsn.WithDatabase(cfg.AdminDSN, name)
	if err != nil {
		drop()
		return "", nil, err
	}
	return dsn, drop, nil
}

func deleteStream(nc *nats.Conn, stream string) {
	js, err := jetstream.New(nc)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = js.DeleteStream(ctx, stream)
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitReady(ctx context.Context, d *watchProcess, addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		if d.exited() {
			return fmt.Errorf("daemon exited during start-up:\n%s", d.tail())
		}
		resp, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("daemon not ready after %v:\n%s", timeout, d.tail())
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// recheckMetric reads driftwatch_recheck_duration_seconds' sum and count.
func recheckMetric(addr string) (float64, int, error) {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	var sum float64
	var count int
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			continue
		}
		switch f[0] {
		case "driftwatch_recheck_duration_seconds_sum":
			sum, _ = strconv.ParseFloat(f[1], 64)
		case "driftwatch_recheck_duration_seconds_count":
			c, _ := strconv.ParseFloat(f[1], 64)
			count = int(c)
		}
	}
	return sum, count, sc.Err()
}

// watchProcess is the daemon subprocess; it reads the daemon's JSON log
// for the durations of incremental re-checks.
type watchProcess struct {
	cmd  *exec.Cmd
	done chan struct{}

	mu      sync.Mutex
	recheck []time.Duration
	last    []string // the last log lines, for errors
}

func startWatch(ctx context.Context, bin, dir string, args ...string) (*watchProcess, error) {
	p := &watchProcess{done: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = append(os.Environ(), "DRIFTWATCH_CACHE_DIR="+filepath.Join(dir, "cache"))
	pr, pw := io.Pipe()
	p.cmd.Stdout, p.cmd.Stderr = pw, pw
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the daemon: %w", err)
	}
	go p.read(pr)
	go func() {
		_ = p.cmd.Wait()
		pw.Close()
		close(p.done)
	}()
	return p, nil
}

func (p *watchProcess) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		var l struct {
			Message string  `json:"message"`
			Full    bool    `json:"full"`
			Took    float64 `json:"took"` // milliseconds
		}
		p.mu.Lock()
		if json.Unmarshal([]byte(line), &l) == nil && l.Message == "re-checked DDL" && !l.Full {
			p.recheck = append(p.recheck, time.Duration(l.Took*float64(time.Millisecond)))
		}
		if p.last = append(p.last, line); len(p.last) > 30 {
			p.last = p.last[1:]
		}
		p.mu.Unlock()
	}
	_, _ = io.Copy(io.Discard, r)
}

func (p *watchProcess) rechecks() []time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]time.Duration(nil), p.recheck...)
}

func (p *watchProcess) tail() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.last, "\n")
}

func (p *watchProcess) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// peakRSSMB reads VmHWM (the peak resident set) of the running daemon.
func (p *watchProcess) peakRSSMB() float64 { return p.statusMB("VmHWM:") }

// steadyRSSMB reads VmRSS: what the daemon holds now, after its start-up
// load and sweep.
func (p *watchProcess) steadyRSSMB() float64 { return p.statusMB("VmRSS:") }

// statusMB reads one size field of /proc/<pid>/status, in MB.
func (p *watchProcess) statusMB(field string) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// rusageMB is the exited daemon's peak RSS as the kernel accounted it.
func (p *watchProcess) rusageMB() float64 {
	if p.cmd.ProcessState == nil {
		return 0
	}
	if ru, ok := p.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return float64(ru.Maxrss) / 1024
	}
	return 0
}

// stop sends SIGTERM and waits for a clean exit.
func (p *watchProcess) stop() error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.kill()
		return errors.New("daemon still running 30s after SIGTERM")
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		return fmt.Errorf("daemon exited %d after SIGTERM:\n%s", code, p.tail())
	}
	return nil
}

func (p *watchProcess) kill() {
	if !p.exited() {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
	}
}
