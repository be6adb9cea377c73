package watcher

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/rs/zerolog"
)

// NotifyChannel is the channel driftwatch.on_ddl() notifies after recording DDL.
const NotifyChannel = "driftwatch"

// SourceApplicationName is the application_name of the notify source's
// listening connection.
const SourceApplicationName = "driftwatch source"

// notify source defaults.
const (
	notifySourceName   = "notify"
	defaultPoll        = 30 * time.Second
	defaultReadLimit   = 5000
	backoffMin         = 100 * time.Millisecond
	backoffMax         = 30 * time.Second
	handleTimeout      = 5 * time.Minute
	coalesceMaxFactor  = 20
	coalesceMaxDefault = time.Second
)

// NotifySource is the "notify" source: one dedicated connection LISTENs on
// channel driftwatch. Every notification, every (re)connect and a poll
// every PollInterval (in case a NOTIFY was lost: on_ddl only warns when
// pg_notify fails) lead to a catch-up read of driftwatch.ddl_events.
//
// The catch-up tracks transaction visibility, not the highest id (see
// sql/install/30_state.sql): it reads rows with txid >= the stored horizon
// that are not in driftwatch.ddl_handled, and the batch's Ack records their
// ids, raises the horizon to the read snapshot's xmin and prunes handled
// ids below it. A transaction that inserted rows early and commits late
// has a txid >= every horizon taken while it ran, so its rows are read
// once it commits, whatever their ids.
//
// The first start on a database records the horizon and marks the rows
// already there as handled: history is not replayed; the first sweep
// covers the state it left.
type NotifySource struct {
	// Config connects the dedicated connection (pgx.ConnConfig.Copy is
	// taken per connect).
	Config *pgx.ConnConfig
	// Coalesce is how long to wait for more notifications after one, so a
	// burst of DDL (a migration in autocommit) is one batch; the wait ends
	// at most 20 Coalesce (at least 1s) after the first notification.
	// With 0 the source reads at once: a transaction's rows all become
	// visible at its commit, so one read gets them together, and rows
	// committed while a batch is being handled make up the next batch.
	// The wait only helps statements run one by one outside a
	// transaction, and costs its length on every re-check.
	Coalesce time.Duration
	// PollInterval is the fallback catch-up period (default 30s).
	PollInterval time.Duration
	// ReadLimit caps the rows of one batch (default 5000).
	ReadLimit int
	// OnReconnect is called after each successful reconnect (a metric).
	OnReconnect func()
	Log         zerolog.Logger
}

// Run implements Source.
func (s *NotifySource) Run(ctx context.Context, h Handler) error {
	delay := backoffMin
	connectedBefore := false
	for {
		err := s.session(ctx, h, connectedBefore, func() {
			if connectedBefore && s.OnReconnect != nil {
				s.OnReconnect()
			}
			connectedBefore = true
			delay = backoffMin
		})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		h.Disconnected(err)
		wait := delay/2 + rand.N(delay/2+1)
		s.Log.Warn().Err(err).Dur("retry_in", wait).Msg("DDL event source lost; reconnecting")
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		delay = min(delay*2, backoffMax)
	}
}

// session connects, listens, catches up and then waits for notifications
// until the connection fails or ctx ends. up is called once the connection
// is listening and caught up.
func (s *NotifySource) session(ctx context.Context, h Handler, reconnect bool, up func()) error {
	doorbell := make(chan struct{}, 1)
	cfg := s.Config.Copy()
	// Name the listening session so it is easy to find in pg_stat_activity.
	cfg.RuntimeParams["application_name"] = SourceApplicationName
	cfg.OnNotification = func(_ *pgconn.PgConn, n *pgconn.Notification) {
		if n.Channel != NotifyChannel {
			return
		}
		select {
		case doorbell <- struct{}{}:
		default:
		}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect event source: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+NotifyChannel); err != nil {
		return fmt.Errorf("listen on %s: %w", NotifyChannel, err)
	}
	c := &cursor{source: notifySourceName, conn: conn, limit: s.readLimit()}
	if err := c.init(ctx); err != nil {
		return err
	}
	if err := c.catchUp(ctx, h); err != nil {
		return err
	}
	up()
	h.Connected(context.WithoutCancel(ctx), reconnect)
	// Notifications that rang during the sweep are in doorbell.
	for {
		rang, err := s.wait(ctx, conn, doorbell, s.pollInterval())
		if err != nil {
			return err
		}
		if rang {
			if err := s.coalesce(ctx, conn, doorbell); err != nil {
				return err
			}
		}
		if err := c.catchUp(ctx, h); err != nil {
			return err
		}
	}
}

