// Package checker owns driftwatch's picture of a PostgreSQL schema: the
// schema model (objects keyed by kind and identity, with definitions as the
// server prints them), catalog introspection of a live database (full, or
// restricted to named objects), loading a canonical schema (a pg_dump-style
// SQL file executed in a scratch database, a JSON snapshot, or a reference
// database), the differ, and the SQL that brings a database back to
// canonical.
//
// The checker knows nothing of events, sinks or daemons.
package checker
