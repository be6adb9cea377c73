package bench

import "testing"

func TestSplitPeakRSS(t *testing.T) {
	for _, tc := range []struct {
		in, rest string
		mb       float64
	}{
		{"dump\n\n" + peakRSSPrefix + "2048\n", "dump\n", 2},
		{"no line\n", "no line\n", 0},
		{"x\n" + peakRSSPrefix + "oops\n", "x\n" + peakRSSPrefix + "oops\n", 0},
	} {
		rest, mb := splitPeakRSS([]byte(tc.in))
		if string(rest) != tc.rest || mb != tc.mb {
			t.Errorf("splitPeakRSS(%q) = %q, %v; want %q, %v", tc.in, rest, mb, tc.rest, tc.mb)
		}
	}
}
