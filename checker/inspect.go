package checker

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	dwsql "github.com/driftwatch/driftwatch/sql"
)

// MinServerVersion is the oldest PostgreSQL driftwatch supports.
const MinServerVersion = 130000

// Name is a schema-qualified object name.
type Name struct {
	Schema string
	Name   string
}

// Scope restricts introspection to named top-level objects (relations,
// types, functions by name) and everything that belongs to them. A nil
// Scope means the whole database.
type Scope struct {
	Names []Name
}

// InspectOptions tune introspection.
type InspectOptions struct {
	// Scope restricts what is read; nil reads everything.
	Scope *Scope
}

// Inspect reads the schema of the database conn is connected to, in one
// REPEATABLE READ READ ONLY transaction with an empty search_path, so that
// every name PostgreSQL prints is schema-qualified the same way on every
// database.
func Inspect(ctx context.Context, conn *pgx.Conn, opts InspectOptions) (*Model, error) {
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("begin inspection transaction: %w", err)
	}
	defer tx.Rollback(context.Background()) //nolint:errcheck // read-only
	if _, err := tx.Exec(ctx, "SELECT pg_catalog.set_config('search_path', '', true)"); err != nil {
		return nil, fmt.Errorf("clear search_path: %w", err)
	}
	var version int
	if err := tx.QueryRow(ctx, "SELECT pg_catalog.current_setting('server_version_num')::int").Scan(&version); err != nil {
		return nil, fmt.Errorf("read server version: %w", err)
	}
	if version < MinServerVersion {
		return nil, fmt.Errorf("server version %d is not supported: driftwatch needs PostgreSQL 13 or later", version)
	}
	in := &inspector{q: tx, scope: opts.Scope, m: &Model{ServerVersion: version}, deps: newDepIndex()}
	for _, step := range in.steps() {
		if err := step.run(ctx); err != nil {
			return nil, fmt.Errorf("inspect %s: %w", step.what, err)
		}
	}
	in.m.Sort()
	return in.m, nil
}

// querier is what the inspector reads through: a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

type inspector struct {
	q     querier
	scope *Scope
	m     *Model
	deps  *depIndex
}

type inspectStep struct {
	what string
	run  func(context.Context) error
}

func (in *inspector) steps() []inspectStep {
	steps := []inspectStep{
		{"relations", in.relations},
		{"columns", in.columns},
		{"constraints", in.constraints},
		{"indexes", in.indexes},
		{"sequences", in.sequences},
		{"triggers", in.triggers},
		{"policies", in.policies},
		{"rules", in.rules},
		{"statistics", in.statistics},
		{"types", in.types},
		{"functions", in.functions},
	}
	if in.scope == nil {
		steps = append(steps,
			inspectStep{"schemas", in.schemas},
			inspectStep{"extensions", in.extensions},
			inspectStep{"collations", in.collations},
			inspectStep{"event triggers", in.eventTriggers},
		)
	}
	steps = append(steps, inspectStep{"dependencies", in.dependencies})
	return steps
}

// scopeArgs returns the $1, $2 arrays of a scoped query (NULL = all).
func (in *inspector) scopeArgs() []any {
	if in.scope == nil {
		return []any{nil, nil}
	}
	schemas := make([]string, len(in.scope.Names))
	names := make([]string, len(in.scope.Names))
	for i, n := range in.scope.Names {
		schemas[i], names[i] = n.Schema, n.Name
	}
	return []any{schemas, names}
}

// each runs a catalog query and calls fn for every row.
func (in *inspector) each(ctx context.Context, query string, args []any, scan func(pgx.Rows) error) error {
	rows, err := in.q.Query(ctx, dwsql.Query(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// str returns a nullable text value, "" for NULL.
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
