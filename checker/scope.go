package checker

import (
	"slices"
	"sort"
	"strings"
)

// Owner returns the top-level object an object belongs to, as a scoped
// Inspect names it: the relation of a column, constraint, index, trigger,
// policy or rule (the domain of a domain constraint); the table of an
// extended statistics object; a function by its name without arguments;
// anything else by its own schema and name. Schemas, extensions and event
// triggers have no schema: their owner is ("", name).
func Owner(o *Object) Name {
	switch {
	case o.Table != "":
		return Name{Schema: o.Schema, Name: o.Table}
	case o.Kind == KindFunction:
		n, _ := splitSignature(o.Name)
		return Name{Schema: o.Schema, Name: n}
	case o.Kind == KindStatistics:
		if n, ok := statisticsTable(o.Attr("definition")); ok {
			return n
		}
	}
	return Name{Schema: o.Schema, Name: o.Name}
}

// statisticsTable reads the table of a statistics object from
// pg_get_statisticsobjdef's "CREATE STATISTICS s ON a, b FROM schema.table".
func statisticsTable(def string) (Name, bool) {
	i := strings.LastIndex(def, " FROM ")
	if i < 0 {
		return Name{}, false
	}
	p := splitQualified(strings.TrimSpace(def[i+len(" FROM "):]))
	if len(p) != 2 {
		return Name{}, false
	}
	return Name{Schema: p[0], Name: p[1]}, true
}

// InScope returns the part of m that a scoped Inspect of names reads:
// the objects whose Owner is one of names. Schemas, extensions, collations
// and event triggers are never in a scope (a scoped Inspect does not read
// them). Use it to restrict the canonical model to what an incremental
// re-check inspected, so that Diff compares like with like.
func (m *Model) InScope(names []Name) *Model {
	if !m.sorted {
		set := make(map[Name]bool, len(names))
		for _, n := range names {
			set[n] = true
		}
		return m.Filter(func(o *Object) bool { return inScopeKind(o.Kind) && set[Owner(o)] })
	}
	// A sorted model is searched, not walked: an incremental re-check
	// restricts the canonical model to a few names many times, and at
	// 10,000 tables a walk is 151,000 objects each time.
	var at []int
	for _, r := range m.kindRanges() {
		if !inScopeKind(r.kind) {
			continue
		}
		for _, n := range names {
			at = m.appendOwned(at, r, n)
		}
	}
	slices.Sort(at)
	at = slices.Compact(at)
	out := &Model{ServerVersion: m.ServerVersion, Objects: make([]*Object, len(at)), sorted: true}
	for i, j := range at {
		out.Objects[i] = m.Objects[j]
	}
	return out
}

// inScopeKind says whether objects of kind k can be in a scope: schemas,
// extensions, collations, event triggers, foreign-data wrappers, servers,
// casts, publications, text search objects, operators, operator
// families and classes and default privileges never are.
func inScopeKind(k Kind) bool {
	switch k {
	case KindSchema, KindExtension, KindCollation, KindEventTrigger, KindFDW, KindServer, KindCast, KindPublication,
		KindTSDictionary, KindTSConfig, KindTSParser, KindTSTemplate, KindOperator, KindOpFamily, KindOpClass, KindDefaultACL:
		return false
	}
	return true
}

// kindRange is where the objects of one kind are in a sorted model.
type kindRange struct {
	kind   Kind
	lo, hi int
}

// kindRanges splits a sorted model's objects by kind.
func (m *Model) kindRanges() []kindRange {
	var out []kindRange
	for lo := 0; lo < len(m.Objects); {
		r := m.kindRangeFrom(lo, m.Objects[lo].Kind)
		out = append(out, r)
		lo = r.hi
	}
	return out
}

