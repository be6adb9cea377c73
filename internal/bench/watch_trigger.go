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

// How the two databases of a pair take turns: autocommit statements in
// chunks of migrationChunk; a migration sent as files, each file's
// migrationFile statements in one query string (one implicit transaction,
// as golang-migrate and others send a file), one file per turn.
const (
	migrationChunk = 20
	migrationFile  = 100
)

// migrationRun is one database's side of a timed pair: its wall time, the
// CPU time of the server backend that ran it (0 when the server's
// processes cannot be read from here), and with the trigger, the time
// spent inside on_ddl and its calls.
type migrationRun struct {
	wall, cpu, inFunction time.Duration
	calls                 int64
}

// overhead is what the event trigger costs a migration: pairs of runs
// without and with it.
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

// cpuPct is each pair's backend-CPU overhead in percent (nil when unknown).
func (o overhead) cpuPct() []float64 {
	var out []float64
	for i := range o.with {
		if o.without[i].cpu > 0 {
			out = append(out, pct(o.with[i].cpu, o.without[i].cpu))
		}
	}
	return out
}

func pct(with, without time.Duration) float64 {
	return 100 * (with.Seconds() - without.Seconds()) / without.Seconds()
}

// perCall is the time inside on_ddl per call.
func (r migrationRun) perCall() time.Duration {
	if r.calls == 0 {
		return 0
	}
	return r.inFunction / time.Duration(r.calls)
}

// field returns one field of every run.
func field(runs []migrationRun, f func(migrationRun) time.Duration) []time.Duration {
	out := make([]time.Duration, len(runs))
	for i, r := range runs {
		out[i] = f(r)
	}
	return out
}

// triggerOverhead runs the migration in pairs of fresh databases, one
// without and one with driftwatch's event trigger installed. The two run
// interleaved, a chunk of the migration on one and then the same chunk on
// the other, the first turn alternating: the machine's drift (other load,
// the disk's fsync latency, the file system's inode allocation when
// CREATE TABLE creates files) falls on both alike, within a second, where
// whole runs taken in turns put it on one side or the other. With files,
// the migration goes as files of migrationFile statements, each one query
// string.
func triggerOverhead(ctx context.Context, cfg WatchConfig, files bool) (overhead, error) {
	stmts := migrationStatements(cfg.Migration)
	var units []string
	perTurn := migrationChunk
	if files {
		for i := 0; i < len(stmts); i += migrationFile {
			units = append(units, strings.Join(stmts[i:min(i+migrationFile, len(stmts))], ";\n"))
		}
		perTurn = 1
	} else {
		units = stmts
	}
	var o overhead
	for run := 0; run < cfg.TriggerPairs; run++ {
		without, with, err := timeMigrationPair(ctx, cfg, units, perTurn, len(stmts), run)
		if err != nil {
			return overhead{}, err
		}
		o.without = append(o.without, without)
		o.with = append(o.with, with)
		fmt.Fprintf(cfg.Out, "pair %d: without %.3fs, with %.3fs: %+.1f%%", run+1, without.wall.Seconds(), with.wall.Seconds(), pct(with.wall, without.wall))
		if without.cpu > 0 && with.cpu > 0 {
			fmt.Fprintf(cfg.Out, "; backend CPU %.2fs, %.2fs: %+.1f%%", without.cpu.Seconds(), with.cpu.Seconds(), pct(with.cpu, without.cpu))
		}
		fmt.Fprintf(cfg.Out, "; on_ddl %.0f ms, %d calls, %.0f µs per call\n",
			float64(with.inFunction)/float64(time.Millisecond), with.calls, float64(with.perCall())/float64(time.Microsecond))
	}
	return o, nil
}

// migrationSide is one database of a pair.
type migrationSide struct {
	dsn      string
	conn     *pgx.Conn
	pid      int
	cpu0     time.Duration
	cpuKnown bool
	run      migrationRun
}

