package checker

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// An identity column's sequence is part of the column: its options
// (start, increment, bounds, cache, cycle) and its name are the column's
// "identity_options", written as CREATE TABLE takes them in
// GENERATED ... AS IDENTITY (...), with only those that differ from the
// defaults, so a plain identity has none. The name's default is the one
// PostgreSQL chooses, table_column_seq in the table's schema: pg_dump
// always writes SEQUENCE NAME, and a dump loaded again must compare equal
// with a table made by plain DDL.

// identityRange is the range of an identity column's type.
var identityRange = map[string][2]int64{
	"smallint": {-32768, 32767},
	"integer":  {-2147483648, 2147483647},
	"bigint":   {-9223372036854775808, 9223372036854775807},
}

// identitySeq is an identity's sequence options.
type identitySeq struct {
	start, inc, min, max, cache int64
	cycle                       bool
}

// defaults returns the options a sequence of the column's type gets when
// CREATE names only the increment and the bounds given (ok is false for a
// type whose range is not known).
func (s identitySeq) defaults(typ string) (identitySeq, bool) {
	r, ok := identityRange[typ]
	if !ok {
		return identitySeq{}, false
	}
	d := identitySeq{inc: 1, cache: 1, min: 1, max: r[1]}
	if s.inc < 0 {
		d.min, d.max = r[0], -1
	}
	return d, true
}

// identityOptions renders what the columns query reads of an identity's
// sequence ("start increment min max cache t|f" and "len schema name", len
// the schema's length in bytes) as the options that differ from the
// defaults, SEQUENCE NAME first. schema, table and column name the column.
func identityOptions(typ, raw, schema, table, column string) string {
	f := strings.SplitN(raw, " ", 8)
	if len(f) < 6 {
		return ""
	}
	var seqName string
	if len(f) == 8 {
		n, err := strconv.Atoi(f[6])
		if err != nil || n < 0 || n >= len(f[7]) || f[7][n] != ' ' {
			return ""
		}
		seqSchema, seq := f[7][:n], f[7][n+1:]
		if seqSchema != schema || seq != identitySequenceName(table, column) {
			seqName = "SEQUENCE NAME " + QualifiedName(seqSchema, seq)
		}
		f = f[:6]
	}
	var s identitySeq
	for i, p := range []*int64{&s.start, &s.inc, &s.min, &s.max, &s.cache} {
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return ""
		}
		*p = n
	}
	s.cycle = f[5] == "t" || f[5] == "true"
	d, ok := s.defaults(typ)
	var parts []string
	add := func(differs bool, word string, v int64) {
		if differs || !ok {
			parts = append(parts, word+" "+strconv.FormatInt(v, 10))
		}
	}
	start := s.min
	if s.inc < 0 {
		start = s.max
	}
	add(s.start != start, "START WITH", s.start)
	add(s.inc != d.inc, "INCREMENT BY", s.inc)
	add(s.min != d.min, "MINVALUE", s.min)
	add(s.max != d.max, "MAXVALUE", s.max)
	add(s.cache != d.cache, "CACHE", s.cache)
	if s.cycle {
		parts = append(parts, "CYCLE")
	}
	if seqName != "" {
		parts = append([]string{seqName}, parts...)
	}
	return strings.Join(parts, " ")
}

// identitySequenceName is the name PostgreSQL gives the sequence of an
// identity column it makes (ChooseRelationName's first choice):
// table_column_seq, the table's and the column's names shortened, the
// longer first, to fit 63 bytes, and not cut within a character.
func identitySequenceName(table, column string) string {
	const avail = 63 - len("_") - len("_seq")
	n1, n2 := len(table), len(column)
	for n1+n2 > avail {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	return clipChars(table, n1) + "_" + clipChars(column, n2) + "_seq"
}

// clipChars cuts s to at most n bytes, at a character's start.
func clipChars(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// identitySequence splits identity options into the sequence's name as
// SEQUENCE NAME gives it (schema-qualified and quoted, "" for the
// default) and the other options.
func identitySequence(opts string) (name, rest string) {
	after, ok := strings.CutPrefix(opts, "SEQUENCE NAME ")
	if !ok {
		return "", opts
	}
	// A qualified name: quoted parts (with "" inside) or bare ones, joined
	// by dots, up to the first space outside quotes.
	if i := walkUnquoted(after, 0, func(j, _ int) bool { return after[j] != ' ' }); i < len(after) {
		return after[:i], after[i+1:]
	}
	return after, ""
}

// identitySequenceParts splits identity options' SEQUENCE NAME into its
// schema and name, unquoted (ok is false when the options have none).
func identitySequenceParts(opts string) (schema, name string, ok bool) {
	q, _ := identitySequence(opts)
	if q == "" {
		return "", "", false
	}
	parts := splitQualified(q)
	if len(parts) != 2 {
		return "", "", false
	}
	return parts[0], parts[1], true
}

// identityEffective reads identity options as identityOptions writes
// them, the defaults filled in (known says the type's range is, so that
// the default start and bounds are).
func identityEffective(typ, opts string) (s identitySeq, given map[string]bool, known bool) {
	s = identitySeq{inc: 1, cache: 1}
	vals := map[string]int64{}
	given = map[string]bool{}
	_, opts = identitySequence(opts)
	f := strings.Fields(opts)
	for i := 0; i < len(f); i++ {
		word := f[i]
		if word == "START" || word == "INCREMENT" {
			i++ // WITH, BY
		}
		if word == "CYCLE" {
			s.cycle = true
			continue
		}
		if i+1 < len(f) {
			if n, err := strconv.ParseInt(f[i+1], 10, 64); err == nil {
				vals[word], given[word] = n, true
				i++
			}
		}
	}
	if given["INCREMENT"] {
		s.inc = vals["INCREMENT"]
	}
	d, known := s.defaults(typ)
	s.min, s.max = d.min, d.max
	if given["MINVALUE"] {
		s.min = vals["MINVALUE"]
	}
	if given["MAXVALUE"] {
		s.max = vals["MAXVALUE"]
	}
	s.start = s.min
	if s.inc < 0 {
		s.start = s.max
	}
	if given["START"] {
		s.start = vals["START"]
	}
	if given["CACHE"] {
		s.cache = vals["CACHE"]
	}
	return s, given, known
}

// identitySetOptions renders canonical's identity options as the SET
// clauses of ALTER COLUMN that give the live sequence all of them, the
// defaults included.
func identitySetOptions(typ, opts string) string {
	s, given, known := identityEffective(typ, opts)
	var out []string
	if given["START"] || known {
		// (of a type whose range is not known, the default start is left
		// as it is)
		out = append(out, "SET START WITH "+strconv.FormatInt(s.start, 10))
	}
	out = append(out, "SET INCREMENT BY "+strconv.FormatInt(s.inc, 10))
	if given["MINVALUE"] {
		out = append(out, "SET MINVALUE "+strconv.FormatInt(s.min, 10))
	} else {
		out = append(out, "SET NO MINVALUE")
	}
	if given["MAXVALUE"] {
		out = append(out, "SET MAXVALUE "+strconv.FormatInt(s.max, 10))
	} else {
		out = append(out, "SET NO MAXVALUE")
	}
	out = append(out, "SET CACHE "+strconv.FormatInt(s.cache, 10))
	if s.cycle {
		out = append(out, "SET CYCLE")
	} else {
		out = append(out, "SET NO CYCLE")
	}
	return strings.Join(out, " ")
}
