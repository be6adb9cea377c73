package checker

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// alter writes the statements that turn have into want.
func (b *sqlBuilder) alter(want, have *Object, folded []*Object, diff map[string]AttrDiff, opts DiffOptions) {
	changed := func(names ...string) bool {
		for _, n := range names {
			if _, ok := diff[n]; ok {
				return true
			}
		}
		return false
	}
	switch want.Kind {
	case KindExtension:
		if changed("version") && versionLess(want.Attr("version"), have.Attr("version")) {
			// Extensions ship update scripts, not downgrade ones: the older
			// version is installed anew. Without CASCADE, DROP refuses while
			// objects use the extension; they then need a person.
			b.drop(have)
			b.add("%s", extensionCreate(want))
			break
		}
		if changed("version") {
			b.add("ALTER EXTENSION %s UPDATE TO %s;", QuoteIdentMin(want.Name), QuoteLiteral(want.Attr("version")))
		}
		if changed("schema") {
			b.add("ALTER EXTENSION %s SET SCHEMA %s;", QuoteIdentMin(want.Name), QuoteIdentMin(want.Attr("schema")))
		}
	case KindType:
		if changed("type", "definition") {
			b.alterType(want, have)
		}
	case KindFunction:
		if changed("kind", "definition") {
			if want.Attr("kind") != have.Attr("kind") || want.Attr("result") != have.Attr("result") || want.Attr("kind") == "aggregate" ||
				parameterDefaults(want) < parameterDefaults(have) {
				b.recreateFunction(want, have)
				break
			}
			b.create(want, nil, DiffOptions{})
		}
	case KindSequence:
		if changed("type", "start", "increment", "min", "max", "cache", "cycle") {
			if !inRange(have.Attr("start"), want.Attr("min"), want.Attr("max")) {
				b.needsPerson(fmt.Sprintf("the live sequence starts at %s, outside the canonical range %s..%s: restart it at a value you choose, with: ALTER SEQUENCE %s %s RESTART WITH <value>;",
					have.Attr("start"), want.Attr("min"), want.Attr("max"), qname(want), seqOptions(want)))
				break
			}
			b.add("ALTER SEQUENCE %s %s;", qname(want), seqOptions(want))
		}
		if changed("owned_by") {
			ob := want.Attr("owned_by")
			if ob == "" {
				ob = "NONE"
			}
			b.add("ALTER SEQUENCE %s OWNED BY %s;", qname(want), ob)
		}
	case KindTable:
		b.alterTable(want, have, changed)
	case KindTSDictionary:
		b.alterTSDictionary(want, have, changed)
	case KindTSConfig:
		b.alterTSConfig(want, have, changed)
	case KindTSParser, KindTSTemplate:
		b.alterTSFunctions(want, have, changed)
	case KindOperator:
		b.alterOperator(want, have, changed)
	case KindOpFamily:
		b.alterOpFamily(want, have)
	case KindOpClass:
		b.alterOpClass(want, have, changed)
	case KindFDW:
		b.alterFDW(want, have, changed)
	case KindServer:
		b.alterServer(want, have, changed)
	case KindPublication:
		b.alterPublication(want, have, changed)
	case KindCast:
		if len(diff) > countOf(diff, "comment", "privileges") {
			b.drop(have)
			b.createCast(want)
			b.keepComment(want, have)
		}
	case KindColumn:
		b.alterColumn(want, have, changed)
	case KindStatistics:
		if changed("definition") {
			b.drop(have)
			b.create(want, nil, DiffOptions{})
		} else if changed("target") {
			t := want.Attr("target")
			if t == "" {
				t = "-1"
			}
			b.add("ALTER STATISTICS %s SET STATISTICS %s;", qname(want), t)
		}
	case KindConstraint, KindIndex, KindPolicy, KindCollation, KindEventTrigger:
		if (want.Kind == KindIndex || want.Kind == KindConstraint) && b.attachPartitions(want, have, folded, changed) {
			break
		}
		if len(diff) > countOf(diff, "comment", "privileges", "index_comment", "column_statistics") {
			fks := b.foreignKeysOn(have)
			for _, fk := range fks {
				b.drop(fk)
			}
			b.drop(have)
			b.create(want, folded, DiffOptions{})
			b.restoreForeignKeys(fks)
			break
		}
		if changed("index_comment") {
			b.add("%s", indexCommentSQL(want, want.Attr("index_comment")))
		}
		if changed("column_statistics") {
			b.indexStatistics(want, have.Attr("column_statistics"))
		}
	case KindView, KindMatView:
		if changed("definition", "options") {
			b.recreateView(want, have) // with canonical's column comments and defaults
			break
		}
		if changed("column_comments") {
			b.columnComments(want, have.Attr("column_comments"))
		}
		if changed("column_defaults") {
			b.viewDefaults(want, have.Attr("column_defaults"))
		}
	case KindTrigger:
		if changed("definition") {
			b.drop(have)
			b.create(want, nil, DiffOptions{})
		} else if changed("enabled") {
			b.add("ALTER TABLE %s %s TRIGGER %s;", qtable(want), enableWord(want.Attr("enabled")), QuoteIdentMin(want.Name))
			b.cloneTriggerStates(want, want.Attr("enabled"))
		}
	case KindRule:
		if changed("definition") {
			def := terminate(want.Attr("definition"))
			b.add("%s", strings.Replace(def, "CREATE RULE", "CREATE OR REPLACE RULE", 1))
		}
	}
	if opts.Comments && changed("comment") {
		b.add("%s", commentSQL(want, want.Comment()))
	}
	if opts.Privileges && changed("privileges") {
		b.privileges(want, want.ACL(), have.ACL())
	}
}

func countOf(diff map[string]AttrDiff, names ...string) int {
	n := 0
	for _, name := range names {
		if _, ok := diff[name]; ok {
			n++
		}
	}
	return n
}

// alterType adds missing enum labels in place when the live labels are a
// subsequence of the canonical ones and changes a domain's default,
// nullability and checks in place; an enum or domain used by other objects
// is otherwise recreated with them (recreateEnum); anything else needs
// DROP and CREATE, which fails while columns use the type.
func (b *sqlBuilder) alterType(want, have *Object) {
	if want.Attr("type") == "enum" && have.Attr("type") == "enum" {
		wl := strings.Split(want.Attr("labels"), "\x1f")
		hl := strings.Split(have.Attr("labels"), "\x1f")
		if adds, ok := enumAdditions(wl, hl); ok {
			for _, a := range adds {
				b.add("ALTER TYPE %s ADD VALUE IF NOT EXISTS %s;", qname(want), a)
			}
			return
		}
		b.recreateEnum(want, have)
		return
	}
	if want.Attr("type") == have.Attr("type") && want.Attr("labels") != "" && have.Attr("labels") != "" {
		switch want.Attr("type") {
		case "domain":
			if b.alterDomain(want, have) {
				return
			}
		case "composite":
			if b.alterComposite(want, have) {
				return
			}
		}
	}
	if want.Attr("type") == "domain" && have.Attr("type") == "domain" && b.inUse(have) {
		// A domain over another base type: the same way as an enum
		// whose labels changed, its columns' values through their text.
		b.recreateEnum(want, have)
		return
	}
	if b.inUse(have) {
		b.needsPerson("the type cannot be changed in place and objects use it: recreate it and migrate what uses it")
		return
	}
	b.drop(have)
	b.add("%s", typeCreate(want))
	b.keepTypeExtras(want, have)
}

