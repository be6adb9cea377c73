package sql

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
)

//go:embed install/*.sql
var installFS embed.FS

//go:embed uninstall.sql
var uninstallScript string

//go:embed queries/*.sql
var queriesFS embed.FS

// InstallScript returns the install script: every file under install/ in
// name order, each idempotent, to be run in one transaction.
func InstallScript() string {
	entries, err := fs.ReadDir(installFS, "install")
	if err != nil {
		panic(fmt.Sprintf("sql: read embedded install dir: %v", err))
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		data, err := installFS.ReadFile("install/" + n)
		if err != nil {
			panic(fmt.Sprintf("sql: read embedded %s: %v", n, err))
		}
		fmt.Fprintf(&b, "-- install/%s\n%s\n", n, data)
	}
	return b.String()
}

// UninstallScript returns the script that removes everything driftwatch installed.
func UninstallScript() string { return uninstallScript }

// Query returns the catalog query in queries/<name>.sql with its macros
// expanded. A missing name is a programming error and panics
// (TestQueriesExpand reads every file).
func Query(name string) string {
	q, ok := queries[name]
	if !ok {
		panic(fmt.Sprintf("sql: no embedded query %q", name))
	}
	return q
}

// queries are the embedded catalog queries, macros expanded once: they
// are constants, and a re-check asks for a dozen of them every time.
var queries = expandQueries()

func expandQueries() map[string]string {
	entries, err := fs.ReadDir(queriesFS, "queries")
	if err != nil {
		panic(fmt.Sprintf("sql: read embedded queries dir: %v", err))
	}
	out := make(map[string]string, len(entries))
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".sql")
		data, err := queriesFS.ReadFile("queries/" + e.Name())
		if err != nil {
			panic(fmt.Sprintf("sql: read embedded query %s: %v", name, err))
		}
		out[name] = expandMacros(name, string(data))
	}
	return out
}

// Macros write once what every catalog query says about which objects are
// the user's:
//
//	{{user_schema ALIAS}}: ALIAS (a pg_namespace) is not a system, temporary
//	or driftwatch's own schema.
//	{{not_extension_member CATALOG OID}}: the object OID of catalog CATALOG
//	does not belong to an extension.
//	{{attached_indexes OID}}: the indexes attached to partitioned index OID,
//	schema-qualified and quoted, ", " between them, in name order.
//	{{amop_member ALIAS}}, {{amproc_member ALIAS}}: the operator family
//	member ALIAS (a pg_amop, a pg_amproc) as CREATE OPERATOR CLASS and
//	ALTER OPERATOR FAMILY ... ADD take it.
//	{{opfamily_uses OID}}: the user functions and operators that the
//	members of operator family OID name, "kind\x1fschema\x1fname" each
//	(a text[]), the name as the function's or operator's object key has it.
//
// and what foreign-data wrappers and servers say of their options
// (ARRAY, a "name=value" text[]), in name order:
//
//	{{options ARRAY}}: as OPTIONS takes them, name 'value', ...
//	{{option_names ARRAY}}: the quoted names alone, \x1f between them.
var macro = regexp.MustCompile(`\{\{(\w+)((?: [\w.]+)*)\}\}`)

