package checker

import (
	"slices"
	"strings"
)

// usingSep joins an operator family's or class's name and its access
// method in its Name: "int4_ops USING btree".
const usingSep = " USING "

// memberSep joins the members of a family or class in its members attribute.
const memberSep = "; "

// splitUsing splits a family's or class's Name into name and method. The
// method is the part after the last " USING ": a name may hold one too.
func splitUsing(s string) (name, method string) {
	if i := strings.LastIndex(s, usingSep); i >= 0 {
		return s[:i], s[i+len(usingSep):]
	}
	return s, ""
}

// qopclass is a family or class as DROP, ALTER and COMMENT ON name it:
// schema.name USING method.
func qopclass(o *Object) string {
	name, method := splitUsing(o.Name)
	return QualifiedName(o.Schema, name) + usingSep + QuoteIdentMin(method)
}

// members splits a family's or class's members attribute.
func members(o *Object) []string {
	return splitOutsideQuotes(o.Attr("members"), memberSep)
}

// memberDrop is how ALTER OPERATOR FAMILY ... DROP names a member:
// "OPERATOR n (left, right)" or "FUNCTION n (left, right)". The types are
// the first parenthesized list: after an operator's name, before a
// function's.
func memberDrop(m string) string {
	word, rest, _ := strings.Cut(m, " ")
	num, rest, _ := strings.Cut(rest, " ")
	open := indexOutsideQuotes(rest, "(")
	if open < 0 {
		return m
	}
	end := indexOutsideQuotes(rest[open:], ")")
	if end < 0 {
		return m
	}
	types := splitOutsideQuotes(rest[open+1:open+end], ",")
	for i := range types {
		types[i] = strings.TrimSpace(types[i])
	}
	return word + " " + num + " (" + strings.Join(types, ", ") + ")"
}

// describeOpclass is how a family or class reads in a report.
func describeOpclass(o *Object) string {
	if o.Kind == KindOpFamily {
		return o.Attr("members")
	}
	return opclassDef(o)
}

// opclassDef is CREATE OPERATOR CLASS after the class's name.
func opclassDef(o *Object) string {
	_, method := splitUsing(o.Name)
	var b strings.Builder
	if o.Attr("default") == "true" {
		b.WriteString("DEFAULT ")
	}
	b.WriteString("FOR TYPE " + o.Attr("type") + usingSep + QuoteIdentMin(method) + " FAMILY " + o.Attr("family") + " AS ")
	items := members(o)
	// STORAGE of the input type is no storage type: it stands in for the
	// one item the list needs, where the class holds no member.
	storage := o.Attr("storage")
	if storage == "" && len(items) == 0 {
		storage = o.Attr("type")
	}
	if storage != "" {
		items = append(items, "STORAGE "+storage)
	}
	b.WriteString(strings.Join(items, ", "))
	return b.String()
}

// createOpFamily creates a family and adds the members no class holds.
func (b *sqlBuilder) createOpFamily(o *Object) {
	b.add("CREATE OPERATOR FAMILY %s;", qopclass(o))
	if m := members(o); len(m) > 0 {
		b.add("ALTER OPERATOR FAMILY %s ADD %s;", qopclass(o), strings.Join(m, ", "))
	}
}

// createOpClass creates a class in its family, which exists by then (its
// own item, or canonical's family kept).
func (b *sqlBuilder) createOpClass(o *Object) {
	name, _ := splitUsing(o.Name)
	b.add("CREATE OPERATOR CLASS %s %s;", QualifiedName(o.Schema, name), opclassDef(o))
}

// alterOpFamily drops and adds the members that differ, in place: the
// classes in the family and the indexes using them stay.
func (b *sqlBuilder) alterOpFamily(want, have *Object) {
	wantM, haveM := members(want), members(have)
	var drop, add []string
	for _, m := range haveM {
		if !slices.Contains(wantM, m) {
			drop = append(drop, memberDrop(m))
		}
	}
	for _, m := range wantM {
		if !slices.Contains(haveM, m) {
			add = append(add, m)
		}
	}
	if len(drop) > 0 {
		b.add("ALTER OPERATOR FAMILY %s DROP %s;", qopclass(want), strings.Join(drop, ", "))
	}
	if len(add) > 0 {
		b.add("ALTER OPERATOR FAMILY %s ADD %s;", qopclass(want), strings.Join(add, ", "))
	}
}

// alterOpClass makes a changed class anew: nothing of it but its name,
// owner and schema can be altered. The live indexes and keys using it go
// first and come back as canonical has them.
func (b *sqlBuilder) alterOpClass(want, have *Object, changed func(...string) bool) {
	if !changed("type", "default", "family", "storage", "members") {
		return
	}
	var users [][2]*Object
	for _, k := range strings.Split(have.Attr("users"), "\n") {
		if u := b.have.Lookup(k); u != nil {
			users = append(users, [2]*Object{b.want.Lookup(k), u})
			b.drop(u)
		}
	}
	b.drop(have)
	b.createOpClass(want)
	b.keepComment(want, have)
	for _, u := range users {
		if u[0] != nil {
			b.recreateFromCanonical(u[0], u[1])
		}
	}
}
