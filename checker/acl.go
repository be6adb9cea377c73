package checker

import (
	"sort"
	"strings"
)

// normalizeACL turns an aclitem[] (as text items "grantee=privs/grantor")
// into a stable string: "grantee=privs" items sorted, the owner's own
// entry left out (owners differ between environments and are not
// compared), PUBLIC for the empty grantee. A NULL ACL means the kind's
// defaults: defaultPublic is what PUBLIC holds by default ("X" for
// functions, "U" for types, "" otherwise).
func normalizeACL(items []string, isNull bool, owner, defaultPublic string) string {
	if isNull {
		if defaultPublic == "" {
			return ""
		}
		return "PUBLIC=" + defaultPublic
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		grantee, privs, ok := splitACLItem(it)
		if !ok || grantee == owner {
			continue
		}
		if grantee == "" {
			grantee = "PUBLIC"
		}
		out = append(out, grantee+"="+privs)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// splitACLItem splits "grantee=privs/grantor"; the grantee may be a
// double-quoted name with "" for a quote.
func splitACLItem(it string) (grantee, privs string, ok bool) {
	i := 0
	var b strings.Builder
	if strings.HasPrefix(it, `"`) {
		i = 1
		for i < len(it) {
			if it[i] == '"' {
				if i+1 < len(it) && it[i+1] == '"' {
					b.WriteByte('"')
					i += 2
					continue
				}
				i++
				break
			}
			b.WriteByte(it[i])
			i++
		}
	} else {
		for i < len(it) && it[i] != '=' {
			b.WriteByte(it[i])
			i++
		}
	}
	if i >= len(it) || it[i] != '=' {
		return "", "", false
	}
	rest := it[i+1:]
	if j := strings.LastIndexByte(rest, '/'); j >= 0 {
		rest = rest[:j]
	}
	return b.String(), rest, true
}

// privilegeNames maps aclitem letters to GRANT keywords.
var privilegeNames = map[byte]string{
	'r': "SELECT", 'a': "INSERT", 'w': "UPDATE", 'd': "DELETE", 'D': "TRUNCATE",
	'x': "REFERENCES", 't': "TRIGGER", 'X': "EXECUTE", 'U': "USAGE", 'C': "CREATE",
	'c': "CONNECT", 'T': "TEMPORARY", 'm': "MAINTAIN", 's': "SET", 'A': "ALTER SYSTEM",
}
