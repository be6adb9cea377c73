package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// NotifyChannel is the channel Enqueue notifies (in the caller's
// transaction, so only on commit) to wake the deliverer.
const NotifyChannel = "driftwatch_outbox"

// DB is what the outbox functions need of a connection: *pgx.Conn,
// *pgxpool.Pool and pgx.Tx all have it.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// enqueueSQL inserts an event ($1 id, $2 type, $3 body) with a pending
// delivery per sink ($4) and notifies $5 (NotifyChannel), in one
// statement: one round trip per event.
const enqueueSQL = `
WITH o AS (
    INSERT INTO driftwatch.outbox (event_id, event_type, event)
    VALUES ($1, $2, $3)
    ON CONFLICT (event_id) DO NOTHING
    RETURNING id
), d AS (
    INSERT INTO driftwatch.outbox_delivery (outbox_id, sink)
    SELECT o.id, s FROM o, unnest($4::text[]) AS s
)
SELECT pg_catalog.pg_notify($5, $1)`

// Enqueue writes e to the outbox, with one pending delivery per sink name,
// in the caller's transaction: the event is delivered only if tx commits.
// Enqueueing an event id that is already in the outbox does nothing.
func Enqueue(ctx context.Context, tx pgx.Tx, e Event, sinks []string) error {
	args, err := enqueueArgs(e, sinks)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, enqueueSQL, args...); err != nil {
		return fmt.Errorf("insert outbox event: %w", err)
	}
	return nil
}

// QueueEnqueue queues on b what Enqueue does, for a caller that sends
// several statements of its transaction in one round trip
// (tx.SendBatch).
func QueueEnqueue(b *pgx.Batch, e Event, sinks []string) error {
	args, err := enqueueArgs(e, sinks)
	if err != nil {
		return err
	}
	b.Queue(enqueueSQL, args...)
	return nil
}

func enqueueArgs(e Event, sinks []string) ([]any, error) {
	if err := e.Validate(); err != nil {
		return nil, fmt.Errorf("enqueue event: %w", err)
	}
	names := uniqueNames(sinks)
	if len(names) == 0 {
		return nil, errors.New("enqueue event: no sinks")
	}
	body, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode event: %w", err)
	}
	return []any{e.ID, e.Type, string(body), names, NotifyChannel}, nil
}

func uniqueNames(names []string) []string {
	seen := make(map[string]bool, len(names))
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Delivery is the state of one event's delivery to one sink.
type Delivery struct {
	ID            int64      `json:"id"`              // outbox_delivery.id, what RetryDead takes
	OutboxID      int64      `json:"outbox_id"`       // outbox.id
	EventID       string     `json:"event_id"`        // the CloudEvent id
	EventType     string     `json:"event_type"`      // e.g. io.driftwatch.drift.opened
	Subject       string     `json:"subject"`         // the event's subject
	Sink          string     `json:"sink"`            // sink name
	Attempts      int        `json:"attempts"`        // attempts so far
	NextAttemptAt time.Time  `json:"next_attempt_at"` // when a pending delivery is due
	LastAttemptAt *time.Time `json:"last_attempt_at"` // nil before the first attempt
	DeliveredAt   *time.Time `json:"delivered_at"`    // nil until delivered
	LastError     string     `json:"last_error"`      // error of the last failed attempt
	Dead          bool       `json:"dead"`            // gave up after the last attempt
	CreatedAt     time.Time  `json:"created_at"`      // when the event was enqueued
}

// DeliveryFilter selects deliveries. With neither Dead nor Pending set,
// every delivery matches; with both, either kind does.
type DeliveryFilter struct {
	Dead    bool   // dead letters
	Pending bool   // not yet delivered and not dead
	Sink    string // only this sink, if set
	Limit   int    // at most this many (0 = no limit)
}

// ListDeliveries returns the deliveries matching f, oldest first.
func ListDeliveries(ctx context.Context, conn DB, f DeliveryFilter) ([]Delivery, error) {
	var limit *int
	if f.Limit > 0 {
		limit = &f.Limit
	}
	rows, err := conn.Query(ctx, `
SELECT d.id, d.outbox_id, o.event_id, o.event_type, coalesce(o.event->>'subject', ''),
       d.sink, d.attempts, d.next_attempt_at, d.last_attempt_at, d.delivered_at,
       coalesce(d.last_error, ''), d.dead, o.created_at
FROM driftwatch.outbox_delivery d
JOIN driftwatch.outbox o ON o.id = d.outbox_id
WHERE (NOT $1 AND NOT $2
       OR $1 AND d.dead
       OR $2 AND d.delivered_at IS NULL AND NOT d.dead)
  AND ($3 = '' OR d.sink = $3)
ORDER BY d.id
LIMIT $4`, f.Dead, f.Pending, f.Sink, limit)
	if err != nil {
		return nil, fmt.Errorf("list outbox deliveries: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Delivery, error) {
		var d Delivery
		err := r.Scan(&d.ID, &d.OutboxID, &d.EventID, &d.EventType, &d.Subject,
			&d.Sink, &d.Attempts, &d.NextAttemptAt, &d.LastAttemptAt, &d.DeliveredAt,
			&d.LastError, &d.Dead, &d.CreatedAt)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("list outbox deliveries: %w", err)
	}
	return out, nil
}

// RetryDead makes dead deliveries pending again, with their attempts reset
// and due now: ids selects deliveries by id, empty means every dead one. It
// returns how many it revived and wakes a listening deliverer.
func RetryDead(ctx context.Context, conn DB, ids []int64) (int, error) {
	if ids == nil {
		ids = []int64{}
	}
	tag, err := conn.Exec(ctx, `
UPDATE driftwatch.outbox_delivery
SET dead = false, attempts = 0, next_attempt_at = now()
WHERE dead AND (cardinality($1::bigint[]) = 0 OR id = ANY($1::bigint[]))`, ids)
	if err != nil {
		return 0, fmt.Errorf("retry dead deliveries: %w", err)
	}
	n := int(tag.RowsAffected())
	if n > 0 {
		if _, err := conn.Exec(ctx, `SELECT pg_notify($1, 'retry')`, NotifyChannel); err != nil {
			return n, fmt.Errorf("notify outbox: %w", err)
		}
	}
	return n, nil
}

// Stats returns how many deliveries are pending and how many are dead, for
// the daemon's metrics (driftwatch_outbox_pending, driftwatch_outbox_dead).
func Stats(ctx context.Context, conn DB) (pending, dead int, err error) {
	err = conn.QueryRow(ctx, `
SELECT count(*) FILTER (WHERE delivered_at IS NULL AND NOT dead),
       count(*) FILTER (WHERE dead)
FROM driftwatch.outbox_delivery`).Scan(&pending, &dead)
	if err != nil {
		return 0, 0, fmt.Errorf("count outbox deliveries: %w", err)
	}
	return pending, dead, nil
}

// PurgeDelivered deletes events enqueued before cutoff whose every
// delivery is done, and returns how many it deleted. Dead and pending
// deliveries keep their events.
func PurgeDelivered(ctx context.Context, conn DB, cutoff time.Time) (int, error) {
	tag, err := conn.Exec(ctx, `
DELETE FROM driftwatch.outbox o
WHERE o.created_at < $1
  AND NOT EXISTS (SELECT FROM driftwatch.outbox_delivery d
                  WHERE d.outbox_id = o.id AND d.delivered_at IS NULL)`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("purge delivered outbox events: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
