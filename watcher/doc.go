// Package watcher owns the always-on side of driftwatch: the event trigger
// that records DDL (install and uninstall), event sources, incremental
// re-checks, drift state, sweeps and the HTTP server.
package watcher
