package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
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

// overhead is what the event trigger costs a migration: the median wall
// time without and with it, and the median time spent inside on_ddl
// (track_functions), which fsync and the shared machine do not blur.
type overhead struct {
	without, with, inFunction time.Duration
}

// triggerOverhead runs the migration in fresh databases, alternately
// without and with driftwatch's event trigger installed.
func triggerOverhead(ctx context.Context, cfg WatchConfig) (overhead, error) {
	stmts := migrationStatements(cfg.Migration)
	var wo, wi, fn []time.Duration
	for run := 0; run < cfg.Runs; run++ {
		for _, trigger := range []bool{false, true} {
			d, inFn, err := timeMigration(ctx, cfg, stmts, trigger, run)
			if err != nil {
				return overhead{}, err
			}
			if trigger {
				wi = append(wi, d)
				fn = append(fn, inFn)
			} else {
				wo = append(wo, d)
			}
			fmt.Fprintf(cfg.Out, "migration of %d statements, trigger %v: %.3fs", len(stmts), trigger, d.Seconds())
			if trigger {
				fmt.Fprintf(cfg.Out, " (%.0f ms in on_ddl)", float64(inFn)/float64(time.Millisecond))
			}
			fmt.Fprintln(cfg.Out)
		}
	}
	return overhead{without: median(wo), with: median(wi), inFunction: median(fn)}, nil
}

// timeMigration runs stmts one by one (autocommit) in a fresh database and
// returns the wall time and, with the trigger, the time spent in on_ddl.
func timeMigration(ctx context.Context, cfg WatchConfig, stmts []string, trigger bool, run int) (time.Duration, time.Duration, error) {
	name := fmt.Sprintf("driftwatch_benchmig_%d_%d", os.Getpid(), run)
	admin, err := pgx.Connect(ctx, cfg.AdminDSN)
	if err != nil {
		return 0, 0, err
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return 0, 0, err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return 0, 0, err
	}
	defer func() {
		_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}()
	dsn, err := pgdsn.WithDatabase(cfg.AdminDSN, name)
	if err != nil {
		return 0, 0, err
	}
	if trigger {
		if out, err := exec.CommandContext(ctx, cfg.Binary, "install", "--dsn", dsn).CombinedOutput(); err != nil {
			return 0, 0, fmt.Errorf("driftwatch install: %w\n%s", err, tail(out))
		}
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close(context.Background())
	if trigger {
		// Counts the time in PL/pgSQL functions; needs a superuser, as
		// the bench's install does.
		if _, err := conn.Exec(ctx, "SET track_functions = 'pl'"); err != nil {
			return 0, 0, fmt.Errorf("time the trigger function: %w", err)
		}
	}
	start := time.Now()
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", s, err)
		}
	}
	took := time.Since(start)
	if !trigger {
		return took, 0, nil
	}
	var rows int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM driftwatch.ddl_events").Scan(&rows); err != nil || rows < len(stmts) {
		return 0, 0, fmt.Errorf("the trigger recorded %d rows for %d statements (%v)", rows, len(stmts), err)
	}
	// A backend reports its function statistics when it ends.
	conn.Close(ctx)
	inFn, err := functionTime(ctx, dsn, "on_ddl", 5*time.Second)
	if err != nil {
		return 0, 0, err
	}
	return took, inFn, nil
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
