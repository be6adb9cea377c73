package watcher

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/driftwatch/driftwatch/checker"
	"github.com/driftwatch/driftwatch/notify"
)

// SweepResult summarizes a sweep.
type SweepResult struct {
	StartedAt      time.Time
	Duration       time.Duration
	ObjectsChecked int // objects in the live database
	DriftsOpen     int // open after the sweep
	Opened         int
	Changed        int
	Resolved       int
}

// Sweep compares the whole database to the canonical schema: it finds what
// no event reported (DDL with the trigger disabled, shared objects, direct
// catalog edits), opens and changes drift items, and resolves every open
// item it no longer finds. It publishes sweep.completed. Sweeps run at
// start, after each reconnect of the source, on the schedule and on
// Reload; they never overlap a re-check.
func (d *Daemon) Sweep(ctx context.Context) (SweepResult, error) {
	if d.pool == nil {
		return SweepResult{}, errors.New("sweep: daemon is not open")
	}
	d.checkMu.Lock()
	defer d.checkMu.Unlock()
	st := d.current()
	start := time.Now()
	res, err := d.sweep(ctx, st, start)
	d.m.SweepSeconds.Observe(time.Since(start).Seconds())
	if err != nil {
		d.m.SweepsTotal.WithLabelValues("error").Inc()
		d.setError(err)
		return res, err
	}
	d.m.SweepsTotal.WithLabelValues("ok").Inc()
	d.mu.Lock()
	d.status.FirstSweepDone = true
	d.status.LastSweep = start
	d.status.LastError = ""
	d.mu.Unlock()
	return res, nil
}

func (d *Daemon) sweep(ctx context.Context, st state, start time.Time) (SweepResult, error) {
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return SweepResult{}, fmt.Errorf("sweep: acquire connection: %w", err)
	}
	// Sharing the canonical model's equal objects keeps a sweep's memory
	// to the drift it finds, not a second copy of the schema. One reader,
	// step after step: a sweep is not urgent, it loads the production
	// server on one connection instead of three, and only one step's rows
	// are held at a time (at 10,000 tables: peak RSS 151 -> 129 MB, 2.4 s).
	live, err := checker.Inspect(ctx, conn.Conn(), checker.InspectOptions{Against: st.canon, Parallel: 1})
	conn.Release()
	if err != nil {
		return SweepResult{}, fmt.Errorf("sweep: %w", err)
	}
	items := checker.Diff(st.canon, live, st.diff)
	res := SweepResult{StartedAt: start, ObjectsChecked: len(live.Objects)}
	tr, err := d.record(ctx, st, outcome{
		all:   true,
		items: items,
		sweep: &notify.Sweep{StartedAt: start, Duration: time.Since(start), ObjectsChecked: len(live.Objects)},
	})
	if err != nil {
		return res, fmt.Errorf("sweep: %w", err)
	}
	res.Duration = time.Since(start)
	res.DriftsOpen, res.Opened, res.Changed, res.Resolved = tr.Open, tr.Opened, tr.Changed, tr.Resolved
	return res, nil
}

// sweepAndLog runs a sweep for a reason ("start", "reconnect",
// "schedule") and logs its outcome.
func (d *Daemon) sweepAndLog(ctx context.Context, reason string) {
	res, err := d.Sweep(ctx)
	if err != nil {
		if ctx.Err() == nil {
			d.log.Error().Err(err).Str("reason", reason).Msg("sweep failed")
		}
		return
	}
	d.log.Info().Str("reason", reason).Int("objects", res.ObjectsChecked).Int("open", res.DriftsOpen).
		Int("opened", res.Opened).Int("changed", res.Changed).Int("resolved", res.Resolved).
		Dur("took", res.Duration).Msg("sweep completed")
	// A sweep reads the whole schema once, then lets it go: hand that memory
	// back to the OS now, so the sidecar's resident size is what it keeps
	// (the canonical model), not the last sweep's peak. Sweeps are rare.
	// Refitting the memory limit does that in the same collection.
	if !d.fitMemory() {
		debug.FreeOSMemory()
	}
}