// keepTypeExtras gives a type made anew the live one's comment and
// grants, which the drop took: compared, their own differences are fixed
// after this from there.
func (b *sqlBuilder) keepTypeExtras(want, have *Object) {
	b.keepComment(want, have)
	b.privileges(want, have.ACL(), b.createdACL(want))
}

// recreateEnum replaces an enum whose labels were removed or reordered,
// which PostgreSQL cannot do in place: the live type is renamed, the
// canonical one created, the columns using the old one converted through
// text (a value whose label is gone makes that fail, leaving the data as
// it was), and the old type dropped. The views and functions using the
// type go first and come back from canonical; column defaults are set
// again, as canonical has them. A domain, composite or range over the
// enum needs a person. A domain whose base type changed takes the same
// way.
func (b *sqlBuilder) recreateEnum(want, have *Object) {
	key := have.Key()
	var cols, funcs, views []*Object
	seenView := map[string]bool{}
	addViews := func(of *Object) {
		for _, v := range b.viewDependents(of) {
			if !seenView[v.Key()] {
				seenView[v.Key()] = true
				views = append(views, v)
			}
		}
	}
	if b.have != nil {
		for _, o := range b.have.Objects {
			switch {
			case o.Kind == KindType && hasDep(o, key):
				b.needsPerson(fmt.Sprintf("enum labels were removed or reordered and type %s uses the enum: recreate the enum and migrate what uses it", o.Identity()))
				return
			case o.Kind == KindColumn && typeRef(o.Attr("type")) == key && !b.inheritedColumn(o) && b.wanted(o):
				cols = append(cols, o)
			case o.Kind == KindFunction && hasDep(o, key):
				funcs = append(funcs, o)
			}
		}
	}
	addViews(have)
	for _, c := range cols {
		addViews(&Object{Kind: KindTable, Schema: c.Schema, Name: c.Table})
	}
	views = usesFirst(views)
	for i := len(views) - 1; i >= 0; i-- {
		b.drop(views[i])
	}
	for _, f := range funcs {
		b.drop(f)
	}
	// Constraints, indexes, policies and triggers that name a label of
	// the type ('a'::public.st): ALTER COLUMN TYPE rebuilds the first two
	// from their text, which then compares the new type with the renamed
	// one, and refuses to alter a column the others use. They go first
	// and come back from canonical.
	var exprs []*Object
	if b.have != nil {
		for _, o := range b.have.Objects {
			switch o.Kind {
			case KindConstraint, KindIndex, KindPolicy, KindTrigger:
				if namesType(o, qname(have)) {
					exprs = append(exprs, o)
				}
			}
		}
	}
	seenExpr := map[string]bool{}
	for _, o := range exprs {
		seenExpr[o.Key()] = true
	}
	var gens []*Object
	for _, c := range cols {
		users, g := b.columnUsers(c, true)
		for _, u := range users {
			if !seenExpr[u.Key()] {
				seenExpr[u.Key()] = true
				exprs = append(exprs, u)
			}
		}
		gens = append(gens, g...)
	}
	for _, o := range exprs {
		b.drop(o)
	}
	for _, g := range gens {
		b.drop(g)
	}
	for _, c := range cols {
		if c.Attr("default") != "" {
			b.add("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;", qtable(c), QuoteIdentMin(c.Name))
		}
	}
	old := have.Name
	if len(old) > 58 {
		old = old[:58]
	}
	old += "__old"
	b.add("ALTER TYPE %s RENAME TO %s;", qname(have), QuoteIdentMin(old))
	b.add("%s", typeCreate(want))
	b.keepTypeExtras(want, have)
	for _, c := range cols {
		typ := c.Attr("type")
		dims := strings.Repeat("[]", (len(typ)-len(strings.TrimRight(typ, "[]")))/2)
		b.add("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s::text%s::%s;", qtable(c), QuoteIdentMin(c.Name), typ, QuoteIdentMin(c.Name), dims, typ)
		// The default canonical gives the column, when it keeps the type:
		// the live one may name a label that is gone. Otherwise the
		// column's own item sets what it needs.
		if w := b.lookupWant(c.Key()); w != nil && w.Attr("type") == typ {
			if d := w.Attr("default"); d != "" {
				b.add("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;", qtable(c), QuoteIdentMin(c.Name), d)
			}
		}
	}
	b.add("DROP TYPE %s;", QualifiedName(have.Schema, old))
	b.restoreUsers(exprs, gens)
	for _, f := range funcs {
		if w := b.want.Lookup(f.Key()); w != nil {
			b.recreateFromCanonical(w, f)
		}
	}
	for _, v := range views {
		if w := b.want.Lookup(v.Key()); w != nil {
			b.recreateFromCanonical(w, v)
		}
	}
}

// namesType says whether one of o's attributes casts to the type qualified
// as format_type prints it ("::public.st", "::public.st[]").
func namesType(o *Object, qualified string) bool {
	needle := "::" + qualified
	for _, a := range o.attrList() {
		for rest := a; ; {
			i := strings.Index(rest, needle)
			if i < 0 {
				break
			}
			rest = rest[i+len(needle):]
			if rest == "" || !identByte(rest[0]) && rest[0] != '"' {
				return true
			}
		}
	}
	return false
}

// wanted says whether canonical has the live column and its table: the
// fix of other items drops it otherwise, before this one.
func (b *sqlBuilder) wanted(c *Object) bool {
	return b.want != nil && b.want.Lookup(c.Key()) != nil && b.want.Lookup(c.ParentKey()) != nil
}

// inheritedColumn says whether a live column comes from a parent table
// (altering the parent's alters it).
func (b *sqlBuilder) inheritedColumn(c *Object) bool {
	return inheritedColumn(b.have, c)
}

// inheritedColumn says whether column c of model m comes from a parent.
func inheritedColumn(m *Model, c *Object) bool {
	if c.Inherited() {
		return true
	}
	t := m.Lookup(c.ParentKey())
	return t != nil && parentColumn(m, t, c.Name) != nil
}

// parentColumn is model m's column name of a parent of table t (its
// partitioned table, or the first table it inherits that has one), or nil.
func parentColumn(m *Model, t *Object, name string) *Object {
	for _, p := range append(splitNameList(t.Attr("partition_of")), splitNameList(t.Attr("inherits"))...) {
		if q := splitQualified(p); len(q) == 2 {
			if c := m.Lookup(Key(KindColumn, q[0], q[1], name)); c != nil {
				return c
			}
		}
	}
	return nil
}

// inUse says whether live objects depend on o.
func (b *sqlBuilder) inUse(o *Object) bool {
	if b.have == nil {
		return false
	}
	return len(b.have.dependentsOf(o.Key())) > 0
}

