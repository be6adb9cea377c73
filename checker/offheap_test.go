package checker

import (
	"bufio"
	"bytes"
	"runtime"
	"runtime/debug"
	"testing"
	"unsafe"
)

// sealedCopy returns m as check holds a cached model: decoded outside the
// Go heap and sealed read-only (LoadOptions.OffHeap). A test that diffs
// against it fails loudly if anything writes to it.
func sealedCopy(t testing.TB, m *Model) *Model {
	t.Helper()
	data := EncodeModel(m)
	got, err := decodeModel(bufio.NewReader(bytes.NewReader(data)), int64(len(data)), true)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func offHeapModel() *Model {
	m := &Model{ServerVersion: 150000}
	for i, name := range []string{"id", "pkceRequired", "名前", ""} {
		o := newObject(KindColumn, "public", "users", name+"x")
		o.SetAttr("type", "integer")
		o.SetComment("column " + name)
		if i%2 == 0 {
			o.SetDeps([]string{Key(KindTable, "public", "", "users")})
		}
		m.Add(o)
	}
	m.Add(newObject(KindTable, "public", "", "users"))
	m.Sort()
	return m
}

func TestOffHeapDecode(t *testing.T) {
	if !offHeapSupported {
		t.Skip("no off-heap regions on " + runtime.GOOS + ": models decode on the heap")
	}
	m := offHeapModel()
	got := sealedCopy(t, m)
	if got.OffHeapBytes() == 0 {
		t.Fatal("OffHeapBytes = 0 for a model decoded outside the heap")
	}
	if m.OffHeapBytes() != 0 {
		t.Errorf("OffHeapBytes = %d for a model on the heap", m.OffHeapBytes())
	}
	if snapshotText(t, got) != snapshotText(t, m) {
		t.Fatalf("off-heap decode changed the model:\n%s\nwant:\n%s", snapshotText(t, got), snapshotText(t, m))
	}
	runtime.GC() // nothing in the region may depend on the heap
	if items := Diff(m, got, DiffOptions{Comments: true, Privileges: true, ColumnOrder: true}); len(items) != 0 {
		t.Fatalf("off-heap copy shows drift:\n%s", dumpItems(items))
	}
}

// A write to a sealed model faults instead of storing what the collector
// would not see.
func TestOffHeapSealed(t *testing.T) {
	if !offHeapSupported {
		t.Skip("no off-heap regions on " + runtime.GOOS)
	}
	got := sealedCopy(t, offHeapModel())
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	for name, write := range map[string]func(){
		"object": func() { got.Objects[0].Name = "changed" },
		"slice":  func() { got.Objects[0] = nil },
		"string": func() { got.Objects[0].SetAttr("type", "text") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: writing to a sealed model did not fault", name)
				}
			}()
			write()
		}()
	}
}

// Corrupt data decoded outside the heap fails as on the heap, and gives
// its regions back.
func TestOffHeapCorrupt(t *testing.T) {
	data := EncodeModel(offHeapModel())
	for _, cut := range []int{len(data) - 1, len(data) / 2, len(codecMagic) + 1} {
		bad := data[:cut]
		if _, err := decodeModel(bufio.NewReader(bytes.NewReader(bad)), int64(len(bad)), true); err == nil {
			t.Errorf("decoding %d of %d bytes succeeded", cut, len(data))
		}
	}
}

// A large model's regions (mapped in huge pages on Linux) hold what is
// written to them, seal, and give the memory back when released.
func TestOffHeapLargeRegion(t *testing.T) {
	if !offHeapSupported {
		t.Skip("no off-heap regions on " + runtime.GOOS)
	}
	h := newOffHeap(3 << 20) // a model of ~3 MB encoded: a ~9 MB first region
	big := offHeapSlice[byte](h, 8<<20)
	for i := 0; i < len(big); i += 4096 {
		big[i] = byte(i >> 12)
	}
	more := offHeapSlice[int64](h, 1<<20) // past the first region: a second one
	more[len(more)-1] = 7
	if len(h.regions) != 2 {
		t.Fatalf("regions = %d, want 2", len(h.regions))
	}
	for _, r := range h.regions {
		page := offHeapPage(len(r))
		if len(r)%page != 0 || uintptr(unsafe.Pointer(unsafe.SliceData(r)))%uintptr(page) != 0 {
			t.Errorf("region of %d bytes at %p is not aligned to its %d-byte pages", len(r), unsafe.SliceData(r), page)
		}
	}
	if err := h.seal(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(big); i += 4096 {
		if big[i] != byte(i>>12) {
			t.Fatalf("byte %d reads %d after sealing, want %d", i, big[i], byte(i>>12))
		}
	}
	func() {
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		defer func() {
			if recover() == nil {
				t.Error("writing to a sealed large region did not fault")
			}
		}()
		big[len(big)-1] = 1
	}()
	h.release()
	if h.regions != nil {
		t.Error("release kept regions")
	}
}
