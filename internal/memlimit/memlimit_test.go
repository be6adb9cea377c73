package memlimit

import (
	"runtime/debug"
	"testing"
)

func TestLimit(t *testing.T) {
	p := Policy{Factor: 3, Extra: 8 << 20, Floor: 32 << 20}
	for _, tc := range []struct{ live, want int64 }{
		{0, 32 << 20},
		{4 << 20, 32 << 20},
		{24 << 20, 80 << 20},
		{100 << 20, 308 << 20},
	} {
		if got := p.Limit(tc.live); got != tc.want {
			t.Errorf("Limit(%d MiB) = %d MiB, want %d MiB", tc.live>>20, got>>20, tc.want>>20)
		}
	}
}

func TestFitSetsLimitAboveLiveHeap(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	keep := make([]byte, 16<<20) // live while Fit measures
	got := Fit(Policy{Factor: 2, Extra: 1 << 20})
	if got < 2*int64(len(keep)) {
		t.Errorf("Fit with 16 MiB live set %d MiB, want at least 32 MiB", got>>20)
	}
	if now := debug.SetMemoryLimit(-1); now != got {
		t.Errorf("runtime limit is %d, Fit returned %d", now, got)
	}
	keep[0] = 1
}

func TestFitLeavesGOMEMLIMIT(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "1GiB")
	before := debug.SetMemoryLimit(-1)
	if got := Fit(Policy{Factor: 2}); got != 0 {
		t.Errorf("Fit with GOMEMLIMIT set returned %d, want 0", got)
	}
	if now := debug.SetMemoryLimit(-1); now != before {
		t.Errorf("Fit changed the limit from %d to %d although GOMEMLIMIT is set", before, now)
	}
}
