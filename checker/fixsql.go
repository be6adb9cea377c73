package checker

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// fixSQL returns the statements that resolve an item, and whether the item
// needs a person (the SQL is then only a comment).
func fixSQL(d *Drift, want, have *Model, opts DiffOptions, retyped map[string]bool, retypeAhead map[string]int) (string, bool) {
	b := sqlBuilder{want: want, have: have, opts: opts, retyped: retyped, retypeAhead: retypeAhead}
	b.stmts = append(b.stmts, d.domainBefore...)
	for _, o := range d.before {
		if o.Kind == KindColumn {
			// a column in before stands for its default or generation
			// expression (order_parts.go); the column and its data stay
			if o.Attr("generated") != "" {
				b.add("ALTER TABLE %s ALTER COLUMN %s DROP EXPRESSION IF EXISTS;", qtable(o), QuoteIdentMin(o.Name))
			} else {
				b.add("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;", qtable(o), QuoteIdentMin(o.Name))
			}
			continue
		}
		b.drop(o)
	}
	switch d.Change {
	case Missing:
		b.create(d.expected, d.folded, opts)
	case Unexpected:
		if d.actual.Kind == KindColumn {
			b.dropColumn(d.actual)
		} else {
			b.drop(d.actual)
		}
	case Changed:
		b.alter(d.expected, d.actual, d.folded, d.Diff, opts)
	}
	b.stmts = append(b.stmts, d.domainAfter...)
	for _, r := range d.recreate {
		b.recreateFromCanonical(r[0], r[1])
	}
	return b.String(), b.manual
}

type sqlBuilder struct {
	stmts      []string
	manual     bool
	want, have *Model
	// opts are the item's: with Comments, what a fix drops and creates
	// again gets canonical's comments back.
	opts DiffOptions
	// retyped are the keys of the columns whose type the fixes of earlier
	// items (in applying order) changed: shared by the items of one Diff.
	retyped map[string]bool
	// retypeAhead counts, per table key, the items after this one that
	// retype a column of the table (retypeAhead): shared too.
	retypeAhead map[string]int
}

func (b *sqlBuilder) add(format string, a ...any) {
	b.stmts = append(b.stmts, fmt.Sprintf(format, a...))
}

func (b *sqlBuilder) String() string { return strings.Join(b.stmts, "\n") }

func (b *sqlBuilder) needsPerson(why string) {
	b.manual = true
	b.add("%s", sqlComment(why))
}

// sqlComment makes text a SQL comment, every line of it: a name in the
// text may hold a line break, after which the rest would run as SQL.
func sqlComment(text string) string {
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(text)
	return "-- " + strings.ReplaceAll(text, "\n", "\n-- ")
}

// qname is the quoted schema-qualified name of a top-level object.
func qname(o *Object) string { return QualifiedName(o.Schema, o.Name) }

// qtable is the quoted name of the table a sub-object belongs to.
func qtable(o *Object) string { return QualifiedName(o.Schema, o.Table) }

// qfunc is a function's quoted name with its identity arguments.
func qfunc(o *Object) string {
	name, args := splitSignature(o.Name)
	return QualifiedName(o.Schema, name) + args
}

func terminate(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasSuffix(s, ";") {
		s += ";"
	}
	return s
}

