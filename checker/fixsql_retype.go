package checker

// retypesViews says whether an item's fix retypes a column in place
// (ALTER COLUMN TYPE), which drops the live views on its table and
// creates them again from canonical once the column has its type.
func retypesViews(d *Drift, have *Model) bool {
	if d.Change != Changed || d.expected.Kind != KindColumn || d.expected.Attr("generated") != "" {
		return false
	}
	if _, ok := d.Diff["generated"]; ok {
		return false
	}
	_, typ := d.Diff["type"]
	_, coll := d.Diff["collation"]
	return (typ || coll) && !inheritedColumn(have, d.actual)
}

// retypeAhead counts, per table key, the items that retype one of its
// columns (retypesViews), and says which items do: Diff counts each
// down as it is reached, so the counts are of the items still to come.
func retypeAhead(items []*Drift, have *Model) (ahead map[string]int, retypes []bool) {
	ahead, retypes = map[string]int{}, make([]bool, len(items))
	for i, it := range items {
		if retypes[i] = retypesViews(it, have); retypes[i] {
			ahead[it.actual.ParentKey()]++
		}
	}
	return ahead, retypes
}

// leftToRetype says whether live view v reads, itself or through other
// live views, a table whose column a later item retypes: that item
// creates v again, after the column has its canonical type, which v's
// canonical definition may need (a function called on the column).
func (b *sqlBuilder) leftToRetype(v *Object) bool {
	if len(b.retypeAhead) == 0 || b.have == nil {
		return false
	}
	seen := map[string]bool{}
	var reads func(o *Object) bool
	reads = func(o *Object) bool {
		for _, k := range o.Deps() {
			if seen[k] {
				continue
			}
			seen[k] = true
			if b.retypeAhead[k] > 0 {
				return true
			}
			if u := b.have.Lookup(k); u != nil && (u.Kind == KindView || u.Kind == KindMatView) && reads(u) {
				return true
			}
		}
		return false
	}
	return reads(v)
}
