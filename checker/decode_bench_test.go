package checker

import (
	"bufio"
	"os"
	"testing"
)

// BenchmarkDecodeCached decodes a cached model named by
// $DRIFTWATCH_BENCH_MODEL (a .model file in the cache directory) off the
// heap, as check does: set it to a 10,000-table model to see what a
// check pays before its first catalog query.
func BenchmarkDecodeCached(b *testing.B) {
	path := os.Getenv("DRIFTWATCH_BENCH_MODEL")
	if path == "" {
		b.Skip("DRIFTWATCH_BENCH_MODEL names no cached model")
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		m, err := decodeModel(bufio.NewReader(f), fi.Size(), true)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(m.OffHeapBytes())/(1<<20), "MB-offheap")
	}
}