// create writes the statements that create o, and with a table the
// children folded into it.
func (b *sqlBuilder) create(o *Object, folded []*Object, opts DiffOptions) {
	switch o.Kind {
	case KindSchema:
		b.add("CREATE SCHEMA %s;", QuoteIdentMin(o.Name))
	case KindExtension:
		b.add("%s", extensionCreate(o))
	case KindCollation:
		b.add("CREATE COLLATION %s (%s);", qname(o), o.Attr("definition"))
	case KindTSDictionary:
		b.createTSDictionary(o)
	case KindTSConfig:
		b.createTSConfig(o)
	case KindTSParser, KindTSTemplate:
		b.add("CREATE %s %s (%s);", specOf(o.Kind).sqlKind, qname(o), o.Attr("definition"))
	case KindOperator:
		b.createOperator(o)
	case KindOpFamily:
		b.createOpFamily(o)
	case KindOpClass:
		b.createOpClass(o)
	case KindType:
		b.add("%s", typeCreate(o))
	case KindFunction:
		b.createFunction(o)
	case KindSequence:
		b.dropIdentityOf(o)
		b.add("CREATE SEQUENCE %s %s;", qname(o), seqOptions(o))
		if ob := o.Attr("owned_by"); ob != "" && b.ownerExists(ob) {
			b.add("ALTER SEQUENCE %s OWNED BY %s;", qname(o), ob)
		}
	case KindTable:
		b.createTable(o, folded, opts)
	case KindColumn:
		b.add("ALTER TABLE %s ADD COLUMN %s;", qtable(o), columnDef(o, true))
		b.columnSettings(o, colSettings{})
		b.ownSequences(o.Schema, o.Table, o.Name, nil)
	case KindConstraint:
		if o.Attr("invalid") == "true" {
			b.createIndex(o, folded) // ON ONLY, with the partitions' keys it attaches
		} else {
			b.addOnly(o, false)
		}
		if (opts.Comments || b.opts.Comments) && o.Attr("index_comment") != "" {
			b.add("%s", indexCommentSQL(o, o.Attr("index_comment")))
		}
	case KindIndex:
		b.createIndex(o, folded)
	case KindStatistics:
		b.add("%s", terminate(o.Attr("definition")))
		if t := o.Attr("target"); t != "" {
			b.add("ALTER STATISTICS %s SET STATISTICS %s;", qname(o), t)
		}
	case KindView:
		b.add("CREATE VIEW %s%s AS\n%s", qname(o), withOptions(o.Attr("options")), terminate(o.Attr("definition")))
		b.viewDefaults(o, "")
		b.createChildren(folded, opts)
	case KindMatView:
		b.add("CREATE MATERIALIZED VIEW %s%s AS\n%s", qname(o), withOptions(o.Attr("options")), terminate(o.Attr("definition")))
		b.createChildren(folded, opts)
	case KindTrigger:
		b.add("%s", terminate(o.Attr("definition")))
		b.triggerEnabled(o)
	case KindPolicy:
		b.add("CREATE POLICY %s ON %s %s;", QuoteIdentMin(o.Name), qtable(o), policyDef(o))
	case KindRule:
		b.add("%s", terminate(o.Attr("definition")))
	case KindFDW:
		b.createFDW(o)
	case KindServer:
		b.createServer(o)
	case KindCast:
		b.createCast(o)
	case KindPublication:
		b.createPublication(o)
	case KindEventTrigger:
		when := ""
		if tags := o.Attr("tags"); tags != "" {
			var q []string
			for _, t := range strings.Split(tags, ", ") {
				q = append(q, QuoteLiteral(t))
			}
			when = " WHEN TAG IN (" + strings.Join(q, ", ") + ")"
		}
		b.add("CREATE EVENT TRIGGER %s ON %s%s EXECUTE FUNCTION %s();", QuoteIdentMin(o.Name), o.Attr("event"), when, o.Attr("function"))
		if e := o.Attr("enabled"); e != "enabled" && e != "" {
			b.add("ALTER EVENT TRIGGER %s %s;", QuoteIdentMin(o.Name), enableWord(e))
		}
	}
	// What a fix creates again (opts empty) gets its canonical comment
	// when comments are compared: the drop took the live one.
	if (opts.Comments || b.opts.Comments) && o.Comment() != "" {
		b.add("%s", commentSQL(o, o.Comment()))
	}
	if opts.Comments {
		b.columnComments(o, "")
	}
	if opts.Privileges {
		b.privileges(o, o.ACL(), b.createdACL(o))
	}
}

// dropIdentityOf drops the identity of the live column a sequence about to
// be created will be owned by, where canonical's column has none (a serial
// where the live column is an identity): the identity's own sequence
// usually has the very name, and goes with it. The column's item drops it
// again, IF EXISTS.
func (b *sqlBuilder) dropIdentityOf(seq *Object) {
	p := splitQualified(seq.Attr("owned_by"))
	if len(p) != 3 || b.have == nil || b.want == nil {
		return
	}
	key := Key(KindColumn, p[0], p[1], p[2])
	live, want := b.have.Lookup(key), b.want.Lookup(key)
	if live == nil || live.Attr("identity") == "" || want == nil || want.Attr("identity") != "" {
		return
	}
	b.add("ALTER TABLE %s ALTER COLUMN %s DROP IDENTITY IF EXISTS;", qtable(live), QuoteIdentMin(live.Name))
}

// sqlStringBody matches what pg_get_functiondef prints for a LANGUAGE sql
// or plpgsql function (whose body is a string unless BEGIN ATOMIC).
var sqlStringBody = regexp.MustCompile(`(?m)^ LANGUAGE (sql|plpgsql)$`)

