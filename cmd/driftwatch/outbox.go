package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/driftwatch/driftwatch/notify"
)

type outboxCommand struct{ stdout, stderr io.Writer }

func (c *outboxCommand) name() string { return "outbox" }
func (c *outboxCommand) synopsis() string {
	return "list pending and dead event deliveries, retry dead ones"
}

func (c *outboxCommand) usage(w io.Writer) {
	fmt.Fprint(w, `Usage: driftwatch outbox list  [--dsn DSN] [--dead] [--pending] [--sink NAME] [--limit N] [--json]
       driftwatch outbox retry [--dsn DSN] (--all | ID...)
       driftwatch outbox stats [--dsn DSN]

list   shows deliveries of events to sinks (NATS, webhooks, log): all of
       them, or only --dead (gave up after the last attempt) and/or
       --pending (not delivered yet).
retry  makes dead deliveries pending again with their attempts reset; the
       daemon sends them at once. IDs are the ID column of list.
stats  prints the pending and dead counts.

--dsn defaults to $DATABASE_URL.
`)
}

func (c *outboxCommand) run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		c.usage(c.stdout)
		return nil
	}
	switch args[0] {
	case "list":
		return c.list(ctx, args[1:])
	case "retry":
		return c.retry(ctx, args[1:])
	case "stats":
		return c.stats(ctx, args[1:])
	}
	c.usage(c.stderr)
	return usageErrorf("outbox: unknown subcommand %q (want list, retry or stats)", args[0])
}

func (c *outboxCommand) flags(sub string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("outbox "+sub, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() { c.usage(fs.Output()); fmt.Fprintln(fs.Output(), "\nFlags:"); fs.PrintDefaults() }
	dsn := fs.String("dsn", "", "watched database (default $DATABASE_URL)")
	return fs, dsn
}

func (c *outboxCommand) list(ctx context.Context, args []string) error {
	fs, dsn := c.flags("list")
	dead := fs.Bool("dead", false, "only dead deliveries")
	pending := fs.Bool("pending", false, "only pending deliveries")
	sink := fs.String("sink", "", "only deliveries to this sink")
	limit := fs.Int("limit", 100, "at most this many rows (0 = all)")
	asJSON := fs.Bool("json", false, "print JSON")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("outbox list: unexpected arguments %q", fs.Args())
	}
	conn, err := connect(ctx, dsnOrEnv(*dsn), "watched")
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	ds, err := notify.ListDeliveries(ctx, conn, notify.DeliveryFilter{Dead: *dead, Pending: *pending, Sink: *sink, Limit: *limit})
	if err != nil {
		return &codedError{code: exitError, err: fmt.Errorf("%w (is driftwatch installed? run driftwatch install)", err)}
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if ds == nil {
			ds = []notify.Delivery{}
		}
		return enc.Encode(ds)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSINK\tSTATE\tATTEMPTS\tEVENT TYPE\tSUBJECT\tCREATED\tLAST ERROR")
	for _, d := range ds {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", d.ID, d.Sink, state(d), d.Attempts,
			d.EventType, d.Subject, d.CreatedAt.UTC().Format(time.RFC3339), oneLine(d.LastError, 80))
	}
	return tw.Flush()
}

func state(d notify.Delivery) string {
	switch {
	case d.Dead:
		return "dead"
	case d.DeliveredAt != nil:
		return "delivered"
	}
	return "pending"
}

func oneLine(s string, n int) string {
	r := []rune(s)
	for i, c := range r {
		if c == '\n' || c == '\r' || c == '\t' {
			r[i] = ' '
		}
	}
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return string(r)
}

func (c *outboxCommand) retry(ctx context.Context, args []string) error {
	fs, dsn := c.flags("retry")
	all := fs.Bool("all", false, "retry every dead delivery")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if *all == (fs.NArg() > 0) {
		return usageErrorf("outbox retry: give either --all or delivery IDs")
	}
	ids := make([]int64, 0, fs.NArg())
	for _, a := range fs.Args() {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return usageErrorf("outbox retry: %q is not a delivery ID (see driftwatch outbox list --dead)", a)
		}
		ids = append(ids, id)
	}
	conn, err := connect(ctx, dsnOrEnv(*dsn), "watched")
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	n, err := notify.RetryDead(ctx, conn, ids)
	if err != nil {
		return &codedError{code: exitError, err: err}
	}
	fmt.Fprintf(c.stdout, "%d dead deliveries made pending again\n", n)
	if len(ids) > 0 && n < len(ids) {
		fmt.Fprintf(c.stderr, "%d of the IDs given were not dead deliveries\n", len(ids)-n)
	}
	return nil
}

func (c *outboxCommand) stats(ctx context.Context, args []string) error {
	fs, dsn := c.flags("stats")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	conn, err := connect(ctx, dsnOrEnv(*dsn), "watched")
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	pending, dead, err := notify.Stats(ctx, conn)
	if err != nil {
		return &codedError{code: exitError, err: err}
	}
	fmt.Fprintf(c.stdout, "pending %d\ndead %d\n", pending, dead)
	return nil
}
