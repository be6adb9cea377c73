package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"
)

// WatchConfig says what the daemon benchmark (driftwatch bench --watch)
// measures.
type WatchConfig struct {
	AdminDSN     string        // a database on the server to create bench databases on
	Binary       string        // the driftwatch binary: run as `watch`, `snapshot`, `install`
	NATSURL      string        // NATS with JetStream the daemon publishes to
	Sizes        []int         // table counts (default 100 and 10,000)
	Statements   int           // ALTER TABLE ... ADD COLUMN statements per size (default 500)
	Migration    int           // statements of the trigger-overhead migration (default 2,000)
	Runs         int           // timed runs where medians are printed (default 3)
	TriggerPairs int           // migration pairs without/with the trigger, interleaved (default 7): fsync latency varies more than the trigger costs
	TriggerOnly  bool          // measure the trigger's overhead alone
	Floor        int           // NOTIFY round trips for the floor (default 1,000)
	Coalesce     time.Duration // the daemon's coalesce setting
	Out          io.Writer
}

// Targets of the daemon benchmark.
const (
	targetP50             = 10 * time.Millisecond
	targetP99             = 100 * time.Millisecond
	targetTriggerOverhead = 15.0 // percent
	targetRSSMB           = 60.0
	targetRecheckGrowth   = 2.0 // "flat": 10,000 tables at most this many times 100 tables
)

// watchResult is one size's figures.
type watchResult struct {
	Tables                   int
	Latency                  []time.Duration // commit acknowledged → drift.opened received, per statement
	FromSend                 []time.Duration // statement sent → drift.opened received
	Recheck                  []time.Duration // incremental re-checks, from the daemon's log
	RecheckMetricMean        time.Duration   // driftwatch_recheck_duration_seconds sum/count
	RecheckMetricCount       int
	StartupSweep, StartReady time.Duration
	RSSMB                    float64
	SteadyRSSMB              float64 // VmRSS after the DDL run
}

// RunWatch runs the daemon benchmark and prints a table of figures next
// to their targets.
func RunWatch(ctx context.Context, cfg WatchConfig) error {
	if len(cfg.Sizes) == 0 {
		cfg.Sizes = []int{100, 10000}
	}
	if cfg.Statements <= 0 {
		cfg.Statements = 500
	}
	if cfg.Migration <= 0 {
		cfg.Migration = 2000
	}
	if cfg.Runs <= 0 {
		cfg.Runs = 3
	}
	if cfg.TriggerPairs <= 0 {
		cfg.TriggerPairs = 7
	}
	if cfg.Floor <= 0 {
		cfg.Floor = 1000
	}
	if cfg.NATSURL == "" {
		return errors.New("bench --watch: no NATS URL (pass --nats-url)")
	}
	loadStart := loadAverage()
	start := time.Now()
	if cfg.TriggerOnly {
		trig, err := triggerOverheads(ctx, cfg)
		if err != nil {
			return err
		}
		fmt.Fprintf(cfg.Out, "\nload average: %s at the start, %s at the end; took %s\n", loadStart, loadAverage(), fmtDur(time.Since(start)))
		printOverheads(cfg.Out, cfg, trig)
		return nil
	}

	floor, err := notifyFloor(ctx, cfg)
	if err != nil {
		return fmt.Errorf("NOTIFY round trip: %w", err)
	}
	fmt.Fprintf(cfg.Out, "raw NOTIFY round trip: p50 %v, p99 %v (%d round trips)\n",
		fmtDur(percentile(floor, 50)), fmtDur(percentile(floor, 99)), len(floor))

	var results []watchResult
	for _, n := range cfg.Sizes {
		r, err := runWatchSize(ctx, cfg, n)
		if err != nil {
			return fmt.Errorf("bench --watch %d tables: %w", n, err)
		}
		results = append(results, r)
	}

	trig, err := triggerOverheads(ctx, cfg)
	if err != nil {
		return err
	}
	printWatch(cfg, results, floor, trig, loadStart, loadAverage(), time.Since(start))
	return nil
}

