package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	pgdsn "github.com/driftwatch/driftwatch/internal/dsn"
)

// Config says what to measure.
type Config struct {
	AdminDSN string // a database on the server to create bench databases on
	Binary   string // the driftwatch binary to time
	Sizes    []int  // table counts
	Runs     int    // timed runs of each command
	Out      io.Writer
}

// Result is one size's figures (medians of Runs, peak RSS the largest).
type Result struct {
	Tables        int
	PgDump        time.Duration
	PgDumpRSSMB   float64
	CheckWarm     time.Duration
	Speedups      []float64 // pg_dump time over check time, per round, sorted
	CheckRSSMB    float64
	CanonicalLoad time.Duration
	Objects       int
	CatalogMB     float64 // the bench database's system catalogs
	SharedBuffers string  // the server's shared_buffers
}

// Run builds (or reuses) one database per size and prints the figures.
func Run(ctx context.Context, cfg Config) error {
	if cfg.Runs <= 0 {
		cfg.Runs = 3
	}
	var results []Result
	for _, n := range cfg.Sizes {
		r, err := runSize(ctx, cfg, n)
		if err != nil {
			return fmt.Errorf("bench %d tables: %w", n, err)
		}
		results = append(results, r)
	}
	fmt.Fprintf(cfg.Out, "\n%-8s %12s %12s %9s %16s %16s %14s %14s\n", "tables", "pg_dump -s", "check", "speedup", "(rounds)", "canonical load", "check RSS", "pg_dump RSS")
	for _, r := range results {
		fmt.Fprintf(cfg.Out, "%-8d %11.3fs %11.3fs %8.1fx %16s %15.3fs %11.1f MB %11.1f MB\n", r.Tables, r.PgDump.Seconds(), r.CheckWarm.Seconds(),
			medianFloat(r.Speedups), speedupRange(r.Speedups), r.CanonicalLoad.Seconds(), r.CheckRSSMB, r.PgDumpRSSMB)
	}
	for _, r := range results {
		fmt.Fprintf(cfg.Out, "\n%d tables: the system catalogs take %.0f MB; shared_buffers is %s", r.Tables, r.CatalogMB, r.SharedBuffers)
		if sb, ok := parseMB(r.SharedBuffers); ok && sb < r.CatalogMB {
			fmt.Fprint(cfg.Out, " (smaller: both commands read much of them from the OS page cache on every run)")
		}
		fmt.Fprintln(cfg.Out)
	}
	fmt.Fprintln(cfg.Out, "\ncheck = `driftwatch check` as a whole process with the canonical model cached (medians; RSS is the peak).")
	fmt.Fprintln(cfg.Out, "speedup = the median of each round's pg_dump time over its check time (rounds: their range); a round runs both in turn, so both meet the same machine.")
	fmt.Fprintln(cfg.Out, "canonical load = the same check with an empty cache: pg_dump output executed in a scratch database and inspected.")
	return nil
}

func runSize(ctx context.Context, cfg Config, n int) (Result, error) {
	r := Result{Tables: n}
	name := fmt.Sprintf("driftwatch_bench_%d", n)
	dsn, err := ensureDatabase(ctx, cfg, name, n)
	if err != nil {
		return r, err
	}
	dir, err := os.MkdirTemp("", "driftwatch-bench-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	canonical := filepath.Join(dir, "canonical-schema.sql")

	// pg_dump --schema-only: the baseline, and the canonical file (its
	// first run, untimed, as it warms the server's caches).
	dump := func() (time.Duration, []byte, error) {
		t, rss, out, err := timeCommand(ctx, cfg.Binary, nil, "pg_dump", "--schema-only", "--no-owner", "-d", dsn)
		if err != nil {
			hint := ""
			if bytes.Contains(out, []byte("max_locks_per_transaction")) {
				hint = fmt.Sprintf(" (pg_dump locks every table: %d tables need max_locks_per_transaction * max_connections above that; "+
					"ALTER SYSTEM SET max_locks_per_transaction = 256 and restart PostgreSQL)", n)
			}
			return 0, nil, fmt.Errorf("pg_dump: %w%s\n%s", err, hint, tail(out))
		}
		r.PgDumpRSSMB = max(r.PgDumpRSSMB, rss)
		return t, out, nil
	}
	_, out, err := dump()
	if err != nil {
		return r, err
	}
	if err := os.WriteFile(canonical, out, 0o644); err != nil {
		return r, err
	}

	cache := filepath.Join(dir, "cache")
	env := append(os.Environ(), "DRIFTWATCH_CACHE_DIR="+cache)
	args := []string{"check", "--dsn", dsn, "--canonical", canonical, "--format", "json"}
	cold, _, out, err := timeCommand(ctx, cfg.Binary, env, cfg.Binary, args...)
	if err != nil {
		return r, fmt.Errorf("check (cold cache) on its own pg_dump must be clean: %w\n%s", err, tail(out))
	}
	// Then pg_dump and check by turns, so both meet the same machine
	// (the scratch database the cold check dropped is still being
	// flushed and vacuumed for a while).
	var dumps, checks []time.Duration
	for i := 0; i < cfg.Runs; i++ {
		d, _, err := dump()
		if err != nil {
			return r, err
		}
		dumps = append(dumps, d)
		t, rss, out, err := timeCommand(ctx, cfg.Binary, env, cfg.Binary, args...)
		if err != nil {
			return r, fmt.Errorf("check (warm cache): %w\n%s", err, tail(out))
		}
		checks = append(checks, t)
		r.Speedups = append(r.Speedups, d.Seconds()/t.Seconds())
		r.CheckRSSMB = max(r.CheckRSSMB, rss)
	}
	if r.CatalogMB, r.SharedBuffers, err = catalogSize(ctx, dsn); err != nil {
		return r, err
	}
	sort.Float64s(r.Speedups)
	r.PgDump = median(dumps)
	r.CheckWarm = median(checks)
	r.CanonicalLoad = cold - r.CheckWarm
	fmt.Fprintf(cfg.Out, "%d tables: pg_dump -s %v, check %v, canonical load %v\n", n, r.PgDump.Round(time.Millisecond),
		r.CheckWarm.Round(time.Millisecond), r.CanonicalLoad.Round(time.Millisecond))
	return r, nil
}

// catalogSize returns the size of the database's system catalogs (tables
// and indexes) and the server's shared_buffers: when the catalogs do not
// fit, much of a full read is copying pages from the OS page cache.
func catalogSize(ctx context.Context, dsn string) (float64, string, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, "", fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.Background())
	var size int64
	var sb string
	err = conn.QueryRow(ctx, `SELECT sum(pg_catalog.pg_relation_size(c.oid))::bigint, pg_catalog.current_setting('shared_buffers')
FROM pg_catalog.pg_class c WHERE c.relnamespace = 'pg_catalog'::pg_catalog.regnamespace`).Scan(&size, &sb)
	if err != nil {
		return 0, "", fmt.Errorf("read the catalogs' size: %w", err)
	}
	return float64(size) / (1 << 20), sb, nil
}

