package checker

import (
	"path"
	"strings"
)

// Change says how an object drifted.
type Change string

// The kinds of drift.
const (
	Missing    Change = "missing"    // in canonical, not in the database
	Unexpected Change = "unexpected" // in the database, not in canonical
	Changed    Change = "changed"    // in both, defined differently
)

// Severity grades a drift item.
type Severity string

// Severities.
const (
	Critical Severity = "critical"
	Warning  Severity = "warning"
)

// AttrDiff is one attribute that differs.
type AttrDiff struct {
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
}

// Drift is one difference between canonical and live, with the SQL that
// brings the live database back to canonical.
type Drift struct {
	Change     Change              `json:"change"`
	ObjectType Kind                `json:"object_type"`
	Identity   string              `json:"identity"`
	Schema     string              `json:"schema,omitempty"`
	Table      string              `json:"table,omitempty"`
	Name       string              `json:"name"`
	Expected   *string             `json:"expected"`
	Actual     *string             `json:"actual"`
	Diff       map[string]AttrDiff `json:"diff,omitempty"`
	Severity   Severity            `json:"severity"`
	FixSQL     string              `json:"fix_sql"`
	// Manual is set when no SQL can fix the item in place (fix_sql is a
	// comment saying what to do).
	Manual bool `json:"manual,omitempty"`

	expected, actual *Object
	folded           []*Object // children created or dropped with this item
	phase            int
	// before are live views dropped first: they use what this item drops
	// and are the same in canonical; recreate are such views (canonical,
	// live) created again at the end of this item. So are the parts of
	// tables that call a function this item drops (a column there stands
	// for its default: only the default goes and comes back).
	before   []*Object
	recreate [][2]*Object
	// domainBefore and domainAfter take a domain's checks and default
	// that call a function this item drops away first and give them back
	// after what they call in canonical exists (order_parts.go).
	domainBefore, domainAfter []string
}

// DiffOptions say what to compare.
type DiffOptions struct {
	Comments    bool     // compare COMMENTs
	Privileges  bool     // compare GRANTs
	ColumnOrder bool     // compare column positions
	Ignore      []string // glob patterns on schema.table.name (unquoted), e.g. "audit.*"
	Severity    SeverityRules
}

// Diff compares a live model against the canonical one and returns the
// drift in the order its fix SQL should be applied: drops first (most
// dependent first), then creations and changes (dependencies first).
func Diff(canonical, live *Model, opts DiffOptions) []Drift {
	// Views of the callers' models: the lookup indexes the fix builds
	// are this call's own, so models shared between goroutines (the
	// daemon's canonical one) are only read.
	want, have := canonical.view(), live.view()
	// Default privileges are privileges: compared only with them.
	skipDefaultACLs := !opts.Privileges && (canonical.has(KindDefaultACL) || live.has(KindDefaultACL))
	if len(opts.Ignore) > 0 || skipDefaultACLs {
		ignoredParts := opts.ignoredPartitions(want, have) // views: their lookups are this call's
		keep := func(o *Object) bool {
			t := tableOf(o)
			if o.Kind == KindTable {
				t = o.Key()
			}
			return !opts.ignored(o) && !(skipDefaultACLs && o.Kind == KindDefaultACL) && !ignoredParts[t]
		}
		want, have = canonical.Filter(keep), live.Filter(keep)
	}
	var items []*Drift
	i, j := 0, 0
	for i < len(want.Objects) || j < len(have.Objects) {
		switch {
		case j >= len(have.Objects) || (i < len(want.Objects) && less(want.Objects[i], have.Objects[j])):
			items = append(items, &Drift{Change: Missing, expected: want.Objects[i]})
			i++
		case i >= len(want.Objects) || less(have.Objects[j], want.Objects[i]):
			items = append(items, &Drift{Change: Unexpected, actual: have.Objects[j]})
			j++
		default:
			if d := compare(want.Objects[i], have.Objects[j], opts); d != nil {
				items = append(items, &Drift{Change: Changed, expected: want.Objects[i], actual: have.Objects[j], Diff: d})
			}
			i++
			j++
		}
	}
	items = dropNoise(items)
	items = dropTypedColumns(items, want, have)
	items = dropInheritedOrder(items, want, have)
	items = fold(items, want, have)
	out := make([]Drift, 0, len(items))
	retyped := map[string]bool{}
	ordered := order(items, want, have)
	ahead, retypes := retypeAhead(ordered, have)
	for i, it := range ordered {
		if retypes[i] {
			ahead[it.actual.ParentKey()]--
		}
		it.finish(want, have, opts, retyped, ahead)
		out = append(out, *it)
	}
	return out
}

