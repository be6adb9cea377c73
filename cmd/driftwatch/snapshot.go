package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/driftwatch/driftwatch/checker"
	pgdsn "github.com/driftwatch/driftwatch/internal/dsn"
)

type snapshotCommand struct {
	stdout, stderr io.Writer
}

func (c *snapshotCommand) name() string { return "snapshot" }
func (c *snapshotCommand) synopsis() string {
	return "write a database's schema as canonical SQL or a JSON snapshot"
}

func (c *snapshotCommand) run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("snapshot", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dsn := fs.String("dsn", "", "database DSN (default $DATABASE_URL)")
	format := fs.String("format", "sql", "output format: sql (a canonical-schema.sql that check accepts) or json")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	fs.Usage = func() {
		fmt.Fprintln(c.stderr, "Usage: driftwatch snapshot --dsn DSN [--format sql|json] [-o FILE]")
		fmt.Fprintln(c.stderr, "\nWrites the schema deterministically: the same database gives the same bytes.")
		fs.PrintDefaults()
	}
	if stop, err := parseNoArgs(fs, args); stop {
		return err
	}
	if *format != "sql" && *format != "json" {
		return usageErrorf("--format must be sql or json, not %q", *format)
	}
	*dsn = dsnOrEnv(*dsn)
	if *dsn == "" {
		return usageErrorf("no database: pass --dsn or set DATABASE_URL")
	}
	conn, err := connect(ctx, *dsn, "source")
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	m, err := checker.Inspect(ctx, conn, checker.InspectOptions{})
	if err != nil {
		return &codedError{code: exitError, err: fmt.Errorf("inspect %s: %w", pgdsn.Describe(*dsn), err)}
	}
	var buf bytes.Buffer
	if *format == "json" {
		err = checker.WriteSnapshot(&buf, m)
	} else {
		err = checker.WriteSQL(&buf, m)
	}
	if err != nil {
		return &codedError{code: exitError, err: err}
	}
	if *out == "" {
		_, err = c.stdout.Write(buf.Bytes())
		return err
	}
	// Write then rename, so a failed run never leaves half a file.
	tmp := *out + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return &codedError{code: exitError, err: fmt.Errorf("write %s: %w", *out, err)}
	}
	if err := os.Rename(tmp, *out); err != nil {
		os.Remove(tmp)
		return &codedError{code: exitError, err: fmt.Errorf("write %s: %w", *out, err)}
	}
	return nil
}