// typeParts splits a domain's or composite's labels attribute: parts
// separated by \x1f, each "key\x1evalue" (a domain's checks are
// "check\x1ename\x1edefinition", a composite's attributes "name\x1etype").
func typeParts(o *Object) [][2]string {
	var out [][2]string
	for _, p := range strings.Split(o.Attr("labels"), "\x1f") {
		k, v, _ := strings.Cut(p, "\x1e")
		out = append(out, [2]string{k, v})
	}
	return out
}

// alterDomain changes a domain's default, nullability and checks in place;
// false when its base type differs (that needs a new domain).
func (b *sqlBuilder) alterDomain(want, have *Object) bool {
	wv, wc := domainParts(want)
	hv, hc := domainParts(have)
	if wv["type"] != hv["type"] {
		return false
	}
	d := qname(want)
	for _, name := range sortedKeys(hc) {
		if wc[name] != hc[name] {
			b.add("ALTER DOMAIN %s DROP CONSTRAINT %s;", d, name)
		}
	}
	if wv["default"] != hv["default"] {
		if wv["default"] == "" {
			b.add("ALTER DOMAIN %s DROP DEFAULT;", d)
		} else {
			b.add("ALTER DOMAIN %s SET DEFAULT %s;", d, wv["default"])
		}
	}
	if wv["not_null"] != hv["not_null"] {
		if wv["not_null"] == "true" {
			b.add("ALTER DOMAIN %s SET NOT NULL;", d)
		} else {
			b.add("ALTER DOMAIN %s DROP NOT NULL;", d)
		}
	}
	for _, name := range sortedKeys(wc) {
		if wc[name] != hc[name] {
			b.add("ALTER DOMAIN %s ADD CONSTRAINT %s %s;", d, name, wc[name])
		}
	}
	return true
}

// domainParts returns a domain's type, default and not_null, and its
// checks by quoted name.
func domainParts(o *Object) (map[string]string, map[string]string) {
	vals, checks := map[string]string{}, map[string]string{}
	for _, p := range typeParts(o) {
		if p[0] == "check" {
			name, def, _ := strings.Cut(p[1], "\x1e")
			checks[name] = def
			continue
		}
		vals[p[0]] = p[1]
	}
	return vals, checks
}

// alterComposite adds, drops and retypes a composite type's attributes in
// place; false when the result would have them in another order.
func (b *sqlBuilder) alterComposite(want, have *Object) bool {
	wa, ha := typeParts(want), typeParts(have)
	wt, ht := map[string]string{}, map[string]string{}
	for _, a := range wa {
		wt[a[0]] = a[1]
	}
	for _, a := range ha {
		ht[a[0]] = a[1]
	}
	// What ALTER TYPE leaves: live attributes kept, in live order, then the
	// added ones.
	var result []string
	for _, a := range ha {
		if _, ok := wt[a[0]]; ok {
			result = append(result, a[0])
		}
	}
	for _, a := range wa {
		if _, ok := ht[a[0]]; !ok {
			result = append(result, a[0])
		}
	}
	if len(result) != len(wa) {
		return false
	}
	for i, a := range wa {
		if result[i] != a[0] {
			return false
		}
	}
	var clauses []string
	for _, a := range ha {
		if t, ok := wt[a[0]]; !ok {
			clauses = append(clauses, "DROP ATTRIBUTE "+a[0])
		} else if t != a[1] {
			if b.inUse(have) {
				b.needsPerson("an attribute of the composite type changes type while columns use the type: PostgreSQL cannot convert stored values in place; add a new attribute and migrate the data")
				return true
			}
			clauses = append(clauses, "ALTER ATTRIBUTE "+a[0]+" TYPE "+t)
		}
	}
	for _, a := range wa {
		if _, ok := ht[a[0]]; !ok {
			clauses = append(clauses, "ADD ATTRIBUTE "+a[0]+" "+a[1])
		}
	}
	cascade := ""
	if b.typesTables(have) {
		// Without CASCADE, ALTER TYPE refuses a type that types a table;
		// with it, the tables' columns follow the attributes.
		cascade = " CASCADE"
	}
	b.add("ALTER TYPE %s %s%s;", qname(want), strings.Join(clauses, ", "), cascade)
	return true
}

// typesTables says whether a live table is typed by the composite type t
// (CREATE TABLE ... OF t).
func (b *sqlBuilder) typesTables(t *Object) bool {
	if b.have == nil {
		return false
	}
	name := qname(t)
	for _, o := range b.have.dependentsOf(t.Key()) {
		if o.Kind == KindTable && o.Attr("of_type") == name {
			return true
		}
	}
	return false
}

