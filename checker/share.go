package checker

import (
	"hash/maphash"
	"math/bits"
	"slices"
	"sort"
)

// sharer swaps freshly read objects for equal ones of a model already in
// memory (InspectOptions.Against: the canonical model of a check or a
// sweep). On a database in sync that is nearly every object, so the live
// model costs a slice of pointers instead of a second copy of the schema:
// at 10,000 tables, some 65 MB that were read, kept and compared only to
// be found equal.
//
// A shared object is Against's, and Inspect never changes it: the
// dependencies it reads for it are not added. Against's own stand in for
// them: an object is shared only when the dependencies read with it are
// Against's too, and the rest (from pg_depend) follow from its definition.
type sharer struct {
	objs  []*Object
	slots []int32 // open addressing by key hash: index into objs + 1, 0 = empty
	seed  maphash.Seed
	// sorted: objs are in key order, so the objects of one relation
	// (its columns, indexes...) lie side by side (see near).
	sorted bool
}

// shareCursor is one reader's place in a sorted sharer: the run of
// objects of the same kind and relation as the last one it found. Steps
// read a relation's parts together, so most lookups stay in the run,
// which is a few neighbours in memory, instead of probing the hash table:
// at 10,000 tables, ~60 of the ~80 ms the lookups took were cache misses.
type shareCursor struct {
	lo, hi int // objs[lo:hi], empty when hi == 0
}

// newSharer returns a sharer of m's objects, or nil for no model.
func newSharer(m *Model) *sharer {
	if m == nil || len(m.Objects) == 0 {
		return nil
	}
	s := &sharer{objs: m.Objects, seed: maphash.MakeSeed(), sorted: m.sorted}
	// Filled to between 3/8 and 3/4: probes stay short, and at 10,000
	// tables the table is 1 MB instead of 2.
	s.slots = make([]int32, 1<<bits.Len(uint(len(s.objs)*4/3)))
	mask := uint64(len(s.slots) - 1)
	for i, o := range s.objs {
		h := s.hash(o) & mask
		for s.slots[h] != 0 {
			h = (h + 1) & mask
		}
		s.slots[h] = int32(i + 1)
	}
	return s
}

func (s *sharer) hash(o *Object) uint64 {
	h := maphash.String(s.seed, o.Name)
	h = h*0x9E3779B97F4A7C15 ^ maphash.String(s.seed, o.Table)
	h = h*0x9E3779B97F4A7C15 ^ maphash.String(s.seed, o.Schema)
	return h*0x9E3779B97F4A7C15 ^ maphash.String(s.seed, string(o.Kind))
}

// find returns Against's object with o's key, or nil.
func (s *sharer) find(o *Object) *Object {
	if i := s.index(o); i >= 0 {
		return s.objs[i]
	}
	return nil
}

// index returns the index in objs of Against's object with o's key, or -1.
func (s *sharer) index(o *Object) int {
	mask := uint64(len(s.slots) - 1)
	for h := s.hash(o) & mask; s.slots[h] != 0; h = (h + 1) & mask {
		i := int(s.slots[h] - 1)
		if c := s.objs[i]; c.Kind == o.Kind && c.Name == o.Name && c.Table == o.Table && c.Schema == o.Schema {
			return i
		}
	}
	return -1
}

// near is find for a reader that keeps a cursor: an object of the
// relation the cursor is on is looked for among its neighbours alone. A
// relation's objects of one kind are a run of a sorted model, so the run
// holds every object with o's kind, schema and table, and o is either in
// it or in neither.
func (s *sharer) near(o *Object, cur *shareCursor) *Object {
	if !s.sorted || o.Table == "" {
		return s.find(o)
	}
	if cur.hi > 0 {
		if c := s.objs[cur.lo]; c.Table == o.Table && c.Schema == o.Schema && c.Kind == o.Kind {
			for _, c := range s.objs[cur.lo:cur.hi] {
				if c.Name == o.Name {
					return c
				}
			}
			return nil
		}
	}
	i := s.index(o)
	if i < 0 {
		// Keep the cursor: the relation's next object may be found where
		// it stands, and a miss costs the probe it would cost anyway.
		return nil
	}
	lo, hi := i, i+1
	for lo > 0 && sameRun(s.objs[lo-1], o) {
		lo--
	}
	for hi < len(s.objs) && sameRun(s.objs[hi], o) {
		hi++
	}
	cur.lo, cur.hi = lo, hi
	return s.objs[i]
}

