package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	pgdsn "github.com/driftwatch/driftwatch/internal/dsn"
)

// notifyFloor measures raw LISTEN/NOTIFY round trips: NOTIFY from one
// connection, received on another, one at a time.
func notifyFloor(ctx context.Context, cfg WatchConfig) ([]time.Duration, error) {
	listener, err := pgx.Connect(ctx, cfg.AdminDSN)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	defer listener.Close(context.Background())
	sender, err := pgx.Connect(ctx, cfg.AdminDSN)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	defer sender.Close(context.Background())
	channel := fmt.Sprintf("driftwatch_bench_floor_%d", os.Getpid())
	if _, err := listener.Exec(ctx, "LISTEN "+channel); err != nil {
		return nil, err
	}
	out := make([]time.Duration, 0, cfg.Floor)
	for i := 0; i < cfg.Floor; i++ {
		payload := strconv.Itoa(i)
		start := time.Now()
		if _, err := sender.Exec(ctx, "SELECT pg_notify($1, $2)", channel, payload); err != nil {
			return nil, err
		}
		for {
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			n, err := listener.WaitForNotification(wctx)
			cancel()
			if err != nil {
				return nil, fmt.Errorf("wait for notification %d: %w", i, err)
			}
			if n.Payload == payload {
				break
			}
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

// migrationStatements returns an n-statement migration: per table a
// CREATE TABLE, an ALTER TABLE ADD COLUMN, a CREATE INDEX and an ALTER
// TABLE ADD CONSTRAINT.
func migrationStatements(n int) []string {
	out := make([]string, 0, n)
	for i := 0; len(out) < n; i++ {
		for _, s := range []string{
			fmt.Sprintf("CREATE TABLE m_%d (id bigserial PRIMARY KEY, name text NOT NULL, qty integer)", i),
			fmt.Sprintf("ALTER TABLE m_%d ADD COLUMN created_at timestamptz DEFAULT now()", i),
			fmt.Sprintf("CREATE INDEX m_%d_name_idx ON m_%d (name)", i, i),
			fmt.Sprintf("ALTER TABLE m_%d ADD CONSTRAINT m_%d_qty_check CHECK (qty >= 0)", i, i),
		} {
			if len(out) < n {
				out = append(out, s)
			}
		}
	}
	return out
}

// migrationRun is one timed run of the migration: its wall time, the
// CPU time of the server backend that ran it (0 when the server's
// processes cannot be read from here), and with the trigger, the time
// spent inside on_ddl.
type migrationRun struct {
	wall, cpu, inFunction time.Duration
}

// overhead is what the event trigger costs a migration: runs without and
// with it, taken in turns so that the machine's drift (other load, the
// disk's fsync latency) falls on both alike.
type overhead struct {
	without, with []migrationRun
}

// wallPct is each pair's wall-clock overhead in percent.
func (o overhead) wallPct() []float64 {
	out := make([]float64, len(o.with))
	for i := range o.with {
		out[i] = pct(o.with[i].wall, o.without[i].wall)
	}
	return out
}

func pct(with, without time.Duration) float64 {
	return 100 * (with.Seconds() - without.Seconds()) / without.Seconds()
}

// field returns one field of every run.
func field(runs []migrationRun, f func(migrationRun) time.Duration) []time.Duration {
	out := make([]time.Duration, len(runs))
	for i, r := range runs {
		out[i] = f(r)
	}
	return out
}

// triggerOverhead runs the migration in fresh databases, in pairs: without
// and then with driftwatch's event trigger installed.
func triggerOverhead(ctx context.Context, cfg WatchConfig) (overhead, error) {
	stmts := migrationStatements(cfg.Migration)
	var o overhead
	for run := 0; run < cfg.TriggerPairs; run++ {
		for _, trigger := range []bool{false, true} {
			r, err := timeMigration(ctx, cfg, stmts, trigger, run)
			if err != nil {
				return overhead{}, err
			}
			fmt.Fprintf(cfg.Out, "migration of %d statements, trigger %v: %.3fs", len(stmts), trigger, r.wall.Seconds())
			if r.cpu > 0 {
				fmt.Fprintf(cfg.Out, ", backend CPU %.3fs", r.cpu.Seconds())
			}
			if trigger {
				o.with = append(o.with, r)
				fmt.Fprintf(cfg.Out, " (%.0f ms in on_ddl)", float64(r.inFunction)/float64(time.Millisecond))
			} else {
				o.without = append(o.without, r)
			}
			fmt.Fprintln(cfg.Out)
		}
	}
	return o, nil
}

// timeMigration runs stmts one by one (autocommit) in a fresh database and
// returns the wall time, the backend's CPU time and, with the trigger, the
// time spent in on_ddl. A checkpoint first keeps the writes of creating
// the database (and installing) out of the timed part.
func timeMigration(ctx context.Context, cfg WatchConfig, stmts []string, trigger bool, run int) (migrationRun, error) {
	var r migrationRun
	name := fmt.Sprintf("driftwatch_benchmig_%d_%d", os.Getpid(), run)
	admin, err := pgx.Connect(ctx, cfg.AdminDSN)
	if err != nil {
		return r, err
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return r, err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return r, err
	}
	defer func() {
		_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}()
	dsn, err := pgdsn.WithDatabase(cfg.AdminDSN, name)
	if err != nil {
		return r, err
	}
	if trigger {
		if out, err := exec.CommandContext(ctx, cfg.Binary, "install", "--dsn", dsn).CombinedOutput(); err != nil {
			return r, fmt.Errorf("driftwatch install: %w\n%s", err, tail(out))
		}
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return r, err
	}
	defer conn.Close(context.Background())
	if trigger {
		// Counts the time in PL/pgSQL functions; needs a superuser, as
		// the bench's install does.
		if _, err := conn.Exec(ctx, "SET track_functions = 'pl'"); err != nil {
			return r, fmt.Errorf("time the trigger function: %w", err)
		}
	}
	if _, err := conn.Exec(ctx, "CHECKPOINT"); err != nil {
		return r, fmt.Errorf("checkpoint before the migration: %w", err)
	}
	var pid int
	if err := conn.QueryRow(ctx, "SELECT pg_catalog.pg_backend_pid()").Scan(&pid); err != nil {
		return r, err
	}
	cpu0, cpuKnown := processCPU(pid)
	start := time.Now()
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			return r, fmt.Errorf("%s: %w", s, err)
		}
	}
	r.wall = time.Since(start)
	if cpu1, ok := processCPU(pid); ok && cpuKnown {
		r.cpu = cpu1 - cpu0
	}
	if !trigger {
		return r, nil
	}
	var rows int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM driftwatch.ddl_events").Scan(&rows); err != nil || rows < len(stmts) {
		return r, fmt.Errorf("the trigger recorded %d rows for %d statements (%v)", rows, len(stmts), err)
	}
	// A backend reports its function statistics when it ends.
	conn.Close(ctx)
	r.inFunction, err = functionTime(ctx, dsn, "on_ddl", 5*time.Second)
	return r, err
}