// sameColumns says whether two versions of a table have the same columns
// (names and types) in the same order: what ALTER TABLE ... OF needs.
func (b *sqlBuilder) sameColumns(want, have *Object) bool {
	if b.have == nil {
		return false
	}
	cols := func(m *Model, t *Object) []string {
		var out []string
		for _, c := range sortedByPosition(m.childrenOf(t.Schema, t.Name)) {
			if c.Kind == KindColumn {
				out = append(out, c.Name+"\x00"+c.Attr("type")+"\x00"+c.Attr("collation"))
			}
		}
		return out
	}
	return slices.Equal(cols(b.want, want), cols(b.have, have))
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// enumAdditions returns ADD VALUE clauses that turn have into want, or
// false when have is not a subsequence of want.
func enumAdditions(want, have []string) ([]string, bool) {
	j := 0
	for _, w := range want {
		if j < len(have) && have[j] == w {
			j++
		}
	}
	if j != len(have) {
		return nil, false
	}
	var adds []string
	present := map[string]bool{}
	for _, h := range have {
		present[h] = true
	}
	for i, w := range want {
		if present[w] {
			continue
		}
		clause := QuoteLiteral(w)
		// Place it before the next label that exists, else at the end.
		for _, next := range want[i+1:] {
			if present[next] {
				clause += " BEFORE " + QuoteLiteral(next)
				break
			}
		}
		adds = append(adds, clause)
		present[w] = true
	}
	return adds, true
}

// parentUnpartitioned says whether the parent canonical gives partition
// want is, live, a table that is not partitioned: its own item needs a
// person, and until then no partition can be created or attached to it.
func (b *sqlBuilder) parentUnpartitioned(want *Object) bool {
	p := want.Attr("partition_of")
	if p == "" || b.have == nil {
		return false
	}
	q := splitQualified(p)
	if len(q) != 2 {
		return false
	}
	t := b.have.Lookup(Key(KindTable, q[0], "", q[1]))
	return t != nil && t.Attr("relkind") != "partitioned table"
}

func (b *sqlBuilder) alterTable(want, have *Object, changed func(...string) bool) {
	t := qname(want)
	if changed("relkind", "partition_key", "server") {
		b.needsPerson("the table's kind, partition key or server differs: PostgreSQL cannot change that in place; create the table anew and move the data")
		return
	}
	if changed("of_type") {
		if want.Attr("of_type") != "" && !b.sameColumns(want, have) {
			b.needsPerson("the table should be typed by " + want.Attr("of_type") + " but its columns differ from the type's: ALTER TABLE ... OF needs the same columns in the same order; create the table anew and move the data")
			return
		}
		if have.Attr("of_type") != "" {
			b.add("ALTER TABLE %s NOT OF;", t)
		}
		if ty := want.Attr("of_type"); ty != "" {
			b.add("ALTER TABLE %s OF %s;", t, ty)
		}
	}
	if changed("partition_of", "partition_bound") {
		if b.parentUnpartitioned(want) {
			b.needsPerson(fmt.Sprintf("the parent table %s is not partitioned here: attach this table after the parent is created anew as a partitioned table", want.Attr("partition_of")))
			return
		}
		if p := have.Attr("partition_of"); p != "" {
			b.add("ALTER TABLE %s DETACH PARTITION %s;", p, t)
			if want.Attr("partition_of") != "" {
				b.retypeDetached(want)
			}
		}
		if p := want.Attr("partition_of"); p != "" {
			b.add("ALTER TABLE %s ATTACH PARTITION %s %s;", p, t, want.Attr("partition_bound"))
		}
	}
	if changed("inherits") {
		for _, p := range splitNameList(have.Attr("inherits")) {
			b.add("ALTER TABLE %s NO INHERIT %s;", t, p)
		}
		for _, p := range splitNameList(want.Attr("inherits")) {
			b.add("ALTER TABLE %s INHERIT %s;", t, p)
		}
	}
	if changed("persistence") {
		if want.Attr("persistence") == "unlogged" {
			b.add("ALTER TABLE %s SET UNLOGGED;", t)
		} else {
			b.add("ALTER TABLE %s SET LOGGED;", t)
		}
	}
	if changed("options") {
		if old := optionNames(have.Attr("options")); len(old) > 0 {
			b.add("ALTER TABLE %s RESET (%s);", t, strings.Join(old, ", "))
		}
		if o := want.Attr("options"); o != "" {
			b.add("ALTER TABLE %s SET (%s);", t, o)
		}
	}
	if changed("rls") {
		if want.Attr("rls") == "true" {
			b.add("ALTER TABLE %s ENABLE ROW LEVEL SECURITY;", t)
		} else {
			b.add("ALTER TABLE %s DISABLE ROW LEVEL SECURITY;", t)
		}
	}
	if changed("force_rls") {
		if want.Attr("force_rls") == "true" {
			b.add("ALTER TABLE %s FORCE ROW LEVEL SECURITY;", t)
		} else {
			b.add("ALTER TABLE %s NO FORCE ROW LEVEL SECURITY;", t)
		}
	}
	if changed("replica_identity") && want.Attr("relkind") != "foreign table" {
		switch ri := want.Attr("replica_identity"); {
		case ri == "index":
			b.needsPerson("set REPLICA IDENTITY USING INDEX to the canonical index")
		case strings.HasPrefix(ri, "index "):
			b.add("ALTER TABLE %s REPLICA IDENTITY USING INDEX %s;", t, strings.TrimPrefix(ri, "index "))
		default:
			b.add("ALTER TABLE %s REPLICA IDENTITY %s;", t, strings.ToUpper(ri))
		}
	}
}

// keyOf returns the live partitioned table whose partition key uses column
// c (of that table), or "": PostgreSQL refuses to drop such a column or to
// change its type.
func (b *sqlBuilder) keyOf(c *Object) string {
	if b.have == nil {
		return ""
	}
	t := b.have.Lookup(c.ParentKey())
	if t == nil || !mentionsIdent(t.Attr("partition_key"), c.Name) {
		return ""
	}
	return qname(t)
}

func (b *sqlBuilder) alterColumn(want, have *Object, changed func(...string) bool) {
	t, c := qtable(want), QuoteIdentMin(want.Name)
	if key := b.keyOf(have); key != "" && (changed("generated", "type", "collation") && !b.inheritedColumn(have)) {
		b.needsPerson(fmt.Sprintf("column %s is part of the partition key of %s: PostgreSQL cannot change its type, collation or generation; create the table anew and move the data", c, key))
		return
	}
	if changed("generated") || (want.Attr("generated") != "" && changed("type")) {
		// A generation expression cannot be altered in place (before 17).
		b.add("ALTER TABLE %s DROP COLUMN %s;", t, c)
		b.add("ALTER TABLE %s ADD COLUMN %s;", t, columnDef(want, true))
		b.readdedColumn(want, have)
		return
	}
	if changed("identity") && have.Attr("identity") != "" && want.Attr("identity") == "" {
		b.add("ALTER TABLE %s ALTER COLUMN %s DROP IDENTITY IF EXISTS;", t, c)
	}
	if changed("default") && have.Attr("default") != "" {
		b.add("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;", t, c)
	}
	var views, users, gens, fks []*Object
	// A partition's or child's column has its parent's type and collation:
	// the parent's ALTER COLUMN TYPE changes it, and PostgreSQL refuses
	// one on the inherited column itself.
	if changed("type", "collation") && b.have != nil && b.inheritedColumn(have) && b.movesPartition(want) {
		b.add("%s", sqlComment("retyped by the item of its table, between its DETACH and ATTACH PARTITION"))
	}
	if changed("type", "collation") && !(b.have != nil && b.inheritedColumn(have)) {
		// Views using the table block ALTER COLUMN TYPE: they go and come
		// back; so do the policies, triggers and generated columns that
		// use the column, and, to or from an enum, the constraints and
		// indexes whose expressions use it (rebuilt from their text, they
		// would compare the new type with the old one's literals).
		views = b.viewDependents(&Object{Kind: KindTable, Schema: want.Schema, Name: want.Table})
		for i := len(views) - 1; i >= 0; i-- {
			b.drop(views[i])
		}
		// So do, when the type itself (not only its modifier) changes,
		// the checks and expression indexes using the column: rebuilt
		// from their text, they may name an operator the new type lacks
		// (text > integer).
		exprs := b.throughText(have) != "" || b.isEnum(b.want, want.Attr("type")) ||
			builtinBase(have.Attr("type")) != builtinBase(want.Attr("type"))
		users, gens = b.columnUsers(have, exprs)
		for _, u := range users {
			b.drop(u)
		}
		// And the foreign keys joining the column, which the other
		// side's type may no longer match (bigint to timestamp).
		if builtinBase(have.Attr("type")) != builtinBase(want.Attr("type")) {
			fks = b.foreignKeysOnColumn(have)
			for _, fk := range fks {
				b.drop(fk)
			}
			if b.retyped != nil {
				b.retyped[have.Key()] = true
			}
		}
		for _, g := range gens {
			b.drop(g)
		}
		b.retypeColumn(want, have)
	}
	if changed("default") && want.Attr("default") != "" {
		b.add("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;", t, c, want.Attr("default"))
	}
	if changed("not_null") {
		if want.Attr("not_null") == "true" {
			b.add("ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;", t, c)
		} else {
			b.dropOldPrimaryKey(want, have)
			b.add("ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL;", t, c)
		}
	}
	if changed("identity") && want.Attr("identity") != "" {
		if have.Attr("identity") == "" {
			opts := ""
			if o := want.Attr("identity_options"); o != "" {
				opts = " (" + o + ")"
			}
			b.freeIdentityName(want)
			b.add("ALTER TABLE %s ALTER COLUMN %s ADD GENERATED %s AS IDENTITY%s;", t, c, strings.ToUpper(want.Attr("identity")), opts)
		} else {
			b.add("ALTER TABLE %s ALTER COLUMN %s SET GENERATED %s;", t, c, strings.ToUpper(want.Attr("identity")))
		}
	}
	if changed("identity_options") && want.Attr("identity") != "" && have.Attr("identity") != "" {
		b.renameIdentitySequence(want, have)
		set := identitySetOptions(want.Attr("type"), want.Attr("identity_options"))
		live, _, _ := identityEffective(have.Attr("type"), have.Attr("identity_options"))
		w, _, _ := identityEffective(want.Attr("type"), want.Attr("identity_options"))
		_, wantRest := identitySequence(want.Attr("identity_options"))
		_, haveRest := identitySequence(have.Attr("identity_options"))
		switch {
		case wantRest == haveRest:
			// Only the sequence's name differs: renamed above.
		case live.start < w.min || live.start > w.max:
			// As for a sequence: its current value is outside the new range.
			b.needsPerson(fmt.Sprintf("the live identity sequence starts at %d, outside the canonical range %d..%d: restart it at a value you choose, with: ALTER TABLE %s ALTER COLUMN %s %s RESTART WITH <value>;",
				live.start, w.min, w.max, t, c, set))
		default:
			b.add("ALTER TABLE %s ALTER COLUMN %s %s;", t, c, set)
		}
	}
	from := settingsOf(have)
	if changed("type") {
		from.storage = "" // ALTER COLUMN TYPE takes the new type's
	}
	b.columnSettings(want, from)
	b.restoreUsers(users, gens)
	b.restoreForeignKeysAfterType(have, fks)
	for _, v := range views {
		if w := b.want.Lookup(v.Key()); w != nil {
			b.recreateFromCanonical(w, v)
		}
	}
	if changed("position") {
		b.needsPerson("column order differs: PostgreSQL cannot reorder columns in place")
	}
}

// readdedColumn gives a column dropped and added again what the drop took
// besides its data: canonical's settings (storage, statistics...), and its
// comment and grants, canonical's where they are compared (the column's
// own item may set them before this), else the live ones.
func (b *sqlBuilder) readdedColumn(want, was *Object) {
	b.columnSettings(want, colSettings{})
	b.keepComment(want, was)
	acl := was.ACL()
	if b.opts.Privileges {
		acl = want.ACL()
	}
	if acl != "" {
		b.privileges(want, acl, "")
	}
}

// keepComment comments an object made anew (want) as it was: DROP took
// its comment. Canonical's when comments are compared, else the live one.
func (b *sqlBuilder) keepComment(want, have *Object) {
	c := have.Comment()
	if b.opts.Comments {
		c = want.Comment()
	}
	if c != "" {
		b.add("%s", commentSQL(want, c))
	}
}

// parameterDefaults counts the DEFAULT clauses in the parameter list that
// pg_get_functiondef prints before RETURNS (or LANGUAGE, for a procedure).
// CREATE OR REPLACE may add defaults but not remove them.
func parameterDefaults(o *Object) int {
	def := o.Attr("definition")
	for _, end := range []string{"\n RETURNS ", "\n LANGUAGE "} {
		if i := strings.Index(def, end); i >= 0 {
			def = def[:i]
			break
		}
	}
	return strings.Count(def, " DEFAULT ")
}

// recreateFunction replaces a function that CREATE OR REPLACE cannot (its
// result type or kind changed, its parameters lost defaults, or an
// aggregate). DROP refuses while
// anything uses it: the views that use it go first and come back from
// canonical, and so do the parts of tables that call it (defaults,
// checks, indexes, policies, triggers), found by its name.
func (b *sqlBuilder) recreateFunction(want, have *Object) {
	views := b.viewDependents(have)
	for i := len(views) - 1; i >= 0; i-- {
		b.drop(views[i])
	}
	var parts, defaults []*Object
	if b.have != nil {
		parts, defaults = partsCalling(b.have, have)
	}
	for _, c := range defaults {
		b.add("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;", qtable(c), QuoteIdentMin(c.Name))
	}
	for _, o := range parts {
		b.drop(o)
	}
	b.drop(have)
	b.create(want, nil, DiffOptions{})
	// What DROP took that canonical may not say: the live comment (when
	// comments are compared, create put canonical's) and grants.
	if !b.opts.Comments && have.Comment() != "" {
		b.add("%s", commentSQL(want, have.Comment()))
	}
	b.privileges(want, have.ACL(), b.createdACL(want))
	for _, c := range defaults {
		if w := b.want.Lookup(c.Key()); w != nil && w.Attr("default") != "" {
			b.add("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;", qtable(w), QuoteIdentMin(w.Name), w.Attr("default"))
		}
	}
	b.restoreUsers(parts, nil)
	for _, v := range views {
		if w := b.want.Lookup(v.Key()); w != nil && !b.leftToRetype(v) {
			b.recreateFromCanonical(w, v)
		}
	}
}

// columnUsers lists the live objects that use column col and block (or,
// with exprs, break) ALTER COLUMN TYPE on it: policies and triggers on its
// table, with exprs the constraints and indexes with an expression, and
// the generated columns of the table; all by the column's name in their
// definitions (pg_depend is not read per column), so a few more than
// needed may go and come back.
func (b *sqlBuilder) columnUsers(col *Object, exprs bool) (users, gens []*Object) {
	if b.have == nil {
		return nil, nil
	}
	for _, o := range b.have.childrenOf(col.Schema, col.Table) {
		switch o.Kind {
		case KindPolicy, KindTrigger:
			if mentionsColumn(o, col.Name) {
				users = append(users, o)
			}
		case KindConstraint:
			if exprs && (o.Attr("type") == "check" || o.Attr("type") == "exclusion") && mentionsColumn(o, col.Name) {
				users = append(users, o)
			}
		case KindIndex:
			if exprs && mentionsColumn(o, col.Name) && b.have.Lookup(Key(KindConstraint, o.Schema, o.Table, o.Name)) == nil {
				users = append(users, o)
			}
		case KindColumn:
			if o.Name != col.Name && o.Attr("generated") != "" && mentionsIdent(o.Attr("generated"), col.Name) {
				gens = append(gens, o)
			}
		}
	}
	return users, gens
}

// restoreUsers creates again, from canonical, what columnUsers listed and
// canonical has (what it lacks, its own item drops).
func (b *sqlBuilder) restoreUsers(users, gens []*Object) {
	for _, g := range gens {
		if w := b.want.Lookup(g.Key()); w != nil && b.want.Lookup(w.ParentKey()) != nil {
			b.add("ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s;", qtable(w), columnDef(w, true))
		}
	}
	for _, u := range users {
		if w := b.want.Lookup(u.Key()); w != nil {
			b.create(w, nil, DiffOptions{})
		}
	}
}

// mentionsColumn says whether one of o's attributes names column col.
func mentionsColumn(o *Object, col string) bool {
	for _, a := range o.attrList() {
		if mentionsIdent(a, col) {
			return true
		}
	}
	return false
}

// mentionsIdent says whether expr has name as an identifier (as
// PostgreSQL prints it, quoted where needed), not as part of another.
func mentionsIdent(expr, name string) bool {
	q := QuoteIdentMin(name)
	for rest := expr; ; {
		i := strings.Index(rest, q)
		if i < 0 {
			return false
		}
		before := byte(' ')
		if i > 0 {
			before = rest[i-1]
		}
		rest = rest[i+len(q):]
		if (q[0] == '"' || !identByte(before) && before != '"') && (rest == "" || q[len(q)-1] == '"' || !identByte(rest[0]) && rest[0] != '"') {
			return true
		}
	}
}

// isEnum says whether a column type names an enum of model m.
func (b *sqlBuilder) isEnum(m *Model, typ string) bool {
	if m == nil {
		return false
	}
	e := m.Lookup(typeRef(typ))
	return e != nil && e.Attr("type") == "enum"
}

// throughText is the cast a live column's values take on their way to
// another type when no direct cast may exist: an enum has casts to no type
// but through text (an enum to another enum, as when a type is renamed).
func (b *sqlBuilder) throughText(have *Object) string {
	typ := have.Attr("type")
	if !b.isEnum(b.have, typ) {
		return ""
	}
	return "::text" + strings.Repeat("[]", (len(typ)-len(strings.TrimRight(typ, "[]")))/2)
}

// castVia is the cast a live column's values take on their way to the
// canonical type: through text for an enum (throughText), and between a
// range or multirange type and any other type, which have no casts but
// their text forms (the one exception: a range to its own multirange), and
// between two built-in types PostgreSQL has no cast for (noBuiltinCast).
func (b *sqlBuilder) castVia(have, want *Object) string {
	if via := b.throughText(have); via != "" {
		return via
	}
	from, to := have.Attr("type"), want.Attr("type")
	dims := strings.Repeat("[]", (len(from)-len(strings.TrimRight(from, "[]")))/2)
	if noBuiltinCast(strings.TrimRight(from, "[]"), strings.TrimRight(to, "[]")) {
		return "::text" + dims
	}
	fromRange, toRange := b.rangeBase(b.have, from), b.rangeBase(b.want, to)
	if fromRange == "" && toRange == "" {
		return ""
	}
	if fromRange != "" && fromRange == toRange && !strings.HasSuffix(from, "[]") && !strings.HasSuffix(to, "[]") {
		return "" // a range to its multirange (or back: no cast, but the same type)
	}
	return "::text" + dims
}

// builtinRanges are the range types PostgreSQL ships, each the base of a
// multirange named with "multirange" in place of "range".
var builtinRanges = map[string]bool{"int4range": true, "int8range": true, "numrange": true, "tsrange": true, "tstzrange": true, "daterange": true}

// rangeBase is the range type a column type (without array brackets) is
// or is the multirange of, by model m or among the built-in ones, or "".
func (b *sqlBuilder) rangeBase(m *Model, typ string) string {
	t := strings.TrimRight(typ, "[]")
	for _, r := range append([]string{t}, multirangeBases(t)...) {
		if builtinRanges[r] {
			return r
		}
		if m != nil {
			if k := typeRef(r); k != "" {
				if e := m.Lookup(k); e != nil && e.Attr("type") == "range" {
					return r
				}
			}
		}
	}
	return ""
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ", ")
}

