//go:build unix

package checker

import "syscall"

const offHeapSupported = true

func offHeapPage() int { return syscall.Getpagesize() }

func mapRegion(size int) ([]byte, error) {
	return syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
}

func protectRegion(b []byte) error {
	return syscall.Mprotect(b, syscall.PROT_READ)
}

func unmapRegion(b []byte) error {
	return syscall.Munmap(b)
}
