package watcher

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/driftwatch/driftwatch/checker"
	dwsql "github.com/driftwatch/driftwatch/sql"
)

// kindOID names an index or statistics object by its OID.
type kindOID struct {
	kind checker.Kind
	oid  uint32
}

// recheckPlan is what a batch of DDL events asks to re-inspect.
type recheckPlan struct {
	// full: an event the re-check cannot scope (a schema, an extension, a
	// collation, an unknown object type, GRANT when privileges are
	// compared): inspect everything.
	full bool
	// names are the top-level objects the events name, then their
	// dependents; sorted.
	names []checker.Name
	// cause maps a name to the last event that named it, for attribution.
	cause map[checker.Name]*DDLEvent
	// eventNames lists, by event id, the names each event was mapped to.
	eventNames map[int64][]checker.Name
}

// unnamed is the identity of ddl.observed events for GRANT/REVOKE, which
// the event trigger cannot attribute to an object.
const unnamed = "(unnamed)"

// skippedSchema: objects the re-check never looks at (TOAST, temporary).
func skippedSchema(s string) bool {
	return s == "pg_toast" || strings.HasPrefix(s, "pg_temp") || strings.HasPrefix(s, "pg_toast_temp")
}

// planRecheck maps events to the names to re-inspect. Tables, views,
// sequences, types and functions (by name without arguments) name
// themselves; columns, defaults, triggers, policies, rules and constraints
// name their table (or domain); indexes and statistics objects are mapped
// to their table through the catalog while they exist, else through the
// canonical model and the open drift items. Array types, TOAST objects and
// temporary objects are skipped.
func planRecheck(ctx context.Context, conn *pgx.Conn, events []DDLEvent, canon *checker.Model, privileges bool) (recheckPlan, error) {
	p := recheckPlan{cause: map[checker.Name]*DDLEvent{}, eventNames: map[int64][]checker.Name{}}
	names := map[checker.Name]bool{}
	add := func(n checker.Name, e *DDLEvent) {
		if skippedSchema(n.Schema) || n.Schema == "driftwatch" {
			return
		}
		names[n] = true
		p.cause[n] = e
		p.eventNames[e.ID] = append(p.eventNames[e.ID], n)
	}
	type lookup struct {
		e    *DDLEvent
		kind checker.Kind
		self checker.Name
	}
	var lookups []lookup
	for i := range events {
		e := &events[i]
		if skippedSchema(e.SchemaName) {
			continue
		}
		if e.ObjectIdentity == "" {
			p.full = p.full || privileges
			continue
		}
		var (
			n  checker.Name
			ok bool
		)
		switch e.ObjectType {
		case "table", "foreign table", "view", "materialized view", "sequence", "composite type",
			"type", "function", "procedure", "aggregate":
			if strings.HasSuffix(e.ObjectIdentity, "[]") {
				continue // array type: its element type has its own row
			}
			n, ok = qualifiedName(e.ObjectIdentity)
		case "index", "statistics object":
			self, okSelf := qualifiedName(e.ObjectIdentity)
			if !okSelf {
				p.full = true
				continue
			}
			kind := checker.KindIndex
			if e.ObjectType == "statistics object" {
				kind = checker.KindStatistics
			}
			lookups = append(lookups, lookup{e, kind, self})
			continue
		case "trigger", "policy", "rule", "table constraint", "domain constraint":
			n, ok = onName(e.ObjectIdentity)
		case "table column", "default value":
			n, ok = columnOwner(e.ObjectIdentity)
		case "toast table":
			continue
		}
		if !ok {
			p.full = true // schema, extension, collation, anything else: sweep
			continue
		}
		add(n, e)
	}
	if len(lookups) > 0 {
		var idx, stx []uint32
		for _, l := range lookups {
			if l.e.IsDrop || l.e.ObjID == 0 {
				continue
			}
			if l.kind == checker.KindIndex {
				idx = append(idx, l.e.ObjID)
			} else {
				stx = append(stx, l.e.ObjID)
			}
		}
		found := map[kindOID]checker.Name{}
		if len(idx)+len(stx) > 0 {
			rows, err := conn.Query(ctx, dwsql.Query("recheck_owners"), idx, stx)
			if err != nil {
				return p, fmt.Errorf("look up tables of indexes: %w", err)
			}
			var (
				kind, schema, table string
				oid                 uint32
			)
			_, err = pgx.ForEachRow(rows, []any{&kind, &oid, &schema, &table}, func() error {
				k := checker.KindIndex
				if kind == "statistics" {
					k = checker.KindStatistics
				}
				found[kindOID{k, oid}] = checker.Name{Schema: schema, Name: table}
				return nil
			})
			if err != nil {
				return p, fmt.Errorf("look up tables of indexes: %w", err)
			}
		}
		var missing []lookup
		for _, l := range lookups {
			if n, ok := found[kindOID{l.kind, l.e.ObjID}]; ok && !l.e.IsDrop {
				add(n, l.e)
				continue
			}
			for _, n := range canon.OwnersOf(l.kind, l.self.Schema, l.self.Name) {
				add(n, l.e)
			}
			missing = append(missing, l)
		}
		if len(missing) > 0 {
			kinds := make([]string, len(missing))
			schemas := make([]string, len(missing))
			objs := make([]string, len(missing))
			for i, l := range missing {
				kinds[i], schemas[i], objs[i] = string(l.kind), l.self.Schema, l.self.Name
			}
			rows, err := conn.Query(ctx, `
SELECT d.object_type, d.item->>'schema', d.item->>'name', d.scope_schema, d.scope_name
FROM driftwatch.drift d
WHERE d.resolved_at IS NULL
  AND (d.object_type, d.item->>'schema', d.item->>'name') IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`,
				kinds, schemas, objs)
			if err != nil {
				return p, fmt.Errorf("look up drift of dropped objects: %w", err)
			}
			var kind, schema, name, ownerSchema, ownerName string
			_, err = pgx.ForEachRow(rows, []any{&kind, &schema, &name, &ownerSchema, &ownerName}, func() error {
				for _, l := range missing {
					if string(l.kind) == kind && l.self.Schema == schema && l.self.Name == name {
						add(checker.Name{Schema: ownerSchema, Name: ownerName}, l.e)
					}
				}
				return nil
			})
			if err != nil {
				return p, fmt.Errorf("look up drift of dropped objects: %w", err)
			}
		}
	}
	if p.full || len(names) == 0 {
		return p, nil
	}
	named := sortedNames(names)
	schemas, objs := splitNames(named)
	if err := dependents(ctx, conn, schemas, objs, names); err != nil {
		return p, fmt.Errorf("look up dependent objects: %w", err)
	}
	p.names = sortedNames(names)
	return p, nil
}

