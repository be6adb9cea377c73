package checker

import (
	"regexp"
	"strings"
)

// A SELECT's result column prints its name after AS only when it differs
// from the one the expression would get by default; for an expression
// that is not a column that default is "?column?". "SELECT 'z'" is named
// "?column?" and prints as "SELECT 'z'::text"; that text, read back from a
// dump, is named after its cast, "text", and prints as
// "SELECT 'z'::text AS text". The names of a subselect's result columns
// (in a view, a policy, a rule) and of a function body's mean nothing
// where nothing refers to them, so an alias that only repeats the name a
// cast gives is left out on both sides. A view's own columns are its
// top-level result columns: those keep their aliases.

// castType is a type as format_type prints it after "::": possibly
// schema-qualified or quoted, a multi-word SQL name, a typmod, array
// brackets. aliasName is a result column's name after AS.
const (
	castType = `((?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)(?:\.(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*))?` +
		`(?: precision| varying)?(?:\([0-9, ]+\))?(?: with time zone| without time zone)?(?:\[\])*)`
	aliasName = `("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)`
)

// castAlias matches a cast at the end of a result column and the alias
// after it.
var castAlias = regexp.MustCompile(`^::` + castType + ` AS ` + aliasName)

// sublinkAlias matches a subselect of one cast constant, "( SELECT
// 'w'::text)", and the alias after it: the subselect's column is named
// after the cast, and so is the subselect read back.
var sublinkAlias = regexp.MustCompile(`^\( SELECT ((?:'(?:[^']|'')*'|NULL)::` + castType + `)(?: AS ` + aliasName + `)?\) AS ` + aliasName)

// castColumnNames maps the SQL names format_type prints to the names the
// parser gives a column cast to them.
var castColumnNames = map[string]string{
	"bigint": "int8", "integer": "int4", "smallint": "int2", "boolean": "bool",
	"real": "float4", "double precision": "float8", "character varying": "varchar",
	"character": "bpchar", "bit varying": "varbit",
	"timestamp without time zone": "timestamp", "timestamp with time zone": "timestamptz",
	"time without time zone": "time", "time with time zone": "timetz",
}

// foldCastAliases drops from an expression or definition each alias that
// only names its column after the cast it ends with: everywhere in an
// SQL-standard function body, inside parentheses (subselects) elsewhere.
func foldCastAliases(def string, kind Kind) string {
	if !strings.Contains(def, " AS ") || !strings.Contains(def, "::") {
		return def
	}
	everywhere := kind == KindFunction
	if everywhere && !strings.Contains(def, "\nBEGIN ATOMIC\n") {
		return def
	}
	var b strings.Builder
	depth, from := 0, 0
	var opens []int
	lastOpen, lastClose := -1, -1
	for i := 0; i < len(def); i++ {
		switch c := def[i]; {
		case c == '\'' || c == '"':
			i = skipQuoted(def, i) - 1
		case c == '(':
			opens = append(opens, i)
			if everywhere || depth > 0 {
				if loc := sublinkAlias.FindStringSubmatchIndex(def[i:]); loc != nil &&
					(loc[6] < 0 || unquoteName(def[i+loc[6]:i+loc[7]]) == castColumnName(def[i+loc[4]:i+loc[5]])) &&
					unquoteName(def[i+loc[8]:i+loc[9]]) == castColumnName(def[i+loc[4]:i+loc[5]]) {
					b.WriteString(def[from:i])
					b.WriteString("( SELECT " + def[i+loc[2]:i+loc[3]] + ")")
					from, i = i+loc[1], i+loc[1]-1
					continue
				}
			}
			depth++
		case c == ')':
			depth--
			if n := len(opens); n > 0 {
				lastOpen, lastClose, opens = opens[n-1], i, opens[:n-1]
			}
		case c == ':' && strings.HasPrefix(def[i:], "::") && (everywhere || depth > 0):
			loc := castAlias.FindStringSubmatchIndex(def[i:])
			if loc == nil || loc[0] != 0 {
				continue
			}
			typ, alias := def[i+loc[2]:i+loc[3]], def[i+loc[4]:i+loc[5]]
			if unquoteName(alias) != castColumnName(typ) {
				continue
			}
			if lastClose == i-1 && castOperandNamed(def, lastOpen, lastClose) {
				continue
			}
			b.WriteString(def[from : i+loc[3]])
			from, i = i+loc[1], i+loc[1]-1
		}
	}
	if from == 0 {
		return def
	}
	b.WriteString(def[from:])
	return b.String()
}

// castColumnName is the column name the parser gives an expression cast
// to the type printed as t: the type's own name, without schema, typmod
// or array brackets, as the catalog spells it.
func castColumnName(t string) string {
	t = strings.TrimRight(t, "[]")
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = t[:i] + t[strings.IndexByte(t, ')')+1:]
	}
	for i := 0; i < len(t); i++ { // the name after a schema's dot
		switch t[i] {
		case '"':
			i = skipQuoted(t, i) - 1
		case '.':
			t, i = t[i+1:], -1
		}
	}
	if n, ok := castColumnNames[t]; ok {
		return n
	}
	return unquoteName(t)
}

// plainColumnRef is a column reference as ruleutils prints one: names
// joined by dots, each plain or quoted.
var plainColumnRef = regexp.MustCompile(`^(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)(?:\.(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*))*$`)

// castOperandNamed says whether the operand of a cast, the parenthesised
// text def[open:close+1], gives the column its own name: a column
// reference ("(t.c)::date" is named c) or a call ("lower(x)::text" is
// named lower). Then the cast's type never names the column, and an
// alias equal to it was written on purpose.
func castOperandNamed(def string, open, close int) bool {
	if open > 0 {
		if c := def[open-1]; c == '_' || c == '"' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			return true
		}
	}
	inner := def[open+1 : close]
	return inner != "true" && inner != "false" && plainColumnRef.MatchString(inner)
}
