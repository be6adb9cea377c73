-- driftwatch install, part 0: preconditions, the schema and install metadata.
-- The whole install script runs in one transaction; every statement here is
-- idempotent so it can run again, and over an older install.

-- Quiet the "already exists, skipping" notices of a re-install (psql path).
SET LOCAL client_min_messages = warning;

-- Refuse early, and say why, on servers and roles that cannot work.
DO $preflight$
BEGIN
    IF pg_catalog.current_setting('server_version_num')::int < 130000 THEN
        RAISE EXCEPTION 'driftwatch needs PostgreSQL 13 or later; this server is %',
            pg_catalog.current_setting('server_version');
    END IF;
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER) THEN
        RAISE EXCEPTION 'driftwatch install needs a superuser: role % cannot create event triggers', CURRENT_USER
            USING HINT = 'Have a DBA run: driftwatch install --print | psql -v ON_ERROR_STOP=1 <superuser DSN>';
    END IF;
END
$preflight$;

-- Two installs at once wait for each other instead of colliding.
SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('driftwatch install', 0));

-- Tell driftwatch.on_ddl (20_trigger.sql) not to record this transaction's
-- own DDL, including GRANT/REVOKE, which the trigger cannot attribute to an
-- object. The function honours it only for superusers, who could disable
-- the event triggers anyway.
SELECT pg_catalog.set_config('driftwatch.installing', 'on', true);

CREATE SCHEMA IF NOT EXISTS driftwatch;
COMMENT ON SCHEMA driftwatch IS 'driftwatch: DDL event log, drift state and outbox (managed by driftwatch install)';
REVOKE ALL ON SCHEMA driftwatch FROM PUBLIC;

-- Key/value facts about the install; install_version lets a later release
-- know what it is upgrading from.
CREATE TABLE IF NOT EXISTS driftwatch.meta (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
REVOKE ALL ON driftwatch.meta FROM PUBLIC;

INSERT INTO driftwatch.meta (key, value)
VALUES ('install_version', '1')
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = pg_catalog.now();