// createFunction writes a function's CREATE. The body of a LANGUAGE sql
// or plpgsql function given as a string is checked when it is created
// (plpgsql compiles its declarations: a %ROWTYPE names a table), yet
// PostgreSQL records nothing of what it uses: it may use tables and views
// created later. Its creation turns that check off, as pg_dump does.
func (b *sqlBuilder) createFunction(o *Object) {
	def := terminate(o.Attr("definition"))
	if sqlStringBody.MatchString(def) && !strings.Contains(def, "\nBEGIN ATOMIC") {
		b.add("SET check_function_bodies = off;\n%s\nRESET check_function_bodies;", def)
		return
	}
	b.add("%s", def)
}

func extensionCreate(o *Object) string {
	version := ""
	if v := o.Attr("version"); v != "" {
		version = " VERSION " + QuoteLiteral(v)
	}
	return fmt.Sprintf("CREATE EXTENSION IF NOT EXISTS %s WITH SCHEMA %s%s;", QuoteIdentMin(o.Name), QuoteIdentMin(o.Attr("schema")), version)
}

// createTable writes CREATE TABLE with the folded children: owned
// sequences first, then the table with its columns, then constraints,
// indexes, triggers, policies, rules and the table's settings.
func (b *sqlBuilder) createTable(o *Object, folded []*Object, opts DiffOptions) {
	if b.parentUnpartitioned(o) {
		b.needsPerson(fmt.Sprintf("the parent table %s is not partitioned here: create this partition after the parent is created anew as a partitioned table", o.Attr("partition_of")))
		return
	}
	byKind := map[Kind][]*Object{}
	for _, c := range folded {
		byKind[c.Kind] = append(byKind[c.Kind], c)
	}
	for _, s := range byKind[KindSequence] {
		b.add("CREATE SEQUENCE %s %s;", qname(s), seqOptions(s))
	}
	var cols, typedCols []string
	standalone := o.Attr("partition_of") != "" &&
		(b.partitionReordered(o, byKind[KindColumn]) || partitionKeyHeld(byKind[KindColumn], byKind[KindConstraint]))
	// Created as a partition in the statement itself (PARTITION OF), not
	// on its own and attached after.
	partitionOf := o.Attr("partition_of") != "" && !standalone
	for _, c := range sortedByPosition(byKind[KindColumn]) {
		switch {
		case c.Inherited() && !standalone:
			// A column that comes from the parent may still carry its own
			// NOT NULL and default (PARTITION OF t (c NOT NULL)); both
			// statements are harmless when the parent's already match.
			col := QuoteIdentMin(c.Name)
			if d := c.Attr("default"); d != "" && c.Attr("generated") == "" && c.Attr("identity") == "" {
				typedCols = append(typedCols, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;", qname(o), col, d))
			} else if b.inheritedDropsDefault(o, c) {
				typedCols = append(typedCols, dropDefaultSQL(o, c.Name))
			}
			if c.Attr("not_null") == "true" && c.Attr("identity") == "" {
				typedCols = append(typedCols, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;", qname(o), col))
			}
		case o.Attr("of_type") != "":
			// A typed table takes its columns from the type: only their
			// settings can be given, after it exists.
			col := QuoteIdentMin(c.Name)
			if d := c.Attr("default"); d != "" {
				typedCols = append(typedCols, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;", qname(o), col, d))
			}
			if c.Attr("not_null") == "true" {
				typedCols = append(typedCols, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;", qname(o), col))
			}
		default:
			cols = append(cols, "    "+columnDef(c, true))
			if b.inheritedDropsDefault(o, c) {
				// INHERITS gives a local column without a default the
				// parent's.
				typedCols = append(typedCols, dropDefaultSQL(o, c.Name))
			}
		}
	}
	var head string
	switch {
	case partitionOf:
		head = fmt.Sprintf("CREATE TABLE %s PARTITION OF %s", qname(o), o.Attr("partition_of"))
	case o.Attr("of_type") != "":
		head = fmt.Sprintf("CREATE TABLE %s OF %s", qname(o), o.Attr("of_type"))
	case o.Attr("relkind") == "foreign table":
		head = fmt.Sprintf("CREATE FOREIGN TABLE %s", qname(o))
	case o.Attr("persistence") == "unlogged":
		head = fmt.Sprintf("CREATE UNLOGGED TABLE %s", qname(o))
	default:
		head = fmt.Sprintf("CREATE TABLE %s", qname(o))
	}
	stmt := head
	typed := partitionOf || o.Attr("of_type") != ""
	if !typed || len(cols) > 0 {
		if len(cols) == 0 {
			stmt += " ()"
		} else {
			stmt += " (\n" + strings.Join(cols, ",\n") + "\n)"
		}
	}
	if v := o.Attr("partition_bound"); v != "" && !standalone {
		stmt += " " + v
	}
	if v := o.Attr("inherits"); v != "" {
		stmt += " INHERITS (" + v + ")"
	}
	if v := o.Attr("partition_key"); v != "" {
		stmt += " PARTITION BY " + v
	}
	if o.Attr("relkind") == "foreign table" {
		stmt += " SERVER " + QuoteIdentMin(o.Attr("server")) + ftOptions(o.Attr("options"))
	} else {
		stmt += withOptions(o.Attr("options"))
	}
	b.add("%s;", stmt)
	b.stmts = append(b.stmts, typedCols...)
	for _, c := range sortedByPosition(byKind[KindColumn]) {
		from := colSettings{}
		if c.Inherited() && !standalone {
			from = inheritedSettings(parentColumn(b.want, o, c.Name))
		}
		b.columnSettings(c, from)
	}
	if standalone {
		b.attachPartition(o, byKind[KindConstraint], opts)
	}
	b.uncloneInvalidIndexes(o)
	if o.Attr("persistence") == "unlogged" && partitionOf {
		b.add("ALTER TABLE %s SET UNLOGGED;", qname(o))
	}
	for _, s := range byKind[KindSequence] {
		if ob := s.Attr("owned_by"); ob != "" {
			b.add("ALTER SEQUENCE %s OWNED BY %s;", qname(s), ob)
		}
		// A sequence created with its table keeps its comment and grants.
		if (opts.Comments || b.opts.Comments) && s.Comment() != "" {
			b.add("%s", commentSQL(s, s.Comment()))
		}
		if opts.Privileges {
			b.privileges(s, s.ACL(), b.createdACL(s))
		}
	}
	b.ownSequences(o.Schema, o.Name, "", byKind[KindSequence])
	for _, k := range []Kind{KindConstraint, KindIndex, KindTrigger, KindPolicy, KindRule} {
		for _, c := range byKind[k] {
			if standalone && keyHeldByParent(c) {
				continue // made before the ATTACH
			}
			if c.Inherited() {
				// PostgreSQL makes it with the table; its comments are
				// the partition's own.
				if opts.Comments || b.opts.Comments {
					b.inheritedComments(c)
				}
				continue
			}
			b.create(c, nil, opts)
		}
	}
	if opts.Comments || opts.Privileges {
		for _, c := range byKind[KindColumn] {
			if opts.Comments && c.Comment() != "" {
				b.add("%s", commentSQL(c, c.Comment()))
			}
			if opts.Privileges && c.ACL() != "" {
				b.privileges(c, c.ACL(), "")
			}
		}
	}
	if o.Attr("rls") == "true" {
		b.add("ALTER TABLE %s ENABLE ROW LEVEL SECURITY;", qname(o))
	}
	if o.Attr("force_rls") == "true" {
		b.add("ALTER TABLE %s FORCE ROW LEVEL SECURITY;", qname(o))
	}
	if ri := o.Attr("replica_identity"); (ri == "full" || ri == "nothing") && o.Attr("relkind") != "foreign table" {
		b.add("ALTER TABLE %s REPLICA IDENTITY %s;", qname(o), strings.ToUpper(ri))
	} else if idx, ok := strings.CutPrefix(ri, "index "); ok {
		b.add("ALTER TABLE %s REPLICA IDENTITY USING INDEX %s;", qname(o), idx) // after its indexes, above
	}
}

// inheritedComments comments a constraint, index or trigger that
// PostgreSQL cloned from the parent's when it made a partition.
func (b *sqlBuilder) inheritedComments(c *Object) {
	if c.Comment() != "" {
		b.add("%s", commentSQL(c, c.Comment()))
	}
	if c.Kind == KindConstraint && c.Attr("index_comment") != "" {
		b.add("%s", indexCommentSQL(c, c.Attr("index_comment")))
	}
}

// drop writes the statement that removes o. IF EXISTS everywhere: a drop
// earlier in the list may already have taken o with it.
func (b *sqlBuilder) drop(o *Object) {
	switch o.Kind {
	case KindSchema:
		b.detachFromOutside(o.Name)
		b.add("DROP SCHEMA IF EXISTS %s CASCADE;", QuoteIdentMin(o.Name))
	case KindExtension:
		b.add("DROP EXTENSION IF EXISTS %s;", QuoteIdentMin(o.Name))
	case KindFDW, KindServer:
		if users := b.keptUsers(o); len(users) > 0 {
			b.needsPerson(fmt.Sprintf("%s %s is still used by %s, which canonical keeps on another one: move it first, then drop this one",
				strings.ToLower(specOf(o.Kind).sqlKind), QuoteIdentMin(o.Name), strings.Join(users, ", ")))
			return
		}
		b.add("DROP %s IF EXISTS %s;", specOf(o.Kind).sqlKind, QuoteIdentMin(o.Name))
	case KindEventTrigger, KindPublication:
		b.add("DROP %s IF EXISTS %s;", specOf(o.Kind).sqlKind, QuoteIdentMin(o.Name))
	case KindCast:
		b.add("DROP CAST IF EXISTS %s;", o.Name)
	case KindOperator:
		b.add("DROP OPERATOR IF EXISTS %s;", qoperator(o))
	case KindOpFamily, KindOpClass:
		b.add("DROP %s IF EXISTS %s;", specOf(o.Kind).sqlKind, qopclass(o))
	case KindDefaultACL:
		b.privileges(o, defaultACL(o), o.ACL())
	case KindColumn:
		b.releaseSequences(o.Schema, o.Table, o.Name)
		b.releaseColumn(o)
		b.add("ALTER TABLE %s DROP COLUMN IF EXISTS %s;", qtable(o), QuoteIdentMin(o.Name))
	case KindConstraint:
		b.add("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s;", qtable(o), QuoteIdentMin(o.Name))
		b.rebuildDetached(o)
	case KindTrigger, KindPolicy, KindRule:
		b.add("DROP %s IF EXISTS %s ON %s;", specOf(o.Kind).sqlKind, QuoteIdentMin(o.Name), qtable(o))
	case KindIndex:
		if b.dropHeldIndex(o) {
			break
		}
		b.add("DROP INDEX IF EXISTS %s;", QualifiedName(o.Schema, o.Name))
		b.rebuildDetached(o)
	case KindFunction:
		b.add("DROP %s IF EXISTS %s;", functionWord(o), qfunc(o))
	case KindType:
		word := "TYPE"
		if o.Attr("type") == "domain" {
			word = "DOMAIN"
		}
		b.add("DROP %s IF EXISTS %s;", word, qname(o))
	case KindTable:
		word := tableWord(o)
		b.releaseSequences(o.Schema, o.Name, "")
		if b.releaseForeignKeys(o) {
			if p := o.Attr("partition_of"); p != "" {
				b.add("ALTER TABLE IF EXISTS %s DETACH PARTITION %s;", p, qname(o))
			}
		}
		b.add("DROP %s IF EXISTS %s;", word, qname(o))
	default:
		b.add("DROP %s IF EXISTS %s;", specOf(o.Kind).sqlKind, qname(o))
	}
}

// dropColumn drops an unexpected column. Dropping a parent's column drops
// it from the tables that inherit it too, unless they have it locally; where
// canonical keeps the column on such a table (defined there itself), only
// the parent's goes (ALTER TABLE ONLY: the children's become their own),
// and then the children's that canonical does not have.
func (b *sqlBuilder) dropColumn(o *Object) {
	if t := b.keyOf(o); t != "" {
		b.needsPerson(fmt.Sprintf("column %s is part of the partition key of %s: PostgreSQL cannot drop it; it goes when the table is created anew", QuoteIdentMin(o.Name), t))
		return
	}
	var keep, drop []*Object
	if b.have != nil && b.want != nil {
		for _, t := range b.have.inheritorsOf(o.ParentKey()) {
			c := b.have.Lookup(Key(KindColumn, t.Schema, t.Name, o.Name))
			if c == nil {
				continue
			}
			if b.want.Lookup(c.Key()) != nil {
				keep = append(keep, c)
			} else {
				drop = append(drop, c)
			}
		}
	}
	if len(keep) == 0 {
		b.drop(o)
		return
	}
	b.add("ALTER TABLE ONLY %s DROP COLUMN IF EXISTS %s;", qtable(o), QuoteIdentMin(o.Name))
	for _, c := range drop {
		b.drop(c)
	}
}

func functionWord(o *Object) string {
	switch o.Attr("kind") {
	case "procedure":
		return "PROCEDURE"
	case "aggregate":
		return "AGGREGATE"
	}
	return "FUNCTION"
}

func enableWord(e string) string {
	switch e {
	case "disabled":
		return "DISABLE"
	case "replica":
		return "ENABLE REPLICA"
	case "always":
		return "ENABLE ALWAYS"
	}
	return "ENABLE"
}

func (b *sqlBuilder) triggerEnabled(o *Object) {
	if e := o.Attr("enabled"); e != "enabled" && e != "" {
		b.add("ALTER TABLE %s %s TRIGGER %s;", qtable(o), enableWord(e), QuoteIdentMin(o.Name))
	}
	b.cloneTriggerStates(o, o.Attr("enabled"))
}

// cloneTriggerStates follows a trigger made or enabled on a partitioned
// table, which PostgreSQL carries to its clones on the partitions, with
// the state canonical gives each clone that is in another one, top down
// (an ALTER on a clone carries on to the clone's own clones).
func (b *sqlBuilder) cloneTriggerStates(o *Object, state string) {
	if b.want == nil {
		return
	}
	if state == "" {
		state = "enabled"
	}
	for _, c := range b.want.dependentsOf(o.Key()) {
		if c.Kind != KindTrigger || !c.Inherited() || c.Name != o.Name {
			continue
		}
		s := c.Attr("enabled")
		if s == "" {
			s = "enabled"
		}
		if s != state {
			b.add("ALTER TABLE %s %s TRIGGER %s;", qtable(c), enableWord(s), QuoteIdentMin(c.Name))
		}
		b.cloneTriggerStates(c, s)
	}
}

// columnDef renders a column for CREATE TABLE / ADD COLUMN (quoted) or
// for people (Describe, without the name).
func columnDef(o *Object, withName bool) string {
	var b strings.Builder
	if withName {
		b.WriteString(QuoteIdentMin(o.Name))
		b.WriteByte(' ')
	}
	b.WriteString(o.Attr("type"))
	if c := o.Attr("collation"); c != "" {
		b.WriteString(" COLLATE " + c)
	}
	if g := o.Attr("generated"); g != "" {
		b.WriteString(" GENERATED ALWAYS AS (" + g + ") STORED")
	}
	if id := o.Attr("identity"); id != "" {
		b.WriteString(" GENERATED " + strings.ToUpper(id) + " AS IDENTITY")
		if opts := o.Attr("identity_options"); opts != "" {
			b.WriteString(" (" + opts + ")")
		}
	}
	if d := o.Attr("default"); d != "" {
		b.WriteString(" DEFAULT " + d)
	}
	if o.Attr("not_null") == "true" {
		b.WriteString(" NOT NULL")
	}
	return b.String()
}

func seqOptions(o *Object) string {
	cycle := "NO CYCLE"
	if o.Attr("cycle") == "true" {
		cycle = "CYCLE"
	}
	return fmt.Sprintf("AS %s INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s CACHE %s %s",
		o.Attr("type"), o.Attr("increment"), o.Attr("min"), o.Attr("max"), o.Attr("start"), o.Attr("cache"), cycle)
}

func typeCreate(o *Object) string {
	def := o.Attr("definition")
	switch o.Attr("type") {
	case "enum":
		return fmt.Sprintf("CREATE TYPE %s AS ENUM (%s);", qname(o), def)
	case "domain":
		return domainCreate(o)
	case "range":
		return fmt.Sprintf("CREATE TYPE %s AS RANGE (%s);", qname(o), def)
	}
	return fmt.Sprintf("CREATE TYPE %s AS (%s);", qname(o), def)
}

func policyDef(o *Object) string {
	s := "AS " + o.Attr("permissive") + " FOR " + o.Attr("command") + " TO " + o.Attr("roles")
	if u := o.Attr("using"); u != "" {
		s += " USING (" + u + ")"
	}
	if c := o.Attr("check"); c != "" {
		s += " WITH CHECK (" + c + ")"
	}
	return s
}

// withOptions renders reloptions "a=1, b=2" as " WITH (a=1, b=2)".
func withOptions(opts string) string {
	if opts == "" {
		return ""
	}
	return " WITH (" + opts + ")"
}

// ftOptions renders foreign-table options "k=v, ..." as OPTIONS (k 'v', ...).
func ftOptions(opts string) string {
	if opts == "" {
		return ""
	}
	var parts []string
	for _, kv := range strings.Split(opts, ", ") {
		k, v, _ := strings.Cut(kv, "=")
		parts = append(parts, QuoteIdentMin(k)+" "+QuoteLiteral(v))
	}
	return " OPTIONS (" + strings.Join(parts, ", ") + ")"
}

func sortedByPosition(cols []*Object) []*Object {
	out := append([]*Object(nil), cols...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && columnPosition(out[j]) < columnPosition(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// createIndex writes CREATE INDEX. The indexes of the partitions (folded
// into its item) are created first under their canonical names, deepest
// first; the index itself then goes on without ONLY, and PostgreSQL
// attaches to it each partition's matching index (a key's index too) and
// builds the ones still missing. An index canonical has invalid (made ON
// ONLY and not attached on every partition) keeps its ONLY, and the
// partitions' indexes canonical has attached to it are attached one by
// one: built without ONLY it would be attached everywhere, and valid.
func (b *sqlBuilder) createIndex(o *Object, folded []*Object) {
	var parts []*Object
	for _, c := range folded {
		if c.Kind == o.Kind {
			parts = append(parts, c)
		}
	}
	depth := func(c *Object) int {
		n := 0
		for cur := c; cur != nil && n < 64; n++ {
			var up *Object
			for _, d := range cur.Deps() {
				for _, p := range parts {
					if p.Key() == d {
						up = p
					}
				}
			}
			cur = up
		}
		return n
	}
	sorted := append([]*Object(nil), parts...)
	sort.SliceStable(sorted, func(i, j int) bool { return depth(sorted[i]) > depth(sorted[j]) })
	for _, c := range sorted {
		b.createIndexOnly(c, parts)
		b.indexStatistics(c, "")
	}
	b.createIndexOnly(o, parts)
	b.indexStatistics(o, "")
	if b.opts.Comments {
		for _, c := range sorted {
			if c.Comment() != "" {
				b.add("%s", commentSQL(c, c.Comment()))
			}
		}
	}
}

// rebuildDetached builds again, from canonical, the live indexes or
// constraints attached to a dropped index or constraint of a partitioned
// table that the canonical schema has as the partitions' own: the drop
// takes the attached ones along.
func (b *sqlBuilder) rebuildDetached(parent *Object) {
	if b.have == nil || b.want == nil {
		return
	}
	for _, c := range b.have.dependentsOf(parent.Key()) {
		if c.Kind != parent.Kind || !c.Inherited() {
			continue
		}
		w := b.want.Lookup(c.Key())
		switch {
		case w == nil || w.Inherited():
		default:
			b.create(w, nil, DiffOptions{}) // with its comments when they are compared
		}
	}
}

// withoutOnly turns "CREATE INDEX name ON ONLY t" into "... ON t", so the
// index is built on every partition too.
func withoutOnly(def, name string) string {
	head := QuoteIdentMin(name) + " ON ONLY "
	if i := strings.Index(def, head); i >= 0 {
		return def[:i] + QuoteIdentMin(name) + " ON " + def[i+len(head):]
	}
	return def
}

// createChildren creates the indexes, triggers and rules of a view or
// materialized view created just before.
func (b *sqlBuilder) createChildren(children []*Object, opts DiffOptions) {
	for _, k := range []Kind{KindIndex, KindTrigger, KindRule} {
		for _, c := range children {
			if c.Kind == k && !c.Inherited() {
				b.create(c, nil, opts)
			}
		}
	}
}

// detachFromOutside detaches the live partitions in schema from parents
// outside it before the schema is dropped with CASCADE: dropping a
// partition of a table that a foreign key references drops the whole
// foreign key along with it, and the parent stays.
func (b *sqlBuilder) detachFromOutside(schema string) {
	if b.have == nil {
		return
	}
	for _, t := range b.have.ofKind(KindTable) {
		if t.Schema != schema {
			continue
		}
		if p := t.Attr("partition_of"); p != "" {
			if q := splitQualified(p); len(q) == 2 && q[0] != schema {
				b.add("ALTER TABLE IF EXISTS %s DETACH PARTITION %s;", p, qname(t))
			}
		}
	}
}
