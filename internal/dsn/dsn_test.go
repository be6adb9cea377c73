package dsn

import (
	"strings"
	"testing"
)

func TestDescribe(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://app:s3cret@db.example:6432/prod?sslmode=disable":     "app@db.example:6432/prod",
		"host=db.example port=6432 user=app password=s3cret dbname=prod": "app@db.example:6432/prod",
		"postgres://%zz": "(unparsable DSN)",
	} {
		got := Describe(in)
		if got != want || strings.Contains(got, "s3cret") {
			t.Errorf("Describe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWithDatabase(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://u@h:5432/postgres?sslmode=disable", "postgres://u@h:5432/other?sslmode=disable"},
		{"postgresql://u@h/x?dbname=y&sslmode=disable", "postgresql://u@h/other?sslmode=disable"},
		{"host=h user=u", "host=h user=u dbname=other"},
	} {
		got, err := WithDatabase(tc.in, "other")
		if err != nil || got != tc.want {
			t.Errorf("WithDatabase(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := WithDatabase("postgres://%zz", "other"); err == nil {
		t.Error("a broken URL was accepted")
	}
}
