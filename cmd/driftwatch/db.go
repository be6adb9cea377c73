package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	pgdsn "github.com/driftwatch/driftwatch/internal/dsn"
)

// dsnOrEnv returns the --dsn value, else $DATABASE_URL.
func dsnOrEnv(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return os.Getenv("DATABASE_URL")
}

// connect opens a connection with a bounded connect time, and turns
// failures into errors that say what to check.
func connect(ctx context.Context, dsn, what string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, usageErrorf("parse %s DSN: %v (use a URL like postgres://user@host:5432/db or key=value pairs)", what, redactErr(err, dsn))
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		hint := "check the DSN and that the server is running and accepts connections"
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			switch pgErr.Code {
			case "3D000":
				hint = "the database does not exist: check the database name in the DSN"
			case "28P01", "28000":
				hint = "authentication failed: check the user and password"
			}
		}
		return nil, &codedError{code: exitError, err: fmt.Errorf("connect to %s database %s: %v: %s", what, pgdsn.Describe(dsn), redactErr(err, dsn), hint)}
	}
	return conn, nil
}

// redactErr removes a DSN's password from an error's text.
func redactErr(err error, dsn string) string {
	msg := err.Error()
	if cfg, perr := pgx.ParseConfig(dsn); perr == nil && cfg.Password != "" {
		msg = strings.ReplaceAll(msg, cfg.Password, "***")
	}
	return msg
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
