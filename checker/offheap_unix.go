//go:build unix && !linux

package checker

import "syscall"

const offHeapSupported = true

// offHeapPage is the granule a region of about size bytes is mapped in.
func offHeapPage(int) int { return syscall.Getpagesize() }

func mapRegion(size int) ([]byte, error) {
	return syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
}

func protectRegion(b []byte) error {
	return syscall.Mprotect(b, syscall.PROT_READ)
}

func unmapRegion(b []byte) error {
	return syscall.Munmap(b)
}
