//go:build !unix

package checker

import "errors"

// Elsewhere a model always decodes on the heap.
const offHeapSupported = false

func offHeapPage(int) int { return 4096 }

func mapRegion(int) ([]byte, error) { return nil, errors.New("not supported") }

func protectRegion([]byte) error { return nil }

func unmapRegion([]byte) error { return nil }
