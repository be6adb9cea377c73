package checker

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

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
	// Parallel is how many connections read at once, all on one exported
	// snapshot so they see the same state (default 2 for a full read, 1
	// for a scoped one). One connection reads a scope in pipelined
	// batches, and a whole schema step after step (holding one step's
	// rows at a time).
	Parallel int
	// Against is a model to share objects with, usually the canonical one
	// the result is compared to: an object read equal to Against's object
	// of the same key (in all but dependencies) is returned as Against's.
	// Neither model may be changed afterwards; Inspect changes neither.
	Against *Model
	// AgainstLater, when Against is nil, yields Against once it is ready:
	// Inspect opens its extra connections meanwhile, and calls it once
	// before its transaction begins, so that a caller can load the model
	// while the connections are made. Its error ends Inspect, returned
	// as is.
	AgainstLater func() (*Model, error)
}

// against waits for the model to share objects with, if any.
func (o InspectOptions) against() (*Model, error) {
	if o.Against == nil && o.AgainstLater != nil {
		return o.AgainstLater()
	}
	return o.Against, nil
}

// Inspect reads the schema of the database conn is connected to, in one
// REPEATABLE READ READ ONLY transaction with an empty search_path, so that
// every name PostgreSQL prints is schema-qualified the same way on every
// database.
func Inspect(ctx context.Context, conn *pgx.Conn, opts InspectOptions) (*Model, error) {
	version, known := serverVersion(conn)
	batched := opts.Scope != nil && opts.parallelism() == 1
	var readers []*pgx.Conn
	if !batched {
		readers = connectReaders(ctx, conn.Config(), opts.parallelism()-1)
		defer closeReaders(readers)
	}
	against, err := opts.against()
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{BeginQuery: beginInspection(opts.planMode(), "")})
	if err != nil {
		return nil, fmt.Errorf("begin inspection transaction: %w", err)
	}
	defer tx.Rollback(context.Background()) //nolint:errcheck // read-only
	if !known {
		if err := tx.QueryRow(ctx, "SELECT pg_catalog.current_setting('server_version_num')::int").Scan(&version); err != nil {
			return nil, fmt.Errorf("read server version: %w", err)
		}
	}
	if version < MinServerVersion {
		return nil, fmt.Errorf("server version %d is not supported: driftwatch needs PostgreSQL 13 or later", version)
	}
	in := &inspector{q: tx, scope: opts.Scope, m: &Model{ServerVersion: version}, deps: newDepIndex(),
		sharer: newSharer(against)}
	in.deps.shared = in.sharer.shared
	if batched {
		// A scope's few rows: round trips cost more than holding them.
		err = in.readBatched(ctx, tx)
	} else {
		err = in.readAll(ctx, tx, readers, opts)
	}
	if err != nil {
		return nil, err
	}
	in.m.Sort()
	return in.m, nil
}

// serverVersion reads server_version_num from the server_version the
// server reported at connection start ("15.20 (Debian ...)", "16beta1"),
// sparing a query; known is false when it does not parse.
func serverVersion(conn *pgx.Conn) (version int, known bool) {
	return parseServerVersion(conn.PgConn().ParameterStatus("server_version"))
}

// ReportedServerVersion is the server_version_num of conn's server as it
// reported it at connection start, or 0 when that does not parse.
func ReportedServerVersion(conn *pgx.Conn) int {
	v, _ := serverVersion(conn)
	return v
}

func parseServerVersion(v string) (version int, known bool) {
	major, rest := leadingNumber(v)
	if major < 10 {
		return 0, false
	}
	minor := 0
	if strings.HasPrefix(rest, ".") {
		minor, _ = leadingNumber(rest[1:])
	}
	return major*10000 + minor, true
}

func leadingNumber(s string) (int, string) {
	i := 0
	for i < len(s) && i < 6 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil {
		return -1, s
	}
	return n, s[i:]
}

