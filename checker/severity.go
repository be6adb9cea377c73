package checker

import (
	"fmt"
	"strings"
)

// SeverityRules override the default severity of drift items. Each rule is
// "change:kind=level", where change or kind may be "*": for example
// "missing:index=critical" or "*:trigger=critical".
type SeverityRules []SeverityRule

// SeverityRule is one parsed override.
type SeverityRule struct {
	Change Change
	Kind   Kind
	Level  Severity
}

// ParseSeverityRule parses "change:kind=level".
func ParseSeverityRule(s string) (SeverityRule, error) {
	lhs, level, ok := strings.Cut(s, "=")
	change, kind, ok2 := strings.Cut(lhs, ":")
	if !ok || !ok2 {
		return SeverityRule{}, fmt.Errorf("severity rule %q: want change:kind=level, e.g. missing:index=critical", s)
	}
	r := SeverityRule{Change: Change(strings.TrimSpace(change)), Kind: Kind(strings.TrimSpace(kind)), Level: Severity(strings.TrimSpace(level))}
	switch r.Change {
	case Missing, Unexpected, Changed, "*":
	default:
		return SeverityRule{}, fmt.Errorf("severity rule %q: change must be missing, unexpected, changed or *", s)
	}
	if r.Kind != "*" && !ValidKind(r.Kind) {
		return SeverityRule{}, fmt.Errorf("severity rule %q: unknown object kind %q", s, r.Kind)
	}
	if r.Level != Critical && r.Level != Warning {
		return SeverityRule{}, fmt.Errorf("severity rule %q: level must be critical or warning", s)
	}
	return r, nil
}

func (rules SeverityRules) severity(d *Drift) Severity {
	level := defaultSeverity(d)
	for _, r := range rules {
		if (r.Change == "*" || r.Change == d.Change) && (r.Kind == "*" || r.Kind == d.ObjectType) {
			level = r.Level
		}
	}
	return level
}

// defaultSeverity: critical for what the code relies on being there and
// being the same (missing tables, columns, constraints, functions...;
// column type and nullability; security settings), warning for the rest.
func defaultSeverity(d *Drift) Severity {
	switch d.Change {
	case Missing:
		switch d.ObjectType {
		case KindIndex, KindTrigger, KindRule, KindStatistics, KindCollation, KindEventTrigger,
			KindFDW, KindServer, KindCast, KindPublication, KindDefaultACL:
			return Warning
		}
		return Critical
	case Changed:
		switch d.ObjectType {
		case KindColumn:
			for _, a := range []string{"type", "not_null", "identity", "generated"} {
				if _, ok := d.Diff[a]; ok {
					return Critical
				}
			}
		case KindConstraint, KindPolicy, KindType:
			// A different comment or grant alone is not a different definition.
			if len(d.Diff) > countOf(d.Diff, "comment", "privileges") {
				return Critical
			}
		case KindTable:
			for _, a := range []string{"rls", "force_rls", "relkind", "partition_key", "partition_of"} {
				if _, ok := d.Diff[a]; ok {
					return Critical
				}
			}
		}
	}
	return Warning
}
