package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/driftwatch/driftwatch/internal/bench"
	"github.com/driftwatch/driftwatch/watcher"
)

type benchCommand struct {
	stdout, stderr io.Writer
}

func (c *benchCommand) name() string { return "bench" }
func (c *benchCommand) synopsis() string {
	return "measure check against pg_dump --schema-only on large synthetic schemas"
}

func (c *benchCommand) run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dsn := fs.String("dsn", "", "a database on the server to build bench databases on (default $DATABASE_URL, else the local server)")
	sizes := fs.String("tables", "1000,10000", "comma-separated table counts")
	runs := fs.Int("runs", 3, "timed runs per command (medians are printed)")
	watch := fs.Bool("watch", false, "benchmark the watch daemon instead: DDL → NATS latency, re-check time, trigger overhead, RSS (--tables defaults to 100,10000)")
	statements := fs.Int("statements", 500, "with --watch: ALTER TABLE statements per size")
	natsURL := fs.String("nats-url", "nats://127.0.0.1:4222", "with --watch: NATS JetStream the daemon publishes to")
	pairs := fs.Int("trigger-pairs", 7, "with --watch: migration pairs without and with the event trigger, each pair interleaved")
	triggerOnly := fs.Bool("trigger-only", false, "with --watch: measure only the event trigger's overhead on a migration")
	coalesce := fs.Duration("coalesce", watcher.Defaults().Coalesce.D(), "with --watch: the daemon's coalesce setting")
	if stop, err := parseNoArgs(fs, args); stop {
		return err
	}
	cfg := bench.Config{AdminDSN: dsnOrEnv(*dsn), Runs: *runs, Out: c.stdout}
	if cfg.AdminDSN == "" {
		cfg.AdminDSN = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return usageErrorf("--tables: %q is not a positive number", s)
		}
		cfg.Sizes = append(cfg.Sizes, n)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find own binary: %w", err)
	}
	cfg.Binary = exe
	if *watch {
		wc := bench.WatchConfig{AdminDSN: cfg.AdminDSN, Binary: exe, NATSURL: *natsURL, Statements: *statements,
			Runs: *runs, TriggerPairs: *pairs, TriggerOnly: *triggerOnly, Coalesce: *coalesce, Out: c.stdout}
		if explicit(fs, "tables") {
			wc.Sizes = cfg.Sizes
		}
		return bench.RunWatch(ctx, wc)
	}
	return bench.Run(ctx, cfg)
}

// explicit reports whether the flag name was set on the command line.
func explicit(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
