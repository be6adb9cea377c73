package watcher

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rs/zerolog"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// dtRecorder is a Handler that records batches and acknowledges each in
// its own transaction, as the daemon does with its state.
type dtRecorder struct {
	pool *pgxpool.Pool

	mu         sync.Mutex
	batches    [][]DDLEvent
	connects   []bool
	disconnect int
}

func (r *dtRecorder) HandleBatch(ctx context.Context, b Batch) error {
	if err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error { return b.Ack(ctx, tx) }); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches = append(r.batches, b.Events)
	return nil
}

func (r *dtRecorder) Connected(_ context.Context, reconnect bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.connects = append(r.connects, reconnect)
}

func (r *dtRecorder) Disconnected(error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.disconnect++
}

// identities returns every handled event's object identity, and fails the
// test if an event id was handed out twice.
func (r *dtRecorder) identities(t *testing.T) []string {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[int64]bool{}
	var out []string
	for _, b := range r.batches {
		for _, e := range b {
			if seen[e.ID] {
				t.Fatalf("event %d (%s) handed out twice", e.ID, e.ObjectIdentity)
			}
			seen[e.ID] = true
			out = append(out, e.ObjectIdentity)
		}
	}
	return out
}

// dtRunSource runs a notify source on dsn until the returned stop is called.
// dtNewRecorder makes a recorder that acknowledges batches through its own pool.
func dtNewRecorder(t *testing.T, dsn string) *dtRecorder {
	t.Helper()
	pool, err := pgxpool.New(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return &dtRecorder{pool: pool}
}

func dtRunSource(t *testing.T, dsn string, rec *dtRecorder) (stop func()) {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	src := &NotifySource{Config: cfg, Coalesce: 5 * time.Millisecond, PollInterval: time.Hour,
		Log: zerolog.New(zerolog.NewTestWriter(t))}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx, rec) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Errorf("Run returned %v, want context.Canceled", err)
			}
		})
	}
	t.Cleanup(stop)
	pgtest.WaitFor(t, 10*time.Second, "source connected", func() (bool, error) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return len(rec.connects) > 0, nil
	})
	return stop
}

func dtWaitIdentity(t *testing.T, rec *dtRecorder, identity string) {
	t.Helper()
	pgtest.WaitFor(t, 10*time.Second, "event for "+identity, func() (bool, error) {
		return slices.Contains(rec.identities(t), identity), nil
	})
}

// Transaction A records DDL rows first (lower ids) but commits after B's
// rows (higher ids) were handled. A cursor on "highest id handled" would
// skip A's rows forever; the visibility cursor hands them out once A
// commits, also when A commits while no source is running.
func TestSourceOverlappingTransactionsCatchUp(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	ctx := t.Context()
	if err := Install(ctx, pgtest.Connect(t, dsn)); err != nil {
		t.Fatal(err)
	}
	rec := dtNewRecorder(t, dsn)
	stop := dtRunSource(t, dsn, rec)

	a := pgtest.Connect(t, dsn)
	b := pgtest.Connect(t, dsn)
	txA, err := a.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := txA.Exec(ctx, "CREATE TABLE a_first (id int)"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Exec(ctx, "CREATE TABLE b_second (id int)"); err != nil {
		t.Fatal(err)
	}
	dtWaitIdentity(t, rec, "public.b_second")
	if err := txA.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	dtWaitIdentity(t, rec, "public.a_first")

	// Again, with A committing while the source is stopped.
	txA, err = a.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := txA.Exec(ctx, "CREATE TABLE a_third (id int)"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Exec(ctx, "CREATE TABLE b_fourth (id int)"); err != nil {
		t.Fatal(err)
	}
	dtWaitIdentity(t, rec, "public.b_fourth")
	stop()
	if err := txA.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Exec(ctx, "CREATE TABLE b_fifth (id int)"); err != nil {
		t.Fatal(err)
	}
	rec2 := &dtRecorder{pool: rec.pool}
	dtRunSource(t, dsn, rec2)
	dtWaitIdentity(t, rec2, "public.a_third")
	dtWaitIdentity(t, rec2, "public.b_fifth")
	if got := rec2.identities(t); !slices.Equal(got, []string{"public.a_third", "public.b_fifth"}) {
		t.Errorf("after restart handed out %q, want only a_third and b_fifth", got)
	}
	rec.identities(t) // no duplicates in the first run either

	// The horizon moved past everything handled and the handled set was
	// pruned down to what it still needs.
	var left int
	if err := rec.pool.QueryRow(ctx, `SELECT count(*) FROM driftwatch.ddl_handled h
JOIN driftwatch.source_cursor c USING (source) WHERE h.txid < c.horizon`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d handled ids below the horizon were not pruned", left)
	}
}

// The first start does not replay history; a restart does not hand out
// what was handled; a rolled-back transaction leaves nothing.
func TestSourceFirstStartAndRollback(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	ctx := t.Context()
	if err := Install(ctx, pgtest.Connect(t, dsn)); err != nil {
		t.Fatal(err)
	}
	pgtest.Exec(t, dsn, "CREATE TABLE history (id int)")
	rec := dtNewRecorder(t, dsn)
	stop := dtRunSource(t, dsn, rec)
	conn := pgtest.Connect(t, dsn)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "CREATE TABLE rolled_back (id int)"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	pgtest.Exec(t, dsn, "CREATE TABLE live (id int)")
	dtWaitIdentity(t, rec, "public.live")
	stop()
	if got := rec.identities(t); !slices.Equal(got, []string{"public.live"}) {
		t.Errorf("handed out %q, want only public.live (no history, nothing rolled back)", got)
	}
	rec2 := &dtRecorder{pool: rec.pool}
	dtRunSource(t, dsn, rec2)
	pgtest.Exec(t, dsn, "CREATE TABLE after_restart (id int)")
	dtWaitIdentity(t, rec2, "public.after_restart")
	if got := rec2.identities(t); !slices.Equal(got, []string{"public.after_restart"}) {
		t.Errorf("after restart handed out %q, want only public.after_restart", got)
	}
}

// A batch is split at the read limit only between transactions.
func TestSourceReadLimitKeepsTransactionsTogether(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	ctx := t.Context()
	if err := Install(ctx, pgtest.Connect(t, dsn)); err != nil {
		t.Fatal(err)
	}
	conn := pgtest.Connect(t, dsn)
	c := &cursor{source: "test", conn: conn, limit: 3}
	if err := c.init(ctx); err != nil {
		t.Fatal(err)
	}
	// two rows (one transaction), then two single-row transactions
	pgtest.Exec(t, dsn, "BEGIN; CREATE TABLE t1 (id int); CREATE TABLE t2 (id int); COMMIT")
	pgtest.Exec(t, dsn, "CREATE TABLE t3 (id int)")
	pgtest.Exec(t, dsn, "CREATE TABLE t4 (id int)")
	rec := dtNewRecorder(t, dsn)
	if err := c.catchUp(ctx, rec); err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, b := range rec.batches {
		sizes = append(sizes, len(b))
		for _, e := range b[1:] {
			if e.TxID < b[0].TxID {
				t.Errorf("batch not in transaction order")
			}
		}
	}
	if !slices.Equal(sizes, []int{3, 1}) {
		t.Errorf("batch sizes = %v, want [3 1] (t1+t2+t3, then t4)", sizes)
	}
	if got := rec.identities(t); !slices.Equal(got, []string{"public.t1", "public.t2", "public.t3", "public.t4"}) {
		t.Errorf("handed out %q", got)
	}
}
