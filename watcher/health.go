package watcher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/singleflight"
)

// Health statuses of /health/schema.
const (
	Healthy   = "healthy"
	Unhealthy = "unhealthy"
)

// Check names of /health/schema besides table_* and column_*.
const (
	CheckDBWritable      = "db_writable"
	CheckCanonicalInSync = "canonical_in_sync"
)

// DefaultHealthTimeout bounds one evaluation of the database checks.
const DefaultHealthTimeout = 3 * time.Second

// HealthReport is the body of /health/schema.
type HealthReport struct {
	Status    string          `json:"status"`    // Healthy or Unhealthy
	Timestamp string          `json:"timestamp"` // RFC 3339, when the checks ran
	Checks    map[string]bool `json:"checks"`
}

// Healthy reports whether every check passed.
func (r HealthReport) Healthy() bool { return r.Status == Healthy }

// healthTablesQuery answers every table and column check in one catalog
// query: $1 are regclass texts of tables; $2, $3 pair regclass texts and
// column names. to_regclass never fails on a missing relation.
const healthTablesQuery = `
SELECT 't', t.ord::int, EXISTS (
        SELECT 1 FROM pg_catalog.pg_class c
        WHERE c.oid = pg_catalog.to_regclass(t.rel) AND c.relkind IN ('r', 'p', 'v', 'm', 'f'))
FROM unnest($1::text[]) WITH ORDINALITY AS t(rel, ord)
UNION ALL
SELECT 'c', c.ord::int, EXISTS (
        SELECT 1 FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = pg_catalog.to_regclass(c.rel) AND a.attname = c.col
          AND a.attnum > 0 AND NOT a.attisdropped)
FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS c(rel, col, ord)`

// healthProbe is the write probe: a real write (a table created and a
// row inserted, in one statement so it can share the batch) that is
// rolled back. It fails in a read-only transaction: on a hot standby or
// with default_transaction_read_only.
const healthProbe = `CREATE TEMPORARY TABLE driftwatch_health_probe ON COMMIT DROP AS SELECT true AS ok`

// HealthChecker evaluates /health/schema: the configured tables and
// columns exist, the database takes a write, and no critical drift is
// open. The database checks cost one transaction with one catalog query
// and are cached for the configured TTL; concurrent probes share one
// evaluation, so a flood of probes cannot load the database.
type HealthChecker struct {
	pool    func() *pgxpool.Pool
	inSync  func() bool
	timeout time.Duration
	now     func() time.Time

	mu       sync.Mutex
	spec     healthSpec
	gen      int // bumped by SetConfig, so stale evaluations are not cached
	cached   *HealthReport
	cachedAt time.Time

	group       singleflight.Group
	evaluations atomic.Int64 // database evaluations run, for tests
}

// healthSpec is a parsed HealthConfig with the check keys.
type healthSpec struct {
	tables     []HealthTable
	tableKeys  []string
	columns    []HealthColumn
	columnKeys []string
	ttl        time.Duration
}

// NewHealthChecker returns a checker of cfg's tables and columns. pool
// returns the pool of the watched database (nil while there is none: the
// database checks then fail); inSync reports whether the database is free
// of open critical drift (nil: always true).
func NewHealthChecker(cfg HealthConfig, pool func() *pgxpool.Pool, inSync func() bool) (*HealthChecker, error) {
	if pool == nil {
		return nil, errors.New("new health checker: no pool function")
	}
	if inSync == nil {
		inSync = func() bool { return true }
	}
	h := &HealthChecker{pool: pool, inSync: inSync, timeout: DefaultHealthTimeout, now: time.Now}
	if err := h.SetConfig(cfg); err != nil {
		return nil, err
	}
	return h, nil
}

