package bench

import "testing"

func TestParseMB(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"128MB", 128, true},
		{"1GB", 1024, true},
		{"8192kB", 8, true},
		{"16TB", 16 << 20, true},
		{"lots", 0, false},
		{"xMB", 0, false},
	} {
		got, ok := parseMB(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("parseMB(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestSpeedupFigures(t *testing.T) {
	for _, tc := range []struct {
		xs     []float64
		median float64
		rng    string
	}{
		{nil, 0, "-"},
		{[]float64{4.5}, 4.5, "4.5x..4.5x"},
		{[]float64{3.6, 4.8, 5.3}, 4.8, "3.6x..5.3x"},
		{[]float64{3, 4, 5, 6}, 4.5, "3.0x..6.0x"},
	} {
		if got := medianFloat(tc.xs); got != tc.median {
			t.Errorf("medianFloat(%v) = %v, want %v", tc.xs, got, tc.median)
		}
		if got := speedupRange(tc.xs); got != tc.rng {
			t.Errorf("speedupRange(%v) = %q, want %q", tc.xs, got, tc.rng)
		}
	}
}
