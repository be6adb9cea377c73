package checker

// A sequence OWNED BY a column goes with it: DROP TABLE and DROP COLUMN
// take the sequence along, and OWNED BY needs the column to exist. These
// helpers keep a sequence's ownership in step with the columns the fix
// creates and drops.

// ownerColumnKey is the key of the column an owned_by value names.
func ownerColumnKey(ob string) (string, bool) {
	p := splitQualified(ob)
	if len(p) != 3 {
		return "", false
	}
	return Key(KindColumn, p[0], p[1], p[2]), true
}

// ownerExists says whether the live database already has the column a
// sequence is to be owned by; when it does not, the fix that creates the
// column sets the ownership.
func (b *sqlBuilder) ownerExists(ob string) bool {
	k, ok := ownerColumnKey(ob)
	return !ok || b.have == nil || b.have.Lookup(k) != nil
}

// ownSequences sets OWNED BY for the canonical sequences, new to the live
// database, owned by a column just created (col "" for every column of a
// new table), except those listed in skip.
func (b *sqlBuilder) ownSequences(schema, table, col string, skip []*Object) {
	if b.want == nil {
		return
	}
	for _, s := range b.want.Objects {
		if s.Kind != KindSequence || s.Attr("owned_by") == "" || containsObject(skip, s) {
			continue
		}
		if b.have != nil && b.have.Lookup(s.Key()) != nil {
			continue // an existing sequence's item changes its owner
		}
		k, ok := ownerColumnKey(s.Attr("owned_by"))
		if !ok {
			continue
		}
		if c := b.want.Lookup(k); c == nil || c.Schema != schema || c.Table != table || (col != "" && c.Name != col) {
			continue
		}
		b.add("ALTER SEQUENCE %s OWNED BY %s;", qname(s), s.Attr("owned_by"))
	}
}

// releaseSequences detaches, before a table or column is dropped, the
// live sequences it owns that the canonical schema keeps under another
// owner (or none), so the drop does not take them along.
func (b *sqlBuilder) releaseSequences(schema, table, col string) {
	if b.want == nil || b.have == nil {
		return
	}
	for _, s := range b.have.Objects {
		if s.Kind != KindSequence || s.Attr("owned_by") == "" {
			continue
		}
		k, ok := ownerColumnKey(s.Attr("owned_by"))
		if !ok {
			continue
		}
		c := b.have.Lookup(k)
		if c == nil || c.Schema != schema || c.Table != table || (col != "" && c.Name != col) {
			continue
		}
		if w := b.want.Lookup(s.Key()); w != nil && w.Attr("owned_by") != s.Attr("owned_by") {
			b.add("ALTER SEQUENCE %s OWNED BY NONE;", qname(s))
		}
	}
}

func containsObject(list []*Object, o *Object) bool {
	for _, x := range list {
		if x == o || x.Key() == o.Key() {
			return true
		}
	}
	return false
}
