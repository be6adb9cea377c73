// Package notify owns what driftwatch tells the world: the drift event
// (CloudEvents JSON with one versioned schema), the Sink interface and its
// implementations, and the durable outbox with its delivery loop.
//
// notify knows nothing of catalogs or schema models.
//
// # Events
//
// NewDriftEvent, NewDDLObservedEvent and NewSweepCompletedEvent build
// events; docs/events.md and docs/event.schema.json are their contract.
//
// # Sinks
//
// LogSink (always on), NATSSink (JetStream, Nats-Msg-Id = event id) and
// WebhookSink (one per endpoint, Standard Webhooks signatures; receivers
// check them with Verify). A sink's Name is stored in the outbox, so it
// must stay the same across restarts.
//
// # Outbox
//
// The daemon writes an event in the transaction that changes drift state,
// so a crash loses neither or both:
//
//	sinks := []notify.Sink{notify.NewLogSink(log), natsSink, hookSink}
//	d := notify.NewDeliverer(pool, sinks, notify.DelivererConfig{Logger: log})
//	if err := d.Open(); err != nil { ... }
//	defer d.Close()
//	...
//	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
//		// update driftwatch.drift ...
//		return d.Enqueue(ctx, tx, event)
//	})
//
// The Deliverer sends each (event, sink) pair independently with retries,
// exponential backoff and dead letters; ListDeliveries, RetryDead and Stats
// serve the CLI and the metrics (driftwatch_outbox_pending,
// driftwatch_outbox_dead). The tables are created by
// sql/install/40_outbox.sql.
package notify
