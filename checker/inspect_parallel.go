package checker

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
)

// readAll runs every inspection step, on up to n connections that share
// the first transaction's snapshot, and merges what they found.
func (in *inspector) readAll(ctx context.Context, conn *pgx.Conn, tx pgx.Tx, opts InspectOptions) error {
	steps := in.steps()
	n := opts.parallelism()
	readers := []querier{tx}
	if n > 1 {
		var snapshot string
		if err := tx.QueryRow(ctx, "SELECT pg_catalog.pg_export_snapshot()").Scan(&snapshot); err != nil {
			return fmt.Errorf("export snapshot: %w", err)
		}
		for i := 1; i < n; i++ {
			r, closeFn, err := openReader(ctx, conn.Config(), snapshot, opts.planMode())
			if err != nil {
				// Fewer readers is slower, not wrong.
				break
			}
			defer closeFn()
			readers = append(readers, r)
		}
	}
	parts := make([]*inspector, len(steps))
	errs := make([]error, len(steps))
	next := make(chan int, len(steps))
	for i := range steps {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for _, r := range readers {
		wg.Add(1)
		go func(q querier) {
			defer wg.Done()
			for i := range next {
				part := &inspector{q: q, scope: in.scope, m: &Model{ServerVersion: in.m.ServerVersion}, deps: newDepIndex(),
					sharer: in.sharer}
				if err := steps[i].run(part, ctx); err != nil {
					errs[i] = fmt.Errorf("inspect %s: %w", steps[i].what, err)
					continue
				}
				part.shareAll()
				parts[i] = part
			}
		}(r)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	for _, p := range parts {
		in.m.Objects = append(in.m.Objects, p.m.Objects...)
		in.deps.merge(p.deps)
	}
	if err := in.dependencies(ctx); err != nil {
		return fmt.Errorf("inspect dependencies: %w", err)
	}
	return nil
}

// openReader opens a connection whose read-only transaction imports the
// given snapshot.
func openReader(ctx context.Context, cfg *pgx.ConnConfig, snapshot, planMode string) (querier, func(), error) {
	c, err := pgx.ConnectConfig(ctx, cfg.Copy())
	if err != nil {
		return nil, nil, err
	}
	closeFn := func() { c.Close(context.Background()) }
	tx, err := c.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err == nil {
		_, err = tx.Exec(ctx, "SET TRANSACTION SNAPSHOT "+QuoteLiteral(snapshot))
	}
	if err == nil {
		err = configure(ctx, tx, planMode)
	}
	if err != nil {
		closeFn()
		return nil, nil, err
	}
	return tx, closeFn, nil
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