func (opts DiffOptions) ignored(o *Object) bool {
	if len(opts.Ignore) == 0 {
		return false
	}
	names := []string{plainName(o.Schema, o.Table, o.Name)}
	if o.Table != "" {
		names = append(names, plainName(o.Schema, "", o.Table))
	}
	if o.Kind == KindFunction {
		n, _ := splitSignature(o.Name)
		names = append(names, plainName(o.Schema, "", n))
	}
	for _, p := range opts.Ignore {
		for _, n := range names {
			if ok, _ := path.Match(p, n); ok {
				return true
			}
		}
	}
	return false
}

// ignoredPartitions are the keys of the tables that are partitions, at
// any depth, of an ignored table in either model: they hold its rows, and
// go with it (dropping one would lose an ignored table's data; creating
// one would need its parent).
func (opts DiffOptions) ignoredPartitions(models ...*Model) map[string]bool {
	out := map[string]bool{}
	if len(opts.Ignore) == 0 {
		return out
	}
	for _, m := range models {
		parentOf := map[string]string{}
		for _, o := range m.ofKind(KindTable) {
			if p := splitQualified(o.Attr("partition_of")); len(p) == 2 {
				parentOf[o.Key()] = Key(KindTable, p[0], "", p[1])
			}
		}
		for k := range parentOf {
			for p, n := parentOf[k], 0; p != "" && n < 64; p, n = parentOf[p], n+1 {
				if t := m.Lookup(p); t != nil && opts.ignored(t) {
					out[k] = true
					break
				}
			}
		}
	}
	return out
}

func plainName(parts ...string) string {
	var nonEmpty []string
	for _, p := range parts {
		if p != "" {
			nonEmpty = append(nonEmpty, p)
		}
	}
	return strings.Join(nonEmpty, ".")
}

// compare returns the attributes that differ, or nil.
func compare(want, have *Object, opts DiffOptions) map[string]AttrDiff {
	if want.attrs == have.attrs && (!opts.Comments || want.Comment() == have.Comment()) &&
		(!opts.Privileges || want.ACL() == have.ACL()) {
		return nil // the common case: nothing differs, one comparison
	}
	var d map[string]AttrDiff
	add := func(name, e, a string) {
		if e == a {
			return
		}
		// Expressions that print unlike how they read back (exprnorm.go);
		// a function's definition is its source text, compared as written.
		if want.Kind != KindFunction && sameExpr(e, a) {
			return
		}
		if d == nil {
			d = map[string]AttrDiff{}
		}
		d[name] = AttrDiff{Expected: e, Actual: a}
	}
	for i, a := range specOf(want.Kind).attrs {
		switch a.gate {
		case gateNever:
			continue
		case gateColumnOrder:
			if !opts.ColumnOrder {
				continue
			}
		case gateComments:
			if !opts.Comments {
				continue
			}
		}
		if want.Kind == KindExtension && a.name == "version" && attrAt(want, i) == "" {
			continue // created without a version (pg_dump's way): any version
		}
		add(a.name, attrAt(want, i), attrAt(have, i))
	}
	if opts.Comments {
		add("comment", want.Comment(), have.Comment())
	}
	if opts.Privileges {
		add("privileges", want.ACL(), have.ACL())
	}
	return d
}

func attrAt(o *Object, i int) string { return o.attrAt(i) }

// dropNoise removes differences that are not drift: the public schema's
// mere presence (pg_dump never creates or drops it).
func dropNoise(items []*Drift) []*Drift {
	out := items[:0]
	for _, it := range items {
		o := it.object()
		if o.Kind == KindSchema && o.Name == "public" && it.Change != Changed {
			continue
		}
		out = append(out, it)
	}
	return out
}

