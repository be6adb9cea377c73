package checker

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// The fix SQL of indexes made ON ONLY a partitioned table and attached on
// some partitions only, which stay invalid: PostgreSQL builds an index on
// every partition for CREATE INDEX without ONLY, and for a new partition
// under such an index, and no command detaches an attached index. A
// primary key or unique constraint added ON ONLY (ALTER TABLE ONLY ... ADD
// CONSTRAINT) has such an index, and the partitions' keys are attached to
// it the same way: the same code serves both, the object's kind choosing
// the statement that builds it (addOnly).

// createIndexOnly writes one index's CREATE INDEX: without ONLY when
// canonical has it valid, else with ONLY and followed by the ATTACH of
// the partitions' indexes canonical has attached to it. Those among parts
// are built already; one the live database has attached (to the index
// this fix dropped, which took it along) is built again first.
func (b *sqlBuilder) createIndexOnly(o *Object, parts []*Object) {
	b.createIndexDepth(o, parts, false, 0)
}

// createIndexDepth is createIndexOnly; liveOnly leaves out the indexes
// the live database lacks (another item builds them).
func (b *sqlBuilder) createIndexDepth(o *Object, parts []*Object, liveOnly bool, depth int) {
	if o.Attr("invalid") != "true" {
		b.addOnly(o, false)
		return
	}
	b.addOnly(o, true)
	var attached []*Object
	for _, c := range parts {
		if slices.Contains(c.Deps(), o.Key()) {
			attached = append(attached, c)
		}
	}
	if b.want != nil {
		for _, c := range b.want.dependentsOf(o.Key()) {
			if c.Kind != o.Kind || !c.Inherited() || slices.Contains(attached, c) ||
				slices.ContainsFunc(parts, func(p *Object) bool { return p.Key() == c.Key() }) {
				continue
			}
			var live *Object
			if b.have != nil {
				live = b.have.Lookup(c.Key())
			}
			if live == nil && liveOnly || depth >= 64 {
				continue
			}
			if live == nil || live.Inherited() {
				b.createIndexDepth(c, nil, liveOnly, depth+1)
			}
			attached = append(attached, c)
		}
	}
	sort.Slice(attached, func(i, j int) bool { return attached[i].Key() < attached[j].Key() })
	for _, c := range attached {
		b.add("ALTER INDEX %s ATTACH PARTITION %s;", QualifiedName(o.Schema, o.Name), QualifiedName(c.Schema, c.Name))
	}
}

// addOnly writes the statement that builds an index or adds a key
// constraint: with only, on the partitioned table alone (CREATE INDEX ...
// ON ONLY, ALTER TABLE ONLY ... ADD CONSTRAINT), else on its partitions
// too, PostgreSQL attaching their matching indexes or keys, or building
// them. A key's index has the key's name.
func (b *sqlBuilder) addOnly(o *Object, only bool) {
	if o.Kind == KindConstraint {
		word := ""
		if only {
			word = "ONLY "
		}
		b.add("ALTER TABLE %s%s ADD CONSTRAINT %s %s;", word, qtable(o), QuoteIdentMin(o.Name), o.Attr("definition"))
		return
	}
	if only {
		b.add("%s", terminate(o.Attr("definition")))
		return
	}
	b.add("%s", withoutOnly(terminate(o.Attr("definition")), o.Name))
}

// attachPartitions fixes a partitioned index that differs only in which
// partitions' indexes are attached to it, where canonical attaches all
// the live one does and more: those are attached (built first when the
// live database lacks them), and the index is not built again. An index
// cannot be detached: otherwise it is dropped and created anew.
func (b *sqlBuilder) attachPartitions(want, have *Object, folded []*Object, changed func(...string) bool) bool {
	if b.want == nil || !changed("invalid", "attached") || !attachesOnly(want, have) {
		return false
	}
	live := attachedNames(have)
	var add []*Object
	for _, c := range b.want.dependentsOf(want.Key()) {
		if c.Kind == want.Kind && c.Inherited() && !live[QualifiedName(c.Schema, c.Name)] {
			add = append(add, c)
		}
	}
	if len(add) == 0 {
		// Every index canonical attaches is attached already: one of them
		// is a partitioned index not valid yet, and PostgreSQL validates
		// this one along with it.
		b.add("%s", sqlComment(fmt.Sprintf("index %s becomes valid when the partitioned indexes attached to it do: nothing to run for it", want.Identity())))
		return true
	}
	sort.Slice(add, func(i, j int) bool { return add[i].Key() < add[j].Key() })
	for _, c := range add {
		if slices.ContainsFunc(folded, func(f *Object) bool { return f.Key() == c.Key() }) {
			b.createIndexOnly(c, folded)
		}
		b.add("ALTER INDEX %s ATTACH PARTITION %s;", QualifiedName(want.Schema, want.Name), QualifiedName(c.Schema, c.Name))
	}
	return true
}

// attachesOnly says whether a live partitioned index (or key) becomes
// canonical's by attaching partitions' indexes (keys) to it: the same
// definition, invalid live, and no index attached live that canonical
// does not attach (a valid canonical one attaches every partition's).
func attachesOnly(want, have *Object) bool {
	if want.Kind != have.Kind || have.Attr("invalid") != "true" || want.Attr("definition") != have.Attr("definition") {
		return false
	}
	if want.Attr("invalid") != "true" {
		return true
	}
	canon := attachedNames(want)
	for n := range attachedNames(have) {
		if !canon[n] {
			return false
		}
	}
	return true
}

// attachedNames is the set of an invalid index's attached partition
// indexes (its attached attribute), by qualified name.
func attachedNames(o *Object) map[string]bool {
	names := map[string]bool{}
	for _, n := range strings.Split(o.Attr("attached"), ", ") {
		if n != "" {
			names[n] = true
		}
	}
	return names
}

// uncloneInvalidIndexes undoes, for a partition just created, what
// PostgreSQL did to the invalid indexes and keys of its parent (made ON
// ONLY, attached on some partitions): it built an index (a key) on the new
// partition for each and attached it, which canonical does not have and
// no command detaches. Such an index is dropped and created again as
// canonical has it.
func (b *sqlBuilder) uncloneInvalidIndexes(o *Object) {
	p := splitQualified(o.Attr("partition_of"))
	if b.want == nil || b.have == nil || len(p) != 2 {
		return
	}
	for _, idx := range b.want.childrenOf(p[0], p[1]) {
		live := b.have.Lookup(idx.Key())
		if idx.Attr("invalid") != "true" || live == nil {
			continue
		}
		if slices.ContainsFunc(b.want.dependentsOf(idx.Key()), func(c *Object) bool {
			return c.Kind == idx.Kind && c.Schema == o.Schema && c.Table == o.Name
		}) {
			continue // canonical has the partition's index attached: the clone stands for it
		}
		// What else the live database lacks is built by the index's own
		// item (or its table's), later.
		b.drop(live)
		b.createIndexDepth(idx, nil, true, 0)
	}
}
