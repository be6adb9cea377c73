// Package e2e tests driftwatch from the outside: the built binary runs as a
// subprocess (`driftwatch watch`) against the real PostgreSQL and NATS
// JetStream servers, with an in-test webhook receiver that verifies every
// signature. Each test has its own database, its own NATS stream and
// subject prefix, and its own HTTP port, so the tests run in parallel.
//
// The package holds tests only; it needs the same servers as the rest of
// the suite (DRIFTWATCH_TEST_DSN, DRIFTWATCH_TEST_NATS_URL) and
// nats-server on $PATH (or $DRIFTWATCH_NATS_SERVER) for the tests that
// stop and start a NATS server of their own.
package e2e
