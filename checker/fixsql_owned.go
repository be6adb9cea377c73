package checker

import "strings"

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
	for _, s := range b.want.sequencesOwnedBy(Key(KindTable, schema, "", table)) {
		if containsObject(skip, s) {
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
	for _, s := range b.have.sequencesOwnedBy(Key(KindTable, schema, "", table)) {
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

// releaseForeignKeys drops, before a table is dropped, the foreign keys
// that reference it from other tables the canonical schema does not have
// either: those tables' own drops come later (or with their schema), and
// a reference between two doomed tables, or a cycle of them, would
// otherwise block the first DROP TABLE. It reports whether a foreign key
// that stays references a partitioned table above o: PostgreSQL refuses to
// drop a partition such a key depends on, but lets it be detached first.
func (b *sqlBuilder) releaseForeignKeys(o *Object) (keptAbove bool) {
	if b.want == nil || b.have == nil {
		return false
	}
	// The table and its partitions, at any depth: DROP TABLE takes them all.
	doomed := map[string]bool{}
	for queue := []string{Key(KindTable, o.Schema, "", o.Name)}; len(queue) > 0; queue = queue[1:] {
		if doomed[queue[0]] {
			continue
		}
		doomed[queue[0]] = true
		for _, t := range b.have.partitionsOf(queue[0]) {
			queue = append(queue, t.Key())
		}
	}
	// A foreign key to a partitioned table depends on each partition too.
	referenced := map[string]bool{}
	for k := range doomed {
		referenced[k] = true
	}
	for t, n := o, 0; t != nil && t.Attr("partition_of") != "" && n < 64; n++ {
		q := splitQualified(t.Attr("partition_of"))
		if len(q) != 2 {
			break
		}
		k := Key(KindTable, q[0], "", q[1])
		referenced[k] = true
		t = b.have.Lookup(k)
	}
	// The foreign keys that use a key or unique index of those tables.
	var fks []*Object
	for k := range referenced {
		t := b.have.Lookup(k)
		if t == nil {
			continue
		}
		for _, key := range b.have.childrenOf(t.Schema, t.Name) {
			if key.Kind != KindConstraint && key.Kind != KindIndex {
				continue
			}
			for _, c := range b.have.dependentsOf(key.Key()) {
				if c.Kind != KindConstraint || c.Attr("type") != "foreign key" || c.Inherited() || doomed[c.ParentKey()] {
					continue
				}
				if b.want.Lookup(c.ParentKey()) != nil {
					// A kept table: its foreign key is an item of its own.
					keptAbove = keptAbove || !doomed[k]
					continue
				}
				fks = append(fks, c)
			}
		}
	}
	for _, c := range sortedObjects(fks) {
		b.add("ALTER TABLE IF EXISTS %s DROP CONSTRAINT IF EXISTS %s;", qtable(c), QuoteIdentMin(c.Name))
	}
	return keptAbove
}

// dropOldPrimaryKey drops the live primary key that holds a column about
// to lose NOT NULL, when the canonical schema has it otherwise: PostgreSQL
// refuses DROP NOT NULL on a key column, and the key's own item (which
// adds the canonical one) comes after the columns.
func (b *sqlBuilder) dropOldPrimaryKey(want, have *Object) {
	if b.have == nil || b.want == nil {
		return
	}
	for _, k := range b.have.childrenOf(have.Schema, have.Table) {
		if k.Kind != KindConstraint || k.Attr("type") != "primary key" {
			continue
		}
		if w := b.want.Lookup(k.Key()); w != nil && w.Attr("definition") == k.Attr("definition") {
			continue
		}
		if !keyHasColumn(k.Attr("definition"), QuoteIdentMin(have.Name)) {
			continue
		}
		b.add("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s;", qtable(k), QuoteIdentMin(k.Name))
	}
}

// keyHasColumn says whether "PRIMARY KEY (a, b) ..." lists column col
// (quoted as PostgreSQL prints it).
func keyHasColumn(def, col string) bool {
	open := strings.IndexByte(def, '(')
	if open < 0 {
		return false
	}
	end := closing(def, open)
	if end < 0 {
		return false
	}
	for _, c := range splitNameList(def[open+1 : end]) {
		if c == col {
			return true
		}
	}
	return false
}

// releaseColumn drops, before a column is dropped, what may still use it
// and what the canonical schema has otherwise anyway: the table's policies
// and triggers defined anew (their items drop and create them again) and
// the foreign keys that use a key holding the column (PostgreSQL drops
// the key with the column but not a foreign key that relies on it).
func (b *sqlBuilder) releaseColumn(col *Object) {
	if b.want == nil || b.have == nil {
		return
	}
	table := col.ParentKey()
	quoted := QuoteIdentMin(col.Name)
	keys := map[string]bool{}
	for _, o := range b.have.childrenOf(col.Schema, col.Table) {
		switch {
		case (o.Kind == KindPolicy || o.Kind == KindTrigger) && o.ParentKey() == table && !o.Inherited():
			if w := b.want.Lookup(o.Key()); w != nil && !sameAttrs(w, o) {
				b.drop(o)
			}
		case (o.Kind == KindConstraint || o.Kind == KindIndex) && o.ParentKey() == table:
			def := o.Attr("definition")
			if o.Kind == KindIndex {
				if i := strings.Index(def, " ("); i >= 0 {
					def = "KEY" + def[i:]
				}
			}
			if keyHasColumn(def, quoted) {
				keys[o.Key()] = true
			}
		}
	}
	var fks []*Object
	for k := range keys {
		for _, fk := range b.have.dependentsOf(k) {
			if fk.Kind != KindConstraint || fk.Attr("type") != "foreign key" || fk.Inherited() {
				continue
			}
			if w := b.want.Lookup(fk.Key()); w != nil && w.Attr("definition") == fk.Attr("definition") {
				continue
			}
			fks = append(fks, fk)
		}
	}
	for _, fk := range sortedObjects(fks) {
		b.add("ALTER TABLE IF EXISTS %s DROP CONSTRAINT IF EXISTS %s;", qtable(fk), QuoteIdentMin(fk.Name))
	}
}

// sameAttrs says whether two versions of an object agree on every
// attribute that is always compared.
func sameAttrs(a, b *Object) bool {
	for _, spec := range specOf(a.Kind).attrs {
		if spec.gate != "" {
			continue // optional or never compared: no item recreates it
		}
		if a.Attr(spec.name) != b.Attr(spec.name) {
			return false
		}
	}
	return true
}
