package checker

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Report is the result of one check, as `check --format json` prints it.
type Report struct {
	Status    string    `json:"status"` // "clean" or "drift"
	Drifts    []Drift   `json:"drifts"`
	Summary   Summary   `json:"summary"`
	CheckedAt time.Time `json:"checked_at"`
	Database  string    `json:"database,omitempty"`
	Canonical string    `json:"canonical,omitempty"`
}

// Summary counts a report's items.
type Summary struct {
	Total          int `json:"total"`
	Critical       int `json:"critical"`
	Warning        int `json:"warning"`
	Missing        int `json:"missing"`
	Unexpected     int `json:"unexpected"`
	Changed        int `json:"changed"`
	ObjectsChecked int `json:"objects_checked"`
}

// NewReport summarizes drift items found at the given time.
func NewReport(items []Drift, objectsChecked int, at time.Time) *Report {
	r := &Report{Status: "clean", Drifts: items, CheckedAt: at.UTC()}
	if r.Drifts == nil {
		r.Drifts = []Drift{}
	}
	if len(items) > 0 {
		r.Status = "drift"
	}
	r.Summary.Total = len(items)
	r.Summary.ObjectsChecked = objectsChecked
	for _, d := range items {
		switch d.Severity {
		case Critical:
			r.Summary.Critical++
		default:
			r.Summary.Warning++
		}
		switch d.Change {
		case Missing:
			r.Summary.Missing++
		case Unexpected:
			r.Summary.Unexpected++
		case Changed:
			r.Summary.Changed++
		}
	}
	return r
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// WriteText writes the report for people, grouped by table; color adds
// ANSI colours (only for terminals).
func (r *Report) WriteText(w io.Writer, color bool) error {
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	var b strings.Builder
	if r.Status == "clean" {
		fmt.Fprintf(&b, "%s %s matches %s (%d objects checked)\n", paint("32", "✓ clean:"), orDash(r.Database), orDash(r.Canonical), r.Summary.ObjectsChecked)
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "%s %d item(s) in %s against %s: %d critical, %d warning (%d missing, %d unexpected, %d changed)\n",
		paint("31;1", "✗ drift:"), r.Summary.Total, orDash(r.Database), orDash(r.Canonical), r.Summary.Critical, r.Summary.Warning,
		r.Summary.Missing, r.Summary.Unexpected, r.Summary.Changed)
	groups := map[string][]Drift{}
	var names []string
	for _, d := range r.Drifts {
		g := groupOf(d)
		if _, ok := groups[g]; !ok {
			names = append(names, g)
		}
		groups[g] = append(groups[g], d)
	}
	sort.Strings(names)
	for _, g := range names {
		fmt.Fprintf(&b, "\n%s\n", paint("1", g))
		for _, d := range groups[g] {
			sev := paint("33", string(d.Severity))
			if d.Severity == Critical {
				sev = paint("31", string(d.Severity))
			}
			fmt.Fprintf(&b, "  %-10s %s %s  [%s]\n", d.Change, d.ObjectType, d.Identity, sev)
			for _, ad := range sortedDiff(d.Diff) {
				fmt.Fprintf(&b, "      %-12s expected: %s\n      %-12s actual:   %s\n", ad.name, oneLine(ad.Expected), "", oneLine(ad.Actual))
			}
			if d.Change == Missing && d.Expected != nil && *d.Expected != "" {
				fmt.Fprintf(&b, "      expected: %s\n", oneLine(*d.Expected))
			}
			if d.Change == Unexpected && d.Actual != nil && *d.Actual != "" {
				fmt.Fprintf(&b, "      actual:   %s\n", oneLine(*d.Actual))
			}
			fmt.Fprintf(&b, "      %s %s\n", paint("2", "fix:"), indent(d.FixSQL, "           "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// groupOf names the group an item is shown under: its table, or its kind.
func groupOf(d Drift) string {
	switch {
	case d.Table != "":
		return QualifiedName(d.Schema, d.Table)
	case d.ObjectType == KindTable:
		return QualifiedName(d.Schema, d.Name)
	}
	return plural(string(d.ObjectType))
}

// plural is a kind's name in the plural: "text search dictionaries",
// "operator classes", "statistics".
func plural(kind string) string {
	switch {
	case strings.HasSuffix(kind, "ss"):
		return kind + "es"
	case strings.HasSuffix(kind, "s"):
		return kind
	case strings.HasSuffix(kind, "y"):
		return kind[:len(kind)-1] + "ies"
	}
	return kind + "s"
}

type namedDiff struct {
	name string
	AttrDiff
}

func sortedDiff(m map[string]AttrDiff) []namedDiff {
	out := make([]namedDiff, 0, len(m))
	for k, v := range m {
		out = append(out, namedDiff{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "(none)"
	}
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

func indent(s, pad string) string { return strings.ReplaceAll(s, "\n", "\n"+pad) }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
