// Package sql holds the SQL that driftwatch runs, as .sql files embedded
// with go:embed: the install script (schema driftwatch, its tables, the
// event-trigger function and event triggers), the uninstall script, and the
// catalog queries the checker uses. One script or statement per file.
package sql
