package checker

import (
	"fmt"
	"sort"
	"strings"
)

// dropHeldIndex drops a partitioned table's plain index that partitions'
// primary keys or unique constraints have their indexes attached to. Such
// a key depends on the index, so DROP INDEX is refused, and the key cannot
// be dropped on its own either (its index is the index's partition); no
// command detaches it. CASCADE drops the index and those keys (nothing
// else: the foreign keys that use the keys are dropped first and put back
// after), and the keys canonical has are added again, now the partitions'
// own, for the parent's key to attach. A foreign key that uses the index
// itself could come back only once canonical's replacement exists, which
// another item makes: that is left to a person. It reports whether the
// index was such a one.
func (b *sqlBuilder) dropHeldIndex(o *Object) bool {
	if b.have == nil || b.want == nil {
		return false
	}
	var keys []*Object
	name := QualifiedName(o.Schema, o.Name)
	for _, p := range b.have.partitionsOf(Key(KindTable, o.Schema, "", o.Table)) {
		for _, c := range b.have.childrenOf(p.Schema, p.Name) {
			if c.Kind == KindConstraint && c.Attr("attached_to") == name {
				keys = append(keys, c)
			}
		}
	}
	if len(keys) == 0 {
		return false
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Key() < keys[j].Key() })
	if users := b.foreignKeysOn(o); len(users) > 0 {
		var fk []string
		for _, u := range users {
			fk = append(fk, u.Identity())
		}
		b.needsPerson(fmt.Sprintf("index %s holds partitions' keys and is used by foreign keys %s: drop them, DROP INDEX ... CASCADE, add back the keys, the key that replaces the index, then the foreign keys",
			o.Identity(), strings.Join(fk, ", ")))
		return true
	}
	var fks []*Object
	var names []string
	for _, k := range keys {
		fks = append(fks, b.foreignKeysOn(k)...)
		names = append(names, k.Identity())
	}
	for _, fk := range fks {
		b.drop(fk)
	}
	b.add("%s", sqlComment(fmt.Sprintf("the partitions' keys %s have their indexes attached to index %s, which no command detaches: CASCADE drops them with it",
		strings.Join(names, ", "), o.Identity())))
	b.add("DROP INDEX IF EXISTS %s CASCADE;", QualifiedName(o.Schema, o.Name))
	b.rebuildDetached(o)
	for _, k := range keys {
		if w := b.want.Lookup(k.Key()); w != nil {
			b.create(w, nil, DiffOptions{})
		}
	}
	b.restoreForeignKeys(fks)
	return true
}
