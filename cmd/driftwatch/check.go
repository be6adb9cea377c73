package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/driftwatch/driftwatch/checker"
	pgdsn "github.com/driftwatch/driftwatch/internal/dsn"
	"github.com/driftwatch/driftwatch/internal/memlimit"
)

type checkCommand struct {
	stdout, stderr io.Writer
	// fitMemory sets the soft memory limit once the canonical model is
	// loaded (checkMemory).
	fitMemory bool
}

// checkMemory returns check's soft memory limit policy, for a canonical
// model of which offHeap bytes lie outside the Go heap (the limit counts
// only the heap): 1.5 times the heap live once the model is loaded, plus
// 8 MiB and half what lies outside, at least 16 MiB. The live read keeps
// what it reads equal to the model as the model's, and holds about half
// the model more at its peak; the rest is room for garbage, so the
// collector runs every few MB allocated instead of when the heap doubles.
// At 10,000 tables (model outside the heap): a 21 MiB limit, peak RSS 74 ->
// 54 MB, and less collector CPU than before, as it no longer marks the
// model.
func checkMemory(offHeap int64) memlimit.Policy {
	return memlimit.Policy{Factor: 1.5, Extra: 8<<20 + offHeap/2, Floor: 16 << 20}
}

// canonicalLoad is what LoadCanonical returned.
type canonicalLoad struct {
	model    *checker.Model
	warnings []string
	err      error
}

// errCanonical ends an inspection whose canonical model failed to load:
// runCheck reports the load's own error instead.
var errCanonical = errors.New("the canonical schema did not load")

func (c *checkCommand) name() string { return "check" }
func (c *checkCommand) synopsis() string {
	return "compare a live database with the canonical schema (exit 0 clean, 1 drift, 2 error)"
}

// checkFlags are the flags shared by check and the commands built on it.
type checkFlags struct {
	dsn, canonical, canonicalDSN, scratchDSN string
	ignore, severity                         stringList
	comments, privileges, columnOrder        bool
}

func (f *checkFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dsn, "dsn", "", "live database DSN (default $DATABASE_URL)")
	fs.StringVar(&f.canonical, "canonical", "", "canonical schema: a pg_dump --schema-only SQL file, a JSON snapshot (.json) or a migrations directory")
	fs.StringVar(&f.canonicalDSN, "canonical-dsn", "", "reference database to use as canonical instead of --canonical")
	fs.StringVar(&f.scratchDSN, "scratch-dsn", "", "empty database to load a canonical SQL file into (default: a temporary database on the live server)")
	fs.Var(&f.ignore, "ignore", "ignore objects matching `PATTERN` (schema.table.name, glob; repeatable), e.g. 'audit.*'")
	fs.Var(&f.severity, "severity", "override a severity, `change:kind=level` (repeatable), e.g. missing:index=critical")
	fs.BoolVar(&f.comments, "comments", false, "also compare COMMENTs")
	fs.BoolVar(&f.privileges, "privileges", false, "also compare privileges (GRANT/REVOKE)")
	fs.BoolVar(&f.columnOrder, "column-order", false, "also compare column order")
}

func (f *checkFlags) validate() error {
	f.dsn = dsnOrEnv(f.dsn)
	if f.dsn == "" {
		return usageErrorf("no database to check: pass --dsn or set DATABASE_URL")
	}
	switch {
	case f.canonical == "" && f.canonicalDSN == "":
		return usageErrorf("no canonical schema: pass --canonical FILE (pg_dump --schema-only output, a .json snapshot or a migrations directory) or --canonical-dsn DSN")
	case f.canonical != "" && f.canonicalDSN != "":
		return usageErrorf("pass either --canonical or --canonical-dsn, not both")
	}
	if f.canonical != "" {
		if _, err := os.Stat(f.canonical); err != nil {
			return usageErrorf("canonical schema %s: %v", f.canonical, err)
		}
	}
	return nil
}

func (f *checkFlags) diffOptions() (checker.DiffOptions, error) {
	opts := checker.DiffOptions{Comments: f.comments, Privileges: f.privileges, ColumnOrder: f.columnOrder, Ignore: f.ignore}
	for _, s := range f.severity {
		r, err := checker.ParseSeverityRule(s)
		if err != nil {
			return opts, usageErrorf("%v", err)
		}
		opts.Severity = append(opts.Severity, r)
	}
	return opts, nil
}