func printWatch(cfg WatchConfig, rs []watchResult, floor []time.Duration, trig [2]overhead, load0, load1 string, took time.Duration) {
	w := cfg.Out
	fmt.Fprintf(w, "\ndriftwatch daemon benchmark: %d ALTER TABLE ... ADD COLUMN one by one per size, coalesce %v, NATS %s\n",
		cfg.Statements, cfg.Coalesce, cfg.NATSURL)
	fmt.Fprintf(w, "load average (1, 5, 15 min): %s at start, %s at end; took %v\n\n", load0, load1, took.Round(time.Second))
	head := fmt.Sprintf("%-44s", "measure")
	for _, r := range rs {
		head += fmt.Sprintf(" %14s", fmt.Sprintf("%d tables", r.Tables))
	}
	fmt.Fprintf(w, "%s   %-22s %s\n", head, "target", "verdict")
	row := func(name string, val func(watchResult) string, target string, ok func(watchResult) bool) {
		line := fmt.Sprintf("%-44s", name)
		verdict := ""
		for _, r := range rs {
			line += fmt.Sprintf(" %14s", val(r))
			if ok != nil {
				if ok(r) {
					verdict += " ok"
				} else {
					verdict += " MISSED"
				}
			}
		}
		fmt.Fprintf(w, "%s   %-22s%s\n", line, target, verdict)
	}
	pct := func(p float64) func(watchResult) string {
		return func(r watchResult) string { return fmtDur(percentile(r.Latency, p)) }
	}
	row("commit → NATS drift.opened p50", pct(50), "< 10 ms",
		func(r watchResult) bool { return percentile(r.Latency, 50) < targetP50 })
	row("commit → NATS drift.opened p95", pct(95), "", nil)
	row("commit → NATS drift.opened p99", pct(99), "< 100 ms",
		func(r watchResult) bool { return percentile(r.Latency, 99) < targetP99 })
	row("statement sent → NATS drift.opened p50", func(r watchResult) string { return fmtDur(percentile(r.FromSend, 50)) }, "", nil)
	row("incremental re-check p50 (daemon log)", func(r watchResult) string { return fmtDur(percentile(r.Recheck, 50)) }, "flat 100 → 10,000", nil)
	row("incremental re-check p99 (daemon log)", func(r watchResult) string { return fmtDur(percentile(r.Recheck, 99)) }, "", nil)
	row("incremental re-check mean (metric)", func(r watchResult) string {
		return fmt.Sprintf("%s /%d", fmtDur(r.RecheckMetricMean), r.RecheckMetricCount)
	}, "", nil)
	row("start-up: launch → ready (first sweep done)", func(r watchResult) string { return fmtDur(r.StartReady) }, "", nil)
	row("daemon peak RSS (VmHWM)", func(r watchResult) string { return fmt.Sprintf("%.1f MB", r.RSSMB) }, "< 60 MB",
		func(r watchResult) bool { return r.RSSMB < targetRSSMB })
	row("daemon steady RSS (VmRSS after the run)", func(r watchResult) string { return fmt.Sprintf("%.1f MB", r.SteadyRSSMB) }, "< 60 MB",
		func(r watchResult) bool { return r.SteadyRSSMB < targetRSSMB })

	if len(rs) >= 2 {
		first, last := rs[0], rs[len(rs)-1]
		a, b := percentile(first.Recheck, 50), percentile(last.Recheck, 50)
		growth := float64(b) / float64(max(a, time.Microsecond))
		verdict := "ok"
		if growth > targetRecheckGrowth {
			verdict = "MISSED"
		}
		fmt.Fprintf(w, "\nre-check p50 %d → %d tables: %s → %s (x%.2f; flat = at most x%.1f): %s\n",
			first.Tables, last.Tables, fmtDur(a), fmtDur(b), growth, targetRecheckGrowth, verdict)
	}
	fmt.Fprintf(w, "raw NOTIFY round trip (the floor): p50 %s, p99 %s over %d round trips\n",
		fmtDur(percentile(floor, 50)), fmtDur(percentile(floor, 99)), len(floor))
	printOverheads(w, cfg, trig)
	fmt.Fprintln(w, "\ncommit = the ALTER's autocommit acknowledged to the client; received = the drift.opened event on a core NATS subscription.")
	fmt.Fprintln(w, "The daemon starts as on a restart: its canonical model cached by an earlier load (a check).")
	fmt.Fprintln(w, "The machine is shared: read the load average above before comparing runs.")
}