// SetConfig replaces the checked elements and TTL (on reload) and drops
// the cached result.
func (h *HealthChecker) SetConfig(cfg HealthConfig) error {
	if err := cfg.validate(); err != nil {
		return fmt.Errorf("configure health checks: %w", err)
	}
	spec := healthSpec{ttl: cfg.CacheTTL.D()}
	for _, s := range cfg.Tables {
		t, _ := ParseHealthTable(s)
		spec.tables = append(spec.tables, t)
		spec.tableKeys = append(spec.tableKeys, "table_"+t.Name)
	}
	count := map[string]int{}
	tableCount := map[string]int{}
	for _, s := range cfg.Columns {
		c, _ := ParseHealthColumn(s)
		spec.columns = append(spec.columns, c)
		count[c.Column]++
		tableCount[c.Table+"."+c.Column]++
	}
	for _, c := range spec.columns {
		// column_<column>; column_<table>.<column> when two health
		// columns share the column name; the whole name when those
		// clash too (same table name in two schemas).
		key := c.Column
		switch {
		case tableCount[c.Table+"."+c.Column] > 1:
			key = c.Name
		case count[c.Column] > 1:
			key = c.Table + "." + c.Column
		}
		spec.columnKeys = append(spec.columnKeys, "column_"+key)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.spec = spec
	h.gen++
	h.cached = nil
	return nil
}

// Check returns the report, from the cache when it is fresh. A caller
// whose ctx ends while an evaluation runs gets an unhealthy report; the
// evaluation goes on for the others.
func (h *HealthChecker) Check(ctx context.Context) HealthReport {
	h.mu.Lock()
	if h.cached != nil && h.now().Sub(h.cachedAt) < h.spec.ttl {
		r := *h.cached
		h.mu.Unlock()
		return r
	}
	spec, gen := h.spec, h.gen
	h.mu.Unlock()

	ch := h.group.DoChan(strconv.Itoa(gen), func() (any, error) {
		started := h.now()
		r := h.evaluate(spec)
		h.mu.Lock()
		if h.gen == gen {
			h.cached, h.cachedAt = &r, started
		}
		h.mu.Unlock()
		return r, nil
	})
	select {
	case res := <-ch:
		return res.Val.(HealthReport)
	case <-ctx.Done():
		return h.failed(spec)
	}
}

// failed is the report when nothing could be checked.
func (h *HealthChecker) failed(spec healthSpec) HealthReport {
	checks := map[string]bool{CheckDBWritable: false, CheckCanonicalInSync: h.inSync()}
	for _, k := range spec.tableKeys {
		checks[k] = false
	}
	for _, k := range spec.columnKeys {
		checks[k] = false
	}
	return HealthReport{Status: Unhealthy, Timestamp: h.now().UTC().Format(time.RFC3339), Checks: checks}
}

// evaluate runs the database checks: in one transaction that is rolled
// back, the catalog query for every table and column, then the write
// probe, sent together as one batch.
func (h *HealthChecker) evaluate(spec healthSpec) HealthReport {
	h.evaluations.Add(1)
	r := h.failed(spec)
	ctx, cancel := context.WithTimeout(context.Background(), h.timeout)
	defer cancel()
	pool := h.pool()
	if pool == nil {
		return r
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return r
	}
	defer func() { _ = tx.Rollback(context.Background()) }()

	b := &pgx.Batch{}
	catalog := len(spec.tables)+len(spec.columns) > 0
	if catalog {
		var tables, colRels, cols []string
		for _, t := range spec.tables {
			tables = append(tables, regclassText(t.Schema, t.Table))
		}
		for _, c := range spec.columns {
			colRels = append(colRels, regclassText(c.Schema, c.Table))
			cols = append(cols, c.Column)
		}
		b.Queue(healthTablesQuery, tables, colRels, cols)
	}
	b.Queue(healthProbe)
	br := tx.SendBatch(ctx, b)
	defer func() { _ = br.Close() }()
	if catalog {
		if err := h.readCatalog(br, spec, r.Checks); err != nil {
			return h.failed(spec) // nothing is known
		}
	}
	tag, err := br.Exec()
	r.Checks[CheckDBWritable] = err == nil && tag.RowsAffected() == 1
	healthy := true
	for _, ok := range r.Checks {
		healthy = healthy && ok
	}
	if healthy {
		r.Status = Healthy
	}
	return r
}

// readCatalog reads the catalog query's answer into checks.
func (h *HealthChecker) readCatalog(br pgx.BatchResults, spec healthSpec, checks map[string]bool) error {
	rows, err := br.Query()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var ord int
		var ok bool
		if err := rows.Scan(&kind, &ord, &ok); err != nil {
			return err
		}
		switch {
		case kind == "t" && ord >= 1 && ord <= len(spec.tableKeys):
			checks[spec.tableKeys[ord-1]] = ok
		case kind == "c" && ord >= 1 && ord <= len(spec.columnKeys):
			checks[spec.columnKeys[ord-1]] = ok
		}
	}
	return rows.Err()
}

// regclassText quotes a (schema, table) for to_regclass.
func regclassText(schema, table string) string {
	if schema == "" {
		return pgx.Identifier{table}.Sanitize()
	}
	return pgx.Identifier{schema, table}.Sanitize()
}

// ServeHTTP answers /health/schema: 200 with the report when healthy,
// 503 otherwise.
func (h *HealthChecker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rep := h.Check(r.Context())
	code := http.StatusOK
	if !rep.Healthy() {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, rep)
}

// writeJSON writes v as an indented JSON response that is never cached.
func writeJSON(w http.ResponseWriter, code int, v any) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, "encode response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write(append(body, '\n'))
}
