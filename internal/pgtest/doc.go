// Package pgtest gives each test its own PostgreSQL database on the server
// named by DRIFTWATCH_TEST_DSN (default: the local server), dropped when the
// test ends, so tests run in parallel against a real server.
package pgtest