// beginInspection is the one round trip that opens an inspection
// transaction (importing snapshot when one is given) and sets what every
// inspection needs: an empty search_path, so that every name PostgreSQL
// prints is schema-qualified the same way on every database; the plan
// cache mode; and no JIT. The catalog queries of a large schema are
// estimated costly enough to be JIT-compiled, which took longer than
// running them (the dependency query at 10,000 tables: 400 ms of compiling
// for 70 ms of work). Sorts of wide catalog rows get the memory to stay
// off disk (the index query at 10,000 tables spilled 7 MB), and no
// parallel workers: a full read already runs on two connections.
func beginInspection(planMode, snapshot string) string {
	var b strings.Builder
	b.WriteString("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;")
	if snapshot != "" {
		b.WriteString(" SET TRANSACTION SNAPSHOT " + QuoteLiteral(snapshot) + ";")
	}
	b.WriteString(" SELECT pg_catalog.set_config('search_path', '', true), pg_catalog.set_config('jit', 'off', true)," +
		" pg_catalog.set_config('plan_cache_mode', " + QuoteLiteral(planMode) + ", true)," +
		" pg_catalog.set_config('work_mem', '64MB', true)," +
		" pg_catalog.set_config('max_parallel_workers_per_gather', '0', true)")
	return b.String()
}

// planMode is the plan_cache_mode of the inspection. Incremental re-checks
// run the same dozen catalog queries again and again on few objects:
// planning them (several ms each) cost more than running them, so scoped
// reads use generic plans, made once per connection and reused from pgx's
// statement cache. Full reads pass NULL for "no scope" and need it folded
// into a custom plan.
func (o InspectOptions) planMode() string {
	if o.Scope != nil {
		return "force_generic_plan"
	}
	return "force_custom_plan"
}

func (o InspectOptions) parallelism() int {
	switch {
	case o.Parallel > 0:
		return o.Parallel
	case o.Scope != nil:
		return 1 // a few objects: extra connections cost more than they save
	}
	return 2 // see schedule: a third backend costs more than it saves
}

// querier is what the inspector reads through: a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

type inspector struct {
	q      querier
	scope  *Scope
	m      *Model
	deps   *depIndex
	sharer *sharer // nil: share nothing
	// batch, when set, queues each query instead of running it (see
	// readBatched); then queues what runs once its rows are in.
	batch *pgx.Batch
	later []func(context.Context) error
	// sharedOnRead is set by a step whose objects went through the
	// sharer as they were read.
	sharedOnRead bool
	// known, on a full read, collects the columns the columns steps read,
	// for the steps that render definitions naming them.
	known *knownColumns
	// tables, when set, is the condition on pg_class c that splits the
	// columns step between connections (see readAll).
	tables string
	// depRows, when depRowsRead, are depends.sql's rows, read by a full
	// read's step beside the others (dependencyRows).
	depRows     []depRow
	depRowsRead bool
}

type inspectStep struct {
	what string
	run  func(*inspector, context.Context) error
}

