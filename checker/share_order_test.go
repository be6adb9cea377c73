package checker

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestMergeSorted(t *testing.T) {
	kinds := []Kind{KindColumn, KindIndex, KindTable, KindConstraint}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, k := range []int{0, 1, 2, 3, 7, 20} {
		var all []*Object
		lists := make([][]*Object, k)
		for i := range 300 {
			o := &Object{Kind: kinds[rng.IntN(len(kinds))], Schema: "s", Table: fmt.Sprintf("t%d", rng.IntN(9)), Name: fmt.Sprintf("o%d", i)}
			all = append(all, o)
			if k > 0 {
				j := rng.IntN(k)
				lists[j] = append(lists[j], o)
			}
		}
		if k == 0 {
			all = nil
		}
		for _, l := range lists {
			slices.SortFunc(l, compareObjects)
		}
		slices.SortFunc(all, compareObjects)
		if got := mergeSorted(lists); !slices.Equal(got, all) {
			t.Errorf("%d lists: merged %d objects, not in order or not all of them (want %d)", k, len(got), len(all))
		}
	}
}

func TestSharerSeek(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m := &Model{}
	for i := range 2000 {
		m.Add(&Object{Kind: []Kind{KindTable, KindIndex, KindColumn}[i%3], Schema: "s", Table: fmt.Sprintf("t%d", i%50), Name: fmt.Sprintf("o%d", i)})
	}
	m.Sort()
	s := newSharer(m)
	// Look up, in key order, a random part of the model's keys and keys
	// it lacks: seek must find what find finds.
	var probes []*Object
	for _, o := range m.Objects {
		if rng.IntN(3) == 0 {
			c := *o
			probes = append(probes, &c)
		}
		if rng.IntN(5) == 0 {
			probes = append(probes, &Object{Kind: o.Kind, Schema: o.Schema, Table: o.Table, Name: o.Name + "x"})
		}
	}
	probes = append(probes, &Object{Kind: "zzz"}, &Object{Kind: "zzzz"})
	slices.SortFunc(probes, compareObjects)
	pos := 0
	for _, p := range probes {
		if got, want := s.seek(p, &pos), s.find(p); got != want {
			t.Fatalf("seek %q: %v, find: %v", p.Key(), got, want)
		}
	}
}