// dropTypedColumns removes the column items of a table typed by the same
// composite type on both sides (CREATE TABLE ... OF) that only follow from
// the type: a column there or not, or of another type. The type's own item
// changes them (ALTER TYPE ... CASCADE); ALTER TABLE cannot add, drop or
// retype a typed table's columns. A column's own settings (NOT NULL, a
// default) stay items.
func dropTypedColumns(items []*Drift, want, have *Model) []*Drift {
	typedBoth := func(o *Object) bool {
		if o.Kind != KindColumn {
			return false
		}
		key := Key(KindTable, o.Schema, "", o.Table)
		w, h := want.Lookup(key), have.Lookup(key)
		return w != nil && h != nil && w.Attr("of_type") != "" && w.Attr("of_type") == h.Attr("of_type")
	}
	out := items[:0]
	for _, it := range items {
		if o := it.object(); typedBoth(o) {
			if it.Change != Changed {
				continue
			}
			delete(it.Diff, "type")
			delete(it.Diff, "collation")
			delete(it.Diff, "position")
			if len(it.Diff) == 0 {
				continue
			}
		}
		out = append(out, it)
	}
	return out
}

func (d *Drift) object() *Object {
	if d.expected != nil {
		return d.expected
	}
	return d.actual
}

// fold merges the items of objects that come and go with their table (or
// schema) into the parent's item: a missing table is one item whose fix
// creates its columns, local constraints, indexes and the rest; an
// unexpected table is one DROP.
func fold(items []*Drift, want, have *Model) []*Drift {
	missingTables := map[string]*Drift{}
	unexpectedTables := map[string]*Drift{}
	unexpectedSchemas := map[string]*Drift{}
	byKey := map[string]*Drift{}
	dropped := map[string]bool{} // names the unexpected items free
	for _, it := range items {
		o := it.object()
		byKey[o.Key()] = it
		if ns := nameSpace(o); it.Change == Unexpected && ns != "" {
			dropped[ns] = true
		}
		switch {
		case it.Change == Missing && (o.Kind == KindTable || o.Kind == KindView || o.Kind == KindMatView):
			missingTables[Key(KindTable, o.Schema, "", o.Name)] = it
		case it.Change == Unexpected && (o.Kind == KindTable || o.Kind == KindView || o.Kind == KindMatView):
			unexpectedTables[Key(KindTable, o.Schema, "", o.Name)] = it
		case it.Change == Unexpected && o.Kind == KindSchema:
			unexpectedSchemas[o.Name] = it
		}
	}
	out := items[:0]
	for _, it := range items {
		o := it.object()
		if p := identityTakesName(it, byKey); p != nil {
			p.folded = append(p.folded, o)
			continue
		}
		if it.Change == Unexpected && o.Kind != KindSchema {
			if s := unexpectedSchemas[o.Schema]; s != nil && o.Schema != "" {
				s.folded = append(s.folded, o)
				continue
			}
		}
		parent := tableOf(o)
		switch it.Change {
		case Missing:
			// An index taking the name of one a drop frees stays an item
			// of its own, to follow that drop: its table may have to come
			// first (a partition moving to it from the dropped table).
			if p := missingTables[parent]; p != nil && o != p.expected && foldsIntoCreate(o) && !waitsForPartitions(o, p, it, byKey, want, have) &&
				!(o.Kind == KindIndex && dropped[nameSpace(o)]) {
				p.folded = append(p.folded, o)
				continue
			}
		case Unexpected:
			if p := unexpectedTables[parent]; p != nil && o != p.actual {
				p.folded = append(p.folded, o)
				continue
			}
		}
		if p := inheritedFrom(it, byKey, want, have); p != nil {
			for q, n := inheritedFrom(p, byKey, want, have), 0; q != nil && n < 64; q, n = inheritedFrom(q, byKey, want, have), n+1 {
				p = q // the root: partitions of partitions
			}
			if it.expected != nil {
				p.folded = append(p.folded, it.expected)
			}
			continue
		}
		if followsParentKey(o, want, have) {
			continue
		}
		out = append(out, it)
	}
	return out
}