func optionNames(opts string) []string {
	var names []string
	for _, kv := range splitList(opts) {
		k, _, _ := strings.Cut(kv, "=")
		names = append(names, k)
	}
	return names
}

// commentSQL renders COMMENT ON for an object; an empty comment removes it.
func commentSQL(o *Object, comment string) string {
	val := "NULL"
	if comment != "" {
		val = QuoteLiteral(comment)
	}
	var target string
	switch o.Kind {
	case KindSchema, KindExtension, KindEventTrigger, KindFDW, KindServer, KindPublication:
		target = specOf(o.Kind).sqlKind + " " + QuoteIdentMin(o.Name)
	case KindCast:
		target = "CAST " + o.Name
	case KindOperator:
		target = "OPERATOR " + qoperator(o)
	case KindOpFamily, KindOpClass:
		target = specOf(o.Kind).sqlKind + " " + qopclass(o)
	case KindColumn:
		target = "COLUMN " + qtable(o) + "." + QuoteIdentMin(o.Name)
	case KindConstraint, KindTrigger, KindPolicy, KindRule:
		target = specOf(o.Kind).sqlKind + " " + QuoteIdentMin(o.Name) + " ON " + qtable(o)
	case KindIndex:
		target = "INDEX " + QualifiedName(o.Schema, o.Name)
	case KindFunction:
		target = functionWord(o) + " " + qfunc(o)
	case KindType:
		word := "TYPE"
		if o.Attr("type") == "domain" {
			word = "DOMAIN"
		}
		target = word + " " + qname(o)
	case KindTable:
		target = tableWord(o) + " " + qname(o)
	default:
		target = specOf(o.Kind).sqlKind + " " + qname(o)
	}
	return "COMMENT ON " + target + " IS " + val + ";"
}

