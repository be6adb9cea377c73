-- driftwatch uninstall: removes everything driftwatch install created.
-- Idempotent; run in one transaction. Event triggers go first so nothing
-- fires while the rest is dropped.
SET LOCAL client_min_messages = warning;
SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('driftwatch install', 0));
DROP EVENT TRIGGER IF EXISTS driftwatch_ddl_command_end;
DROP EVENT TRIGGER IF EXISTS driftwatch_sql_drop;
DROP FUNCTION IF EXISTS driftwatch.on_ddl();
DROP FUNCTION IF EXISTS driftwatch.redact_secrets(text);
DROP FUNCTION IF EXISTS driftwatch.ignored_object(text, text, text);
DROP SCHEMA IF EXISTS driftwatch CASCADE;