// wait returns true when a notification rang within d, false on timeout.
func (s *NotifySource) wait(ctx context.Context, conn *pgx.Conn, doorbell chan struct{}, d time.Duration) (bool, error) {
	select {
	case <-doorbell:
		return true, nil
	default:
	}
	wctx, cancel := context.WithTimeout(ctx, d)
	err := conn.PgConn().WaitForNotification(wctx)
	cancel()
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	select {
	case <-doorbell:
		return true, nil
	default:
	}
	if err != nil && !(pgconn.Timeout(err) || errors.Is(err, context.DeadlineExceeded)) {
		return false, fmt.Errorf("wait for notification: %w", err)
	}
	if conn.IsClosed() {
		return false, errors.New("wait for notification: connection closed")
	}
	return false, nil
}

// coalesce waits until no notification has rung for Coalesce, or the
// maximum wait since the first one has passed.
func (s *NotifySource) coalesce(ctx context.Context, conn *pgx.Conn, doorbell chan struct{}) error {
	if s.Coalesce <= 0 {
		return nil
	}
	deadline := time.Now().Add(max(coalesceMaxFactor*s.Coalesce, coalesceMaxDefault))
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return nil
		}
		rang, err := s.wait(ctx, conn, doorbell, min(s.Coalesce, left))
		if err != nil || !rang {
			return err
		}
	}
}

func (s *NotifySource) pollInterval() time.Duration {
	if s.PollInterval > 0 {
		return s.PollInterval
	}
	return defaultPoll
}

func (s *NotifySource) readLimit() int {
	if s.ReadLimit > 0 {
		return s.ReadLimit
	}
	return defaultReadLimit
}

// cursor reads driftwatch.ddl_events by transaction visibility for one
// source; see NotifySource.
type cursor struct {
	source  string
	conn    *pgx.Conn
	limit   int
	horizon uint64
}

// init loads the horizon, or on the first start records one and marks the
// rows already visible above it as handled.
func (c *cursor) init(ctx context.Context) error {
	err := pgx.BeginTxFunc(ctx, c.conn, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		var h string
		err := tx.QueryRow(ctx, `
WITH ins AS (
    INSERT INTO driftwatch.source_cursor (source, horizon)
    VALUES ($1, pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot()))
    ON CONFLICT (source) DO NOTHING
    RETURNING horizon
), marked AS (
    INSERT INTO driftwatch.ddl_handled (source, id, txid)
    SELECT $1, e.id, e.txid FROM driftwatch.ddl_events e, ins WHERE e.txid >= ins.horizon
    ON CONFLICT DO NOTHING
)
SELECT horizon::text FROM ins
UNION ALL
SELECT horizon::text FROM driftwatch.source_cursor WHERE source = $1`, c.source).Scan(&h)
		if err != nil {
			return err
		}
		c.horizon, err = strconv.ParseUint(h, 10, 64)
		return err
	})
	if err != nil {
		return fmt.Errorf("load %s cursor: %w", c.source, err)
	}
	return nil
}