// identityTakesName returns the item of the column an unexpected sequence
// belongs to (a serial's) when canonical makes that column an identity
// whose sequence has the same name: the column's fix drops the serial's
// sequence after its default and before the identity, or PostgreSQL would
// name the identity's sequence otherwise (u_id_seq1), and a drop after it
// would find the identity's.
func identityTakesName(it *Drift, byKey map[string]*Drift) *Drift {
	o := it.object()
	if it.Change != Unexpected || o.Kind != KindSequence {
		return nil
	}
	k, ok := ownerColumnKey(o.Attr("owned_by"))
	if !ok {
		return nil
	}
	p := byKey[k]
	if p == nil || p.Change != Changed || p.expected.Attr("identity") == "" || p.actual.Attr("identity") != "" {
		return nil
	}
	if schema, name := identitySequenceOf(p.expected); schema != o.Schema || name != o.Name {
		return nil
	}
	return p
}

// followsParentKey says whether o is a foreign key cloned from a parent's
// that both schemas have: a clone is what PostgreSQL makes of the parent's
// for the partition, so the parent's item (or the partition's attachment)
// covers it. Its own name and text do not: a partition's foreign key
// merged into its parent's keeps its name, which pg_dump leaves out (the
// reloaded clone takes the parent's), and PostgreSQL 15 copies a SET NULL
// column list by the parent's column numbers, which a reload maps anew.
func followsParentKey(o *Object, want, have *Model) bool {
	if o.Kind != KindConstraint || o.Attr("type") != "foreign key" || !o.Inherited() {
		return false
	}
	for _, d := range o.Deps() {
		if strings.HasPrefix(d, string(KindConstraint)+"\x1f") && want.Lookup(d) != nil && have.Lookup(d) != nil {
			return true
		}
	}
	return false
}

// inheritedFrom returns the item an item on an inherited object follows
// from: PostgreSQL adds, drops and alters a partition's or child table's
// inherited columns, constraints, indexes and triggers along with the
// parent's, so the parent's fix covers the child (and the clones of a
// foreign key, on its own table, for the partitions of the table it
// references). A child changed the same
// way as its parent, or any drift of the clones of a parent that is
// dropped and created again, folds into the parent's item.
func inheritedFrom(it *Drift, byKey map[string]*Drift, want, have *Model) *Drift {
	o := it.object()
	if !o.Inherited() {
		return nil
	}
	table := want.Lookup(Key(KindTable, o.Schema, "", o.Table))
	if it.Change == Unexpected {
		table = have.Lookup(Key(KindTable, o.Schema, "", o.Table))
	}
	if table == nil {
		return nil
	}
	if p := byKey[table.Key()]; o.Kind == KindTrigger && p != nil && clonesTriggers(it, p) {
		return p
	}
	for _, dep := range o.Deps() {
		p := byKey[dep]
		if p == nil || p == it || p.object().Kind != o.Kind {
			continue
		}
		// On a parent table, or on the same table: a foreign key that
		// references a partitioned table has a clone on its own table for
		// each partition of the referenced one.
		if pk := p.object().ParentKey(); pk != table.Key() && !hasDep(table, pk) {
			continue
		}
		switch {
		case p.Change == Changed && recreates(p):
			return p
		case p.Change == Changed && it.Change == Missing && attachesOnly(p.expected, p.actual):
			return p // built and attached by the parent's fix
		case p.Change != it.Change:
		case it.Change != Changed || sameDiff(it.Diff, p.Diff):
			return p
		}
	}
	return nil
}

// clonesTriggers says whether the item of a partition's table (p) takes
// care of it the item on one of its cloned row triggers: ATTACH PARTITION
// clones the new parent's triggers and DETACH PARTITION drops the old
// one's clones, so a clone missing where the table is attached, or there
// where it is detached (or moved: its text names the parent's row type),
// is no drift of its own.
func clonesTriggers(it, p *Drift) bool {
	if p.Change != Changed {
		return false
	}
	if _, moved := p.Diff["partition_of"]; !moved {
		return false
	}
	switch it.Change {
	case Missing:
		return p.expected.Attr("partition_of") != ""
	case Unexpected:
		return p.actual.Attr("partition_of") != ""
	}
	return p.expected.Attr("partition_of") != "" && p.actual.Attr("partition_of") != ""
}

