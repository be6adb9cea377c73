package checker

import "strings"

// normalizeExpr rewrites a deparsed expression or definition in the form
// PostgreSQL prints after a dump and restore of it.
func normalizeExpr(s string) string { return foldValuesParen(foldJoinOnTrue(foldArrayCasts(s))) }

// foldArrayCasts rewrites each array cast "(ARRAY[e1, e2])::t[]" in a
// deparsed expression as "ARRAY[(e1)::t, (e2)::t]". PostgreSQL prints an
// IN list over a column of another type (varchar, a domain) in the first
// form, but parsing that text again pushes the cast into the elements, so
// the same expression reads back in the second form after a dump and
// restore. Both sides of a check fold to the second form.
func foldArrayCasts(s string) string {
	if !strings.Contains(s, "ARRAY[") {
		return s
	}
	return rewriteUnquoted(s, func(i int) (string, int, bool) {
		switch {
		case s[i] == '(' && strings.HasPrefix(s[i+1:], "ARRAY["):
			return foldOneArrayCast(s[i:], false)
		case s[i] == 'A' && strings.HasPrefix(s[i:], "ARRAY[") && (i == 0 || !identChar(s, i-1)):
			return foldOneArrayCast(s[i:], true)
		}
		return "", 0, false
	})
}

// joinOnTrue is how PostgreSQL prints an outer join without a condition
// (a NATURAL join with no common column); parsing it back gives the join
// the condition true, printed as " ON (true)".
const joinOnTrue = " ON TRUE"

// foldJoinOnTrue rewrites each " ON TRUE" outside quotes as " ON (true)",
// the form it reads back as after a dump and restore.
func foldJoinOnTrue(s string) string {
	if !strings.Contains(s, joinOnTrue) {
		return s
	}
	return rewriteUnquoted(s, func(i int) (string, int, bool) {
		if s[i] == ' ' && strings.HasPrefix(s[i:], joinOnTrue) && !identChar(s, i+len(joinOnTrue)) {
			return " ON (true)", len(joinOnTrue), true
		}
		return "", 0, false
	})
}

// foldValuesParen rewrites each "(VALUES " outside quotes as "( VALUES ".
// A view whose query is a VALUES list with columns renamed prints it as a
// subquery in FROM, "FROM (VALUES (1,2)) \"*VALUES*\""; that text, read
// back from a dump, prints the subquery as any other: "FROM ( VALUES".
func foldValuesParen(s string) string {
	if !strings.Contains(s, "(VALUES ") {
		return s
	}
	return rewriteUnquoted(s, func(i int) (string, int, bool) {
		if s[i] == '(' && strings.HasPrefix(s[i:], "(VALUES ") {
			return "( VALUES ", len("(VALUES "), true
		}
		return "", 0, false
	})
}

// rewriteUnquoted copies s, offering each position outside quoted
// literals and identifiers to at, which returns a replacement and the
// length of s it stands for, or ok false to keep the byte there.
func rewriteUnquoted(s string, at func(i int) (out string, n int, ok bool)) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		if c := s[i]; c == '\'' || c == '"' {
			j := skipQuoted(s, i)
			b.WriteString(s[i:j])
			i = j
			continue
		}
		if out, n, ok := at(i); ok {
			b.WriteString(out)
			i += n
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// identChar says whether s[i] exists and can continue an identifier.
func identChar(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	return identByte(s[i])
}

// identByte says whether c may be part of an unquoted identifier.
func identByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// skipQuoted returns the index just past the quoted literal or identifier
// starting at s[i] (a doubled quote is part of it).
func skipQuoted(s string, i int) int {
	q := s[i]
	j := i + 1
	for j < len(s) {
		if s[j] == q {
			if j+1 < len(s) && s[j+1] == q {
				j += 2
				continue
			}
			return j + 1
		}
		j++
	}
	return len(s)
}

// walkUnquoted visits each byte of s from i on that is outside quoted
// literals and identifiers, with the bracket depth counted up to and
// including it, until visit returns false; it returns the index it
// stopped at, or len(s).
func walkUnquoted(s string, i int, visit func(j, depth int) bool) int {
	depth := 0
	for j := i; j < len(s); {
		switch s[j] {
		case '\'', '"':
			j = skipQuoted(s, j)
			continue
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		}
		if !visit(j, depth) {
			return j
		}
		j++
	}
	return len(s)
}

// closing returns the index of the bracket closing the one at s[i], or -1.
func closing(s string, i int) int {
	end := walkUnquoted(s, i, func(_, depth int) bool { return depth > 0 })
	if end == i || end >= len(s) {
		return -1
	}
	return end
}

// foldOneArrayCast folds the cast at the start of s, "(ARRAY[...])::t[]",
// returning the new text and the length of s it replaces. Pretty-printed
// definitions (statistics expressions) drop the parentheses:
// "ARRAY['a'::varchar]::text[]" reads back as "ARRAY['a'::varchar::text]";
// only arrays of cast literals are folded in that form.
func foldOneArrayCast(s string, pretty bool) (string, int, bool) {
	open, after := len("(ARRAY"), ")::"
	if pretty {
		open, after = len("ARRAY"), "::"
	}
	end := closing(s, open)
	if end < 0 || !strings.HasPrefix(s[end+1:], after) {
		return "", 0, false
	}
	// The type: up to its "[]" at depth 0, one dimension only.
	start := end + 1 + len(after)
	j, depth := start, 0
	for ; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			j = skipQuoted(s, j) - 1
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case c == '[' && depth == 0:
			if !strings.HasPrefix(s[j:], "[]") || strings.HasPrefix(s[j+2:], "[") {
				return "", 0, false
			}
			goto found
		case depth == 0 && !(c == ' ' || c == '_' || c == '.' || c >= 'a' && c <= 'z' ||
			c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80):
			return "", 0, false
		}
	}
	return "", 0, false
found:
	typ := s[start:j]
	if typ == "" {
		return "", 0, false
	}
	elems := splitTopLevel(s[open+1 : end])
	if len(elems) == 0 {
		return "", 0, false
	}
	var b strings.Builder
	b.WriteString("ARRAY[")
	for k, e := range elems {
		e = strings.TrimSpace(e)
		if e == "" || strings.HasPrefix(e, "ARRAY[") {
			return "", 0, false // nested arrays keep their form
		}
		if k > 0 {
			b.WriteString(", ")
		}
		if pretty {
			if !castLiteral(e) {
				return "", 0, false
			}
			b.WriteString(e + "::" + typ)
			continue
		}
		b.WriteString("(" + foldArrayCasts(e) + ")::" + typ)
	}
	b.WriteString("]")
	return b.String(), j + 2, true
}

// castLiteral says whether e is a quoted literal cast to a type whose
// name has no quotes or brackets: 'a'::character varying.
func castLiteral(e string) bool {
	if e == "" || e[0] != '\'' {
		return false
	}
	j := skipQuoted(e, 0)
	rest := e[j:]
	if !strings.HasPrefix(rest, "::") || len(rest) == 2 {
		return false
	}
	for _, c := range rest[2:] {
		if !(c == ' ' || c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// splitTopLevel splits s at the commas outside brackets and quotes.
func splitTopLevel(s string) []string {
	var out []string
	last := 0
	walkUnquoted(s, 0, func(j, depth int) bool {
		if s[j] == ',' && depth == 0 {
			out = append(out, s[last:j])
			last = j + 1
		}
		return true
	})
	return append(out, s[last:])
}
