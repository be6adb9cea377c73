package checker

import "strings"

// Some expressions print in a form that does not read back as itself: the
// same text loaded again (as a pg_dump file is, into the scratch database)
// prints differently, though it means the same. Two such forms are
// compared as equal here, both written the way the text reads back:
//
//   - An array cast as a whole, "(ARRAY['a'::character varying,
//     'b'::character varying])::text[]" (what "varchar_col IN ('a', 'b')"
//     is stored as), reads back cast element by element,
//     "ARRAY[('a'::character varying)::text, ('b'::character varying)::text]":
//     the parser pushes a cast of an ARRAY[...] into its elements.
//   - "timezone(zone, ts)" is "(ts AT TIME ZONE zone)": PostgreSQL before 14
//     printed the latter as the former, so a schema dumped there reads back
//     as a function call.
//   - An AND whose first operand is an AND of its own, "(((a >= 1) AND
//     (a <= 9)) AND (b > 0))", reads back as one AND, "((a >= 1) AND
//     (a <= 9) AND (b > 0))": a BETWEEN or a row comparison is stored as an
//     AND node of its own, and the parser flattens "(x AND y) AND z" on
//     sight. The same holds for OR (NOT BETWEEN, a row <>). Both forms are
//     compared flattened, the operands in their order.
//
// sameExpr is used only when two attributes differ as text, so the common
// case costs nothing.

// sameExpr reports whether two attribute values mean the same for the
// forms above.
func sameExpr(a, b string) bool {
	if !mayNormalize(a) && !mayNormalize(b) && !mayFlatten(a) && !mayFlatten(b) {
		return false
	}
	return flattenBools(readBackExpr(indexColumnCalls(a))) == flattenBools(readBackExpr(indexColumnCalls(b)))
}

func mayFlatten(s string) bool {
	return strings.Contains(s, " AND ") || strings.Contains(s, " OR ")
}

// flattenBools rewrites each parenthesized group, outside literals and
// quoted identifiers and innermost first, whose top level is an AND (OR)
// chain: an operand that is itself a parenthesized AND (OR) chain is
// spliced into it. A chain that mixes AND and OR at one level is left as
// it is (pretty-printed text drops the parentheses precedence needs).
func flattenBools(s string) string {
	if !mayFlatten(s) {
		return s
	}
	return rewriteUnquoted(s, func(i int) (string, int, bool) {
		if s[i] != '(' {
			return "", 0, false
		}
		end := closing(s, i)
		if end < 0 {
			return "", 0, false
		}
		return "(" + flattenChain(flattenBools(s[i+1:end])) + ")", end + 1 - i, true
	})
}

// flattenChain splices into the AND (OR) chain s the operands of each of
// its operands that is a parenthesized chain of the same operator.
func flattenChain(s string) string {
	for _, op := range [2][2]string{{" AND ", " OR "}, {" OR ", " AND "}} {
		parts := splitTopLevelOp(s, op[0])
		if len(parts) < 2 {
			continue
		}
		if len(splitTopLevelOp(s, op[1])) > 1 {
			return s
		}
		out := make([]string, 0, len(parts)+2)
		for _, p := range parts {
			if len(p) > 1 && p[0] == '(' && closing(p, 0) == len(p)-1 {
				in := p[1 : len(p)-1]
				if sub := splitTopLevelOp(in, op[0]); len(sub) > 1 && len(splitTopLevelOp(in, op[1])) == 1 {
					out = append(out, sub...)
					continue
				}
			}
			out = append(out, p)
		}
		return strings.Join(out, op[0])
	}
	return s
}

// splitTopLevelOp splits s at each op (" AND ", " OR ") outside brackets,
// literals and quoted identifiers.
func splitTopLevelOp(s, op string) []string {
	var out []string
	last := 0
	walkUnquoted(s, 0, func(j, depth int) bool {
		if depth == 0 && j >= last && s[j] == ' ' && strings.HasPrefix(s[j:], op) {
			out = append(out, s[last:j])
			last = j + len(op)
		}
		return true
	})
	return append(out, s[last:])
}

// indexColumnCalls wraps in parentheses each key column of an index
// definition that is a bare timezone() call: pg_get_indexdef prints a
// function call as it is and any other expression in parentheses, so that
// the call, once written as AT TIME ZONE, reads as the latter does.
func indexColumnCalls(def string) string {
	if !strings.HasPrefix(def, "CREATE ") || !strings.Contains(def, "timezone(") {
		return def
	}
	i := strings.Index(def, " USING ")
	if i < 0 {
		return def
	}
	open := strings.IndexByte(def[i:], '(')
	if open < 0 {
		return def
	}
	open += i
	end := closing(def, open)
	if end < 0 {
		return def
	}
	cols := splitTrimmed(def[open+1 : end])
	changed := false
	for k, c := range cols {
		if !strings.HasPrefix(c, "timezone(") {
			continue
		}
		if e := closing(c, len("timezone")); e > 0 {
			cols[k] = "(" + c[:e+1] + ")" + c[e+1:]
			changed = true
		}
	}
	if !changed {
		return def
	}
	return def[:open+1] + strings.Join(cols, ", ") + def[end:]
}

func mayNormalize(s string) bool {
	return strings.Contains(s, "(ARRAY[") || strings.Contains(s, "timezone(")
}

// readBackExpr rewrites the forms above, outside string literals and
// quoted identifiers, innermost first.
func readBackExpr(s string) string {
	if !mayNormalize(s) {
		return s
	}
	// IN lists: the same fold attributes get when they are read.
	s = foldArrayCasts(s)
	if !strings.Contains(s, "timezone(") {
		return s
	}
	return rewriteUnquoted(s, func(i int) (string, int, bool) {
		if s[i] == 't' && strings.HasPrefix(s[i:], "timezone(") && (i == 0 || !identChar(s, i-1)) {
			return timezoneAsAtTimeZone(s[i:])
		}
		return "", 0, false
	})
}

// timezoneAsAtTimeZone rewrites "timezone(z, ts)" at the start of s as
// "(ts AT TIME ZONE z)".
func timezoneAsAtTimeZone(s string) (string, int, bool) {
	open := len("timezone")
	end := closing(s, open)
	if end < 0 {
		return "", 0, false
	}
	args := splitTrimmed(s[open+1 : end])
	if len(args) != 2 {
		return "", 0, false
	}
	return "(" + readBackExpr(args[1]) + " AT TIME ZONE " + readBackExpr(args[0]) + ")", end + 1, true
}

// splitTrimmed splits a list at its top-level commas (splitTopLevel),
// trimming each part, as PostgreSQL prints argument and element lists; an
// empty list has no parts.
func splitTrimmed(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	out := splitTopLevel(s)
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}
