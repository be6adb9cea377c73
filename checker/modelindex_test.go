package checker

import (
	"fmt"
	"slices"
	"testing"
)

// syntheticModel builds n tables in schema app without a database: each
// with an id column that owns a sequence, a name column, a primary key,
// and (from the second on) a foreign key to the previous table's key.
// Every third table is a partition of the one before it; every fifth
// inherits from the first; every seventh has a view on it.
func syntheticModel(n int) *Model {
	m := &Model{ServerVersion: 150000}
	add := func(o *Object) *Object { m.Add(o); return o }
	add(newObject(KindSchema, "", "", "app"))
	for i := range n {
		name := fmt.Sprintf("t_%d", i)
		t := add(newObject(KindTable, "app", "", name))
		t.setNamed("relkind", "table", "persistence", "permanent")
		switch {
		case i > 0 && i%3 == 0:
			t.setNamed("partition_of", fmt.Sprintf("app.t_%d", i-1), "partition_bound", "DEFAULT")
		case i > 0 && i%5 == 0:
			t.SetAttr("inherits", "app.t_0")
		}
		id := add(newObject(KindColumn, "app", name, "id"))
		id.setNamed("type", "bigint", "not_null", "true", "default", fmt.Sprintf("nextval('app.%s_id_seq'::regclass)", name))
		add(newObject(KindColumn, "app", name, "name")).SetAttr("type", "text")
		seq := add(newObject(KindSequence, "app", "", name+"_id_seq"))
		seq.setNamed("type", "bigint", "owned_by", fmt.Sprintf("app.%s.id", name))
		pk := add(newObject(KindConstraint, "app", name, name+"_pkey"))
		pk.setNamed("type", "primary key", "definition", "PRIMARY KEY (id)")
		if i > 0 {
			prev := fmt.Sprintf("t_%d", i-1)
			fk := add(newObject(KindConstraint, "app", name, name+"_prev_fkey"))
			fk.setNamed("type", "foreign key", "definition", fmt.Sprintf("FOREIGN KEY (id) REFERENCES app.%s(id)", prev))
			fk.AddDep(Key(KindConstraint, "app", prev, prev+"_pkey"))
		}
		if i%7 == 0 {
			v := add(newObject(KindView, "app", "", "v_"+name))
			v.SetAttr("definition", fmt.Sprintf(" SELECT id, name FROM app.%s;", name))
			v.AddDep(t.Key())
		}
	}
	m.Sort()
	return m
}

// TestRelIndexMatchesScan: every question the relation index answers has
// the answer a scan of all objects gives, in model order.
func TestRelIndexMatchesScan(t *testing.T) {
	m := syntheticModel(40)
	scan := func(keep func(o *Object) bool) []*Object {
		var out []*Object
		for _, o := range m.Objects {
			if keep(o) {
				out = append(out, o)
			}
		}
		return out
	}
	same := func(what string, got, want []*Object) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: index gives %d objects, a scan %d", what, len(got), len(want))
		}
	}
	found := map[string]int{}
	for _, o := range m.Objects {
		key := o.Key()
		deps := m.dependentsOf(key)
		found["dependents"] += len(deps)
		same("dependents of "+key, deps, scan(func(x *Object) bool { return hasDep(x, key) }))
		if o.Kind != KindTable {
			continue
		}
		children := m.childrenOf(o.Schema, o.Name)
		found["children"] += len(children)
		same("children of "+key, children, scan(func(x *Object) bool { return x.Schema == o.Schema && x.Table == o.Name }))
		self := QualifiedName(o.Schema, o.Name)
		parts := m.partitionsOf(key)
		found["partitions"] += len(parts)
		same("partitions of "+key, parts, scan(func(x *Object) bool { return x.Kind == KindTable && x.Attr("partition_of") == self }))
		heirs := m.inheritorsOf(key)
		found["inheritors"] += len(heirs)
		same("inheritors of "+key, heirs, scan(func(x *Object) bool { return x.Kind == KindTable && x.Attr("inherits") == self }))
		seqs := m.sequencesOwnedBy(key)
		found["sequences"] += len(seqs)
		same("sequences of "+key, seqs, scan(func(x *Object) bool {
			k, ok := ownerColumnKey(x.Attr("owned_by"))
			return x.Kind == KindSequence && ok && m.Lookup(k) != nil && m.Lookup(k).Table == o.Name
		}))
	}
	// The model has some of each, so the comparisons above compared something.
	for _, what := range []string{"dependents", "children", "partitions", "inheritors", "sequences"} {
		if found[what] == 0 {
			t.Errorf("the synthetic model has no %s: the test compares nothing", what)
		}
	}
	// Adding an object drops the index: the new one is found.
	extra := newObject(KindConstraint, "app", "t_1", "t_1_extra_fkey")
	extra.AddDep(Key(KindConstraint, "app", "t_0", "t_0_pkey"))
	m.Add(extra)
	if !slices.Contains(m.dependentsOf(Key(KindConstraint, "app", "t_0", "t_0_pkey")), extra) {
		t.Error("an object added after the index was built is not among the dependents")
	}
}

// BenchmarkDiffLargeDrift diffs a large schema against an empty one both
// ways: a new, empty database checked against the canonical schema, and
// a database checked against the wrong (empty) canonical file. Each
// item's fix used to scan every object, which took minutes at 10,000
// tables.
func BenchmarkDiffLargeDrift(b *testing.B) {
	big, empty := syntheticModel(2000), &Model{ServerVersion: 150000}
	for _, c := range []struct {
		name            string
		canonical, live *Model
	}{{"empty-live", big, empty}, {"empty-canonical", empty, big}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if items := Diff(c.canonical, c.live, DiffOptions{}); len(items) == 0 {
					b.Fatal("no drift between a large schema and an empty one")
				}
			}
		})
	}
}
