package checker

import "slices"

// relIndex answers the questions fix_sql asks of a whole model for one
// item (what belongs to this table, what uses this object, which
// sequences this table owns, which tables are its partitions or inherit
// from it) without a scan of every object. A scan per item made the fix of
// a large drift quadratic: an empty database checked against a
// 10,000-table canonical schema, or a canonical schema of a few tables
// checked against a large database, took minutes. Built once per model,
// on first use, like the key index.
type relIndex struct {
	children   map[string][]*Object // schema\x1ftable → the objects with that Table
	dependents map[string][]*Object // key → the objects whose Deps name it
	ownedSeqs  map[string][]*Object // table key → sequences OWNED BY one of its columns
	partitions map[string][]*Object // table key → its partitions
	inheritors map[string][]*Object // table key → the tables that inherit from it
}

// rel returns the model's relation index, building it on first use.
func (m *Model) rel() *relIndex {
	if m.relations != nil {
		return m.relations
	}
	r := &relIndex{children: map[string][]*Object{}, dependents: map[string][]*Object{},
		ownedSeqs: map[string][]*Object{}, partitions: map[string][]*Object{}, inheritors: map[string][]*Object{}}
	for _, o := range m.Objects {
		if o.Table != "" {
			k := o.Schema + "\x1f" + o.Table
			r.children[k] = append(r.children[k], o)
		}
		for _, d := range o.Deps() {
			if l := r.dependents[d]; len(l) == 0 || l[len(l)-1] != o {
				r.dependents[d] = append(l, o)
			}
		}
		switch o.Kind {
		case KindSequence:
			if p := splitQualified(o.Attr("owned_by")); len(p) == 3 {
				k := Key(KindTable, p[0], "", p[1])
				r.ownedSeqs[k] = append(r.ownedSeqs[k], o)
			}
		case KindTable:
			if p := splitQualified(o.Attr("partition_of")); len(p) == 2 {
				k := Key(KindTable, p[0], "", p[1])
				r.partitions[k] = append(r.partitions[k], o)
			}
			for _, parent := range splitNameList(o.Attr("inherits")) {
				if p := splitQualified(parent); len(p) == 2 {
					k := Key(KindTable, p[0], "", p[1])
					r.inheritors[k] = append(r.inheritors[k], o)
				}
			}
		}
	}
	m.relations = r
	return r
}

// childrenOf returns the objects that belong to relation (or domain)
// schema.table, in model order.
func (m *Model) childrenOf(schema, table string) []*Object {
	return m.rel().children[schema+"\x1f"+table]
}

// dependentsOf returns the objects whose dependencies name key, in model
// order.
func (m *Model) dependentsOf(key string) []*Object {
	return m.rel().dependents[key]
}

// sequencesOwnedBy returns the sequences owned by a column of the table
// with key tableKey, in model order.
func (m *Model) sequencesOwnedBy(tableKey string) []*Object {
	return m.rel().ownedSeqs[tableKey]
}

// partitionsOf returns the direct partitions of the table with key
// tableKey, in model order.
func (m *Model) partitionsOf(tableKey string) []*Object {
	return m.rel().partitions[tableKey]
}

// inheritorsOf returns the tables that inherit from the table with key
// tableKey, in model order.
func (m *Model) inheritorsOf(tableKey string) []*Object {
	return m.rel().inheritors[tableKey]
}

// sortedObjects returns objs in model order, without duplicates.
func sortedObjects(objs []*Object) []*Object {
	out := slices.Clone(objs)
	slices.SortFunc(out, compareObjects)
	return slices.CompactFunc(out, func(a, b *Object) bool { return a == b })
}