// parseMB reads a memory setting as PostgreSQL shows it ("128MB", "1GB").
func parseMB(s string) (float64, bool) {
	units := map[string]float64{"kB": 1.0 / 1024, "MB": 1, "GB": 1024, "TB": 1 << 20}
	for u, f := range units {
		if n, ok := strings.CutSuffix(s, u); ok {
			v, err := strconv.ParseFloat(n, 64)
			return v * f, err == nil
		}
	}
	return 0, false
}

// ensureDatabase creates the bench database with n tables, or reuses one
// a previous run left (its comment records n).
func ensureDatabase(ctx context.Context, cfg Config, name string, n int) (string, error) {
	dsn, err := pgdsn.WithDatabase(cfg.AdminDSN, name)
	if err != nil {
		return "", err
	}
	admin, err := pgx.Connect(ctx, cfg.AdminDSN)
	if err != nil {
		return "", fmt.Errorf("connect: %w", err)
	}
	defer admin.Close(context.Background())
	marker := fmt.Sprintf("driftwatch bench: %d tables", n)
	var comment *string
	err = admin.QueryRow(ctx, "SELECT pg_catalog.shobj_description(oid, 'pg_database') FROM pg_catalog.pg_database WHERE datname = $1", name).Scan(&comment)
	if err == nil && comment != nil && *comment == marker {
		fmt.Fprintf(cfg.Out, "reusing database %s (%d tables)\n", name, n)
		return dsn, nil
	}
	fmt.Fprintf(cfg.Out, "building database %s with %d tables...\n", name, n)
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer conn.Close(context.Background())
	start := time.Now()
	for _, stmt := range SchemaSQL(n) {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			return "", fmt.Errorf("build schema: %w", err)
		}
	}
	if _, err := conn.Exec(ctx, "ANALYZE"); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, fmt.Sprintf("COMMENT ON DATABASE %s IS '%s'", name, marker)); err != nil {
		return "", err
	}
	fmt.Fprintf(cfg.Out, "built in %v\n", time.Since(start).Round(time.Second))
	return dsn, nil
}

// timeCommand runs a command and returns its wall time, peak RSS in MB
// and combined output. Run through self's __peak-rss (see PeakRSSCommand)
// when self is given, as the peak a Go parent reads itself is its own
// when that is larger; both commands of a comparison go the same way.
func timeCommand(ctx context.Context, self string, env []string, name string, args ...string) (time.Duration, float64, []byte, error) {
	if self != "" {
		args = append([]string{PeakRSSCommand, name}, args...)
		name = self
	}
	cmd := exec.CommandContext(ctx, name, args...)
	if env != nil {
		cmd.Env = env
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	got, rss := splitPeakRSS(out.Bytes())
	if self == "" && cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = float64(ru.Maxrss) / 1024
		}
	}
	return took, rss, got, err
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// medianFloat is the middle of sorted xs (the mean of the two middle
// ones for an even count), 0 for none.
func medianFloat(xs []float64) float64 {
	n := len(xs)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// speedupRange prints the lowest and highest of sorted xs.
func speedupRange(xs []float64) string {
	if len(xs) == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fx..%.1fx", xs[0], xs[len(xs)-1])
}
