package checker

// What testdata/every_kind.sql shows against an empty database: one item per
// top-level object; columns, constraints, indexes, triggers, policies and
// rules come with their table (foreign keys stay separate, to wait for the
// tables they reference).
var everyKindMissing = []string{
	"missing constraint app.orders.orders_user_id_fkey",
	"missing extension pgcrypto",
	"missing function app.mysum(integer)",
	"missing function app.p(IN a integer)",
	"missing function app.touch()",
	"missing materialized view app.order_totals",
	"missing schema app",
	"missing sequence app.counter",
	"missing statistics app.st",
	"missing table app.cache",
	"missing table app.events",
	"missing table app.events_2024",
	"missing table app.orders",
	"missing table app.rooms",
	"missing table app.users",
	"missing type app.email",
	"missing type app.floatrange",
	"missing type app.mood",
	"missing type app.pair",
	"missing view app.active_users",
}

// The other way round, an unexpected schema is one DROP SCHEMA ... CASCADE.
var everyKindUnexpected = []string{
	"unexpected extension pgcrypto",
	"unexpected schema app",
}
