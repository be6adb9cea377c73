package checker

import (
	"strings"
)

// qoperator is an operator as DROP and COMMENT ON name it:
// schema.op(left, right).
func qoperator(o *Object) string {
	return QuoteIdentMin(o.Schema) + "." + o.Name
}

// operatorParts splits an operator's Name, "op(left, right)".
func operatorParts(o *Object) (op, left, right string) {
	op, args, _ := strings.Cut(o.Name, "(")
	left, right, _ = strings.Cut(strings.TrimSuffix(args, ")"), ", ")
	return op, left, right
}

// operatorDef is CREATE OPERATOR's definition list.
func operatorDef(o *Object) string {
	_, left, right := operatorParts(o)
	var parts []string
	if f := o.Attr("function"); f != "" {
		parts = append(parts, "FUNCTION = "+splitOutsideQuotes(f, "(")[0]) // the name, without its arguments
	}
	if left != "NONE" {
		parts = append(parts, "LEFTARG = "+left)
	}
	if right != "NONE" {
		parts = append(parts, "RIGHTARG = "+right)
	}
	if c := o.Attr("commutator"); c != "" {
		parts = append(parts, "COMMUTATOR = OPERATOR("+c+")")
	}
	if n := o.Attr("negator"); n != "" {
		parts = append(parts, "NEGATOR = OPERATOR("+n+")")
	}
	if r := o.Attr("restrict"); r != "" {
		parts = append(parts, "RESTRICT = "+r)
	}
	if j := o.Attr("join"); j != "" {
		parts = append(parts, "JOIN = "+j)
	}
	if o.Attr("hashes") == "true" {
		parts = append(parts, "HASHES")
	}
	if o.Attr("merges") == "true" {
		parts = append(parts, "MERGES")
	}
	return strings.Join(parts, ", ")
}

// createOperator creates an operator. One its commutator or negator
// names before that one exists is made a shell, which CREATE OPERATOR
// fills in later.
func (b *sqlBuilder) createOperator(o *Object) {
	op, _, _ := operatorParts(o)
	b.add("CREATE OPERATOR %s.%s (%s);", QuoteIdentMin(o.Schema), op, operatorDef(o))
}

// alterOperator changes an operator's estimators in place; anything else
// takes a new operator.
func (b *sqlBuilder) alterOperator(want, have *Object, changed func(...string) bool) {
	if changed("function", "commutator", "negator", "hashes", "merges") {
		b.drop(have)
		b.createOperator(want)
		b.keepComment(want, have)
		return
	}
	var set []string
	if changed("restrict") {
		set = append(set, "RESTRICT = "+orNone(want.Attr("restrict")))
	}
	if changed("join") {
		set = append(set, "JOIN = "+orNone(want.Attr("join")))
	}
	if len(set) > 0 {
		b.add("ALTER OPERATOR %s SET (%s);", qoperator(want), strings.Join(set, ", "))
	}
}

func orNone(s string) string {
	if s == "" {
		return "NONE"
	}
	return s
}
