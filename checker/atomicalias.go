package checker

import (
	"regexp"
	"strings"
)

// A SELECT in an SQL-standard function body (BEGIN ATOMIC) prints a
// result column's name after AS only when it differs from the one the
// expression would get by default; for an expression that is not a column
// that default is "?column?". "SELECT 'z'" is named "?column?" and prints
// as "SELECT 'z'::text"; that text, read back from a dump, is named after
// its cast, "text", and prints as "SELECT 'z'::text AS text". The names
// of a function body's result columns mean nothing (a function returns
// them by position), so an alias that only repeats the name a cast gives
// is left out on both sides.

// castAlias matches a cast at the end of a result column, "::type", and
// the alias after it. The type is printed by format_type: possibly
// schema-qualified or quoted, a multi-word SQL name, a typmod, array
// brackets.
var castAlias = regexp.MustCompile(`::((?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)(?:\.(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*))?` +
	`(?: precision| varying)?(?:\([0-9, ]+\))?(?: with time zone| without time zone)?(?:\[\])*)` +
	` AS ("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)`)

// castColumnNames maps the SQL names format_type prints to the names the
// parser gives a column cast to them.
var castColumnNames = map[string]string{
	"bigint": "int8", "integer": "int4", "smallint": "int2", "boolean": "bool",
	"real": "float4", "double precision": "float8", "character varying": "varchar",
	"character": "bpchar", "bit varying": "varbit",
	"timestamp without time zone": "timestamp", "timestamp with time zone": "timestamptz",
	"time without time zone": "time", "time with time zone": "timetz",
}

// foldCastAliases drops from an SQL-standard function body each alias
// that only names its column after the cast it ends with.
func foldCastAliases(def string) string {
	if !strings.Contains(def, "BEGIN ATOMIC") || !strings.Contains(def, " AS ") {
		return def
	}
	return castAlias.ReplaceAllStringFunc(def, func(m string) string {
		sub := castAlias.FindStringSubmatch(m)
		if unquoteIdent(sub[2]) != castColumnName(sub[1]) {
			return m
		}
		return "::" + sub[1]
	})
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
	return unquoteIdent(t)
}

// unquoteIdent returns a printed identifier's name.
func unquoteIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}