// catchUp hands every unhandled visible row to h, in batches.
func (c *cursor) catchUp(ctx context.Context, h Handler) error {
	for {
		events, xmin, complete, err := c.read(ctx)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			if complete && xmin > c.horizon {
				if err := c.advance(ctx, xmin); err != nil {
					return err
				}
			}
			return nil
		}
		b := Batch{Events: events, ack: c.acker(events, xmin, complete)}
		hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleTimeout)
		err = h.HandleBatch(hctx, b)
		cancel()
		if err != nil {
			return fmt.Errorf("handle DDL events: %w", err)
		}
		if complete {
			c.horizon = max(c.horizon, xmin)
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// read returns the next unhandled rows, the xmin of a snapshot taken
// before the read's and whether the read returned every unhandled
// visible row. A transaction's rows are kept together: when the limit
// cuts one, its rows are left for the next read (unless it is the only
// one in the batch).
//
// Both queries go in one round trip, a batch, and not in a REPEATABLE
// READ transaction (four round trips): each query may then have its own
// snapshot, so the xmin is taken first. That is all the horizon needs:
// every transaction below it had ended when the xmin's snapshot was
// taken, so the later read sees all its rows.
func (c *cursor) read(ctx context.Context) ([]DDLEvent, uint64, bool, error) {
	var (
		events []DDLEvent
		xmin   uint64
	)
	q := &pgx.Batch{}
	q.Queue(`SELECT pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot())::text`).QueryRow(func(r pgx.Row) error {
		var x string
		if err := r.Scan(&x); err != nil {
			return err
		}
		var err error
		xmin, err = strconv.ParseUint(x, 10, 64)
		return err
	})
	q.Queue(`
SELECT e.id, e.occurred_at, e.txid::text, COALESCE(e.command_tag, ''), COALESCE(e.object_type, ''),
       COALESCE(e.schema_name, ''), COALESCE(e.object_identity, ''), COALESCE(e.objid, 0),
       e.is_drop, COALESCE(e.original, true), COALESCE(e."session_user"::text, ''),
       COALESCE(e."current_user"::text, ''), COALESCE(e.application_name, ''),
       COALESCE(pg_catalog.host(e.client_addr), ''), COALESCE(e.backend_pid, 0), COALESCE(e.statement, '')
FROM driftwatch.ddl_events e
WHERE e.txid >= $2::text::xid8
  AND NOT EXISTS (SELECT FROM driftwatch.ddl_handled h WHERE h.source = $1 AND h.id = e.id)
ORDER BY e.txid, e.id
LIMIT $3`, c.source, strconv.FormatUint(c.horizon, 10), c.limit+1).Query(func(rows pgx.Rows) error {
		var err error
		events, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (DDLEvent, error) {
			var e DDLEvent
			var txid string
			err := r.Scan(&e.ID, &e.OccurredAt, &txid, &e.CommandTag, &e.ObjectType, &e.SchemaName,
				&e.ObjectIdentity, &e.ObjID, &e.IsDrop, &e.Original, &e.SessionUser, &e.CurrentUser,
				&e.ApplicationName, &e.ClientAddr, &e.BackendPID, &e.Statement)
			if err == nil {
				e.TxID, err = strconv.ParseUint(txid, 10, 64)
			}
			return e, err
		})
		return err
	})
	if err := c.conn.SendBatch(ctx, q).Close(); err != nil {
		return nil, 0, false, fmt.Errorf("read driftwatch.ddl_events: %w", err)
	}
	if len(events) <= c.limit {
		return events, xmin, true, nil
	}
	// The read asked for one row more than the limit: if that row belongs
	// to the last transaction kept, the transaction was cut.
	next := events[c.limit].TxID
	events = events[:c.limit]
	cut := len(events)
	for cut > 0 && events[cut-1].TxID == next {
		cut--
	}
	if cut > 0 {
		events = events[:cut]
	}
	return events, xmin, false, nil
}

// acker returns the Ack of a batch: record its ids and, after a complete
// read, raise the horizon to the read's xmin and forget ids below it.
func (c *cursor) acker(events []DDLEvent, xmin uint64, complete bool) func(*pgx.Batch) {
	ids := make([]int64, len(events))
	txids := make([]string, len(events))
	for i, e := range events {
		ids[i], txids[i] = e.ID, strconv.FormatUint(e.TxID, 10)
	}
	return func(q *pgx.Batch) {
		q.Queue(`
INSERT INTO driftwatch.ddl_handled (source, id, txid)
SELECT $1, i, t::xid8 FROM unnest($2::bigint[], $3::text[]) AS u(i, t)
ON CONFLICT DO NOTHING`, c.source, ids, txids)
		if complete {
			queueRaiseHorizon(q, c.source, xmin)
		}
	}
}

// advance raises the horizon when a read found nothing to handle.
func (c *cursor) advance(ctx context.Context, xmin uint64) error {
	q := &pgx.Batch{}
	queueRaiseHorizon(q, c.source, xmin)
	err := pgx.BeginFunc(ctx, c.conn, func(tx pgx.Tx) error { return tx.SendBatch(ctx, q).Close() })
	if err != nil {
		return fmt.Errorf("raise %s cursor horizon: %w", c.source, err)
	}
	c.horizon = xmin
	return nil
}

// queueRaiseHorizon queues raising the stored horizon to xmin and pruning
// the handled ids below it.
func queueRaiseHorizon(q *pgx.Batch, source string, xmin uint64) {
	x := strconv.FormatUint(xmin, 10)
	q.Queue(`
UPDATE driftwatch.source_cursor SET horizon = $2::text::xid8, updated_at = pg_catalog.now()
WHERE source = $1 AND horizon < $2::text::xid8`, source, x)
	q.Queue(`DELETE FROM driftwatch.ddl_handled WHERE source = $1 AND txid < $2::text::xid8`, source, x)
}
