package watcher

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// DDLEvent is one row of driftwatch.ddl_events: one object a DDL command
// touched, with who ran it.
type DDLEvent struct {
	ID              int64
	OccurredAt      time.Time
	TxID            uint64 // xid8 of the transaction that ran the DDL
	CommandTag      string // e.g. "ALTER TABLE"
	ObjectType      string // e.g. "table", "index", "table column"; "TABLE" for GRANT
	SchemaName      string // "" when the trigger reported none
	ObjectIdentity  string // "" for GRANT/REVOKE (the trigger cannot name the object)
	ObjID           uint32
	IsDrop          bool
	Original        bool // for drops: the object the command named (false: went with it)
	SessionUser     string
	CurrentUser     string
	ApplicationName string
	ClientAddr      string // "" for Unix-socket sessions
	BackendPID      int
	Statement       string
}

// Batch is what a source hands to the daemon: events that are handled
// together, in one re-check. A transaction's rows are never split over
// batches (except a transaction of more rows than a read returns).
type Batch struct {
	Events []DDLEvent
	// ack queues the statements that record, in the caller's transaction,
	// that the events are handled, so a source never hands them out again
	// once it commits.
	ack func(q *pgx.Batch)
}

// Ack records in tx that the batch is handled. Call it in the transaction
// that writes the batch's drift state and outbox events, so that handling
// and acknowledging commit together.
func (b Batch) Ack(ctx context.Context, tx pgx.Tx) error {
	q := &pgx.Batch{}
	b.queueAck(q)
	if q.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, q).Close(); err != nil {
		return fmt.Errorf("record handled DDL events: %w", err)
	}
	return nil
}

// queueAck queues what Ack runs on q, to be sent with the other
// statements of the caller's transaction.
func (b Batch) queueAck(q *pgx.Batch) {
	if b.ack != nil {
		b.ack(q)
	}
}

// Handler receives what a source sees.
type Handler interface {
	// HandleBatch handles a batch and acknowledges it (Batch.Ack) in the
	// transaction that records the outcome. An error leaves the batch
	// unacknowledged: the source hands it out again.
	HandleBatch(ctx context.Context, b Batch) error
	// Connected is called after every (re)connect once the backlog has
	// been handled; reconnect is false the first time. The daemon sweeps
	// here, to catch what no event reported while it was away.
	Connected(ctx context.Context, reconnect bool)
	// Disconnected is called when the source loses its connection.
	Disconnected(err error)
}

// Source produces batches of DDL events until ctx ends, reconnecting by
// itself: "notify" (LISTEN/NOTIFY with catch-up from driftwatch.ddl_events)
// today, logical replication next. Run returns ctx's error when stopped.
// The context HandleBatch gets is not cancelled with ctx, so a batch in
// progress when the source is stopped is finished.
type Source interface {
	Run(ctx context.Context, h Handler) error
}
