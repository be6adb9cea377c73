package checker

import "slices"

// partitionReordered says whether a partition's columns come in another
// order than its parent's. pg_dump makes every partition on its own and
// attaches it, so a table attached with its columns in its own order
// keeps that order; PARTITION OF would give it the parent's. Such a
// partition is created on its own and attached, as pg_dump does. Not
// with identity or generated columns, whose definitions a partition
// takes from its parent.
func (b *sqlBuilder) partitionReordered(table *Object, cols []*Object) bool {
	q := splitQualified(table.Attr("partition_of"))
	if len(q) != 2 || b.want == nil {
		return false
	}
	last := 0
	for _, c := range sortedByPosition(cols) {
		if c.Attr("identity") != "" || c.Attr("generated") != "" {
			return false
		}
		pc := b.want.Lookup(Key(KindColumn, q[0], q[1], c.Name))
		if pc == nil {
			return false
		}
		n := columnPosition(pc)
		if n < last {
			return true
		}
		last = n
	}
	return false
}

// keyHeldByParent says whether c is a partition's own key whose index
// is attached to a plain index of the parent's (attached_to).
func keyHeldByParent(c *Object) bool {
	return c.Kind == KindConstraint && !c.Inherited() && c.Attr("attached_to") != ""
}

// partitionKeyHeld says whether a new partition has a key of its own
// whose index canonical attaches to an index of the parent's. Made
// PARTITION OF, the partition would get a clone of the parent's index at
// once, and the key a second index beside it; made on its own with the
// key and attached (as pg_dump does), the ATTACH finds the key's index
// and attaches it. Not with identity or generated columns, which a
// partition takes from its parent.
func partitionKeyHeld(cols, constraints []*Object) bool {
	for _, c := range cols {
		if c.Attr("identity") != "" || c.Attr("generated") != "" {
			return false
		}
	}
	return slices.ContainsFunc(constraints, keyHeldByParent)
}

// attachPartition writes what makes a table created on its own the
// partition it should be: the parent's CHECK constraints, which ATTACH
// PARTITION wants the table to have already, and its own keys whose
// indexes the parent's hold (keyHeldByParent), then the ATTACH. Other
// keys, foreign keys, indexes and triggers the ATTACH clones.
func (b *sqlBuilder) attachPartition(table *Object, constraints []*Object, opts DiffOptions) {
	for _, c := range constraints {
		if c.Inherited() && c.Attr("type") == "check" || keyHeldByParent(c) {
			b.create(c, nil, opts)
		}
	}
	b.add("ALTER TABLE ONLY %s ATTACH PARTITION %s %s;", table.Attr("partition_of"), qname(table), table.Attr("partition_bound"))
}