// recreates says whether a changed item's fix drops the object and creates
// it again, taking its clones on partitions with it.
func recreates(d *Drift) bool {
	switch d.object().Kind {
	case KindIndex, KindConstraint:
		if d.expected != nil && d.actual != nil && attachesOnly(d.expected, d.actual) {
			return false
		}
		return len(d.Diff) > countOf(d.Diff, "comment", "privileges")
	case KindTrigger:
		_, ok := d.Diff["definition"]
		return ok
	}
	return false
}

func sameDiff(a, b map[string]AttrDiff) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// tableOf is the key of the table an object belongs to: its Table, or for a
// sequence the table that owns it.
func tableOf(o *Object) string {
	if o.Table != "" {
		return Key(KindTable, o.Schema, "", o.Table)
	}
	if o.Kind == KindSequence && o.Attr("owned_by") != "" {
		schema, table, ok := splitOwnedBy(o.Attr("owned_by"))
		if ok {
			return Key(KindTable, schema, "", table)
		}
	}
	return ""
}

// waitsForPartitions says whether a missing index stays out of its new
// table's CREATE. An index of a partitioned table built before the
// partitions exist is cloned onto each of them under a name PostgreSQL
// chooses; one built after them adopts the partitions' matching indexes
// and keys instead. When the canonical partitions hold an attached index
// under another name, or a key of their own, the index gets an item of its
// own, after the partitions, and the partitions' indexes go with it.
func waitsForPartitions(o *Object, table, it *Drift, byKey map[string]*Drift, want, have *Model) bool {
	if o.Kind != KindIndex && o.Kind != KindConstraint {
		return false
	}
	index := o.Kind == KindIndex
	// An invalid index or key (made ON ONLY, not attached everywhere)
	// waits too: built before the partitions, it would be cloned onto each
	// of them and become valid. (One the live database has, its fix
	// changing only what is attached, is cloned onto a new partition as
	// canonical has it, or undone there: uncloneInvalidIndexes.)
	if table.expected != nil && table.expected.Attr("partition_key") != "" {
		return o.Attr("invalid") == "true" || index && adoptsOwnIndexes(o, table.expected, want)
	}
	if p := inheritedFrom(it, byKey, want, have); p != nil && p.expected != nil {
		if t := want.Lookup(Key(KindTable, p.expected.Schema, "", p.expected.Table)); t != nil && t.Attr("partition_key") != "" {
			return p.Change == Missing && p.expected.Attr("invalid") == "true" || index && adoptsOwnIndexes(p.expected, t, want)
		}
	}
	return false
}

// adoptsOwnIndexes says whether the canonical partitions of table have an
// index attached to idx that PostgreSQL would not have named that way
// when cloning, or a primary key or unique constraint of their own.
func adoptsOwnIndexes(idx, table *Object, want *Model) bool {
	for _, c := range want.dependentsOf(idx.Key()) {
		if c.Kind == KindIndex && c.Name != cloneIndexName(c) {
			return true
		}
	}
	for _, p := range want.partitionsOf(table.Key()) {
		for _, c := range want.childrenOf(p.Schema, p.Name) {
			if c.Kind == KindConstraint && !c.Inherited() && (c.Attr("type") == "primary key" || c.Attr("type") == "unique") {
				return true
			}
		}
	}
	return false
}

// cloneIndexName is the name PostgreSQL gives the index it clones onto a
// partition: the table's name, the key columns ("expr" for an expression)
// and "idx", joined by "_" (long names are not shortened here).
func cloneIndexName(c *Object) string {
	def := c.Attr("definition")
	i := strings.Index(def, " USING ")
	if i < 0 {
		return ""
	}
	open := strings.IndexByte(def[i:], '(')
	if open < 0 {
		return ""
	}
	rest := def[i+open+1:]
	depth, end := 1, -1
	for j := 0; j < len(rest) && end < 0; j++ {
		switch rest[j] {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				end = j
			}
		}
	}
	if end < 0 {
		return ""
	}
	parts := []string{c.Table}
	for _, col := range splitNameList(rest[:end]) {
		f := strings.Fields(col)
		if len(f) == 0 || strings.ContainsAny(f[0], "()") {
			parts = append(parts, "expr")
			continue
		}
		parts = append(parts, strings.Trim(f[0], `"`))
	}
	return strings.Join(parts, "_") + "_idx"
}

