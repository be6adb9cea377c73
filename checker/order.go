package checker

import (
	"container/heap"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// order sorts items for application. The base order is drops (reverse
// phase), then creations and changes (by phase); dependencies then move
// items where the base order would fail:
//
//   - an item that creates or changes an object comes after the items that
//     create or change what the canonical object uses;
//   - an item that drops an object comes after the items that drop or
//     change the live objects using it (a view using a dropped column is
//     replaced first, a column leaves a collation before it is dropped, a
//     child table goes before its parent, a foreign key before the key it
//     references);
//   - a drop comes before the creation of another object of the same name
//     (a table replaced by a view).
//
// Live views that use a dropped object but do not differ themselves (a
// view on a table that is replaced by a view of the same name) are dropped
// with it and created again after what they use in canonical exists.
func order(items []*Drift, want, have *Model) []*Drift {
	if len(items) == 0 {
		return items
	}
	base := baseOrder(items)
	// Who uses what in the live database matters only to drops.
	var dependents map[string][]*Object
	for _, it := range base {
		if it.Change == Unexpected {
			dependents = liveDependents(have)
			break
		}
	}
	out := dependencyOrder(base, dependents, want)
	if dependents != nil {
		addCollateral(out, want, dependents)
		addCollateralParts(out, want, have)
	}
	return out
}

func baseOrder(items []*Drift) []*Drift {
	var drops, creates []*Drift
	for _, it := range items {
		it.phase = phaseOf(it.object())
		if untypes(it) {
			// NOT OF before any drop: ALTER TABLE refuses to drop, add or
			// retype a typed table's columns.
			it.phase = 1 << 30
			drops = append(drops, it)
		} else if it.Change == Unexpected {
			drops = append(drops, it)
		} else {
			creates = append(creates, it)
		}
	}
	sort.SliceStable(drops, func(a, b int) bool {
		if drops[a].phase != drops[b].phase {
			return drops[a].phase > drops[b].phase
		}
		return less(drops[a].object(), drops[b].object())
	})
	sort.SliceStable(creates, func(a, b int) bool {
		if creates[a].phase != creates[b].phase {
			return creates[a].phase < creates[b].phase
		}
		oa, ob := creates[a].object(), creates[b].object()
		if oa.Kind == KindColumn && ob.Kind == KindColumn && oa.Schema == ob.Schema && oa.Table == ob.Table {
			// a table's columns in canonical order: ADD COLUMN appends
			if pa, pb := columnPosition(oa), columnPosition(ob); pa != pb {
				return pa < pb
			}
		}
		return less(oa, ob)
	})
	// Unexpected extensions and schemas go last, after the creates: no
	// canonical object needs them, and their live users (a column of an
	// extension's type, a default or check calling its function, an index
	// with its operator class) may be changed, not dropped, so they let go
	// only once the creates have run. An extension goes before its schema,
	// whose CASCADE would otherwise take the extension's users with it.
	out := make([]*Drift, 0, len(items))
	var late []*Drift
	for _, it := range drops {
		if k := it.actual.Kind; k == KindExtension || k == KindSchema {
			late = append(late, it)
		} else {
			out = append(out, it)
		}
	}
	out = append(out, creates...)
	return append(out, late...)
}

// columnPosition is a column's position in its table, or 0.
func columnPosition(o *Object) int {
	n, _ := strconv.Atoi(o.Attr("position"))
	return n
}

// linksTable says whether an item's fix links a live table to a parent,
// a partitioned table or a type, which checks the table's columns.
func linksTable(d *Drift) bool {
	if d.Change != Changed || d.expected.Kind != KindTable {
		return false
	}
	for _, a := range []string{"inherits", "partition_of", "partition_bound"} {
		if _, ok := d.Diff[a]; ok && d.expected.Attr(a) != "" {
			return true
		}
	}
	_, ok := d.Diff["of_type"]
	return ok && d.expected.Attr("of_type") != ""
}

// readdsForeignKey says whether d is the changed item of foreign key u
// whose fix drops it and adds it again (DROP CONSTRAINT IF EXISTS): it
// may be dropped earlier.
func readdsForeignKey(d *Drift, u *Object) bool {
	return u.Kind == KindConstraint && u.Attr("type") == "foreign key" && d.Change == Changed && d.actual == u &&
		len(d.Diff) > countOf(d.Diff, "comment", "privileges", "index_comment", "column_statistics")
}

// setsNotNull says whether a column's item makes it NOT NULL, which
// ATTACH PARTITION and INHERIT want the column to be already where the
// parent's is.
func setsNotNull(d *Drift) bool {
	_, ok := d.Diff["not_null"]
	return ok && d.expected.Attr("not_null") == "true"
}

// attachable says whether ATTACH PARTITION attaches a partition's own
// object of o's kind to its parent's: an index, or a key's index.
func attachable(o *Object) bool {
	switch o.Kind {
	case KindIndex:
		return true
	case KindConstraint:
		switch o.Attr("type") {
		case "primary key", "unique", "exclusion":
			return true
		}
	}
	return false
}

// untypes says whether an item's fix unlinks a typed table from its type
// (ALTER TABLE ... NOT OF).
func untypes(d *Drift) bool {
	if d.Change != Changed || d.expected.Kind != KindTable {
		return false
	}
	_, ok := d.Diff["of_type"]
	return ok && d.actual.Attr("of_type") != ""
}

// unlinksTable says whether an item's fix takes a live table from a parent
// or a partitioned table.
func unlinksTable(d *Drift) bool {
	if d.Change != Changed || d.actual.Kind != KindTable {
		return false
	}
	for _, a := range []string{"inherits", "partition_of"} {
		if _, ok := d.Diff[a]; ok && d.actual.Attr(a) != "" {
			return true
		}
	}
	return false
}

// removed lists the live objects an item's fix drops or replaces.
func (d *Drift) removed() []*Object {
	switch d.Change {
	case Unexpected:
		return append([]*Object{d.actual}, d.folded...)
	case Changed:
		return []*Object{d.actual}
	}
	return nil
}

// created lists the canonical objects an item's fix creates or changes.
func (d *Drift) created() []*Object {
	switch d.Change {
	case Missing:
		return append([]*Object{d.expected}, d.folded...)
	case Changed:
		return append([]*Object{d.expected}, d.folded...)
	}
	return nil
}

// refs lists the keys of the objects o uses: its dependencies, and what a
// column names by its type and collation.
func refs(o *Object) []string {
	deps := o.Deps()
	if o.Kind == KindType && o.Attr("type") == "composite" {
		// attribute types are not in the type's dependencies: a composite
		// type's attributes belong to its relation
		out := deps
		for _, a := range strings.Split(o.Attr("labels"), "\x1f") {
			if _, t, ok := strings.Cut(a, "\x1e"); ok {
				if k := typeRef(t); k != "" {
					out = append(out[:len(out):len(out)], k)
				}
			}
		}
		return out
	}
	if o.Kind != KindColumn {
		return deps
	}
	out := deps
	add := func(k string) {
		if k != "" {
			out = append(out[:len(out):len(out)], k)
		}
	}
	vals := o.attrList()
	if t := vals[attrIndex(KindColumn, "type")]; strings.IndexByte(t, '.') >= 0 {
		add(typeRef(t)) // a user type is printed qualified
		for _, r := range multirangeBases(t) {
			add(typeRef(r)) // a multirange comes and goes with its range type
		}
	}
	if d := vals[attrIndex(KindColumn, "default")]; strings.HasPrefix(d, "nextval(") {
		add(sequenceRef(d))
	}
	if c := splitQualified(vals[attrIndex(KindColumn, "collation")]); len(c) == 2 {
		add(Key(KindCollation, c[0], "", c[1]))
	}
	return out
}

// createRefs lists what must exist before o is created or changed: what
// it uses, and for a sequence the live database already has, the column
// (and table) OWNED BY names, since the sequence's own item sets the
// owner. A sequence new to the live database comes first instead: the
// item creating its owning column or table sets the owner, and that
// column's default takes values from it. Not a use for drops: dropping
// the owner releases the sequence first.
func createRefs(o *Object, change Change) []string {
	deps := refs(o)
	if o.Kind == KindTable && change == Changed {
		// REPLICA IDENTITY USING INDEX needs the index (a missing table
		// creates its indexes first itself).
		if idx, ok := strings.CutPrefix(o.Attr("replica_identity"), "index "); ok {
			if p := splitQualified(idx); len(p) == 1 {
				return append(deps[:len(deps):len(deps)], Key(KindIndex, o.Schema, o.Name, p[0]))
			}
		}
	}
	if o.Kind == KindSequence && change == Changed {
		if k, ok := ownerColumnKey(o.Attr("owned_by")); ok {
			p := strings.Split(k, "\x1f") // kind, schema, table, column
			return append(deps[:len(deps):len(deps)], k, Key(KindTable, p[1], "", p[2]))
		}
	}
	return deps
}

// typeRef is the key of the user type a column's type names (qualified, as
// format_type prints a type outside pg_catalog), or "".
func typeRef(t string) string {
	for strings.HasSuffix(t, "[]") {
		t = strings.TrimSuffix(t, "[]")
	}
	if i := strings.LastIndexByte(t, '('); i > 0 && strings.HasSuffix(t, ")") && !strings.HasSuffix(t, `"`) {
		t = t[:i]
	}
	p := splitQualified(t)
	if len(p) != 2 {
		return ""
	}
	return Key(KindType, p[0], "", p[1])
}

// multirangeBases lists the names a multirange type's range type may
// have, by the rule PostgreSQL names a multirange by when not told: the
// first "range" in the range's name becomes "multirange", or "_multirange"
// is appended. Empty when typ cannot name a multirange.
func multirangeBases(typ string) []string {
	t := strings.TrimRight(typ, "[]")
	var out []string
	if base, ok := strings.CutSuffix(t, "_multirange"); ok {
		out = append(out, base)
	}
	if strings.Contains(t, "multirange") {
		out = append(out, strings.Replace(t, "multirange", "range", 1))
	}
	return out
}

// nextvalCall is a default that takes a sequence's next value.
var nextvalCall = regexp.MustCompile(`^nextval\('((?:[^']|'')+)'::regclass\)$`)

// sequenceRef is the key of the sequence a column default takes values
// from, or "".
func sequenceRef(def string) string {
	m := nextvalCall.FindStringSubmatch(def)
	if m == nil {
		return ""
	}
	p := splitQualified(strings.ReplaceAll(m[1], "''", "'"))
	if len(p) != 2 {
		return ""
	}
	return Key(KindSequence, p[0], "", p[1])
}

// nameSpace is the key of the name a relation or type takes in its schema
// (tables, views, sequences, indexes and types share one), or "".
func nameSpace(o *Object) string {
	switch o.Kind {
	case KindTable, KindView, KindMatView, KindSequence, KindType:
		return o.Schema + "\x1f" + o.Name
	case KindIndex:
		return o.Schema + "\x1f" + o.Name
	}
	return ""
}

// liveDependents maps each key to the live objects that use it. Generated
// columns are also listed under generatedKey of their table: which sibling
// columns their expression reads is not kept.
func liveDependents(have *Model) map[string][]*Object {
	out := map[string][]*Object{}
	if have == nil {
		return out
	}
	for _, o := range have.Objects {
		for _, k := range refs(o) {
			out[k] = append(out[k], o)
		}
		if isGenerated(o) {
			k := generatedKey(o)
			out[k] = append(out[k], o)
		}
	}
	return out
}

// generatedKey names the generated columns of a column's table in the map
// liveDependents builds.
func generatedKey(col *Object) string {
	return "generated\x1f" + col.ParentKey()
}

func isGenerated(o *Object) bool {
	return o.Kind == KindColumn && o.Attr("generated") != ""
}

// usersOf lists the live objects that use o: those that name it; for a
// column the views and materialized views on its table (dependencies are
// kept per relation, not per column) and, for a plain column, the
// generated columns of its table, which may read it (a generated column
// cannot read another one); and for a partition the foreign keys to its
// partitioned table.
func usersOf(o *Object, dependents map[string][]*Object) []*Object {
	users := dependents[o.Key()]
	users = users[:len(users):len(users)] // appends must not write into the map's slice
	if p := splitQualified(o.Attr("partition_of")); o.Kind == KindTable && len(p) == 2 {
		// a foreign key to a partitioned table holds on to its partitions
		for _, u := range dependents[Key(KindTable, p[0], "", p[1])] {
			if u.Kind == KindConstraint {
				users = append(users, u)
			}
		}
	}
	if o.Kind == KindColumn {
		for _, v := range dependents[o.ParentKey()] {
			if v.Kind == KindView || v.Kind == KindMatView {
				users = append(users, v)
			}
		}
		if !isGenerated(o) {
			users = append(users, dependents[generatedKey(o)]...)
		}
	}
	return users
}

func dependencyOrder(base []*Drift, dependents map[string][]*Object, want *Model) []*Drift {
	n := len(base)
	creator := map[string]int{} // canonical key -> item creating or changing it
	remover := map[string]int{} // live key -> item dropping or changing it
	clash := map[string]int{}   // name -> unexpected item dropping it
	for i, it := range base {
		for _, o := range it.created() {
			creator[o.Key()] = i
		}
		for _, o := range it.removed() {
			remover[o.Key()] = i
		}
		if it.Change == Unexpected {
			for _, o := range it.removed() { // with the indexes of a dropped table
				if ns := nameSpace(o); ns != "" {
					clash[ns] = i
				}
			}
		}
	}
	after := make([][]int, n) // after[i]: items that must follow i
	indeg := make([]int, n)
	seen := map[[2]int]bool{}
	edge := func(from, to int) {
		if from == to || seen[[2]int{from, to}] {
			return
		}
		seen[[2]int{from, to}] = true
		after[from] = append(after[from], to)
		indeg[to]++
	}
	for i, it := range base {
		for _, o := range it.created() {
			for _, k := range createRefs(o, it.Change) {
				if j, ok := creator[k]; ok {
					edge(j, i)
				}
			}
			// An invalid partitioned index (or key) attaches the
			// partitions' indexes canonical attaches to it: after their
			// tables (the indexes themselves it builds, or they are there
			// already).
			if o.Attr("invalid") == "true" && want != nil {
				for _, c := range want.dependentsOf(o.Key()) {
					if j, ok := creator[c.ParentKey()]; ok && c.Kind == o.Kind {
						edge(j, i)
					}
				}
			}
		}
		if it.Change == Unexpected {
			for _, o := range it.removed() {
				for _, u := range usersOf(o, dependents) {
					j, ok := remover[u.Key()]
					switch {
					case !ok:
					case readdsForeignKey(base[j], u):
						// Dropped first, as its own item would: that item
						// may wait for what this one frees (a key's
						// index, made again on another table).
						if !slices.Contains(it.before, u) {
							it.before = append(it.before, u)
						}
					default:
						edge(j, i)
					}
				}
			}
		}
		if it.Change == Missing {
			if j, ok := clash[nameSpace(it.expected)]; ok && nameSpace(it.expected) != "" {
				edge(j, i)
			}
		}
	}
	// INHERIT, ATTACH PARTITION and OF need the table's columns to match
	// its parent's or type's already: its column items come first. So do
	// a partition's missing or changed indexes and keys that canonical
	// attaches to the parent's: ATTACH attaches them, where it would
	// otherwise build clones of its own naming (or fail on a second
	// primary key).
	for i, it := range base {
		if !linksTable(it) {
			continue
		}
		t, leaves := it.expected, unlinksTable(it)
		for j, c := range base {
			if leaves && c.Change == Unexpected {
				continue // dropped after it leaves its old parent (below)
			}
			o := c.object()
			if o.Schema != t.Schema || o.Table != t.Name {
				continue
			}
			if leaves && o.Kind == KindColumn && c.Change == Changed && !setsNotNull(c) {
				// Moving to another parent: what the old one holds on the
				// column (its key's NOT NULL) lets go only once detached.
				edge(i, j)
				continue
			}
			if o.Kind == KindColumn || c.Change != Unexpected && c.expected.Inherited() && attachable(o) {
				edge(j, i)
			}
		}
	}
	// A table leaving a parent (NO INHERIT, DETACH PARTITION) keeps the
	// columns it inherited, and a partition the indexes and keys attached
	// to its parent's: only then can they be dropped.
	for i, it := range base {
		if !unlinksTable(it) {
			continue
		}
		t := it.actual
		for j, c := range base {
			o := c.object()
			if c.Change != Unexpected || o.Schema != t.Schema || o.Table != t.Name {
				continue
			}
			if o.Kind == KindColumn || o.Inherited() && (o.Kind == KindIndex || o.Kind == KindConstraint) {
				edge(i, j)
			}
		}
	}
	// A dropped column takes the table's policies and triggers defined
	// anew with it (releaseColumn): their own items make them again after.
	redefined := map[string][]int{} // table key -> changed policy and trigger items
	for j, c := range base {
		if o := c.object(); c.Change == Changed && (o.Kind == KindPolicy || o.Kind == KindTrigger) && !o.Inherited() {
			redefined[o.ParentKey()] = append(redefined[o.ParentKey()], j)
		}
	}
	for i, it := range base {
		if it.Change == Unexpected && it.actual.Kind == KindColumn {
			for _, j := range redefined[it.actual.ParentKey()] {
				edge(i, j)
			}
		}
	}
	// Kahn's algorithm, taking the earliest item in base order among the
	// ready ones; a cycle is broken at its earliest item.
	ready := &intHeap{}
	for i := range base {
		if indeg[i] == 0 {
			heap.Push(ready, i)
		}
	}
	done := make([]bool, n)
	out := make([]*Drift, 0, n)
	next := 0 // the earliest item not yet placed, for breaking cycles
	for len(out) < n {
		if ready.Len() == 0 {
			for done[next] {
				next++
			}
			indeg[next] = 0
			heap.Push(ready, next)
		}
		i := heap.Pop(ready).(int)
		if done[i] {
			continue
		}
		done[i] = true
		out = append(out, base[i])
		for _, j := range after[i] {
			if indeg[j]--; indeg[j] == 0 && !done[j] {
				heap.Push(ready, j)
			}
		}
	}
	return out
}

type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// addCollateral finds the live views and materialized views that use an
// object an unexpected item drops, without being items themselves (they
// are the same in canonical): DROP would fail on them. They are dropped
// first in the earliest such item, most dependent first, and created again
// from canonical in the item after which everything they use in canonical
// exists.
func addCollateral(items []*Drift, want *Model, dependents map[string][]*Object) {
	if want == nil {
		return
	}
	handled, creator := itemsByKey(items)
	droppedIn := map[string]int{} // collateral view key -> item dropping it
	var collateral []*Object
	for i, it := range items {
		if it.Change != Unexpected {
			continue
		}
		var mine []*Object
		var visit func(key string)
		visit = func(key string) {
			for _, u := range dependents[key] {
				if (u.Kind != KindView && u.Kind != KindMatView) || has(handled, u.Key()) {
					continue
				}
				if _, ok := droppedIn[u.Key()]; ok {
					continue
				}
				droppedIn[u.Key()] = i
				mine = append(mine, u)
				visit(u.Key())
			}
		}
		for _, o := range it.removed() {
			if o.Kind != KindColumn {
				visit(o.Key())
			}
		}
		if len(mine) == 0 {
			continue
		}
		mine = usesFirst(mine)
		for k := len(mine) - 1; k >= 0; k-- {
			it.before = append(it.before, mine[k])
		}
		collateral = append(collateral, mine...)
	}
	// Creation: each view after its own item, what it uses in canonical,
	// and the collateral views it uses.
	at := map[string]int{}
	for _, v := range usesFirst(collateral) {
		w := want.Lookup(v.Key())
		if w == nil {
			continue
		}
		pos := droppedIn[v.Key()]
		for _, k := range w.Deps() {
			if j, ok := creator[k]; ok && j > pos {
				pos = j
			}
			if j, ok := at[k]; ok && j > pos {
				pos = j
			}
		}
		at[v.Key()] = pos
		items[pos].recreate = append(items[pos].recreate, [2]*Object{w, v})
	}
}

// usesFirst orders views so that each comes after the views it uses.
func usesFirst(views []*Object) []*Object {
	pos := map[string]int{}
	for i, o := range views {
		pos[o.Key()] = i
	}
	done := make([]bool, len(views))
	out := make([]*Object, 0, len(views))
	var place func(i int)
	place = func(i int) {
		if done[i] {
			return
		}
		done[i] = true
		for _, d := range views[i].Deps() {
			if j, ok := pos[d]; ok {
				place(j)
			}
		}
		out = append(out, views[i])
	}
	for i := range views {
		place(i)
	}
	return out
}

// itemsByKey indexes items by the keys of the objects they remove or
// create: of is the last item touching a key, creator the last creating it.
func itemsByKey(items []*Drift) (of, creator map[string]int) {
	of, creator = map[string]int{}, map[string]int{}
	for i, it := range items {
		for _, o := range it.removed() {
			of[o.Key()] = i
		}
		for _, o := range it.created() {
			of[o.Key()] = i
			creator[o.Key()] = i
		}
	}
	return of, creator
}

// has says whether m has key k.
func has(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}