// indexCommentSQL renders COMMENT ON INDEX for the index behind a key
// constraint: PostgreSQL names it as the constraint.
func indexCommentSQL(o *Object, comment string) string {
	val := "NULL"
	if comment != "" {
		val = QuoteLiteral(comment)
	}
	return "COMMENT ON INDEX " + QualifiedName(o.Schema, o.Name) + " IS " + val + ";"
}

// columnComments comments a view's columns as want has them, where the
// live ones (had, in the same form) differ.
func (b *sqlBuilder) columnComments(want *Object, had string) {
	if want.Kind != KindView && want.Kind != KindMatView {
		return
	}
	wantBy, wantCols := commentEntries(want.Attr("column_comments"))
	hadBy, hadCols := commentEntries(had)
	for _, c := range hadCols {
		if _, ok := wantBy[c]; !ok {
			b.add("COMMENT ON COLUMN %s.%s IS NULL;", qname(want), c)
		}
	}
	for _, c := range wantCols {
		if wantBy[c] != hadBy[c] {
			b.add("COMMENT ON COLUMN %s.%s;", qname(want), wantBy[c])
		}
	}
}

// viewDefaults sets a view's column defaults as want has them, where the
// live ones (had, in the same form) differ.
func (b *sqlBuilder) viewDefaults(want *Object, had string) {
	if want.Kind != KindView {
		return
	}
	entries := func(s string) (map[string]string, []string) {
		by := map[string]string{}
		var cols []string
		for _, line := range splitOutsideQuotes(s, "\n") {
			if line == "" {
				continue
			}
			col, expr := splitIdentPrefix(line)
			by[col] = expr
			cols = append(cols, col)
		}
		return by, cols
	}
	wantBy, wantCols := entries(want.Attr("column_defaults"))
	hadBy, hadCols := entries(had)
	for _, c := range hadCols {
		if _, ok := wantBy[c]; !ok {
			b.add("ALTER VIEW %s ALTER COLUMN %s DROP DEFAULT;", qname(want), c)
		}
	}
	for _, c := range wantCols {
		if e, ok := hadBy[c]; !ok || !sameExprOrEqual(e, wantBy[c]) {
			b.add("ALTER VIEW %s ALTER COLUMN %s SET DEFAULT %s;", qname(want), c, wantBy[c])
		}
	}
}

