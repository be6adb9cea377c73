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
