package checker

import "strings"

// attrSpec describes one compared attribute of a kind.
type attrSpec struct {
	name string
	// gate names the option that turns comparison on; "" = always compared,
	// "-" = never compared (kept for fix SQL only).
	gate string
	// expr says the attribute holds a deparsed expression, normalized
	// with normalizeExpr when it is set.
	expr bool
}

// kindSpec describes how a kind is compared, created and reported.
type kindSpec struct {
	attrs []attrSpec
	// phase orders creation in fix SQL (lower first); drops go in reverse.
	phase int
	// sqlKind is the word used in COMMENT ON / DROP statements.
	sqlKind string
}

// Gates for attributes compared only on request.
const (
	gateColumnOrder = "column_order"
	gateComments    = "comments"
	gateNever       = "-"
)

var kindSpecs = map[Kind]kindSpec{
	KindSchema:    {phase: 0, sqlKind: "SCHEMA"},
	KindExtension: {phase: 1, sqlKind: "EXTENSION", attrs: []attrSpec{{name: "version"}, {name: "schema"}}},
	KindCollation: {phase: 2, sqlKind: "COLLATION", attrs: []attrSpec{{name: "definition", expr: true}}},
	KindType: {phase: 3, sqlKind: "TYPE", attrs: []attrSpec{
		{name: "type"}, {name: "definition", expr: true}, {name: "labels", gate: gateNever}, {name: "create", gate: gateNever},
	}},
	KindFunction: {phase: 4, sqlKind: "FUNCTION", attrs: []attrSpec{
		{name: "kind"}, {name: "result", gate: gateNever}, {name: "definition", expr: true},
	}},
	KindSequence: {phase: 5, sqlKind: "SEQUENCE", attrs: []attrSpec{
		{name: "type"}, {name: "start"}, {name: "increment"}, {name: "min"}, {name: "max"},
		{name: "cache"}, {name: "cycle"}, {name: "owned_by"},
	}},
	KindTable: {phase: 6, sqlKind: "TABLE", attrs: []attrSpec{
		{name: "relkind"}, {name: "persistence"}, {name: "partition_key"}, {name: "partition_of"},
		{name: "partition_bound"}, {name: "inherits"}, {name: "of_type"}, {name: "options"},
		{name: "server"}, {name: "rls"}, {name: "force_rls"}, {name: "replica_identity"},
	}},
	KindColumn: {phase: 7, sqlKind: "COLUMN", attrs: []attrSpec{
		{name: "type"}, {name: "collation"}, {name: "not_null"}, {name: "default", expr: true},
		{name: "identity"}, {name: "identity_options"}, {name: "generated", expr: true}, {name: "position", gate: gateColumnOrder},
		{name: "local", gate: gateNever},
		{name: "storage"}, {name: "statistics"}, {name: "compression"}, {name: "options"}, {name: "fdw_options"},
		{name: "type_storage", gate: gateNever},
	}},
	// index_comment: the comment on the index behind a primary key, unique
	// or exclusion constraint (the index is not modelled on its own);
	// invalid and attached: as an index's, of a partitioned table's key
	// added ON ONLY it whose index is not attached on every partition yet;
	// attached_to: of a partition's key whose index is attached to a plain
	// index of the parent's, that index, "schema.name" (not compared: it
	// tells the fix what holds the index).
	KindConstraint: {phase: 8, sqlKind: "CONSTRAINT", attrs: []attrSpec{
		{name: "type"}, {name: "definition", expr: true}, {name: "index_comment", gate: gateComments},
		{name: "invalid"}, {name: "attached"}, {name: "attached_to", gate: gateNever},
	}},
	// invalid: "true" for an index of a partitioned table made ON ONLY it
	// and not attached on every partition (indisvalid is false); attached:
	// of such an index, the partitions' indexes attached to it, "schema.name,
	// ..." (of a valid one, all are).
	// column_statistics: an expression index's statistics targets, "n=target, ...".
	KindIndex: {phase: 9, sqlKind: "INDEX", attrs: []attrSpec{{name: "definition", expr: true}, {name: "invalid"}, {name: "attached"},
		{name: "column_statistics"}}},
	// column_comments: the comments on a view's columns (which are not
	// modelled), "col IS 'text', ..." in column order; column_defaults:
	// their defaults, "col expr" a line.
	KindView: {phase: 11, sqlKind: "VIEW", attrs: []attrSpec{
		{name: "definition", expr: true}, {name: "options"}, {name: "column_comments", gate: gateComments},
		{name: "column_defaults"},
	}},
	KindMatView: {phase: 11, sqlKind: "MATERIALIZED VIEW", attrs: []attrSpec{
		{name: "definition", expr: true}, {name: "options"}, {name: "column_comments", gate: gateComments},
	}},
	KindTrigger: {phase: 12, sqlKind: "TRIGGER", attrs: []attrSpec{{name: "definition", expr: true}, {name: "enabled"}}},
	KindPolicy: {phase: 13, sqlKind: "POLICY", attrs: []attrSpec{
		{name: "command"}, {name: "permissive"}, {name: "roles"}, {name: "using", expr: true}, {name: "check", expr: true},
	}},
	KindRule:         {phase: 14, sqlKind: "RULE", attrs: []attrSpec{{name: "definition", expr: true}}},
	KindStatistics:   {phase: 15, sqlKind: "STATISTICS", attrs: []attrSpec{{name: "definition", expr: true}, {name: "target"}}},
	KindEventTrigger: {phase: 16, sqlKind: "EVENT TRIGGER", attrs: []attrSpec{{name: "event"}, {name: "function"}, {name: "tags"}, {name: "enabled"}}},
	// Foreign-data wrappers and servers come after the functions a wrapper
	// names and before the foreign tables on a server (phaseOf puts
	// servers after wrappers). options is "name 'value', ..." as OPTIONS
	// takes it; option_names the quoted names, \x1f between them, for
	// the fix that drops them.
	KindFDW: {phase: 5, sqlKind: "FOREIGN DATA WRAPPER", attrs: []attrSpec{
		{name: "handler"}, {name: "validator"}, {name: "options"}, {name: "option_names", gate: gateNever},
	}},
	KindServer: {phase: 5, sqlKind: "SERVER", attrs: []attrSpec{
		{name: "wrapper"}, {name: "type"}, {name: "version"}, {name: "options"}, {name: "option_names", gate: gateNever},
	}},
	// method: "WITH FUNCTION f(args)", "WITHOUT FUNCTION" or "WITH INOUT";
	// context: "explicit", "assignment" or "implicit".
	KindCast: {phase: 5, sqlKind: "CAST", attrs: []attrSpec{{name: "method"}, {name: "context"}}},
	// Text search dictionaries and configurations come before the
	// functions, defaults and indexes that name them ('english'::regconfig
	// is looked up as a SQL function is created). options: "name =
	// 'value', ..." in name order; mappings: "token: dictionary, ...;
	// ..." in token order, each token's dictionaries in the order they
	// are consulted.
	KindTSDictionary: {phase: 3, sqlKind: "TEXT SEARCH DICTIONARY", attrs: []attrSpec{{name: "template"}, {name: "options"}}},
	// Parsers and templates come before the configurations and
	// dictionaries made on them. definition: their functions as CREATE
	// takes them; used: "true" when a configuration or dictionary uses it.
	KindTSParser:   {phase: 3, sqlKind: "TEXT SEARCH PARSER", attrs: []attrSpec{{name: "definition"}, {name: "used", gate: gateNever}}},
	KindTSTemplate: {phase: 3, sqlKind: "TEXT SEARCH TEMPLATE", attrs: []attrSpec{{name: "definition"}, {name: "used", gate: gateNever}}},
	KindTSConfig:   {phase: 3, sqlKind: "TEXT SEARCH CONFIGURATION", attrs: []attrSpec{{name: "parser"}, {name: "mappings"}}},
	// Operators come after the functions they call and before what uses
	// them (phaseOf). function: "schema.name(identity arguments)"; commutator, negator:
	// "schema.op"; restrict, join: regproc's text; hashes, merges: "true"
	// or "".
	KindOperator: {phase: 4, sqlKind: "OPERATOR", attrs: []attrSpec{
		{name: "function"}, {name: "commutator"}, {name: "negator"}, {name: "restrict"}, {name: "join"},
		{name: "hashes"}, {name: "merges"},
	}},
	// Operator families and classes come after the functions and operators
	// their members name, a class after its family (phaseOf). members:
	// "OPERATOR n op(left,right) [FOR ORDER BY family]; FUNCTION n (left,
	// right) f(args); ..." as CREATE OPERATOR CLASS and ALTER OPERATOR
	// FAMILY ... ADD take them, in text order: a family's are those no class
	// holds. A class's family is "schema.name"; default "true" or ""; users,
	// the indexes and keys using it, as object keys a line.
	KindOpFamily: {phase: 4, sqlKind: "OPERATOR FAMILY", attrs: []attrSpec{{name: "members"}}},
	KindOpClass: {phase: 4, sqlKind: "OPERATOR CLASS", attrs: []attrSpec{
		{name: "type"}, {name: "default"}, {name: "family"}, {name: "storage"}, {name: "members"},
		{name: "users", gate: gateNever},
	}},
	// Default privileges come last, as pg_dump writes them: made earlier,
	// they would grant on what the fix creates after them. Only their
	// ACL is compared, and only with privileges.
	KindDefaultACL: {phase: 17, sqlKind: "DEFAULT PRIVILEGES"},
	// tables: "schema.table [(columns)] [WHERE (filter)], ..."; tables_sql
	// and table_names the same as ADD TABLE and DROP TABLE take them.
	KindPublication: {phase: 16, sqlKind: "PUBLICATION", attrs: []attrSpec{
		{name: "all_tables"}, {name: "tables"}, {name: "schemas"}, {name: "publish"}, {name: "via_root"},
		{name: "tables_sql", gate: gateNever}, {name: "table_names", gate: gateNever},
	}},
}

