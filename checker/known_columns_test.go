package checker

import (
	"fmt"
	"testing"
	"time"
)

func TestKnownColumns(t *testing.T) {
	k := newKnownColumns(2)
	a, b := newColumnWriter(), newColumnWriter()
	a.add(10, 1, &Object{Name: "id"}, 0)
	a.add(10, 3, &Object{Name: "Name"}, 100) // attnum 2 was dropped
	a.add(12, 1, &Object{Name: "select"}, 0)
	b.add(11, 1, &Object{Name: "x"}, 0)
	if _, ok := k.lookup(10, 1); ok || k.done() {
		t.Fatal("columns are known before every columns step is done")
	}
	k.add(a)
	if k.done() {
		t.Fatal("done after one of two columns steps")
	}
	k.add(b)
	k.wait()
	for _, c := range []struct {
		table, attnum uint32
		name          string
		collation     uint32
	}{{10, 1, "id", 0}, {10, 3, `"Name"`, 100}, {12, 1, `"select"`, 0}, {11, 1, "x", 0}} {
		got, ok := k.lookup(c.table, c.attnum)
		if !ok || got.name != c.name || got.collation != c.collation {
			t.Errorf("lookup(%d, %d) = %+v, %v; want %s, %d", c.table, c.attnum, got, ok, c.name, c.collation)
		}
	}
	for _, miss := range [][2]uint32{{10, 2}, {10, 4}, {10, 0}, {13, 1}} {
		if got, ok := k.lookup(miss[0], miss[1]); ok {
			t.Errorf("lookup(%d, %d) = %+v; want unknown", miss[0], miss[1], got)
		}
	}
}

// A failed columns step releases the steps waiting for it, and nothing
// counts as known.
func TestKnownColumnsFailure(t *testing.T) {
	k := newKnownColumns(2)
	released := make(chan struct{})
	go func() {
		k.wait()
		close(released)
	}()
	w := newColumnWriter()
	w.add(1, 1, &Object{Name: "a"}, 0)
	k.add(w)
	k.add(nil)
	select {
	case <-released:
	case <-time.After(10 * time.Second):
		t.Fatal("a failed columns step left its waiters blocked")
	}
	if _, ok := k.lookup(1, 1); ok || k.done() {
		t.Error("columns count as known after a columns step failed")
	}
	k.add(newColumnWriter()) // a late step after the failure changes nothing
	var nilK *knownColumns
	nilK.wait()
	if nilK.done() {
		t.Error("a nil knownColumns is done")
	}
}

// Tables whose columns run past a chunk's end move whole to a new chunk,
// and a table read in two runs keeps its first run's columns.
func TestColumnWriterChunks(t *testing.T) {
	w := newColumnWriter()
	name := func(table uint32, attnum int) string { return fmt.Sprintf("c%d_%d", table, attnum) }
	widths := map[uint32]int{}
	for table := uint32(1); table <= 700; table++ {
		n := 1 + int(table)%13
		if table%100 == 0 {
			n = 1600
		}
		widths[table] = n
		for a := 1; a <= n; a++ {
			if a%7 == 3 {
				continue // dropped
			}
			w.add(table, int16(a), &Object{Name: name(table, a)}, uint32(a))
		}
	}
	w.add(5, int16(widths[5]+2), &Object{Name: name(5, widths[5]+2)}, 0) // table 5 again
	widths[5] += 2
	w.flush()
	for table, n := range widths {
		for a := 1; a <= n+1; a++ {
			c, ok := w.lookup(table, uint32(a))
			want := a <= n && a%7 != 3 && !(table == 5 && a == n-1)
			if ok != want || ok && (c.o.Name != name(table, a) || (c.collation != uint32(a) && !(table == 5 && a == n))) {
				t.Fatalf("lookup(%d, %d) = %+v, %v; want found %v", table, a, c, ok, want)
			}
		}
	}
}
