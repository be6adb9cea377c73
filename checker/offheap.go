package checker

import "unsafe"

// An offHeap region holds a decoded canonical model outside the Go heap,
// read-only once decoded, for the rest of the process (LoadOptions.OffHeap).
//
// A 10,000-table model is 151,000 objects and some 600,000 pointers. On the
// heap, every garbage collection marks all of it again, though it never
// changes: with the soft memory limit a check needs to stay small, the
// collector ran 15 times during the live read and took ~0.6 s of CPU from
// the two cores the server's catalog queries need. Outside the heap, the
// collector skips every pointer into it, and marks only what the read
// holds for a moment.
//
// Only what the model is made of goes there: its strings, its objects,
// what few have more (objectMore) and their dependency lists, and the
// slice of object pointers; all of it points only within the region or to
// constants. Sealed read-only, a write to the model (which Inspect and
// Diff never do) faults at once instead of hiding a heap pointer from the
// collector. The memory is never given back: it is for one-shot commands
// (check), whose model lives as long as they do.
type offHeap struct {
	regions [][]byte
	cur     []byte // the last region, filled up to its length
	next    int    // size of the next region to map
	total   int64
}

// Region sizes: a first one of what the model needs (three times its
// encoded size, which it is within a few percent), then offHeapMax each
// should that fall short.
const (
	offHeapMin = 64 << 10
	offHeapMax = 4 << 20
)

// newOffHeap returns a region for a model encoded in encoded bytes, or nil
// where the platform has none (the model then decodes on the heap).
func newOffHeap(encoded int64) *offHeap {
	if !offHeapSupported {
		return nil
	}
	return &offHeap{next: int(max(3*encoded, offHeapMin))}
}

// alloc returns n zeroed bytes aligned to align.
func (h *offHeap) alloc(n, align int) unsafe.Pointer {
	off := (len(h.cur) + align - 1) &^ (align - 1)
	if off+n > cap(h.cur) {
		page := offHeapPage(max(h.next, n))
		size := (max(h.next, n) + page - 1) &^ (page - 1)
		b, err := mapRegion(size)
		if err != nil {
			// Out of address space or over a ulimit: the heap would fail too.
			panic("checker: map memory for the canonical model: " + err.Error())
		}
		h.regions = append(h.regions, b)
		h.cur, off = b[:0], 0
		h.next = offHeapMax
		h.total += int64(size)
	}
	h.cur = h.cur[:off+n]
	return unsafe.Pointer(&h.cur[off])
}

// offHeapSlice returns a zeroed slice of n Ts in h, or on the heap when h
// is nil.
func offHeapSlice[T any](h *offHeap, n int) []T {
	if h == nil {
		return make([]T, n)
	}
	if n == 0 {
		return nil
	}
	var z T
	return unsafe.Slice((*T)(h.alloc(n*int(unsafe.Sizeof(z)), int(unsafe.Alignof(z)))), n)
}

// seal makes the regions read-only.
func (h *offHeap) seal() error {
	if h == nil {
		return nil
	}
	for _, r := range h.regions {
		if err := protectRegion(r); err != nil {
			return err
		}
	}
	return nil
}

// release unmaps the regions of a model that failed to decode, which
// nothing refers to.
func (h *offHeap) release() {
	if h == nil {
		return
	}
	for _, r := range h.regions {
		_ = unmapRegion(r) // address space only: nothing to report
	}
	h.regions, h.cur = nil, nil
}

// size is the bytes mapped, 0 for nil.
func (h *offHeap) size() int64 {
	if h == nil {
		return 0
	}
	return h.total
}
