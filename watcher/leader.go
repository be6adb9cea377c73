package watcher

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// LeaderApplicationName is the application_name of the session that holds
// (or waits for) the leader lock.
const LeaderApplicationName = "driftwatch leader"

// leaderLockSQL takes the session-level advisory lock that makes one
// replica per database the leader.
const leaderLockSQL = `SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtextextended('driftwatch leader', 0))`

// defaultLeaderRetry is how often a follower tries to become the leader
// and the leader checks that its lock session is alive.
const defaultLeaderRetry = 5 * time.Second

// lead elects this replica leader with pg_try_advisory_lock on a dedicated
// session, and while it holds the lock runs the active part: the event
// source (or, with no event log, one sweep), and the sweep schedule. It
// checks the session every retry interval; when the session dies the lock
// is gone, so it stops the active part and competes again. The outbox
// deliverer runs on every replica: deliveries are claimed with SKIP LOCKED.
//
// Between a leader's session dying and that leader noticing (one retry
// interval), a new leader may already run: drift state writes are
// serialized by a transaction lock and only transitions are announced, so
// the overlap can repeat a ddl.observed event, not a drift event.
func (d *Daemon) lead(connCfg *pgx.ConnConfig, src Source) {
	defer d.wg.Done()
	retry := d.hooks.leaderRetry
	if retry <= 0 {
		retry = defaultLeaderRetry
	}
	cfg := connCfg.Copy()
	cfg.RuntimeParams["application_name"] = LeaderApplicationName
	announced := false
	for {
		if conn, err := pgx.ConnectConfig(d.ctx, cfg); err == nil {
			var got bool
			if err := conn.QueryRow(d.ctx, leaderLockSQL).Scan(&got); err == nil && got {
				d.log.Info().Msg("leader lock taken: listening, re-checking and sweeping")
				d.holdLeadership(conn, src, retry)
				announced = false
			} else if err == nil {
				if !announced {
					d.log.Info().Msg("another replica is the leader: standing by")
					announced = true
				}
				d.followLeader(conn)
			}
			conn.Close(context.Background())
		} else if d.ctx.Err() == nil {
			d.log.Warn().Err(err).Msg("connect for the leader lock failed")
		}
		select {
		case <-d.ctx.Done():
			return
		case <-time.After(retry):
		}
	}
}

// holdLeadership runs the active part until the daemon closes or the lock
// session dies.
func (d *Daemon) holdLeadership(conn *pgx.Conn, src Source, retry time.Duration) {
	d.setLeader(true)
	defer d.setLeader(false)
	ctx, cancel := context.WithCancel(d.ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.runActive(ctx, src)
	}()
	t := time.NewTicker(retry)
	defer t.Stop()
	for {
		select {
		case <-d.ctx.Done():
			cancel()
			<-done
			return
		case <-done:
			cancel()
			return
		case <-t.C:
			pctx, pcancel := context.WithTimeout(d.ctx, retry)
			err := conn.Ping(pctx)
			pcancel()
			if err != nil && d.ctx.Err() == nil {
				d.log.Warn().Err(err).Msg("leader lock session lost: stepping down")
				cancel()
				<-done
				return
			}
		}
	}
}

// runActive is what only the leader does.
func (d *Daemon) runActive(ctx context.Context, src Source) {
	if err := d.startCron(d.current()); err != nil {
		d.log.Error().Err(err).Msg("sweep schedule not started")
	}
	defer d.stopCron()
	if src == nil {
		d.sweepAndLog(ctx, "start")
		<-ctx.Done()
		return
	}
	_ = src.Run(ctx, daemonHandler{d})
}

func (d *Daemon) setLeader(v bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.status.Leader = v
}

// stopCron stops the schedule and waits for a running sweep.
func (d *Daemon) stopCron() {
	d.mu.Lock()
	c := d.cron
	d.cron = nil
	d.mu.Unlock()
	if c != nil {
		<-c.Stop().Done()
	}
}

// followLeader brings a standby's status up to date from the shared
// state: the leader's last sweep and the open drift, so that a standby's
// health answers as the leader's would.
func (d *Daemon) followLeader(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(d.ctx, 5*time.Second)
	defer cancel()
	var started, finished time.Time
	err := conn.QueryRow(ctx, `SELECT started_at, finished_at FROM driftwatch.last_sweep`).Scan(&started, &finished)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		d.log.Warn().Err(err).Msg("read the leader's last sweep failed")
		return
	}
	sevs, err := countOpen(ctx, conn)
	if err != nil {
		d.log.Warn().Err(err).Msg("read open drift failed")
		return
	}
	d.setOpenCounts(sevs)
	if !started.IsZero() {
		d.mu.Lock()
		d.status.FirstSweepDone = true
		d.status.LastSweep = started
		d.mu.Unlock()
	}
}