// processCPU returns the user and system CPU time of a PostgreSQL server
// process on this machine; ok is false when there is no such process here
// (a remote server).
func processCPU(pid int) (cpu time.Duration, ok bool) {
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil || !strings.HasPrefix(string(comm), "postgres") {
		return 0, false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The fields after the parenthesised command name; utime and stime
	// are the 14th and 15th of the line, in clock ticks (USER_HZ, 100).
	i := strings.LastIndexByte(string(stat), ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(stat[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, true
}

// functionTime reads the total time spent in a function of schema
// driftwatch from pg_stat_user_functions, waiting up to wait for it to be
// reported.
func functionTime(ctx context.Context, dsn, fn string, wait time.Duration) (time.Duration, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(context.Background())
	deadline := time.Now().Add(wait)
	for {
		var ms float64
		err := conn.QueryRow(ctx, `SELECT total_time FROM pg_catalog.pg_stat_user_functions
WHERE schemaname = 'driftwatch' AND funcname = $1`, fn).Scan(&ms)
		if err == nil {
			return time.Duration(ms * float64(time.Millisecond)), nil
		}
		if !errors.Is(err, pgx.ErrNoRows) || time.Now().After(deadline) {
			return 0, fmt.Errorf("read the time spent in %s: %w", fn, err)
		}
		if _, err := conn.Exec(ctx, "SELECT pg_catalog.pg_stat_clear_snapshot()"); err != nil {
			return 0, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}
