package checker

import (
	"slices"
	"strings"
)

// Kind is the kind of a schema object.
type Kind string

// The object kinds driftwatch models.
const (
	KindSchema       Kind = "schema"
	KindExtension    Kind = "extension"
	KindCollation    Kind = "collation"
	KindType         Kind = "type" // enum, domain, composite, range
	KindFunction     Kind = "function"
	KindSequence     Kind = "sequence"
	KindTable        Kind = "table" // regular, partitioned, partition, unlogged, foreign
	KindColumn       Kind = "column"
	KindConstraint   Kind = "constraint"
	KindIndex        Kind = "index"
	KindView         Kind = "view"
	KindMatView      Kind = "materialized view"
	KindTrigger      Kind = "trigger"
	KindPolicy       Kind = "policy"
	KindRule         Kind = "rule"
	KindStatistics   Kind = "statistics"
	KindEventTrigger Kind = "event trigger"
	KindFDW          Kind = "foreign data wrapper"
	KindServer       Kind = "server" // a foreign server
	KindCast         Kind = "cast"   // Name is "(source AS target)"
	KindPublication  Kind = "publication"
	KindTSDictionary Kind = "text search dictionary"
	KindTSConfig     Kind = "text search configuration"
	KindTSParser     Kind = "text search parser"
	KindTSTemplate   Kind = "text search template"
	KindOperator     Kind = "operator"        // Name is "op(left, right)", NONE for a missing side
	KindOpFamily     Kind = "operator family" // Name is "name USING method"
	KindOpClass      Kind = "operator class"  // Name is "name USING method"
	// KindDefaultACL is one role's default privileges for one kind of
	// object, in one schema or (Schema "") in all: Name is "role ON TABLES".
	KindDefaultACL Kind = "default privileges"
)

// Object is one schema object. Schema, Table and Name form its identity
// within its kind: Table is set for objects that belong to a relation
// (columns, constraints, indexes, triggers, policies, rules) or to a domain
// (its constraints are part of the domain's definition instead). For
// functions Name carries the identity argument list: "f(integer, text)".
//
// The compared attributes, each as PostgreSQL prints it, are read with
// Attr; they are packed into one string ("\x00" between them, in the order
// of the kind's spec in kinds.go), which keeps a 10,000-table model small
// and makes "nothing changed" one string comparison.
type Object struct {
	Kind   Kind
	Schema string
	Table  string
	Name   string
	attrs  string
	// more holds what few objects have (a comment, privileges, inheritance,
	// dependencies), read with Comment, ACL, Inherited and Deps; nil when
	// all are empty. Keeping them out of line makes an object 88 bytes
	// instead of 144: at 10,000 tables (151,000 objects) 8 MB less.
	more *objectMore
}

// Attr returns the named attribute, or "" when the kind has no such one.
func (o *Object) Attr(name string) string {
	return o.attrAt(attrIndex(o.Kind, name))
}

// attrAt returns the i-th packed attribute.
func (o *Object) attrAt(i int) string {
	if i < 0 {
		return ""
	}
	s := o.attrs
	for ; i > 0; i-- {
		j := strings.IndexByte(s, 0)
		if j < 0 {
			return ""
		}
		s = s[j+1:]
	}
	if j := strings.IndexByte(s, 0); j >= 0 {
		return s[:j]
	}
	return s
}

// attrList returns every attribute, in spec order.
func (o *Object) attrList() []string {
	n := len(specOf(o.Kind).attrs)
	out := strings.SplitN(o.attrs, "\x00", n)
	for len(out) < n {
		out = append(out, "")
	}
	return out
}

// SetAttr sets the named attribute; it panics on a name the kind lacks,
// which is a programming error. Building many objects, prefer setAttrs.
func (o *Object) SetAttr(name, value string) {
	i := attrIndex(o.Kind, name)
	if i < 0 {
		panic("checker: kind " + string(o.Kind) + " has no attribute " + name)
	}
	vals := o.attrList()
	vals[i] = value
	o.setAttrs(vals)
}

// setNamed sets several named attributes in one packing: name, value,
// name, value... Like SetAttr, it panics on a name the kind lacks.
func (o *Object) setNamed(kv ...string) {
	vals := o.attrList()
	for i := 0; i+1 < len(kv); i += 2 {
		j := attrIndex(o.Kind, kv[i])
		if j < 0 {
			panic("checker: kind " + string(o.Kind) + " has no attribute " + kv[i])
		}
		vals[j] = kv[i+1]
	}
	o.setAttrs(vals)
}

// setAttrs packs all attributes at once, in spec order. A function's
// definition is normalized only when its body is not a string (printed
// "AS $function$..."): then it is an SQL-standard one (RETURN, BEGIN
// ATOMIC), deparsed like any expression (see also foldCastAliases).
func (o *Object) setAttrs(vals []string) {
	for i, a := range kindSpecs[o.Kind].attrs {
		if i < len(vals) && a.expr &&
			(o.Kind != KindFunction || !strings.Contains(vals[i], "\nAS $")) {
			vals[i] = foldCastAliases(normalizeExpr(vals[i]), o.Kind)
		}
	}
	o.attrs = strings.Join(vals, "\x00")
}