// splitIdentPrefix splits "ident rest" where ident is an identifier as
// quote_ident prints it.
func splitIdentPrefix(s string) (string, string) {
	if strings.HasPrefix(s, `"`) {
		for i := 1; i < len(s); i++ {
			if s[i] == '"' {
				if i+1 < len(s) && s[i+1] == '"' {
					i++
					continue
				}
				return s[:i+1], strings.TrimPrefix(s[i+1:], " ")
			}
		}
		return s, ""
	}
	col, rest, _ := strings.Cut(s, " ")
	return col, rest
}

func sameExprOrEqual(a, b string) bool { return a == b || sameExpr(a, b) }

// commentEntries splits a column_comments attribute into its entries
// ("col IS 'text'") by column, keeping the columns' order.
func commentEntries(s string) (map[string]string, []string) {
	by := map[string]string{}
	var cols []string
	var inIdent, inString bool
	start := 0
	add := func(e string) {
		if e == "" {
			return
		}
		col := e
		if i := indexOutsideQuotes(e, " IS "); i >= 0 {
			col = e[:i]
		}
		by[col] = e
		cols = append(cols, col)
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' && !inString:
			inIdent = !inIdent
		case c == '\'' && !inIdent:
			inString = !inString
		case c == ',' && !inIdent && !inString && i+1 < len(s) && s[i+1] == ' ':
			add(s[start:i])
			start = i + 2
			i++
		}
	}
	add(s[start:])
	return by, cols
}

// splitOutsideQuotes splits s at each sep outside single- and
// double-quoted text (a doubled quote inside toggles twice): a quoted
// name or a string literal may hold sep itself. "" gives none.
func splitOutsideQuotes(s, sep string) []string {
	var out []string
	var quote byte
	start := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case strings.HasPrefix(s[i:], sep):
			out = append(out, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	if start < len(s) || len(out) > 0 {
		out = append(out, s[start:])
	}
	return out
}

// indexOutsideQuotes is the index of sep in s outside double quotes, or -1.
func indexOutsideQuotes(s, sep string) int {
	in := false
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			in = !in
		} else if !in && strings.HasPrefix(s[i:], sep) {
			return i
		}
	}
	return -1
}

// defaultACL is what a new object's normalized ACL is before any GRANT.
func defaultACL(o *Object) string {
	switch o.Kind {
	case KindFunction:
		return "PUBLIC=X"
	case KindType:
		return "PUBLIC=U"
	case KindDefaultACL:
		// without an entry of its own: for all schemas, the built-in
		// defaults; in one schema, nothing added
		if _, objects := splitDefaultACL(o.Name); o.Schema == "" {
			switch objects {
			case "FUNCTIONS":
				return "PUBLIC=X"
			case "TYPES":
				return "PUBLIC=U"
			}
		}
	}
	return ""
}

// privileges writes REVOKE/GRANT statements turning ACL have into want.
func (b *sqlBuilder) privileges(o *Object, want, have string) {
	if want == have {
		return
	}
	var target, prefix string
	switch o.Kind {
	case KindDefaultACL:
		// ALTER DEFAULT PRIVILEGES FOR ROLE r [IN SCHEMA s] GRANT ... ON TABLES
		prefix, target = defaultACLPrefix(o)
	case KindSchema:
		target = "SCHEMA " + QuoteIdentMin(o.Name)
	case KindFunction:
		target = functionWord(o) + " " + qfunc(o)
		if o.Attr("kind") == "aggregate" {
			target = "FUNCTION " + qfunc(o)
		}
	case KindSequence:
		target = "SEQUENCE " + qname(o)
	case KindType:
		target = "TYPE " + qname(o)
		if o.Attr("type") == "domain" {
			target = "DOMAIN " + qname(o)
		}
	case KindColumn:
		target = qtable(o)
	case KindTable, KindView, KindMatView:
		target = "TABLE " + qname(o)
	default:
		return
	}
	wantItems, haveItems := aclMap(want), aclMap(have)
	grantees := make([]string, 0, len(haveItems)+len(wantItems))
	for g := range haveItems {
		grantees = append(grantees, g)
	}
	for g := range wantItems {
		if _, ok := haveItems[g]; !ok {
			grantees = append(grantees, g)
		}
	}
	// A grantee with a grant option that loses privileges is revoked with
	// CASCADE (REVOKE refuses while what it granted on stands), which
	// takes what it granted from others: it goes first, and the others'
	// privileges are given again after it.
	cascades := func(g string) bool {
		return strings.Contains(haveItems[g], "*") && wantItems[g] != haveItems[g] && o.Kind != KindDefaultACL && o.Kind != KindColumn
	}
	sort.Slice(grantees, func(i, j int) bool {
		if ci, cj := cascades(grantees[i]), cascades(grantees[j]); ci != cj {
			return ci
		}
		return grantees[i] < grantees[j]
	})
	cascaded := false
	for _, g := range grantees {
		if wantItems[g] == haveItems[g] && (!cascaded || wantItems[g] == "") {
			continue
		}
		role := g
		if g != "PUBLIC" {
			role = QuoteIdentMin(g)
		}
		if o.Kind == KindColumn {
			b.columnPrivileges(o, target, role, wantItems[g], haveItems[g])
			continue
		}
		if haveItems[g] != "" {
			cascade := ""
			if cascades(g) {
				cascade, cascaded = " CASCADE", true
			}
			b.add("%sREVOKE ALL ON %s FROM %s%s;", prefix, target, role, cascade)
		}
		if p := privList(wantItems[g], false); p != "" {
			b.add("%sGRANT %s ON %s TO %s;", prefix, p, target, role)
		}
		if p := privList(wantItems[g], true); p != "" {
			b.add("%sGRANT %s ON %s TO %s WITH GRANT OPTION;", prefix, p, target, role)
		}
	}
}

// columnPrivileges turns a grantee's privileges on column o of table
// target from have into want (aclitem letters): all of them revoked, the
// canonical ones granted, those held with grant option apart.
func (b *sqlBuilder) columnPrivileges(o *Object, target, role, want, have string) {
	col := QuoteIdentMin(o.Name)
	if have != "" {
		b.add("REVOKE ALL (%s) ON %s FROM %s;", col, target, role)
	}
	if p := privList(want, false); p != "" {
		b.add("GRANT %s ON %s TO %s;", columnPrivList(p, col), target, role)
	}
	if p := privList(want, true); p != "" {
		b.add("GRANT %s ON %s TO %s WITH GRANT OPTION;", columnPrivList(p, col), target, role)
	}
}

// columnPrivList names the column after each privilege of a privList:
// "SELECT, UPDATE" alone would grant SELECT on the whole table.
func columnPrivList(privs, col string) string {
	names := strings.Split(privs, ", ")
	for i, n := range names {
		names[i] = n + " (" + col + ")"
	}
	return strings.Join(names, ", ")
}

func aclMap(acl string) map[string]string {
	m := map[string]string{}
	for _, it := range splitComma(acl) {
		g, p, ok := strings.Cut(it, "=")
		if ok {
			m[g] = p
		}
	}
	return m
}