// kindRangeFrom is where the objects of kind k are in a sorted model, at
// or after position lo (empty at the first greater kind when none are).
func (m *Model) kindRangeFrom(lo int, k Kind) kindRange {
	objs := m.Objects[lo:]
	start := lo + sort.Search(len(objs), func(i int) bool { return objs[i].Kind >= k })
	end := lo + sort.Search(len(objs), func(i int) bool { return objs[i].Kind > k })
	return kindRange{k, start, end}
}

// appendOwned appends the positions of r's objects whose Owner is n: the
// objects of table (or domain) n, and n itself, or its overloads for a
// function, or the statistics objects on n.
func (m *Model) appendOwned(at []int, r kindRange, n Name) []int {
	objs := m.Objects[r.lo:r.hi]
	// from is the first object at or after (schema, table, name).
	from := func(table, name string) int {
		return sort.Search(len(objs), func(i int) bool {
			o := objs[i]
			if o.Schema != n.Schema {
				return o.Schema > n.Schema
			}
			if o.Table != table {
				return o.Table > table
			}
			return o.Name >= name
		})
	}
	for i := from(n.Name, ""); i < len(objs) && objs[i].Schema == n.Schema && objs[i].Table == n.Name; i++ {
		at = append(at, r.lo+i)
	}
	switch r.kind {
	case KindStatistics:
		// Its table is in its definition: few enough to walk.
		for i, o := range objs {
			if o.Table == "" && Owner(o) == n {
				at = append(at, r.lo+i)
			}
		}
		return at
	case KindFunction:
		sig := n.Name + "("
		for i := from("", sig); i < len(objs) && objs[i].Schema == n.Schema && objs[i].Table == "" &&
			strings.HasPrefix(objs[i].Name, sig); i++ {
			if Owner(objs[i]) == n {
				at = append(at, r.lo+i)
			}
		}
	}
	if i := from("", n.Name); i < len(objs) && objs[i].Schema == n.Schema && objs[i].Table == "" && objs[i].Name == n.Name &&
		Owner(objs[i]) == n {
		at = append(at, r.lo+i)
	}
	return at
}

// OwnersOf returns the owners of the objects of a kind with the given
// schema and own name (an index or statistics object named by a DDL event
// after it is gone), in model order.
func (m *Model) OwnersOf(kind Kind, schema, name string) []Name {
	objs := m.Objects
	if m.sorted {
		r := m.kindRangeFrom(0, kind)
		objs = m.Objects[r.lo:r.hi]
	}
	var out []Name
	for _, o := range objs {
		if o.Kind == kind && o.Schema == schema && o.Name == name {
			out = append(out, Owner(o))
		}
	}
	return out
}

// Owner returns the top-level object the drift item belongs to (see the
// function Owner): an incremental re-check of that name covers the item.
func (d *Drift) Owner() Name {
	if o := d.object(); o != nil {
		return Owner(o)
	}
	switch {
	case d.Table != "":
		return Name{Schema: d.Schema, Name: d.Table}
	case d.ObjectType == KindFunction:
		n, _ := splitSignature(d.Name)
		return Name{Schema: d.Schema, Name: n}
	}
	return Name{Schema: d.Schema, Name: d.Name}
}

// has says whether m holds an object of kind k.
func (m *Model) has(k Kind) bool {
	if m.sorted {
		r := m.kindRangeFrom(0, k)
		return r.hi > r.lo
	}
	return slices.ContainsFunc(m.Objects, func(o *Object) bool { return o.Kind == k })
}

// ofKind returns m's objects of kind k: a run of m.Objects (not to be
// changed) when m is sorted, a walk otherwise. A fix asks it per object
// it writes: at 10,000 tables a walk is 150,000 objects each time.
func (m *Model) ofKind(k Kind) []*Object {
	if m.sorted {
		r := m.kindRangeFrom(0, k)
		return m.Objects[r.lo:r.hi:r.hi]
	}
	var out []*Object
	for _, o := range m.Objects {
		if o.Kind == k {
			out = append(out, o)
		}
	}
	return out
}
