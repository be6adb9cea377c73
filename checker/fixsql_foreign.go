package checker

import (
	"strings"
)

// Fix SQL for foreign-data wrappers, foreign servers, casts and
// publications.

func (b *sqlBuilder) createFDW(o *Object) {
	stmt := "CREATE FOREIGN DATA WRAPPER " + QuoteIdentMin(o.Name)
	if h := o.Attr("handler"); h != "" {
		stmt += " HANDLER " + h
	}
	if v := o.Attr("validator"); v != "" {
		stmt += " VALIDATOR " + v
	}
	if opts := o.Attr("options"); opts != "" {
		stmt += " OPTIONS (" + opts + ")"
	}
	b.add("%s;", stmt)
}

func (b *sqlBuilder) alterFDW(want, have *Object, changed func(...string) bool) {
	name := QuoteIdentMin(want.Name)
	if changed("handler") {
		if h := want.Attr("handler"); h != "" {
			b.add("ALTER FOREIGN DATA WRAPPER %s HANDLER %s;", name, h)
		} else {
			b.add("ALTER FOREIGN DATA WRAPPER %s NO HANDLER;", name)
		}
	}
	if changed("validator") {
		if v := want.Attr("validator"); v != "" {
			b.add("ALTER FOREIGN DATA WRAPPER %s VALIDATOR %s;", name, v)
		} else {
			b.add("ALTER FOREIGN DATA WRAPPER %s NO VALIDATOR;", name)
		}
	}
	if changed("options") {
		b.replaceOptions("FOREIGN DATA WRAPPER "+name, want.Attr("options"), quotedOptionNames(have))
	}
}

// replaceOptions drops the live options (by their quoted names) and adds
// the canonical ones ("name 'value', ...", as OPTIONS takes them).
func (b *sqlBuilder) replaceOptions(target, want string, drop []string) {
	if len(drop) > 0 {
		var drops []string
		for _, n := range drop {
			drops = append(drops, "DROP "+n)
		}
		b.add("ALTER %s OPTIONS (%s);", target, strings.Join(drops, ", "))
	}
	if want != "" {
		b.add("ALTER %s OPTIONS (%s);", target, want)
	}
}

// quotedOptionNames lists the quoted names in an object's option_names.
func quotedOptionNames(o *Object) []string {
	return splitNonEmpty(o.Attr("option_names"), "\x1f")
}

func (b *sqlBuilder) createServer(o *Object) {
	stmt := "CREATE SERVER " + QuoteIdentMin(o.Name)
	if t := o.Attr("type"); t != "" {
		stmt += " TYPE " + QuoteLiteral(t)
	}
	if v := o.Attr("version"); v != "" {
		stmt += " VERSION " + QuoteLiteral(v)
	}
	stmt += " FOREIGN DATA WRAPPER " + QuoteIdentMin(o.Attr("wrapper"))
	if opts := o.Attr("options"); opts != "" {
		stmt += " OPTIONS (" + opts + ")"
	}
	b.add("%s;", stmt)
}

func (b *sqlBuilder) alterServer(want, have *Object, changed func(...string) bool) {
	name := QuoteIdentMin(want.Name)
	if changed("wrapper", "type") {
		// Neither can be altered; dropping the server takes its user
		// mappings (and their passwords) and foreign tables along.
		b.needsPerson("the server's foreign-data wrapper or type differs: PostgreSQL cannot change that in place; create the server anew with its user mappings and foreign tables")
		return
	}
	if changed("version") {
		if v := want.Attr("version"); v != "" {
			b.add("ALTER SERVER %s VERSION %s;", name, QuoteLiteral(v))
		} else {
			b.add("ALTER SERVER %s VERSION NULL;", name)
		}
	}
	if changed("options") {
		b.replaceOptions("SERVER "+name, want.Attr("options"), quotedOptionNames(have))
	}
}

func (b *sqlBuilder) createCast(o *Object) {
	stmt := "CREATE CAST " + o.Name + " " + o.Attr("method")
	switch o.Attr("context") {
	case "assignment":
		stmt += " AS ASSIGNMENT"
	case "implicit":
		stmt += " AS IMPLICIT"
	}
	b.add("%s;", stmt)
}

func (b *sqlBuilder) createPublication(o *Object) {
	stmt := "CREATE PUBLICATION " + QuoteIdentMin(o.Name)
	var objs []string
	if t := o.Attr("tables_sql"); t != "" {
		objs = append(objs, "TABLE "+strings.ReplaceAll(t, "\x1f", ", "))
	}
	if s := o.Attr("schemas"); s != "" {
		objs = append(objs, "TABLES IN SCHEMA "+s)
	}
	switch {
	case o.Attr("all_tables") == "true":
		stmt += " FOR ALL TABLES"
	case len(objs) > 0:
		stmt += " FOR " + strings.Join(objs, ", ")
	}
	b.add("%s WITH (%s);", stmt, publicationOptions(o))
}

func publicationOptions(o *Object) string {
	via := "false"
	if o.Attr("via_root") == "true" {
		via = "true"
	}
	return "publish = " + QuoteLiteral(o.Attr("publish")) + ", publish_via_partition_root = " + via
}