// triggerOverheads measures the trigger's overhead on the migration run
// statement by statement (autocommit: the target), then sent as files.
func triggerOverheads(ctx context.Context, cfg WatchConfig) ([2]overhead, error) {
	var o [2]overhead
	for i, files := range []bool{false, true} {
		if files {
			fmt.Fprintf(cfg.Out, "the same migration sent as files of %d statements, each one query string:\n", migrationFile)
		}
		var err error
		if o[i], err = triggerOverhead(ctx, cfg, files); err != nil {
			return o, fmt.Errorf("trigger overhead: %w", err)
		}
	}
	return o, nil
}

// printOverheads prints the trigger's cost to the migration run both ways;
// the target is on the autocommit run.
func printOverheads(w io.Writer, cfg WatchConfig, o [2]overhead) {
	printOverhead(w, fmt.Sprintf("event trigger overhead, %d-statement migration (autocommit), %d pairs without/with, interleaved in turns of %d statements",
		cfg.Migration, len(o[0].with), migrationChunk), o[0], true)
	printOverhead(w, fmt.Sprintf("event trigger overhead, the same migration sent as files of %d statements (one query string and transaction each; no target), %d pairs, interleaved by file",
		migrationFile, len(o[1].with)), o[1], false)
}

// printOverhead prints the trigger's cost to the migration: wall clock,
// taken per pair (median, and the range the pairs spread over), with the
// verdict when target; the server backend's CPU time, which fsync waits
// do not blur; and the time inside on_ddl itself.
func printOverhead(w io.Writer, title string, o overhead, target bool) {
	wall := o.wallPct()
	sort.Float64s(wall)
	mid := wall[len(wall)/2]
	verdict := ""
	if target {
		verdict = " (target < 15%): ok"
		if mid >= targetTriggerOverhead {
			verdict = " (target < 15%): MISSED"
		}
	}
	wallOf := func(r migrationRun) time.Duration { return r.wall }
	fmt.Fprintf(w, "%s:\n", title)
	fmt.Fprintf(w, "  wall clock: median without %.3fs, with %.3fs; per pair median %+.1f%% (range %+.1f%% .. %+.1f%%)%s\n",
		median(field(o.without, wallOf)).Seconds(), median(field(o.with, wallOf)).Seconds(), mid, wall[0], wall[len(wall)-1], verdict)
	if cpu := o.cpuPct(); len(cpu) > 0 {
		sort.Float64s(cpu)
		cpuOf := func(r migrationRun) time.Duration { return r.cpu }
		fmt.Fprintf(w, "  server backend CPU (no fsync wait in it): median without %.2fs, with %.2fs; per pair median %+.1f%% (range %+.1f%% .. %+.1f%%)\n",
			median(field(o.without, cpuOf)).Seconds(), median(field(o.with, cpuOf)).Seconds(), cpu[len(cpu)/2], cpu[0], cpu[len(cpu)-1])
	}
	in := median(field(o.with, func(r migrationRun) time.Duration { return r.inFunction }))
	per := field(o.with, migrationRun.perCall)
	fmt.Fprintf(w, "  inside the trigger function on_ddl (track_functions): median %.0f ms, %.1f%% of the migration's wall time without it; per call median %s (range %s .. %s)\n",
		float64(in)/float64(time.Millisecond), 100*in.Seconds()/median(field(o.without, wallOf)).Seconds(),
		fmtDur(median(per)), fmtDur(slices.Min(per)), fmtDur(slices.Max(per)))
}

// percentile returns the p-th percentile (nearest rank) of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := int(p/100*float64(len(s))+0.999999) - 1
	return s[min(max(rank, 0), len(s)-1)]
}

func fmtDur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	}
}

// loadAverage returns the first three fields of /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
