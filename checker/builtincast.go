package checker

import (
	"regexp"
	"strings"
)

// builtinNonStringTypes are PostgreSQL's own base types outside the string
// category, as format_type prints them without a type modifier. Between two
// of them a value converts only by a cast in pg_cast (builtinCasts); every
// type converts to and from a string type by its text form.
var builtinNonStringTypes = setOf("bit", "bit varying", "boolean", "box", "bytea", "cidr", "circle", "date",
	"real", "double precision", "inet", "smallint", "integer", "bigint", "interval", "json", "jsonb",
	"jsonpath", "line", "lseg", "macaddr", "macaddr8", "money", "numeric", "path", "point", "polygon",
	"time without time zone", "timestamp without time zone", "timestamp with time zone",
	"time with time zone", "tsquery", "tsvector", "uuid", "xml")

// builtinCasts are pg_cast's casts between two of builtinNonStringTypes
// (the same in PostgreSQL 13 to 17), "source>target".
var builtinCasts = setOf(strings.Split("bigint>bit|bigint>double precision|bigint>integer|bigint>money|bigint>numeric|bigint>real|bigint>smallint|"+
	"bit varying>bit|bit>bigint|bit>bit varying|bit>integer|boolean>integer|box>circle|box>lseg|box>point|box>polygon|"+
	"cidr>inet|inet>cidr|circle>box|circle>point|circle>polygon|date>timestamp with time zone|date>timestamp without time zone|"+
	"double precision>bigint|double precision>integer|double precision>numeric|double precision>real|double precision>smallint|"+
	"integer>bigint|integer>bit|integer>boolean|integer>double precision|integer>money|integer>numeric|integer>real|integer>smallint|"+
	"interval>time without time zone|json>jsonb|jsonb>bigint|jsonb>boolean|jsonb>double precision|jsonb>integer|jsonb>json|"+
	"jsonb>numeric|jsonb>real|jsonb>smallint|lseg>point|macaddr8>macaddr|macaddr>macaddr8|money>numeric|"+
	"numeric>bigint|numeric>double precision|numeric>integer|numeric>money|numeric>real|numeric>smallint|"+
	"path>polygon|point>box|polygon>box|polygon>circle|polygon>path|polygon>point|"+
	"real>bigint|real>double precision|real>integer|real>numeric|real>smallint|"+
	"smallint>bigint|smallint>double precision|smallint>integer|smallint>numeric|smallint>real|"+
	"time with time zone>time without time zone|time without time zone>interval|time without time zone>time with time zone|"+
	"timestamp with time zone>date|timestamp with time zone>time with time zone|timestamp with time zone>time without time zone|"+
	"timestamp with time zone>timestamp without time zone|timestamp without time zone>date|"+
	"timestamp without time zone>time without time zone|timestamp without time zone>timestamp with time zone", "|")...)

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

var typmodRE = regexp.MustCompile(`\(\d+(,\d+)?\)`)

// builtinBase is a type as format_type prints it without its modifier
// (character varying(255) → character varying, timestamp(3) without time
// zone → timestamp without time zone, interval day to second → interval).
func builtinBase(typ string) string {
	t := strings.TrimSpace(typmodRE.ReplaceAllString(typ, ""))
	t = strings.Join(strings.Fields(t), " ")
	if strings.HasPrefix(t, "interval") {
		return "interval"
	}
	return t
}

// noBuiltinCast reports whether from and to (format_type forms, without
// array brackets) are two different built-in types outside the string
// category with no cast between them, as bigint and timestamp: ALTER
// COLUMN TYPE needs their text form as a way through.
func noBuiltinCast(from, to string) bool {
	f, t := builtinBase(from), builtinBase(to)
	if f == t || !builtinNonStringTypes[f] || !builtinNonStringTypes[t] {
		return false
	}
	return !builtinCasts[f+">"+t]
}
