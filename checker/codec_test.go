package checker

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// The binary cache round-trips a model of every kind exactly: the same
// JSON snapshot before and after.
func TestCodecRoundTrip(t *testing.T) {
	t.Parallel()
	every, err := os.ReadFile("testdata/every_kind.sql")
	if err != nil {
		t.Fatal(err)
	}
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, string(every))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	m := inspectDSN(t, ctx, dsn)
	got, err := DecodeModel(EncodeModel(m))
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := WriteSnapshot(&a, m); err != nil {
		t.Fatal(err)
	}
	if err := WriteSnapshot(&b, got); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Fatalf("round trip changed the model")
	}
	if len(Diff(m, got, DiffOptions{Comments: true, Privileges: true, ColumnOrder: true})) != 0 {
		t.Fatal("round trip shows drift")
	}
}

// Decoding hostile bytes fails cleanly, never panics.
func FuzzDecodeModel(f *testing.F) {
	m := &Model{ServerVersion: 150000}
	o := newObject(KindColumn, "public", "users", "pkceRequired")
	o.SetAttr("type", "boolean")
	o.SetDeps([]string{"x"})
	m.Add(o)
	f.Add(EncodeModel(m))
	f.Add([]byte(codecMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = DecodeModel(append([]byte(nil), data...))
	})
}