func (f *checkFlags) source() checker.CanonicalSource {
	return checker.CanonicalSource{Path: f.canonical, DSN: f.canonicalDSN, ScratchDSN: f.scratchDSN, TargetDSN: f.dsn}
}

func (f *checkFlags) canonicalName() string {
	if f.canonical != "" {
		return f.canonical
	}
	return pgdsn.Describe(f.canonicalDSN)
}

func (c *checkCommand) run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	var f checkFlags
	f.register(fs)
	format := fs.String("format", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprintln(c.stderr, "Usage: driftwatch check --dsn DSN --canonical PATH [--format text|json] [--scratch-dsn DSN] [--ignore PATTERN]...")
		fmt.Fprintln(c.stderr, "\nCompares the live database with the canonical schema. Exit 0: no drift; 1: drift; 2: could not check.")
		fs.PrintDefaults()
	}
	if stop, err := parseNoArgs(fs, args); stop {
		return err
	}
	if *format != "text" && *format != "json" {
		return usageErrorf("--format must be text or json, not %q", *format)
	}
	if err := f.validate(); err != nil {
		return err
	}
	opts, err := f.diffOptions()
	if err != nil {
		return err
	}
	report, err := runCheck(ctx, &f, opts, c.stderr, c.fitMemory)
	if err != nil {
		return err
	}
	if *format == "json" {
		err = report.WriteJSON(c.stdout)
	} else {
		color := false
		if out, ok := c.stdout.(*os.File); ok {
			color = isTerminal(out) && os.Getenv("NO_COLOR") == ""
		}
		err = report.WriteText(c.stdout, color)
	}
	if err != nil {
		return &codedError{code: exitError, err: fmt.Errorf("write report: %w", err)}
	}
	if report.Status != "clean" {
		return errDrift
	}
	return nil
}

// runCheck loads the canonical model, inspects the live database and diffs.
// With fitMemory it sets the soft memory limit once the canonical model is
// loaded (checkMemory).
//
// The canonical model loads while the inspection opens its connections: a
// cached model at 10,000 tables takes ~0.1 s to hash and decode, about what
// connecting costs, and neither waits for the other.
func runCheck(ctx context.Context, f *checkFlags, opts checker.DiffOptions, stderr io.Writer, fitMemory bool) (*checker.Report, error) {
	// The live database first: if it cannot be reached, say so plainly
	// before any canonical loading (which uses the same server).
	conn, err := connect(ctx, f.dsn, "live")
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	loadCtx, cancelLoad := context.WithCancel(ctx)
	defer cancelLoad()
	loading := make(chan canonicalLoad, 1)
	go func() {
		// A check process keeps its one model to the end: outside the heap,
		// the collector need not mark it (checker.LoadOptions.OffHeap).
		m, warnings, err := checker.LoadCanonical(loadCtx, f.source(), checker.LoadOptions{
			OffHeap: fitMemory, ServerVersion: checker.ReportedServerVersion(conn)})
		loading <- canonicalLoad{m, warnings, err}
	}()
	var canon *canonicalLoad
	wait := func() *canonicalLoad {
		if canon == nil {
			l := <-loading
			canon = &l
			for _, w := range canon.warnings {
				fmt.Fprintln(stderr, "driftwatch: warning:", w)
			}
		}
		return canon
	}
	live, err := checker.Inspect(ctx, conn, checker.InspectOptions{AgainstLater: func() (*checker.Model, error) {
		if l := wait(); l.err != nil {
			return nil, errCanonical
		}
		if fitMemory {
			memlimit.Fit(checkMemory(canon.model.OffHeapBytes()))
		}
		return canon.model, nil
	}})
	if err != nil && canon == nil {
		// Inspect failed before it needed the model: its error is the one.
		cancelLoad()
	}
	if l := wait(); l.err != nil && (err == nil || errors.Is(err, errCanonical)) {
		return nil, &codedError{code: exitError, err: l.err}
	}
	if err != nil {
		return nil, &codedError{code: exitError, err: fmt.Errorf("inspect %s: %w (the role needs to read the system catalogs; any role can, unless they were revoked)", pgdsn.Describe(f.dsn), err)}
	}
	canonModel := canon.model
	items := checker.Diff(canonModel, live, opts)
	r := checker.NewReport(items, len(live.Objects), time.Now())
	r.Database = pgdsn.Describe(f.dsn)
	r.Canonical = f.canonicalName()
	return r, nil
}