func (b *sqlBuilder) alterPublication(want, have *Object, changed func(...string) bool) {
	name := QuoteIdentMin(want.Name)
	if changed("all_tables") {
		b.drop(have)
		b.createPublication(want)
		b.keepComment(want, have)
		return
	}
	if changed("tables") {
		if t := b.keptTables(have.Attr("table_names")); len(t) > 0 {
			b.add("ALTER PUBLICATION %s DROP TABLE %s;", name, strings.Join(t, ", "))
		}
		if t := want.Attr("tables_sql"); t != "" {
			b.add("ALTER PUBLICATION %s ADD TABLE %s;", name, strings.ReplaceAll(t, "\x1f", ", "))
		}
	}
	if changed("schemas") {
		if s := b.keptSchemas(have.Attr("schemas")); len(s) > 0 {
			b.add("ALTER PUBLICATION %s DROP TABLES IN SCHEMA %s;", name, strings.Join(s, ", "))
		}
		if s := want.Attr("schemas"); s != "" {
			b.add("ALTER PUBLICATION %s ADD TABLES IN SCHEMA %s;", name, s)
		}
	}
	if changed("publish", "via_root") {
		b.add("ALTER PUBLICATION %s SET (%s);", name, publicationOptions(want))
	}
}

// describeForeign renders a wrapper, server, cast or publication as its
// CREATE statement would, without the name.
func describeForeign(o *Object) string {
	var parts []string
	add := func(s string) {
		if s != "" {
			parts = append(parts, s)
		}
	}
	switch o.Kind {
	case KindFDW:
		if h := o.Attr("handler"); h != "" {
			add("HANDLER " + h)
		}
		if v := o.Attr("validator"); v != "" {
			add("VALIDATOR " + v)
		}
	case KindServer:
		if t := o.Attr("type"); t != "" {
			add("TYPE " + QuoteLiteral(t))
		}
		if v := o.Attr("version"); v != "" {
			add("VERSION " + QuoteLiteral(v))
		}
		add("FOREIGN DATA WRAPPER " + QuoteIdentMin(o.Attr("wrapper")))
	case KindCast:
		add(o.Attr("method"))
		if c := o.Attr("context"); c != "explicit" {
			add("AS " + strings.ToUpper(c))
		}
	case KindPublication:
		switch {
		case o.Attr("all_tables") == "true":
			add("FOR ALL TABLES")
		case o.Attr("tables") != "" && o.Attr("schemas") != "":
			add("FOR TABLE " + o.Attr("tables") + ", TABLES IN SCHEMA " + o.Attr("schemas"))
		case o.Attr("tables") != "":
			add("FOR TABLE " + o.Attr("tables"))
		case o.Attr("schemas") != "":
			add("FOR TABLES IN SCHEMA " + o.Attr("schemas"))
		}
		add("WITH (" + publicationOptions(o) + ")")
		return strings.Join(parts, " ")
	}
	if opts := o.Attr("options"); opts != "" {
		add("OPTIONS (" + opts + ")")
	}
	if len(parts) == 0 {
		return string(o.Kind)
	}
	return strings.Join(parts, " ")
}

// keptTables lists the live publication's tables ("ONLY schema.table",
// \x1f between them) that canonical has too: the others are dropped by
// their own items, before this one, and leave the publication with them.
func (b *sqlBuilder) keptTables(names string) []string {
	var out []string
	for _, n := range splitNonEmpty(names, "\x1f") {
		p := splitQualified(strings.TrimPrefix(n, "ONLY "))
		if len(p) == 2 && b.want != nil && b.want.Lookup(Key(KindTable, p[0], "", p[1])) == nil {
			continue
		}
		out = append(out, n)
	}
	return out
}

// keptSchemas lists the live publication's schemas that canonical has too
// (an unexpected schema is dropped, and leaves the publication, first).
func (b *sqlBuilder) keptSchemas(names string) []string {
	var out []string
	for _, n := range splitOutsideQuotes(names, ", ") {
		p := splitQualified(n)
		if len(p) == 1 && b.want != nil && b.want.Lookup(Key(KindSchema, "", "", p[0])) == nil && p[0] != "public" {
			continue
		}
		out = append(out, n)
	}
	return out
}

func splitNonEmpty(s, sep string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, sep)
}

// keptUsers names the live servers on wrapper o, or the live foreign
// tables on server o, that canonical has too (on another wrapper or
// server): DROP refuses while they use o, and they are not dropped.
func (b *sqlBuilder) keptUsers(o *Object) []string {
	if b.have == nil || b.want == nil {
		return nil
	}
	var out []string
	for _, u := range b.have.Objects {
		switch {
		case o.Kind == KindFDW && u.Kind == KindServer && u.Attr("wrapper") == o.Name,
			o.Kind == KindServer && u.Kind == KindTable && u.Attr("relkind") == "foreign table" && u.Attr("server") == o.Name:
			if b.want.Lookup(u.Key()) != nil {
				out = append(out, u.Identity())
			}
		}
	}
	return out
}
