package checker

import "strings"

// splitQualified splits a dotted name whose parts may be double-quoted
// ("a.b"."c" gives a.b and c), undoing the quoting.
func splitQualified(s string) []string {
	var parts []string
	var cur strings.Builder
	inQuote := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inQuote && c == '"' && i+1 < len(s) && s[i+1] == '"':
			cur.WriteByte('"')
			i++
		case c == '"':
			inQuote = !inQuote
		case c == '.' && !inQuote:
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(parts, cur.String())
}

// splitOwnedBy splits a sequence's owned_by ("schema.table.column", quoted
// as PostgreSQL quotes) into schema and table.
func splitOwnedBy(s string) (schema, table string, ok bool) {
	p := splitQualified(s)
	if len(p) != 3 {
		return "", "", false
	}
	return p[0], p[1], true
}
