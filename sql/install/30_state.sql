-- driftwatch install, part 3: the daemon's state. The daemon is stateless;
-- what it must remember across restarts and replicas lives here.
-- Idempotent: every statement may run again. Depends only on schema
-- driftwatch (00_schema.sql); the daemon also runs this file by itself
-- when the tables are missing and it has the rights to create them.

-- source_cursor + ddl_handled: how far an event source has read
-- driftwatch.ddl_events. Ids are taken at insert, not at commit, so "the
-- highest id handled" would skip rows of a long transaction that commits
-- after rows with higher ids were handled. The cursor is therefore kept by
-- transaction visibility:
--
--   horizon: the xmin of the snapshot of the last complete catch-up read.
--            Every transaction below it had finished when that read ran,
--            so each of their rows was read then (or earlier) and handled.
--   ddl_handled: ids of handled rows whose txid >= horizon; a transaction
--            that was still running at the read may add rows beside them.
--
-- A catch-up reads rows WHERE txid >= horizon AND id NOT IN ddl_handled
-- (driftwatch.ddl_events has an index on txid), handles them, and in the
-- transaction that writes their drift state and outbox events records their
-- ids, moves the horizon up to its read's xmin and forgets handled ids below
-- the new horizon. Both tables stay as small as the DDL of the transactions
-- that were open during the last read.
CREATE TABLE IF NOT EXISTS driftwatch.source_cursor (
    source     text        PRIMARY KEY,
    horizon    xid8        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
REVOKE ALL ON driftwatch.source_cursor FROM PUBLIC;
COMMENT ON TABLE driftwatch.source_cursor IS
    'driftwatch: per event source, the snapshot xmin of its last complete read of ddl_events; rows of older transactions are all handled';

CREATE TABLE IF NOT EXISTS driftwatch.ddl_handled (
    source text   NOT NULL,
    id     bigint NOT NULL,
    txid   xid8   NOT NULL,
    PRIMARY KEY (source, id)
);
CREATE INDEX IF NOT EXISTS ddl_handled_txid_idx ON driftwatch.ddl_handled (source, txid);
REVOKE ALL ON driftwatch.ddl_handled FROM PUBLIC;
COMMENT ON TABLE driftwatch.ddl_handled IS
    'driftwatch: ddl_events rows already handled whose transaction is at or above the source''s horizon';

-- drift: one row per drift item ever seen, keyed by its stable id
-- (object type, identity, change). Open while resolved_at IS NULL; a
-- resolved item that comes back is opened again in place. scope_schema and
-- scope_name name the top-level object (table, view, type, function by
-- name, sequence) the item belongs to, so an incremental re-check of that
-- object can resolve it.
CREATE TABLE IF NOT EXISTS driftwatch.drift (
    id           text        PRIMARY KEY,
    object_type  text        NOT NULL,
    identity     text        NOT NULL,
    change       text        NOT NULL,
    severity     text        NOT NULL,
    scope_schema text        NOT NULL,
    scope_name   text        NOT NULL,
    item         jsonb       NOT NULL,
    detected_by  text        NOT NULL,
    attribution  jsonb,
    first_seen   timestamptz NOT NULL,
    last_seen    timestamptz NOT NULL,
    resolved_at  timestamptz
);
CREATE INDEX IF NOT EXISTS drift_open_scope_idx
    ON driftwatch.drift (scope_schema, scope_name) WHERE resolved_at IS NULL;
REVOKE ALL ON driftwatch.drift FROM PUBLIC;
COMMENT ON TABLE driftwatch.drift IS
    'driftwatch: drift items (open while resolved_at is null); item is the checker''s JSON with expected, actual and fix_sql';

-- last_sweep: when the last full sweep finished, whichever replica ran it,
-- so standby replicas can report it (one row).
CREATE TABLE IF NOT EXISTS driftwatch.last_sweep (
    one             boolean     PRIMARY KEY DEFAULT true CHECK (one),
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL,
    objects_checked integer     NOT NULL,
    drifts_open     integer     NOT NULL
);
REVOKE ALL ON driftwatch.last_sweep FROM PUBLIC;
COMMENT ON TABLE driftwatch.last_sweep IS
    'driftwatch: the last full sweep (one row), for replicas that did not run it';
