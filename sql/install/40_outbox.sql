-- The durable outbox of notify: one row per event, one delivery row per
-- (event, sink). The daemon writes drift state and outbox rows in one
-- transaction; the deliverer sends each delivery independently, retries
-- with backoff and marks it dead after its last attempt.
--
-- Idempotent: every statement may run again. Columns added after the first
-- release go below their table as ADD COLUMN IF NOT EXISTS, so re-running
-- install upgrades an older outbox in place.
-- Depends only on schema driftwatch (00_schema.sql).

CREATE TABLE IF NOT EXISTS driftwatch.outbox (
    id         bigserial   PRIMARY KEY,
    event_id   text        NOT NULL UNIQUE,
    event_type text        NOT NULL,
    event      jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE driftwatch.outbox IS
    'driftwatch: events to publish (CloudEvents JSON), written in the transaction that caused them';

CREATE TABLE IF NOT EXISTS driftwatch.outbox_delivery (
    id              bigserial   PRIMARY KEY,
    outbox_id       bigint      NOT NULL REFERENCES driftwatch.outbox (id) ON DELETE CASCADE,
    sink            text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_attempt_at timestamptz,
    delivered_at    timestamptz,
    last_error      text,
    dead            boolean     NOT NULL DEFAULT false,
    UNIQUE (outbox_id, sink)
);

-- Added after the first release: set while a deliverer sends (it holds the
-- delivery's advisory lock meanwhile), so another can tell a sender gone
-- from one at work.
ALTER TABLE driftwatch.outbox_delivery ADD COLUMN IF NOT EXISTS leased_until timestamptz;

COMMENT ON TABLE driftwatch.outbox_delivery IS
    'driftwatch: delivery state of one outbox event to one sink (pending, delivered or dead)';

-- The deliverer's hot path: due deliveries of one sink.
CREATE INDEX IF NOT EXISTS outbox_delivery_due_idx
    ON driftwatch.outbox_delivery (sink, next_attempt_at)
    WHERE delivered_at IS NULL AND NOT dead;
CREATE INDEX IF NOT EXISTS outbox_delivery_dead_idx
    ON driftwatch.outbox_delivery (id)
    WHERE dead;
