// Package dsn holds what several commands and packages do with a
// PostgreSQL connection string: name it in a message without its password,
// and point it at another database on the same server.
package dsn
