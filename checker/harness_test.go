package checker

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
)

// acceptanceCase is one data-driven acceptance case: a canonical schema, a
// live schema, and the drift expected between them ("change kind identity"
// strings, e.g. "missing column public.users.\"pkceRequired\"").
type acceptanceCase struct {
	name      string
	canonical string
	live      string
	want      []string
	// severity, when set, is the expected severity of every item.
	severity Severity
	// manual cases have no in-place fix; the convergence step is skipped
	// for them and the items must say so.
	manual bool
	opts   DiffOptions
}

// runAcceptance builds both schemas in their own databases, checks the
// drift, applies every fix_sql to the live database and checks again: the
// convergence test.
func runAcceptance(t *testing.T, cases []acceptanceCase) {
	t.Helper()
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			canonDSN, liveDSN := pgtest.NewDB(t), pgtest.NewDB(t)
			pgtest.Exec(t, canonDSN, tc.canonical)
			pgtest.Exec(t, liveDSN, tc.live)
			// As check holds it: outside the heap, read-only.
			canon := sealedCopy(t, inspectDSN(t, ctx, canonDSN))
			// check reads the live database sharing the canonical model's
			// equal objects: it must find exactly what a plain read finds.
			items := Diff(canon, inspectShared(t, ctx, liveDSN, canon), tc.opts)
			if plain := Diff(canon, inspectDSN(t, ctx, liveDSN), tc.opts); dumpItems(plain) != dumpItems(items) {
				t.Fatalf("sharing the canonical model changed the drift\nshared:\n%s\nplain:\n%s", dumpItems(items), dumpItems(plain))
			}
			got := describeItems(items)
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("drift mismatch\n got: %q\nwant: %q\nitems:\n%s", got, want, dumpItems(items))
			}
			for _, it := range items {
				if tc.severity != "" && it.Severity != tc.severity {
					t.Errorf("%s %s: severity %s, want %s", it.Change, it.Identity, it.Severity, tc.severity)
				}
				if it.FixSQL == "" {
					t.Errorf("%s %s: empty fix_sql", it.Change, it.Identity)
				}
				if it.Manual != tc.manual {
					t.Errorf("%s %s: manual=%v, want %v (fix: %s)", it.Change, it.Identity, it.Manual, tc.manual, it.FixSQL)
				}
			}
			if tc.manual || len(items) == 0 {
				return
			}
			conn := pgtest.Connect(t, liveDSN)
			for _, it := range items {
				if _, err := conn.Exec(ctx, it.FixSQL); err != nil {
					t.Fatalf("apply fix for %s %s: %v\n%s\nall items:\n%s", it.Change, it.Identity, err, it.FixSQL, dumpItems(items))
				}
			}
			if again := Diff(canon, inspectShared(t, ctx, liveDSN, canon), tc.opts); len(again) > 0 {
				t.Fatalf("fix did not converge; remaining:\n%s\napplied:\n%s", dumpItems(again), dumpItems(items))
			}
		})
	}
}

// inspectDSN reads dsn on one connection, step after step: the plain
// read the acceptance cases hold check's (inspectShared) against, which
// also checks that sharing the steps out between connections finds the
// same. A test schema is small: a second backend's start costs more than
// it saves, and the suite is CPU-bound on two cores.
func inspectDSN(t *testing.T, ctx context.Context, dsn string) *Model {
	t.Helper()
	return inspectWith(t, ctx, dsn, InspectOptions{Parallel: 1})
}

// inspectShared reads dsn sharing against's equal objects, as check does.
func inspectShared(t *testing.T, ctx context.Context, dsn string, against *Model) *Model {
	t.Helper()
	return inspectWith(t, ctx, dsn, InspectOptions{Against: against})
}

func inspectWith(t *testing.T, ctx context.Context, dsn string, opts InspectOptions) *Model {
	t.Helper()
	conn := pgtest.Connect(t, dsn)
	m, err := Inspect(ctx, conn, opts)
	if err != nil {
		t.Fatalf("inspect: %v", err)
	}
	return m
}

func describeItems(items []Drift) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, fmt.Sprintf("%s %s %s", it.Change, it.ObjectType, it.Identity))
	}
	sort.Strings(out)
	return out
}

func dumpItems(items []Drift) string {
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "  %s %s %s [%s] diff=%v\n    %s\n", it.Change, it.ObjectType, it.Identity, it.Severity, it.Diff,
			strings.ReplaceAll(it.FixSQL, "\n", "\n    "))
	}
	return b.String()
}