// dependents adds the objects that depend on the named ones. It runs on
// every re-check, so it uses a generic plan (planned once per connection,
// as checker.Inspect does for scoped reads) instead of planning each time.
// Setting and query go as one batch, which the server runs as one
// implicit transaction: the setting ends with it, and the lookup costs
// one round trip instead of four (begin, set, query, rollback).
func dependents(ctx context.Context, conn *pgx.Conn, schemas, objs []string, names map[checker.Name]bool) error {
	b := &pgx.Batch{}
	b.Queue("SELECT pg_catalog.set_config('plan_cache_mode', 'force_generic_plan', true)")
	b.Queue(dwsql.Query("recheck_dependents"), schemas, objs).Query(func(rows pgx.Rows) error {
		var schema, name string
		_, err := pgx.ForEachRow(rows, []any{&schema, &name}, func() error {
			names[checker.Name{Schema: schema, Name: name}] = true
			return nil
		})
		return err
	})
	return conn.SendBatch(ctx, b).Close()
}

func sortedNames(set map[checker.Name]bool) []checker.Name {
	out := make([]checker.Name, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b checker.Name) int {
		if c := strings.Compare(a.Schema, b.Schema); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

func splitNames(names []checker.Name) (schemas, objs []string) {
	schemas = make([]string, len(names))
	objs = make([]string, len(names))
	for i, n := range names {
		schemas[i], objs[i] = n.Schema, n.Name
	}
	return schemas, objs
}

// RecheckInfo describes one incremental re-check (for tests and logs).
type RecheckInfo struct {
	Full        bool           // the events asked for a full inspection
	Names       []checker.Name // the scope inspected (nil when Full)
	LiveObjects int            // objects the inspection returned
	Events      int            // DDL events in the batch
	Duration    time.Duration
}

// handleBatch re-checks what a batch of DDL events touched and records the
// outcome (drift transitions, ddl.observed events, the batch's ack) in one
// transaction.
func (d *Daemon) handleBatch(ctx context.Context, b Batch) error {
	d.checkMu.Lock()
	defer d.checkMu.Unlock()
	st := d.current()
	start := time.Now()
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire connection: %w", err)
	}
	p, err := planRecheck(ctx, conn.Conn(), b.Events, st.canon, st.cfg.Check.Privileges)
	if err != nil {
		conn.Release()
		return err
	}
	planned := time.Now()
	var (
		live, want *checker.Model
		items      []checker.Drift
	)
	oc := outcome{
		all:        p.full,
		events:     b.Events,
		cause:      p.cause,
		eventNames: p.eventNames,
		ack:        b.queueAck,
	}
	switch {
	case p.full:
		live, err = checker.Inspect(ctx, conn.Conn(), checker.InspectOptions{Against: st.canon, Parallel: 1})
		want = st.canon
	case len(p.names) > 0:
		live, err = checker.Inspect(ctx, conn.Conn(), checker.InspectOptions{Scope: &checker.Scope{Names: p.names}})
		if err == nil {
			live = live.InScope(p.names)
		}
		want = st.canon.InScope(p.names)
		oc.names = p.names
	}
	conn.Release()
	if err != nil {
		return fmt.Errorf("inspect changed objects: %w", err)
	}
	inspected := time.Now()
	if live != nil {
		items = checker.Diff(want, live, st.diff)
	}
	info := RecheckInfo{Full: p.full, Events: len(b.Events), Duration: time.Since(start)}
	if !p.full {
		info.Names = p.names
	}
	if live != nil {
		info.LiveObjects = len(live.Objects)
		d.m.Rechecks.Inc()
		d.m.RecheckSeconds.Observe(info.Duration.Seconds())
	}
	if h := d.hooks.onRecheck; h != nil {
		h(info)
	}
	oc.items = items
	diffed := time.Now()
	if _, err := d.record(ctx, st, oc); err != nil {
		return err
	}
	d.m.DDLEvents.Add(float64(len(b.Events)))
	// The phases, to tell a slow catalog read from a slow commit.
	d.log.Debug().Int("events", len(b.Events)).Bool("full", p.full).Int("names", len(p.names)).
		Int("drift", len(items)).Dur("plan", planned.Sub(start)).Dur("inspect", inspected.Sub(planned)).
		Dur("diff", diffed.Sub(inspected)).Dur("record", time.Since(diffed)).
		Dur("took", time.Since(start)).Msg("re-checked DDL")
	return nil
}

// parseIdents reads dot-separated identifiers as PostgreSQL's
// object_identity prints them (quoted with "" where needed) from the start
// of s, and returns them with the unread rest ("(integer)", "[]", " on ...").
func parseIdents(s string) (parts []string, rest string) {
	i := 0
	for {
		var b strings.Builder
		if i < len(s) && s[i] == '"' {
			i++
			for i < len(s) {
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						b.WriteByte('"')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
		} else {
			for i < len(s) && !strings.ContainsRune(`."( [`, rune(s[i])) {
				b.WriteByte(s[i])
				i++
			}
		}
		parts = append(parts, b.String())
		if i < len(s) && s[i] == '.' {
			i++
			continue
		}
		return parts, s[i:]
	}
}

// qualifiedName parses "schema.name" (nothing may follow but a function's
// argument list, or "[]" which reports ok false: array types are
// companions of their element type).
func qualifiedName(identity string) (checker.Name, bool) {
	p, rest := parseIdents(identity)
	if len(p) != 2 || p[1] == "" || strings.HasPrefix(rest, "[") {
		return checker.Name{}, false
	}
	if rest != "" && !strings.HasPrefix(rest, "(") {
		return checker.Name{}, false
	}
	return checker.Name{Schema: p[0], Name: p[1]}, true
}

// onName parses "x on schema.table" (triggers, policies, rules, table and
// domain constraints) and returns schema.table.
func onName(identity string) (checker.Name, bool) {
	_, rest := parseIdents(identity)
	rest, ok := strings.CutPrefix(rest, " on ")
	if !ok {
		return checker.Name{}, false
	}
	return qualifiedName(rest)
}

// columnOwner parses "schema.table.column" (table column) or
// "for schema.table.column" (default value) and returns schema.table.
func columnOwner(identity string) (checker.Name, bool) {
	identity = strings.TrimPrefix(identity, "for ")
	p, rest := parseIdents(identity)
	if len(p) != 3 || rest != "" {
		return checker.Name{}, false
	}
	return checker.Name{Schema: p[0], Name: p[1]}, true
}