// steps lists the catalog reads, costliest first so parallel readers
// finish together. Dependencies are read last, once every object is known.
func (in *inspector) steps() []inspectStep {
	steps := []inspectStep{
		{"columns", (*inspector).columns},
		{"indexes", (*inspector).indexes},
		{"constraints", (*inspector).constraints},
		{"relations", (*inspector).relations},
		{"sequences", (*inspector).sequences},
		{"functions", (*inspector).functions},
		{"types", (*inspector).types},
		{"triggers", (*inspector).triggers},
		{"policies", (*inspector).policies},
		{"rules", (*inspector).rules},
		{"statistics", (*inspector).statistics},
	}
	if in.scope == nil {
		steps = append(steps,
			inspectStep{"schemas", (*inspector).schemas},
			inspectStep{"extensions", (*inspector).extensions},
			inspectStep{"collations", (*inspector).collations},
			inspectStep{"event triggers", (*inspector).eventTriggers},
			inspectStep{"foreign-data wrappers", (*inspector).foreignDataWrappers},
			inspectStep{"foreign servers", (*inspector).foreignServers},
			inspectStep{"casts", (*inspector).casts},
			inspectStep{"publications", (*inspector).publications},
			inspectStep{"text search parsers", (*inspector).tsParsers},
			inspectStep{"text search templates", (*inspector).tsTemplates},
			inspectStep{"text search dictionaries", (*inspector).tsDictionaries},
			inspectStep{"text search configurations", (*inspector).tsConfigs},
			inspectStep{"operators", (*inspector).operators},
			inspectStep{"operator families", (*inspector).opfamilies},
			inspectStep{"operator classes", (*inspector).opclasses},
			inspectStep{"default privileges", (*inspector).defaultACLs},
		)
	}
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

// each runs a catalog query and calls fn for every row; in batch mode it
// queues the query and fn runs when the batch is sent.
func (in *inspector) each(ctx context.Context, query string, args []any, scan func(pgx.Rows) error) error {
	sql := scoped(versioned(dwsql.Query(query), in.m.ServerVersion), in.scope != nil)
	if in.tables != "" {
		sql = strings.Replace(sql, "/*tables*/", "AND "+in.tables, 1)
	}
	if in.scope != nil {
		// A scoped read always has its scope: without the "no scope" arm the
		// generic plan starts from the name indexes, and is planned once.
		sql = noScopeArms.Replace(sql)
	}
	if in.batch != nil {
		in.batch.Queue(sql, args...).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				if err := scan(rows); err != nil {
					return fmt.Errorf("inspect %s: %w", query, err)
				}
			}
			return nil
		})
		return nil
	}
	rows, err := in.q.Query(ctx, sql, args...)
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

// then runs fn, which uses what the step's queries read: at once, or in
// batch mode once the batch is in.
func (in *inspector) then(ctx context.Context, fn func(context.Context) error) error {
	if in.batch == nil {
		in.known.wait()
		return fn(ctx)
	}
	in.later = append(in.later, fn)
	return nil
}

// noScopeArms are the "no scope" arms of the scope conditions ($1 NULL
// means everything), which a scoped read drops.
var noScopeArms = strings.NewReplacer("$1::text[] IS NULL OR ", "", "$2::text[] IS NULL OR ", "")

// scopeMarker is /*full*/a/*scoped*/b/*endscope*/ in a query: a on a full
// read, b on a scoped one. A scoped read has few rows, and a server
// function that costs too much per row on a whole schema can spare the
// round trips that rendering in Go takes.
var scopeMarker = regexp.MustCompile(`/\*full\*/(.*?)/\*scoped\*/(.*?)/\*endscope\*/`)

// scoped resolves the scope markers of a query.
func scoped(query string, isScoped bool) string {
	if !strings.Contains(query, "/*full*/") {
		return query
	}
	if isScoped {
		return scopeMarker.ReplaceAllString(query, "$2")
	}
	return scopeMarker.ReplaceAllString(query, "$1")
}

// versionMarker is /*vNN*/a/*else*/b/*end*/ in a query: a on PostgreSQL NN
// and later, b before, so one file serves every supported version without
// naming catalog columns an older server lacks.
var versionMarker = regexp.MustCompile(`/\*v(\d+)\*/(.*?)/\*else\*/(.*?)/\*end\*/`)

// versioned resolves the version markers of a query for a server.
func versioned(query string, serverVersion int) string {
	if !strings.Contains(query, "/*v") {
		return query
	}
	return versionMarker.ReplaceAllStringFunc(query, func(m string) string {
		p := versionMarker.FindStringSubmatch(m)
		major, _ := strconv.Atoi(p[1])
		if serverVersion >= major*10000 {
			return p[2]
		}
		return p[3]
	})
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