func expandMacros(name, query string) string {
	return macro.ReplaceAllStringFunc(query, func(m string) string {
		p := macro.FindStringSubmatch(m)
		args := strings.Fields(p[2])
		switch {
		case p[1] == "user_schema" && len(args) == 1:
			n := args[0]
			return n + ".nspname <> ALL ('{pg_catalog,information_schema,pg_toast,driftwatch}')" +
				" AND " + n + ".nspname !~ '^pg_(toast_)?temp_'"
		case p[1] == "options" && len(args) == 1:
			return "(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(pg_catalog.split_part(o, '=', 1)) || ' ' ||" +
				" pg_catalog.quote_literal(pg_catalog.substr(o, pg_catalog.strpos(o, '=') + 1)), ', ' ORDER BY o)" +
				" FROM pg_catalog.unnest(" + args[0] + ") o)"
		case p[1] == "option_names" && len(args) == 1:
			return "(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(pg_catalog.split_part(o, '=', 1)), E'\\x1f' ORDER BY o)" +
				" FROM pg_catalog.unnest(" + args[0] + ") o)"
		case p[1] == "attached_indexes" && len(args) == 1:
			return "(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(an.nspname) || '.' || pg_catalog.quote_ident(ac.relname), ', '" +
				" ORDER BY an.nspname, ac.relname)" +
				" FROM pg_catalog.pg_inherits ai" +
				" JOIN pg_catalog.pg_class ac ON ac.oid = ai.inhrelid" +
				" JOIN pg_catalog.pg_namespace an ON an.oid = ac.relnamespace" +
				" WHERE ai.inhparent = " + args[0] + ")"
		case p[1] == "amop_member" && len(args) == 1:
			o := args[0]
			return "'OPERATOR ' || " + o + ".amopstrategy || ' ' || " + o + ".amopopr::pg_catalog.regoperator::text ||" +
				" CASE WHEN " + o + ".amoppurpose = 'o' THEN ' FOR ORDER BY ' ||" +
				" (SELECT pg_catalog.quote_ident(sn.nspname) || '.' || pg_catalog.quote_ident(sf.opfname)" +
				" FROM pg_catalog.pg_opfamily sf JOIN pg_catalog.pg_namespace sn ON sn.oid = sf.opfnamespace" +
				" WHERE sf.oid = " + o + ".amopsortfamily) ELSE '' END"
		case p[1] == "amproc_member" && len(args) == 1:
			f := args[0]
			return "'FUNCTION ' || " + f + ".amprocnum || ' (' || pg_catalog.format_type(" + f + ".amproclefttype, NULL) || ', ' ||" +
				" pg_catalog.format_type(" + f + ".amprocrighttype, NULL) || ') ' || " + f + ".amproc::pg_catalog.regprocedure::text"
		case p[1] == "opfamily_uses" && len(args) == 1:
			return "ARRAY(SELECT 'function' || E'\\x1f' || un.nspname || E'\\x1f' || up.proname || '(' ||" +
				" pg_catalog.pg_get_function_identity_arguments(up.oid) || ')'" +
				" FROM pg_catalog.pg_amproc ua JOIN pg_catalog.pg_proc up ON up.oid = ua.amproc" +
				" JOIN pg_catalog.pg_namespace un ON un.oid = up.pronamespace" +
				" WHERE ua.amprocfamily = " + args[0] + " AND un.nspname <> 'pg_catalog'" +
				" UNION SELECT 'operator' || E'\\x1f' || un.nspname || E'\\x1f' || uo.oprname || '(' ||" +
				" pg_catalog.format_type(uo.oprleft, NULL) || ', ' || pg_catalog.format_type(uo.oprright, NULL) || ')'" +
				" FROM pg_catalog.pg_amop ua JOIN pg_catalog.pg_operator uo ON uo.oid = ua.amopopr" +
				" JOIN pg_catalog.pg_namespace un ON un.oid = uo.oprnamespace" +
				" WHERE ua.amopfamily = " + args[0] + " AND un.nspname <> 'pg_catalog')"
		case p[1] == "not_extension_member" && len(args) == 2:
			// A full read hashes the extensions' members of the catalog
			// once (read from pg_depend's index on the referenced
			// object): a probe per object cost 4 index pages each, 80,000
			// at 10,000 tables in the index query alone. A scoped read,
			// of few objects, probes.
			return "/*full*/" + args[1] + " NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e" +
				" WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.classid = 'pg_catalog." + args[0] +
				"'::pg_catalog.regclass AND e.deptype = 'e')" +
				"/*scoped*/NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog." + args[0] +
				"'::pg_catalog.regclass AND e.objid = " + args[1] + " AND e.deptype = 'e')/*endscope*/"
		}
		panic(fmt.Sprintf("sql: query %s: unknown macro %s", name, m))
	})
}