// Kinds lists every kind in creation order.
func Kinds() []Kind {
	return []Kind{KindSchema, KindExtension, KindCollation, KindTSParser, KindTSTemplate, KindTSDictionary, KindTSConfig, KindType, KindFunction, KindOperator, KindOpFamily, KindOpClass, KindCast, KindFDW,
		KindSequence, KindServer, KindTable, KindColumn, KindConstraint, KindIndex, KindView, KindMatView,
		KindTrigger, KindPolicy, KindRule, KindStatistics, KindEventTrigger, KindPublication, KindDefaultACL}
}

func specOf(k Kind) kindSpec { return kindSpecs[k] }

func attrIndex(k Kind, name string) int {
	for i, a := range kindSpecs[k].attrs {
		if a.name == name {
			return i
		}
	}
	return -1
}

// AttrNames lists a kind's attribute names in order.
func AttrNames(k Kind) []string {
	spec := kindSpecs[k]
	out := make([]string, len(spec.attrs))
	for i, a := range spec.attrs {
		out[i] = a.name
	}
	return out
}

// ValidKind reports whether k is a kind driftwatch models.
func ValidKind(k Kind) bool {
	_, ok := kindSpecs[k]
	return ok
}

// newObject makes an object whose attributes are all empty.
func newObject(kind Kind, schema, table, name string) *Object {
	return &Object{Kind: kind, Schema: schema, Table: table, Name: name, attrs: emptyAttrs(kind)}
}

// emptyAttrs is the packed form of a kind's attributes when all are empty.
func emptyAttrs(kind Kind) string {
	n := len(kindSpecs[kind].attrs)
	if n == 0 {
		return ""
	}
	return strings.Repeat("\x00", n-1)
}