func splitComma(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// privList turns aclitem letters ("arw*") into GRANT keywords: those
// without grant option, or with it when grantOption is set.
func privList(letters string, grantOption bool) string {
	var out []string
	for i := 0; i < len(letters); i++ {
		withOpt := i+1 < len(letters) && letters[i+1] == '*'
		name, ok := privilegeNames[letters[i]]
		if ok && withOpt == grantOption {
			out = append(out, name)
		}
		if withOpt {
			i++
		}
	}
	return strings.Join(out, ", ")
}

// foreignKeysOn lists the live foreign keys that use key (a primary key,
// unique or exclusion constraint, or a unique index): they must go before
// it can be dropped.
func (b *sqlBuilder) foreignKeysOn(key *Object) []*Object {
	if b.have == nil || (key.Kind != KindConstraint && key.Kind != KindIndex) {
		return nil
	}
	var out []*Object
	for _, o := range b.have.dependentsOf(key.Key()) {
		if o.Kind == KindConstraint && o.Attr("type") == "foreign key" && !o.Inherited() {
			out = append(out, o)
		}
	}
	return out
}

// restoreForeignKeys adds back the foreign keys dropped to recreate a key
// they use, where canonical has them as they were; any other foreign key
// has an item of its own.
func (b *sqlBuilder) restoreForeignKeys(fks []*Object) {
	for _, fk := range fks {
		if w := b.want.Lookup(fk.Key()); w != nil && w.Attr("definition") == fk.Attr("definition") {
			b.create(w, nil, DiffOptions{})
		}
	}
}

// recreateView drops a view or materialized view and creates it as
// canonical has it. CREATE OR REPLACE VIEW cannot drop, rename or retype
// columns, and a materialized view cannot be replaced at all, so the view
// goes, with the views that use it (most dependent first), and comes back
// with its indexes, triggers and rules, its dependents after it. The live
// grants and comment are put back (they are compared only on request, and
// then fixed after this).
func (b *sqlBuilder) recreateView(want, have *Object) {
	dependents := b.viewDependents(have)
	for i := len(dependents) - 1; i >= 0; i-- {
		b.drop(dependents[i])
	}
	b.drop(have)
	b.recreateFromCanonical(want, have)
	for _, d := range dependents {
		if w := b.want.Lookup(d.Key()); w != nil {
			b.recreateFromCanonical(w, d)
		}
	}
}

func (b *sqlBuilder) recreateFromCanonical(want, was *Object) {
	switch want.Kind {
	case KindColumn: // its default or expression, taken away before (order_parts.go)
		if want.Attr("generated") != "" {
			// an expression cannot be set on an existing column (before 17)
			b.add("ALTER TABLE %s DROP COLUMN IF EXISTS %s;", qtable(want), QuoteIdentMin(want.Name))
			b.add("ALTER TABLE %s ADD COLUMN %s;", qtable(want), columnDef(want, true))
			b.readdedColumn(want, was)
		} else if d := want.Attr("default"); d != "" {
			b.add("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;", qtable(want), QuoteIdentMin(want.Name), d)
		}
		return
	case KindConstraint, KindIndex, KindPolicy, KindTrigger:
		b.create(want, nil, DiffOptions{})
		if !b.opts.Comments && was.Comment() != "" {
			b.add("%s", commentSQL(want, was.Comment()))
		}
		return
	}
	var children []*Object
	if want.Name != "" {
		children = slices.Clone(b.want.childrenOf(want.Schema, want.Name))
	}
	b.create(want, children, DiffOptions{})
	if !b.opts.Comments && was.Comment() != "" { // compared, canonical's came with create
		b.add("%s", commentSQL(want, was.Comment()))
	}
	// The live view's columns may not be canonical's: its column comments
	// are canonical's.
	b.columnComments(want, "")
	b.privileges(want, was.ACL(), b.createdACL(want))
}

// viewDependents lists the live views and materialized views that use v,
// directly or through each other, each after the ones it uses.
func (b *sqlBuilder) viewDependents(v *Object) []*Object {
	var out []*Object
	seen := map[string]bool{v.Key(): true}
	var visit func(key string)
	visit = func(key string) {
		for _, o := range b.have.dependentsOf(key) {
			if (o.Kind == KindView || o.Kind == KindMatView) && !seen[o.Key()] {
				seen[o.Key()] = true
				out = append(out, o)
				visit(o.Key())
			}
		}
	}
	visit(v.Key())
	// Order so that each comes after every view it uses.
	pos := map[string]int{}
	for i, o := range out {
		pos[o.Key()] = i
	}
	var sorted []*Object
	done := map[string]bool{}
	var place func(o *Object)
	place = func(o *Object) {
		if done[o.Key()] {
			return
		}
		done[o.Key()] = true
		for _, d := range o.Deps() {
			if i, ok := pos[d]; ok {
				place(out[i])
			}
		}
		sorted = append(sorted, o)
	}
	for _, o := range out {
		place(o)
	}
	return sorted
}

// versionLess says whether extension version a is older than b, comparing
// dot-separated numbers; false when either is not of that form.
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		x, y := 0, 0
		var err error
		if i < len(pa) {
			if x, err = strconv.Atoi(pa[i]); err != nil {
				return false
			}
		}
		if i < len(pb) {
			if y, err = strconv.Atoi(pb[i]); err != nil {
				return false
			}
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// inRange says whether integer v lies in [lo, hi]; unparsable means yes.
func inRange(v, lo, hi string) bool {
	n, err1 := strconv.ParseInt(v, 10, 64)
	l, err2 := strconv.ParseInt(lo, 10, 64)
	h, err3 := strconv.ParseInt(hi, 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return true
	}
	return l <= n && n <= h
}

// lookupWant returns the canonical object of key, or nil.
func (b *sqlBuilder) lookupWant(key string) *Object {
	if b.want == nil {
		return nil
	}
	return b.want.Lookup(key)
}

// retypeDetached gives a partition moving to another parent, between its
// DETACH and ATTACH, the types its columns have in canonical: inherited,
// they could not be retyped before (the column's own item leaves them to
// this one), and ATTACH wants the new parent's types.
func (b *sqlBuilder) retypeDetached(want *Object) {
	if b.have == nil || b.want == nil {
		return
	}
	for _, w := range sortedByPosition(b.want.childrenOf(want.Schema, want.Name)) {
		h := b.have.Lookup(w.Key())
		if w.Kind != KindColumn || h == nil || !b.inheritedColumn(h) ||
			(w.Attr("type") == h.Attr("type") && w.Attr("collation") == h.Attr("collation")) {
			continue
		}
		b.retypeColumn(w, h)
	}
}

// retypeColumn gives live column have canonical's type and collation,
// its values cast (through text where castVia says).
func (b *sqlBuilder) retypeColumn(want, have *Object) {
	typ := want.Attr("type")
	if col := want.Attr("collation"); col != "" {
		typ += " COLLATE " + col
	}
	c := QuoteIdentMin(want.Name)
	b.add("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s%s::%s;", qtable(want), c, typ, c, b.castVia(have, want), want.Attr("type"))
}

// movesPartition says whether column c's table is a partition moving to
// another parent.
func (b *sqlBuilder) movesPartition(c *Object) bool {
	w, h := b.want.Lookup(c.ParentKey()), b.have.Lookup(c.ParentKey())
	return w != nil && h != nil && h.Attr("partition_of") != "" && w.Attr("partition_of") != "" &&
		w.Attr("partition_of") != h.Attr("partition_of")
}
