package checker

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"
)

// readAll runs every inspection step, on tx and on the extra connections
// given, whose transactions import tx's snapshot so that all see the same
// state, and merges what they found.
//
// Index and key definitions name the columns the columns step reads: the
// steps that render them start once it is done, and render each row as it
// arrives (knownColumns). How the steps are shared out is schedule's.
func (in *inspector) readAll(ctx context.Context, tx pgx.Tx, extra []*pgx.Conn, opts InspectOptions) error {
	steps := in.steps()
	readers := []querier{tx}
	if len(extra) > 0 {
		var snapshot string
		if err := tx.QueryRow(ctx, "SELECT pg_catalog.pg_export_snapshot()").Scan(&snapshot); err != nil {
			return fmt.Errorf("export snapshot: %w", err)
		}
		readers = append(readers, beginReaders(ctx, extra, snapshot, opts.planMode())...)
	}
	follows := map[int]int{}
	if in.scope == nil {
		// The dependency rows wait for nothing: they go before the steps
		// that wait for the columns, for the first reader done with its
		// share of the others.
		steps = append(steps, inspectStep{"dependencies", (*inspector).dependencyRows})
		var columnSteps int
		steps, follows, columnSteps = schedule(steps, len(readers))
		in.known = newKnownColumns(columnSteps)
		defer func() { in.known = nil }()
	}
	parts := make([]*inspector, len(steps))
	errs := make([]error, len(steps))
	next := make(chan int, len(steps))
	following := make([]bool, len(steps))
	for _, j := range follows {
		following[j] = true // run by the reader of the step it follows
	}
	for i := range steps {
		if !following[i] {
			next <- i
		}
	}
	close(next)
	var wg sync.WaitGroup
	for _, r := range readers {
		wg.Go(func() {
			for i := range next {
				for ok := true; ok; i, ok = follows[i] {
					if errs[i] = in.runStep(ctx, r, steps[i], &parts[i]); errs[i] != nil {
						break
					}
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return in.gather(ctx, parts)
}

// runStep runs one step on q into a part of its own, stored in *part.
func (in *inspector) runStep(ctx context.Context, q querier, st inspectStep, part **inspector) error {
	if st.namesColumns() {
		in.known.wait()
	}
	p := in.part(q, nil)
	if err := st.run(p, ctx); err != nil {
		return fmt.Errorf("inspect %s: %w", st.what, err)
	}
	p.shareAll()
	// Sorted here, beside the other readers, so that gather merges
	// instead of the end sorting everything alone (shareAll sorted the
	// steps it shared already).
	if !slices.IsSortedFunc(p.m.Objects, compareObjects) {
		slices.SortFunc(p.m.Objects, compareObjects)
	}
	*part = p
	return nil
}

// schedule orders a full read's steps for readers connections: the order
// they are taken in, the steps one runs on the reader of another right
// after it (follows, by index), and how many columns steps there are.
//
// Every connection is a backend process of its own, and a new backend
// pays for each catalog page and cache entry it touches first (on the
// virtual machine the figures are from, ~24 us a page, where re-reading
// it costs nothing). A step's cost depends on what ran before it on the
// same connection: the relations step, whose view definitions open
// every table they read, costs 0.2 s of server CPU at 10,000 tables
// after the columns step, and 0.7 s first on a connection of its own.
// So on two connections (the default) the columns step is read whole and
// relations follows it; the other connection reads the rest. On three or
// more, the columns step is split in two by table so that it is not the
// one left running at the end; a third backend's first touches cost more
// than it saves (10,000 tables, medians of 7 interleaved runs: two
// connections 1.70 s, 2.8 s of CPU on the machine; three 1.86 s, 3.5 s;
// one 1.80 s, 2.3 s). In either case the steps that wait for the columns
// go last, so that no reader sits idle while others still have work.
func schedule(steps []inspectStep, readers int) (ordered []inspectStep, follows map[int]int, columnSteps int) {
	follows = map[int]int{}
	if readers < 2 || len(steps) == 0 || steps[0].what != "columns" {
		return steps, follows, 1
	}
	rest := slices.Clone(steps[1:])
	slices.SortStableFunc(rest, func(a, b inspectStep) int {
		return cmp.Compare(boolInt(a.namesColumns()), boolInt(b.namesColumns()))
	})
	if readers >= 3 {
		return append(splitColumns(), rest...), follows, 2
	}
	ordered = append(steps[:1:1], rest...)
	if r := slices.IndexFunc(ordered, func(s inspectStep) bool { return s.what == "relations" }); r > 0 {
		follows[0] = r
	}
	return ordered, follows, 1
}

// splitColumns is the columns step in two, each for half of the tables:
// those below the median table oid, and the others. A table's columns
// and defaults are stored about where the tables made beside it have
// theirs, so each half reads its own catalog pages; halves by oid parity
// had both connections read (and copy into shared buffers) nearly every
// page of pg_attribute and pg_attrdef (at 10,000 tables: 1.0 -> 0.8 s
// of server CPU for the two). The median is read under the shared
// snapshot, so both halves split at the same oid.
func splitColumns() []inspectStep {
	const median = "(SELECT pg_catalog.percentile_disc(0.5) WITHIN GROUP (ORDER BY t.oid) FROM pg_catalog.pg_class t" +
		" WHERE t.relkind IN ('r', 'p', 'f'))"
	half := func(cond string) func(*inspector, context.Context) error {
		return func(in *inspector, ctx context.Context) error {
			in.tables = cond
			return in.columns(ctx)
		}
	}
	return []inspectStep{
		{"columns", half("c.oid < " + median)},
		{"columns", half("c.oid >= " + median)},
	}
}

// namesColumns says whether the step renders definitions that name
// columns, and so runs after the columns step.
func (s inspectStep) namesColumns() bool {
	return s.what == "indexes" || s.what == "constraints"
}

// part returns an inspector for one step: its own model and dependency
// index, read through q (queued on batch when one is given).
func (in *inspector) part(q querier, batch *pgx.Batch) *inspector {
	return &inspector{q: q, scope: in.scope, m: &Model{ServerVersion: in.m.ServerVersion}, deps: newDepIndex(),
		sharer: in.sharer, batch: batch, known: in.known}
}

// gather merges what the steps read, then reads the dependencies between
// all of it. Each part's objects are sorted: so are the merged ones.
func (in *inspector) gather(ctx context.Context, parts []*inspector) error {
	lists := make([][]*Object, 0, len(parts)+1)
	lists = append(lists, in.m.Objects)
	for _, p := range parts {
		lists = append(lists, p.m.Objects)
	}
	in.m.Objects = mergeSorted(lists)
	for _, p := range parts {
		in.deps.merge(p.deps)
		if p.depRowsRead {
			in.depRows, in.depRowsRead = p.depRows, true
		}
	}
	if err := in.dependencies(ctx); err != nil {
		return fmt.Errorf("inspect dependencies: %w", err)
	}
	return nil
}

// readBatched runs every inspection step's query on tx in one batch, one
// round trip, then what a step needs from its own rows (the names an
// index or key definition uses) and the dependencies: the reads of an
// incremental re-check, a few objects, where waiting for a dozen round
// trips one after another cost more than the queries.
func (in *inspector) readBatched(ctx context.Context, tx pgx.Tx) error {
	steps := in.steps()
	parts := make([]*inspector, len(steps))
	batch := &pgx.Batch{}
	for i, st := range steps {
		parts[i] = in.part(tx, batch)
		if err := st.run(parts[i], ctx); err != nil {
			return fmt.Errorf("inspect %s: %w", st.what, err)
		}
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return err
	}
	for i, p := range parts {
		p.batch = nil
		for _, fn := range p.later {
			if err := fn(ctx); err != nil {
				return fmt.Errorf("inspect %s: %w", steps[i].what, err)
			}
		}
		p.shareAll()
		if !slices.IsSortedFunc(p.m.Objects, compareObjects) {
			slices.SortFunc(p.m.Objects, compareObjects)
		}
	}
	return in.gather(ctx, parts)
}

// connectReaders opens n more connections like cfg's, all at once: each
// costs a round trip or three, and a TLS handshake. One that cannot be
// opened is left out: fewer readers is slower, not wrong.
func connectReaders(ctx context.Context, cfg *pgx.ConnConfig, n int) []*pgx.Conn {
	if n <= 0 {
		return nil
	}
	conns := make([]*pgx.Conn, n)
	var wg sync.WaitGroup
	for i := range conns {
		wg.Go(func() {
			if c, err := pgx.ConnectConfig(ctx, cfg.Copy()); err == nil {
				conns[i] = c
			}
		})
	}
	wg.Wait()
	return slices.DeleteFunc(conns, func(c *pgx.Conn) bool { return c == nil })
}

// closeReaders closes what connectReaders opened.
func closeReaders(conns []*pgx.Conn) {
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Go(func() { c.Close(context.Background()) })
	}
	wg.Wait()
}

// beginReaders begins on each connection, all at once, a read-only
// transaction that imports the given snapshot, and returns those that
// began (the others are left out, as in connectReaders).
func beginReaders(ctx context.Context, conns []*pgx.Conn, snapshot, planMode string) []querier {
	txs := make([]querier, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() {
			if tx, err := c.BeginTx(ctx, pgx.TxOptions{BeginQuery: beginInspection(planMode, snapshot)}); err == nil {
				txs[i] = tx
			}
		})
	}
	wg.Wait()
	return slices.DeleteFunc(txs, func(q querier) bool { return q == nil })
}

// merge adds another index's objects and pending edges.
func (d *depIndex) merge(o *depIndex) {
	for class, m := range o.byOID {
		for oid, obj := range m {
			d.add(class, oid, obj)
		}
	}
	d.pending = append(d.pending, o.pending...)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// mergeSorted merges lists, each sorted by compareObjects, into one
// sorted slice: a heap of the lists by their first object. The steps'
// lists are mostly of one kind each, so the smallest list stays on top
// for a run and most objects cost two comparisons.
func mergeSorted(lists [][]*Object) []*Object {
	n := 0
	heads := make([][]*Object, 0, len(lists))
	for _, l := range lists {
		if len(l) > 0 {
			heads = append(heads, l)
			n += len(l)
		}
	}
	out := make([]*Object, 0, n)
	less := func(i, j int) bool { return compareObjects(heads[i][0], heads[j][0]) < 0 }
	down := func(i int) {
		for {
			m := i
			if l := 2*i + 1; l < len(heads) && less(l, m) {
				m = l
			}
			if r := 2*i + 2; r < len(heads) && less(r, m) {
				m = r
			}
			if m == i {
				return
			}
			heads[i], heads[m] = heads[m], heads[i]
			i = m
		}
	}
	for i := len(heads)/2 - 1; i >= 0; i-- {
		down(i)
	}
	for len(heads) > 0 {
		out = append(out, heads[0][0])
		if heads[0] = heads[0][1:]; len(heads[0]) == 0 {
			heads[0] = heads[len(heads)-1]
			heads = heads[:len(heads)-1]
		}
		down(0)
	}
	return out
}