// timeMigrationPair creates two databases, installs the trigger in the
// second, and runs units (statements or query strings) on both, perTurn
// units at a time, taking turns. A checkpoint first keeps the writes of
// creating the databases (and installing) out of the timed part.
func timeMigrationPair(ctx context.Context, cfg WatchConfig, units []string, perTurn, statements, run int) (without, with migrationRun, err error) {
	admin, err := pgx.Connect(ctx, cfg.AdminDSN)
	if err != nil {
		return without, with, err
	}
	defer admin.Close(context.Background())
	var sides [2]migrationSide
	for i := range sides {
		name := fmt.Sprintf("driftwatch_benchmig_%d_%d_%d", os.Getpid(), run, i)
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			return without, with, err
		}
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			return without, with, err
		}
		defer func() {
			_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		}()
		s := &sides[i]
		if s.dsn, err = pgdsn.WithDatabase(cfg.AdminDSN, name); err != nil {
			return without, with, err
		}
		if i == 1 {
			if out, err := exec.CommandContext(ctx, cfg.Binary, "install", "--dsn", s.dsn).CombinedOutput(); err != nil {
				return without, with, fmt.Errorf("driftwatch install: %w\n%s", err, tail(out))
			}
		}
		if s.conn, err = pgx.Connect(ctx, s.dsn); err != nil {
			return without, with, err
		}
		defer s.conn.Close(context.Background())
		// Counts the time in PL/pgSQL functions (needs a superuser, as the
		// bench's install does); set on both sides so both pay alike.
		if _, err := s.conn.Exec(ctx, "SET track_functions = 'pl'"); err != nil {
			return without, with, fmt.Errorf("time the trigger function: %w", err)
		}
		if err := s.conn.QueryRow(ctx, "SELECT pg_catalog.pg_backend_pid()").Scan(&s.pid); err != nil {
			return without, with, err
		}
	}
	if _, err := admin.Exec(ctx, "CHECKPOINT"); err != nil {
		return without, with, fmt.Errorf("checkpoint before the migration: %w", err)
	}
	for i := range sides {
		sides[i].cpu0, sides[i].cpuKnown = processCPU(sides[i].pid)
	}
	for turn, start := 0, 0; start < len(units); turn, start = turn+1, start+perTurn {
		chunk := units[start:min(start+perTurn, len(units))]
		for k := 0; k < 2; k++ {
			s := &sides[(turn+k)%2]
			t0 := time.Now()
			for _, u := range chunk {
				if _, err := s.conn.Exec(ctx, u); err != nil {
					return without, with, fmt.Errorf("%.200s: %w", u, err)
				}
			}
			s.run.wall += time.Since(t0)
		}
	}
	for i := range sides {
		s := &sides[i]
		if cpu1, ok := processCPU(s.pid); ok && s.cpuKnown {
			s.run.cpu = cpu1 - s.cpu0
		}
	}
	w := &sides[1]
	var rows int
	if err := w.conn.QueryRow(ctx, "SELECT count(*) FROM driftwatch.ddl_events").Scan(&rows); err != nil || rows < statements {
		return without, with, fmt.Errorf("the trigger recorded %d rows for %d statements (%v)", rows, statements, err)
	}
	// A backend reports its function statistics when it ends.
	w.conn.Close(ctx)
	w.run.inFunction, w.run.calls, err = functionTime(ctx, w.dsn, "on_ddl", int64(statements), 5*time.Second)
	return sides[0].run, w.run, err
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
// driftwatch and its calls from pg_stat_user_functions, waiting up to
// wait for at least minCalls to be reported: a backend also reports while
// it runs, so the figures can be there before its last ones.
func functionTime(ctx context.Context, dsn, fn string, minCalls int64, wait time.Duration) (time.Duration, int64, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close(context.Background())
	deadline := time.Now().Add(wait)
	for {
		var ms float64
		var calls int64
		err := conn.QueryRow(ctx, `SELECT total_time, calls FROM pg_catalog.pg_stat_user_functions
WHERE schemaname = 'driftwatch' AND funcname = $1`, fn).Scan(&ms, &calls)
		if err == nil && (calls >= minCalls || time.Now().After(deadline)) {
			return time.Duration(ms * float64(time.Millisecond)), calls, nil
		}
		if err != nil && (!errors.Is(err, pgx.ErrNoRows) || time.Now().After(deadline)) {
			return 0, 0, fmt.Errorf("read the time spent in %s: %w", fn, err)
		}
		if _, err := conn.Exec(ctx, "SELECT pg_catalog.pg_stat_clear_snapshot()"); err != nil {
			return 0, 0, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}
