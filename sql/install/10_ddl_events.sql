-- driftwatch install, part 1: driftwatch.ddl_events, one row per object a
-- DDL command touched, written by driftwatch.on_ddl (20_trigger.sql).

CREATE TABLE IF NOT EXISTS driftwatch.ddl_events (
    id               bigserial PRIMARY KEY,
    occurred_at      timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    txid             xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
    command_tag      text,
    object_type      text,
    schema_name      text,
    object_identity  text,
    classid          oid,
    objid            oid,
    objsubid         int,
    is_drop          boolean NOT NULL DEFAULT false,
    original         boolean,
    "session_user"   name,
    "current_user"   name,
    application_name text,
    client_addr      inet,
    backend_pid      int,
    statement        text
);

-- Bring a table made by an older install up to date. Each clause is a no-op
-- when the column is already there.
ALTER TABLE driftwatch.ddl_events
    ADD COLUMN IF NOT EXISTS occurred_at      timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    ADD COLUMN IF NOT EXISTS txid             xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
    ADD COLUMN IF NOT EXISTS command_tag      text,
    ADD COLUMN IF NOT EXISTS object_type      text,
    ADD COLUMN IF NOT EXISTS schema_name      text,
    ADD COLUMN IF NOT EXISTS object_identity  text,
    ADD COLUMN IF NOT EXISTS classid          oid,
    ADD COLUMN IF NOT EXISTS objid            oid,
    ADD COLUMN IF NOT EXISTS objsubid         int,
    ADD COLUMN IF NOT EXISTS is_drop          boolean NOT NULL DEFAULT false,
    ADD COLUMN IF NOT EXISTS original         boolean,
    ADD COLUMN IF NOT EXISTS "session_user"   name,
    ADD COLUMN IF NOT EXISTS "current_user"   name,
    ADD COLUMN IF NOT EXISTS application_name text,
    ADD COLUMN IF NOT EXISTS client_addr      inet,
    ADD COLUMN IF NOT EXISTS backend_pid      int,
    ADD COLUMN IF NOT EXISTS statement        text;

-- A statement is stored with every row: a migration sent as one query
-- string stores the whole file (up to 100000 characters) with each object
-- it touches. lz4 compresses it several times faster than the default
-- pglz; PostgreSQL 14 and later have it when built with lz4.
DO $lz4$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_settings
               WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE driftwatch.ddl_events ALTER COLUMN statement SET COMPRESSION lz4;
    END IF;
END
$lz4$;

CREATE INDEX IF NOT EXISTS ddl_events_txid_idx ON driftwatch.ddl_events (txid);

REVOKE ALL ON driftwatch.ddl_events FROM PUBLIC;
REVOKE ALL ON SEQUENCE driftwatch.ddl_events_id_seq FROM PUBLIC;

COMMENT ON TABLE driftwatch.ddl_events IS
    'driftwatch: one row per object touched by a DDL command, written by the event trigger function driftwatch.on_ddl()';
COMMENT ON COLUMN driftwatch.ddl_events.txid IS
    'transaction that ran the DDL; rows become visible when it commits, so catch up by transaction visibility, not by highest id';
COMMENT ON COLUMN driftwatch.ddl_events.is_drop IS
    'true for rows from sql_drop (pg_event_trigger_dropped_objects)';
COMMENT ON COLUMN driftwatch.ddl_events.original IS
    'for drops: true for the object the command named, false for objects that went with it';
COMMENT ON COLUMN driftwatch.ddl_events."current_user" IS
    'role in effect for the DDL: the SET ROLE role, else the session user';
COMMENT ON COLUMN driftwatch.ddl_events.statement IS
    'top-level statement (current_query()) with password literals redacted, cut to 100000 characters';
