package memlimit

import (
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
)

// Policy sizes the limit: Factor times the live heap, plus Extra bytes,
// and never below Floor bytes.
type Policy struct {
	Factor float64
	Extra  int64
	Floor  int64
}

// Live collects garbage, hands the freed memory back to the OS and returns
// the bytes of heap still in use.
func Live() int64 {
	debug.FreeOSMemory()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// Limit returns the limit the policy gives for live bytes of heap.
func (p Policy) Limit(live int64) int64 {
	return max(int64(float64(live)*p.Factor)+p.Extra, p.Floor)
}

// Fit measures the live heap (Live) and sets the soft memory limit by the
// policy. It returns the limit set, or 0 when GOMEMLIMIT is set and the
// user's limit stands; it then collects nothing.
func Fit(p Policy) int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	limit := p.Limit(Live())
	debug.SetMemoryLimit(limit)
	return limit
}

// Lift removes the limit Fit set, for a while the process will hold more
// than it did (GOMEMLIMIT, when set, stands).
func Lift() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(math.MaxInt64)
	}
}