// seek is find for objects looked up in key order: *pos, where the
// previous one was looked for, moves forward by galloping, so that a
// step's sorted objects walk Against's in order (a few cache lines per
// object) instead of probing the hash table at random.
func (s *sharer) seek(o *Object, pos *int) *Object {
	if !s.sorted {
		return s.find(o)
	}
	n, lo := len(s.objs), *pos
	if lo >= n {
		return nil
	}
	idx := lo
	if compareObjects(s.objs[lo], o) < 0 {
		// s.objs[lo] < o: gallop to a bound, then search between.
		step := 1
		for lo+step < n && compareObjects(s.objs[lo+step], o) < 0 {
			lo += step
			step *= 2
		}
		from, to := lo+1, min(lo+step+1, n)
		idx = from + sort.Search(to-from, func(k int) bool { return compareObjects(s.objs[from+k], o) >= 0 })
	}
	*pos = idx
	if idx < n && compareObjects(s.objs[idx], o) == 0 {
		return s.objs[idx]
	}
	return nil
}

// sameRun says whether c is of o's kind and relation.
func sameRun(c, o *Object) bool {
	return c.Table == o.Table && c.Schema == o.Schema && c.Kind == o.Kind
}

// share returns the object to keep for o: Against's when it equals o in
// everything Inspect reads, else o. Objects are shared in key order
// (seek, from *pos).
func (s *sharer) share(o *Object, pos *int) *Object {
	if s == nil {
		return o
	}
	if c := s.seek(o, pos); c != o && standsFor(c, o) {
		return c
	}
	return o
}

// sameBesidesAttrs says whether Against's c may stand for the object read
// as o, attributes aside: same comment, privileges and inheritance, and
// the dependencies read with o are c's too.
func sameBesidesAttrs(c, o *Object) bool {
	return c.Comment() == o.Comment() && c.ACL() == o.ACL() && c.Inherited() == o.Inherited() && depsWithin(o.Deps(), c.Deps())
}

// depsWithin says whether every dependency in have is in of. What a step
// reads with an object (the key a foreign key uses, the parent an index
// or constraint is attached to) is not always in its definition: two
// foreign keys printed the same may use different unique indexes, and the
// fix of a changed index must drop the foreign keys that use it in the
// live database.
func depsWithin(have, of []string) bool {
	for _, d := range have {
		if !slices.Contains(of, d) {
			return false
		}
	}
	return true
}

// keep is share for a step that shares as it reads, whose rows do not
// come in key order: o, read whole, is looked up near the cursor or by
// hash instead of in order. Kept as Against's, what the step read is
// garbage at once instead of held to the step's end (a 10,000-table
// check's constraints and indexes: some 6 MB of live heap at its peak).
func (s *sharer) keep(o *Object, cur *shareCursor) *Object {
	if s == nil {
		return o
	}
	if c := s.near(o, cur); standsFor(c, o) {
		return c
	}
	return o
}

// standsFor says whether Against's c (nil: none) equals o, read whole, in
// everything Inspect reads.
func standsFor(c, o *Object) bool {
	return c != nil && c.attrs == o.attrs && sameBesidesAttrs(c, o)
}

// equal is share for an object whose packed attributes are still in a
// buffer: Against's object when equal, else nil (nothing to share).
func (s *sharer) equal(probe *Object, attrs []byte, cur *shareCursor) *Object {
	if s == nil {
		return nil
	}
	if c := s.near(probe, cur); c != nil && string(attrs) == c.attrs && sameBesidesAttrs(c, probe) {
		return c
	}
	return nil
}

// shared says whether o is one of Against's objects: not to be changed.
func (s *sharer) shared(o *Object) bool {
	return s != nil && s.find(o) == o
}

// shareAll swaps the objects a step read for Against's where equal, in
// the step's model and its dependency index, and drops the pending
// dependency edges of the shared ones. A step that shared its objects as
// it read them (sharedOnRead) is left alone.
func (in *inspector) shareAll() {
	if in.sharer == nil || in.sharedOnRead {
		return
	}
	// In key order, for seek; the same order as the model's in the end.
	if !slices.IsSortedFunc(in.m.Objects, compareObjects) {
		slices.SortFunc(in.m.Objects, compareObjects)
	}
	swapped := map[*Object]*Object{}
	pos := 0
	for i, o := range in.m.Objects {
		if c := in.sharer.share(o, &pos); c != o {
			in.m.Objects[i] = c
			swapped[o] = c
		}
	}
	if len(swapped) == 0 {
		return
	}
	for _, m := range in.deps.byOID {
		for oid, o := range m {
			if c, ok := swapped[o]; ok {
				m[oid] = c
			}
		}
	}
	kept := in.deps.pending[:0]
	for _, e := range in.deps.pending {
		if _, ok := swapped[e.from]; !ok {
			kept = append(kept, e)
		}
	}
	clear(in.deps.pending[len(kept):])
	in.deps.pending = kept
}
