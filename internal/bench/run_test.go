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