// foldsIntoCreate says whether a missing child is created by its missing
// table's item; foreign keys stay separate so they can wait for the
// tables they reference.
func foldsIntoCreate(o *Object) bool {
	return !(o.Kind == KindConstraint && o.Attr("type") == "foreign key")
}

// phaseOf orders creation: foreign keys after every table, index and
// unique constraint they may reference; sequences before types and
// functions, whose defaults and bodies may take their values (a sequence
// needs nothing but its schema: OWNED BY is set by its column's item).
func phaseOf(o *Object) int {
	switch o.Kind {
	case KindSequence:
		return specOf(KindType).phase*10 - 1
	case KindTSParser, KindTSTemplate:
		return specOf(KindType).phase*10 - 4 // before what is made on them
	case KindTSDictionary:
		return specOf(KindType).phase*10 - 3
	case KindTSConfig:
		return specOf(KindType).phase*10 - 2 // after the dictionaries it maps to
	case KindOperator:
		return specOf(KindFunction).phase*10 + 5
	case KindOpFamily:
		return specOf(KindFunction).phase*10 + 6 // after the operators its members name
	case KindOpClass:
		return specOf(KindFunction).phase*10 + 7 // after its family
	}
	if o.Kind == KindConstraint && o.Attr("type") == "foreign key" {
		return specOf(KindIndex).phase*10 + 5
	}
	if o.Kind == KindServer {
		return specOf(o.Kind).phase*10 + 1 // after its wrapper, dropped before it
	}
	if o.Kind == KindType {
		// enums and ranges before domains before composites
		switch o.Attr("type") {
		case "domain":
			return specOf(o.Kind).phase*10 + 1
		case "composite":
			return specOf(o.Kind).phase*10 + 2
		}
		return specOf(o.Kind).phase * 10
	}
	return specOf(o.Kind).phase * 10
}

// finish fills the reported fields of an item.
func (d *Drift) finish(want, have *Model, opts DiffOptions, retyped map[string]bool, retypeAhead map[string]int) {
	o := d.object()
	d.ObjectType, d.Schema, d.Table, d.Name = o.Kind, o.Schema, o.Table, o.Name
	d.Identity = o.Identity()
	if d.expected != nil {
		s := Describe(d.expected)
		d.Expected = &s
	}
	if d.actual != nil {
		s := Describe(d.actual)
		d.Actual = &s
	}
	d.Severity = opts.Severity.severity(d)
	d.FixSQL, d.Manual = fixSQL(d, want, have, opts, retyped, retypeAhead)
}

func hasDep(o *Object, key string) bool {
	for _, d := range o.Deps() {
		if d == key {
			return true
		}
	}
	return false
}

// dropInheritedOrder removes the position differences of the columns of a
// table that inherits from the same parents on both sides (INHERITS, not a
// partition). Such a table's column order is its history's: a column its
// parent gained later comes last, one it had before INHERIT keeps its
// place. pg_dump can only write it as CREATE TABLE ... INHERITS, the
// parents' columns first, so a table read back from a dump has its own
// order; neither can be changed in place.
func dropInheritedOrder(items []*Drift, want, have *Model) []*Drift {
	out := items[:0]
	for _, it := range items {
		if o := it.object(); o.Kind == KindColumn && it.Change == Changed && it.Diff["position"] != (AttrDiff{}) {
			key := Key(KindTable, o.Schema, "", o.Table)
			if w, h := want.Lookup(key), have.Lookup(key); w != nil && h != nil &&
				w.Attr("inherits") != "" && w.Attr("inherits") == h.Attr("inherits") {
				delete(it.Diff, "position")
				if len(it.Diff) == 0 {
					continue
				}
			}
		}
		out = append(out, it)
	}
	return out
}