// Key is the object's unique key in a model.
func (o *Object) Key() string {
	return Key(o.Kind, o.Schema, o.Table, o.Name)
}

// Key builds an object key from its parts.
func Key(kind Kind, schema, table, name string) string {
	return string(kind) + "\x1f" + schema + "\x1f" + table + "\x1f" + name
}

// ParentKey is the key of the relation a sub-object belongs to, or "".
func (o *Object) ParentKey() string {
	if o.Table == "" {
		return ""
	}
	return Key(KindTable, o.Schema, "", o.Table)
}

// Identity is the object's name as a user reads it: schema-qualified,
// with identifiers quoted only where PostgreSQL would need it.
func (o *Object) Identity() string {
	if o.Kind == KindDefaultACL {
		return defaultACLIdentity(o)
	}
	var parts []string
	if o.Schema != "" {
		parts = append(parts, QuoteIdentMin(o.Schema))
	}
	if o.Table != "" {
		parts = append(parts, QuoteIdentMin(o.Table))
	}
	switch o.Kind {
	case KindFunction:
		name, args := splitSignature(o.Name)
		parts = append(parts, QuoteIdentMin(name)+args)
	case KindCast, KindOperator:
		parts = append(parts, o.Name) // "(source AS target)", "op(left, right)"
	case KindOpFamily, KindOpClass:
		name, method := splitUsing(o.Name)
		parts = append(parts, QuoteIdentMin(name)+usingSep+QuoteIdentMin(method))
	default:
		parts = append(parts, QuoteIdentMin(o.Name))
	}
	return strings.Join(parts, ".")
}

// splitSignature splits "f(integer)" into "f" and "(integer)".
func splitSignature(s string) (string, string) {
	if i := strings.IndexByte(s, '('); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// Model is a whole schema: its objects sorted by key.
type Model struct {
	// ServerVersion is server_version_num of the server that was inspected.
	ServerVersion int
	// Objects are sorted by (Kind, Schema, Table, Name).
	Objects []*Object
	index   map[string]*Object
	// relations answers fix_sql's questions about what belongs to and
	// uses what (modelindex.go); built on first use.
	relations *relIndex
	// sorted says Objects are known to be in order (Sort, or a decoded or
	// filtered sorted model), so that lookups may search them.
	sorted bool
	// offHeap is the bytes of the model outside the Go heap (a model
	// decoded with LoadOptions.OffHeap), 0 for one on the heap.
	offHeap int64
}

// OffHeapBytes is how much of the model lies outside the Go heap, which
// the runtime's memory limit does not count: 0 unless it was loaded with
// LoadOptions.OffHeap.
func (m *Model) OffHeapBytes() int64 { return m.offHeap }

// Sort puts the objects in their canonical order and rebuilds the index.
func (m *Model) Sort() {
	if !slices.IsSortedFunc(m.Objects, compareObjects) { // an inspection's merged steps are
		slices.SortFunc(m.Objects, compareObjects)
	}
	m.index, m.relations = nil, nil
	m.sorted = true
}

// compareObjects orders objects by key, as less does. Equal parts are
// told apart by ==, which is quick for the same string (a model's kinds,
// schemas and tables mostly are: decoded and shared objects share them),
// and only a part that differs is compared byte by byte.
func compareObjects(a, b *Object) int {
	switch {
	case a.Kind != b.Kind:
		return strings.Compare(string(a.Kind), string(b.Kind))
	case a.Schema != b.Schema:
		return strings.Compare(a.Schema, b.Schema)
	case a.Table != b.Table:
		return strings.Compare(a.Table, b.Table)
	}
	return strings.Compare(a.Name, b.Name)
}

func less(a, b *Object) bool {
	if a.Kind != b.Kind {
		return a.Kind < b.Kind
	}
	if a.Schema != b.Schema {
		return a.Schema < b.Schema
	}
	if a.Table != b.Table {
		return a.Table < b.Table
	}
	return a.Name < b.Name
}

// Lookup finds an object by key.
func (m *Model) Lookup(key string) *Object {
	if m.index == nil {
		m.index = make(map[string]*Object, len(m.Objects))
		for _, o := range m.Objects {
			m.index[o.Key()] = o
		}
	}
	return m.index[key]
}

// Add appends an object; call Sort when done adding.
func (m *Model) Add(o *Object) {
	m.Objects = append(m.Objects, o)
	m.index, m.relations = nil, nil
	m.sorted = false
}

// view returns a model of the same objects (the same slice, not to be
// changed) with indexes of its own, built as it is used.
func (m *Model) view() *Model {
	return &Model{ServerVersion: m.ServerVersion, Objects: m.Objects, sorted: m.sorted}
}

// Filter returns a model with the objects keep accepts.
func (m *Model) Filter(keep func(*Object) bool) *Model {
	out := &Model{ServerVersion: m.ServerVersion, sorted: m.sorted}
	for _, o := range m.Objects {
		if keep(o) {
			out.Objects = append(out.Objects, o)
		}
	}
	return out
}
