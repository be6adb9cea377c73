package checker

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

const offHeapSupported = true

// hugePage is the size of a transparent huge page on Linux (x86-64 and
// arm64 with 4 KiB base pages).
const hugePage = 2 << 20

// offHeapPage is the granule a region of about size bytes is mapped in: a
// large region (a model of thousands of tables) in huge pages. Where the
// first write to a page costs a fault each, as in virtual machines whose
// host backs guest memory lazily (~10 us a page seen here), decoding a
// 10,000-table model (21 MB, 5,000 pages) spent ~50 ms faulting; in 2 MB
// pages, 11 faults. Small regions keep base pages: a huge page counts
// whole in the resident size once touched, and tests decode many small
// models.
func offHeapPage(size int) int {
	if size >= 2*hugePage {
		return hugePage
	}
	return unix.Getpagesize()
}

// mapRegion maps size bytes, aligned to and advised for huge pages when
// size is a multiple of them (the kernel ignores the advice where
// transparent huge pages are off). By pointer: unix.Munmap unmaps only
// whole mappings it made, and the alignment trims the ends.
func mapRegion(size int) ([]byte, error) {
	length := uintptr(size)
	if size%hugePage == 0 {
		length += hugePage
	}
	p, err := unix.MmapPtr(-1, 0, nil, length, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		return nil, err
	}
	if length == uintptr(size) {
		return unsafe.Slice((*byte)(p), size), nil
	}
	// Keep the aligned size bytes; give back the rest at either end.
	head := (hugePage - uintptr(p)%hugePage) % hugePage
	if head > 0 {
		if err := unix.MunmapPtr(p, head); err != nil {
			return nil, err
		}
	}
	start := unsafe.Add(p, head)
	if tail := length - head - uintptr(size); tail > 0 {
		if err := unix.MunmapPtr(unsafe.Add(start, size), tail); err != nil {
			return nil, err
		}
	}
	b := unsafe.Slice((*byte)(start), size)
	_ = unix.Madvise(b, unix.MADV_HUGEPAGE) // advice: base pages work too
	return b, nil
}

func protectRegion(b []byte) error {
	return unix.Mprotect(b, unix.PROT_READ)
}

func unmapRegion(b []byte) error {
	return unix.MunmapPtr(unsafe.Pointer(unsafe.SliceData(b)), uintptr(len(b)))
}
