package checker

import "strings"

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
	set := make(map[Name]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	return m.Filter(func(o *Object) bool {
		switch o.Kind {
		case KindSchema, KindExtension, KindCollation, KindEventTrigger:
			return false
		}
		return set[Owner(o)]
	})
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
