// Package bench builds large synthetic schemas and measures driftwatch's
// check against pg_dump --schema-only on the same database in the same
// run. It backs `driftwatch bench` (make bench); nothing here runs in the
// daemon.
package bench
