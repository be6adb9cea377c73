package checker

import (
	"context"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

func (in *inspector) schemas(ctx context.Context) error {
	return in.each(ctx, "schemas", nil, func(rows pgx.Rows) error {
		var (
			name           string
			comment, owner *string
			acl            []string
		)
		if err := rows.Scan(&name, &comment, &acl, &owner); err != nil {
			return err
		}
		o := newObject(KindSchema, "", "", name)
		o.SetComment(str(comment))
		o.SetACL(normalizeACL(acl, acl == nil, str(owner), ""))
		in.m.Add(o)
		return nil
	})
}

func (in *inspector) extensions(ctx context.Context) error {
	return in.each(ctx, "extensions", nil, func(rows pgx.Rows) error {
		var (
			name, version, schema string
			comment               *string
		)
		if err := rows.Scan(&name, &version, &schema, &comment); err != nil {
			return err
		}
		o := newObject(KindExtension, "", "", name)
		o.setNamed(
			"version", version,
			"schema", schema,
		)
		o.SetComment(str(comment))
		in.m.Add(o)
		return nil
	})
}

func (in *inspector) collations(ctx context.Context) error {
	return in.each(ctx, "collations", nil, func(rows pgx.Rows) error {
		var (
			schema, name, provider          string
			deterministic                   bool
			collate, ctype, locale, comment *string
		)
		if err := rows.Scan(&schema, &name, &provider, &deterministic, &collate, &ctype, &locale, &comment); err != nil {
			return err
		}
		parts := []string{}
		switch provider {
		case "i":
			parts = append(parts, "provider = icu")
		case "c":
			parts = append(parts, "provider = libc")
		case "b":
			parts = append(parts, "provider = builtin")
		}
		if str(locale) != "" {
			parts = append(parts, "locale = "+QuoteLiteral(str(locale)))
		}
		if str(collate) != "" {
			parts = append(parts, "lc_collate = "+QuoteLiteral(str(collate)))
		}
		if str(ctype) != "" {
			parts = append(parts, "lc_ctype = "+QuoteLiteral(str(ctype)))
		}
		if !deterministic {
			parts = append(parts, "deterministic = false")
		}
		o := newObject(KindCollation, schema, "", name)
		o.SetAttr("definition", strings.Join(parts, ", "))
		o.SetComment(str(comment))
		in.m.Add(o)
		return nil
	})
}

var typtypeWords = map[string]string{"e": "enum", "d": "domain", "c": "composite", "r": "range"}

func (in *inspector) types(ctx context.Context) error {
	return in.each(ctx, "types", in.scopeArgs(), func(rows pgx.Rows) error {
		var (
			oid                   uint32
			schema, name, typtype string
			labels                []string
			def, comment, owner   *string
			acl                   []string
			relid                 *uint32
		)
		if err := rows.Scan(&oid, &schema, &name, &typtype, &labels, &def, &comment, &acl, &owner, &relid); err != nil {
			return err
		}
		o := newObject(KindType, schema, "", name)
		o.SetAttr("type", typtypeWords[typtype])
		if typtype == "e" {
			quoted := make([]string, len(labels))
			for i, l := range labels {
				quoted[i] = QuoteLiteral(l)
			}
			o.setNamed(
				"definition", strings.Join(quoted, ", "),
				"labels", strings.Join(labels, "\x1f"),
			)
		} else {
			o.setNamed(
				"definition", str(def),
				"labels", strings.Join(labels, "\x1f"),
			)
		}
		o.SetComment(str(comment))
		o.SetACL(normalizeACL(acl, acl == nil, str(owner), "U"))
		in.m.Add(o)
		in.deps.add("pg_type", oid, o)
		if relid != nil {
			// A composite's attributes depend on other types through its
			// relation: those edges are the type's.
			in.deps.add("pg_class", *relid, o)
		}
		return nil
	})
}

var prokindWords = map[string]string{"f": "function", "p": "procedure", "a": "aggregate", "w": "window"}

func (in *inspector) functions(ctx context.Context) error {
	return in.each(ctx, "functions", in.scopeArgs(), func(rows pgx.Rows) error {
		var (
			oid                         uint32
			schema, name, args, kind    string
			result, def, comment, owner *string
			acl                         []string
		)
		if err := rows.Scan(&oid, &schema, &name, &args, &kind, &result, &def, &comment, &acl, &owner); err != nil {
			return err
		}
		o := newObject(KindFunction, schema, "", name+"("+args+")")
		o.setNamed(
			"kind", prokindWords[kind],
			"result", str(result),
			"definition", strings.TrimSpace(str(def)),
		)
		o.SetComment(str(comment))
		o.SetACL(normalizeACL(acl, acl == nil, str(owner), "X"))
		in.m.Add(o)
		in.deps.add("pg_proc", oid, o)
		return nil
	})
}

var evtEnabledWords = map[string]string{"O": "enabled", "D": "disabled", "R": "replica", "A": "always"}

func (in *inspector) eventTriggers(ctx context.Context) error {
	return in.each(ctx, "event_triggers", nil, func(rows pgx.Rows) error {
		var (
			name, event, fn, tags, enabled string
			comment                        *string
		)
		if err := rows.Scan(&name, &event, &fn, &tags, &enabled, &comment); err != nil {
			return err
		}
		o := newObject(KindEventTrigger, "", "", name)
		o.setNamed(
			"event", event,
			"function", fn,
			"tags", tags,
			"enabled", evtEnabledWords[enabled],
		)
		o.SetComment(str(comment))
		in.m.Add(o)
		return nil
	})
}

// depIndex maps catalog (class, oid) pairs to model objects, to turn
// pg_depend edges into Deps.
type depIndex struct {
	byOID   map[string]map[uint32]*Object
	pending []depEdge
	shared  func(*Object) bool // objects not to add dependencies to
}

type depEdge struct {
	from  *Object
	class string
	oid   uint32
}

func newDepIndex() *depIndex {
	return &depIndex{byOID: map[string]map[uint32]*Object{}, shared: func(*Object) bool { return false }}
}

func (d *depIndex) add(class string, oid uint32, o *Object) {
	if oid == 0 {
		return
	}
	m := d.byOID[class]
	if m == nil {
		m = map[uint32]*Object{}
		d.byOID[class] = m
	}
	m[oid] = o
}

func (d *depIndex) link(from *Object, class string, oid uint32) {
	if d.shared(from) {
		return // Against's: its own dependencies stand
	}
	to := d.byOID[class][oid]
	if to == nil || to == from {
		return
	}
	from.AddDep(to.Key())
}

func (in *inspector) dependencies(ctx context.Context) error {
	for _, e := range in.deps.pending {
		in.deps.link(e.from, e.class, e.oid)
	}
	in.deps.pending = nil
	in.inheritanceDeps()
	query, args := "depends", []any(nil)
	if in.scope != nil {
		// Only what the scoped objects depend on: the cost stays with the
		// scope, not the schema.
		var oids []uint32
		for _, m := range in.deps.byOID {
			for oid := range m {
				oids = append(oids, oid)
			}
		}
		query, args = "depends_scoped", []any{oids}
	}
	var sharedEdges []depPair
	edge := func(class string, objid uint32, refclass string, refobjid uint32) {
		from := in.deps.byOID[class][objid]
		if from == nil {
			return
		}
		if in.deps.shared(from) && catalogDepsOnly(from.Kind) {
			if to := in.deps.byOID[refclass][refobjid]; to != nil && to != from {
				sharedEdges = append(sharedEdges, depPair{from, to})
			}
			return
		}
		in.deps.link(from, refclass, refobjid)
	}
	if in.depRowsRead {
		for _, r := range in.depRows {
			edge(r.class, r.objid, r.refclass, r.refobjid)
		}
		in.depRows = nil
	} else {
		err := in.each(ctx, query, args, func(rows pgx.Rows) error {
			var (
				class, refclass string
				objid, refobjid uint32
			)
			if err := rows.Scan(&class, &objid, &refclass, &refobjid); err != nil {
				return err
			}
			edge(class, objid, refclass, refobjid)
			return nil
		})
		if err != nil {
			return err
		}
	}
	in.unshareMoved(sharedEdges)
	return nil
}

type depPair struct{ from, to *Object }

// depRow is a row of depends.sql.
type depRow struct {
	class, refclass string
	objid, refobjid uint32
}

// dependencyRows runs depends.sql of a full read and holds its rows (some
// 13,000 at 10,000 tables, 32 bytes each) for dependencies, which needs
// every object read first: the query then runs beside the other steps
// instead of alone after them all (60 ms of a 10,000-table check's wall
// time).
func (in *inspector) dependencyRows(ctx context.Context) error {
	classes := map[string]string{}
	intern := func(b []byte) string {
		if s, ok := classes[string(b)]; ok {
			return s
		}
		s := string(b)
		classes[s] = s
		return s
	}
	in.depRowsRead = true
	return in.each(ctx, "depends", nil, func(rows pgx.Rows) error {
		var r depRow
		if err := rows.Scan(nil, &r.objid, nil, &r.refobjid); err != nil {
			return err
		}
		raw := rows.RawValues()
		r.class, r.refclass = intern(raw[0]), intern(raw[2])
		in.depRows = append(in.depRows, r)
		return nil
	})
}

// catalogDepsOnly says whether all of a kind's dependencies come from
// pg_depend (none are read with the object by its step).
func catalogDepsOnly(k Kind) bool {
	switch k {
	case KindView, KindMatView, KindFunction, KindType:
		return true
	}
	return false
}

// unshareMoved checks the dependencies read for shared views, functions
// and types against Against's: the same definition may use other objects
// (a view on x.data, where x.data is a table on one side and a view on
// the other). Such an object gets a copy of its own, with the live
// dependencies, so that fix SQL knows what really uses what.
func (in *inspector) unshareMoved(edges []depPair) {
	if len(edges) == 0 {
		return
	}
	live := map[*Object][]string{}
	for _, e := range edges {
		if k := e.to.Key(); !slices.Contains(live[e.from], k) {
			live[e.from] = append(live[e.from], k)
		}
	}
	moved := map[*Object]*Object{}
	for o, deps := range live {
		if len(deps) == len(o.Deps()) && depsWithin(deps, o.Deps()) {
			continue
		}
		moved[o] = o.cloneWithDeps(deps)
	}
	if len(moved) == 0 {
		return
	}
	for i, o := range in.m.Objects {
		if c, ok := moved[o]; ok {
			in.m.Objects[i] = c
		}
	}
	for _, m := range in.deps.byOID {
		for oid, o := range m {
			if c, ok := moved[o]; ok {
				m[oid] = c
			}
		}
	}
}

// inheritanceDeps links tables to the tables they are partitions or
// children of, and inherited columns and CHECK constraints to the ones of
// the same name on those parents (what PostgreSQL copies down). Creation
// then orders parents first, and the differ can tell drift that follows
// from a parent's from drift of the child's own.
func (in *inspector) inheritanceDeps() {
	tables := map[string]*Object{}
	for _, o := range in.m.Objects {
		if o.Kind == KindTable {
			tables[o.Key()] = o
		}
	}
	parents := map[string][]*Object{} // table key -> parent tables
	for _, o := range in.m.Objects {
		if o.Kind != KindTable {
			continue
		}
		for _, p := range append(splitNameList(o.Attr("partition_of")), splitNameList(o.Attr("inherits"))...) {
			q := splitQualified(p)
			if len(q) != 2 {
				continue
			}
			k := Key(KindTable, q[0], "", q[1])
			if !in.sharer.shared(o) {
				o.AddDep(k)
			}
			if t := tables[k]; t != nil {
				parents[o.Key()] = append(parents[o.Key()], t)
			}
		}
	}
	for _, o := range in.m.Objects {
		if !o.Inherited() || (o.Kind != KindColumn && o.Kind != KindConstraint) || hasDepOfKind(o, o.Kind) || in.sharer.shared(o) {
			continue // a partition's cloned constraint names its parent already
		}
		for _, p := range parents[Key(KindTable, o.Schema, "", o.Table)] {
			o.AddDep(Key(o.Kind, p.Schema, p.Name, o.Name))
		}
	}
}

func hasDepOfKind(o *Object, k Kind) bool {
	for _, d := range o.Deps() {
		if strings.HasPrefix(d, string(k)+"\x1f") {
			return true
		}
	}
	return false
}

// splitNameList splits a ", "-separated list of quoted names as
// relations.sql prints them, keeping separators inside double quotes.
func splitNameList(s string) []string {
	var out []string
	start, inQuote := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			inQuote = !inQuote
		case !inQuote && s[i] == ',' && i+1 < len(s) && s[i+1] == ' ':
			out = append(out, s[start:i])
			start = i + 2
			i++
		}
	}
	if s != "" {
		out = append(out, s[start:])
	}
	return out
}
