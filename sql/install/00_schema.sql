CREATE SCHEMA IF NOT EXISTS driftwatch;
COMMENT ON SCHEMA driftwatch IS 'driftwatch: DDL event log, drift state and outbox (managed by driftwatch install)';
