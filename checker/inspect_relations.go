package checker

import (
	"context"
	"sort"
	"strconv"

	"github.com/jackc/pgx/v5"
)

var relkindWords = map[string]string{"r": "table", "p": "partitioned table", "f": "foreign table"}
var persistenceWords = map[string]string{"p": "permanent", "u": "unlogged", "t": "temporary"}
var replidentWords = map[string]string{"d": "default", "n": "nothing", "f": "full", "i": "index"}

func (in *inspector) relations(ctx context.Context) error {
	return in.each(ctx, "relations", in.scopeArgs(), func(rows pgx.Rows) error {
		var (
			oid, reltype                                      uint32
			schema, name, relkind, persistence, replident     string
			partKey, partOf, bound, inherits, ofType, options *string
			server, viewdef, comment, owner                   *string
			rls, forceRLS                                     bool
			acl                                               []string
		)
		if err := rows.Scan(&oid, &reltype, &schema, &name, &relkind, &persistence, &partKey, &partOf, &bound,
			&inherits, &ofType, &options, &server, &rls, &forceRLS, &replident, &viewdef, &comment, &acl, &owner); err != nil {
			return err
		}
		var o *Object
		switch relkind {
		case "v", "m":
			kind := KindView
			if relkind == "m" {
				kind = KindMatView
			}
			o = newObject(kind, schema, "", name)
			o.SetAttr("definition", str(viewdef))
			o.SetAttr("options", str(options))
		default:
			o = newObject(KindTable, schema, "", name)
			o.SetAttr("relkind", relkindWords[relkind])
			o.SetAttr("persistence", persistenceWords[persistence])
			o.SetAttr("partition_key", str(partKey))
			o.SetAttr("partition_of", str(partOf))
			o.SetAttr("partition_bound", str(bound))
			o.SetAttr("inherits", str(inherits))
			o.SetAttr("of_type", str(ofType))
			o.SetAttr("options", str(options))
			o.SetAttr("server", str(server))
			o.SetAttr("rls", boolText(rls))
			o.SetAttr("force_rls", boolText(forceRLS))
			o.SetAttr("replica_identity", replidentWords[replident])
		}
		o.Comment = str(comment)
		o.ACL = normalizeACL(acl, acl == nil, str(owner), "")
		in.m.Add(o)
		in.deps.add("pg_class", oid, o)
		in.deps.add("pg_type", reltype, o)
		return nil
	})
}

type typeRef struct {
	oid uint32
	mod int32
}

func (in *inspector) columns(ctx context.Context) error {
	// Column attributes, in the order of the kind's spec.
	const (
		colType = iota
		colCollation
		colNotNull
		colDefault
		colIdentity
		colGenerated
		colPosition
		colLocal
		colAttrs
	)
	type pending struct {
		o    *Object
		vals [colAttrs]string
		ref  typeRef
		num  int16
	}
	var cols []*pending
	types := map[typeRef]string{}
	names := map[string]string{} // schema and table names, shared by their columns
	intern := func(s string) string {
		if v, ok := names[s]; ok {
			return v
		}
		names[s] = s
		return s
	}
	err := in.each(ctx, "columns", in.scopeArgs(), func(rows pgx.Rows) error {
		var (
			schema, table, name, identity, generated string
			typid                                    uint32
			typmod                                   int32
			collation, def, comment, owner           *string
			notNull, local                           bool
			num                                      int16
			acl                                      []string
		)
		if err := rows.Scan(&schema, &table, &name, &typid, &typmod, &collation, &notNull, &def,
			&identity, &generated, &num, &local, &comment, &acl, &owner); err != nil {
			return err
		}
		p := &pending{o: &Object{Kind: KindColumn, Schema: intern(schema), Table: intern(table), Name: name},
			ref: typeRef{typid, typmod}, num: num}
		p.vals[colCollation] = str(collation)
		p.vals[colNotNull] = boolText(notNull)
		if generated == "s" {
			p.vals[colGenerated] = str(def)
		} else {
			p.vals[colDefault] = str(def)
		}
		switch identity {
		case "a":
			p.vals[colIdentity] = "always"
		case "d":
			p.vals[colIdentity] = "by default"
		}
		p.vals[colLocal] = boolText(local)
		p.o.Inherited = !local
		p.o.Comment = str(comment)
		p.o.ACL = normalizeACL(acl, acl == nil, str(owner), "")
		types[p.ref] = ""
		cols = append(cols, p)
		return nil
	})
	if err != nil {
		return err
	}
	if err := in.formatTypes(ctx, types); err != nil {
		return err
	}
	// Positions are ranks among live columns: dropped columns leave gaps in attnum.
	sort.Slice(cols, func(i, j int) bool {
		a, b := cols[i], cols[j]
		if a.o.Schema != b.o.Schema {
			return a.o.Schema < b.o.Schema
		}
		if a.o.Table != b.o.Table {
			return a.o.Table < b.o.Table
		}
		return a.num < b.num
	})
	rank := 0
	for i, c := range cols {
		if i == 0 || c.o.Table != cols[i-1].o.Table || c.o.Schema != cols[i-1].o.Schema {
			rank = 0
		}
		rank++
		c.vals[colType] = types[c.ref]
		c.vals[colPosition] = strconv.Itoa(rank)
		c.o.setAttrs(c.vals[:])
		in.m.Add(c.o)
	}
	return nil
}

// formatTypes renders each distinct (oid, typmod) once with format_type.
func (in *inspector) formatTypes(ctx context.Context, types map[typeRef]string) error {
	if len(types) == 0 {
		return nil
	}
	oids := make([]uint32, 0, len(types))
	mods := make([]int32, 0, len(types))
	for r := range types {
		oids = append(oids, r.oid)
		mods = append(mods, r.mod)
	}
	return in.each(ctx, "format_types", []any{oids, mods}, func(rows pgx.Rows) error {
		var r typeRef
		var name string
		if err := rows.Scan(&r.oid, &r.mod, &name); err != nil {
			return err
		}
		types[r] = name
		return nil
	})
}

var contypeWords = map[string]string{"p": "primary key", "u": "unique", "c": "check", "f": "foreign key", "x": "exclusion"}

func (in *inspector) constraints(ctx context.Context) error {
	var pending []*constraintFields
	err := in.each(ctx, "constraints", in.scopeArgs(), func(rows pgx.Rows) error {
		var (
			schema, table, name, contype string
			def                          *string
			inherited                    bool
			confrelid                    uint32
			comment                      *string
			pSchema, pTable, pName       *string
			rSchema, rTable, rKey        *string
			rIsIndex                     *bool
			f                            constraintFields
		)
		if err := rows.Scan(&schema, &table, &name, &contype, &def, &inherited, &confrelid, &comment,
			&pSchema, &pTable, &pName, &rSchema, &rTable, &rKey, &rIsIndex,
			&f.table, &f.key, &f.refKey, &f.match, &f.onUpdate, &f.onDelete, &f.deferrable, &f.deferred, &f.validated,
			&f.refName, &f.indexKey, &f.indexKeyCols, &f.nullsNotDistinct); err != nil {
			return err
		}
		o := newObject(KindConstraint, schema, table, name)
		o.SetAttr("type", contypeWords[contype])
		if def != nil {
			o.SetAttr("definition", *def)
		} else {
			f.o, f.contype, f.refTable = o, contype, confrelid
			pending = append(pending, &f)
		}
		o.Inherited = inherited
		o.Comment = str(comment)
		addParentDep(o, pSchema, pTable, pName)
		if rKey != nil && rSchema != nil && rTable != nil {
			// The key a foreign key uses must exist first, and goes only with it.
			kind := KindConstraint
			if rIsIndex != nil && *rIsIndex {
				kind = KindIndex
			}
			o.Deps = append(o.Deps, Key(kind, *rSchema, *rTable, *rKey))
		}
		if confrelid != 0 {
			in.deps.pending = append(in.deps.pending, depEdge{o, "pg_class", confrelid})
		}
		in.m.Add(o)
		return nil
	})
	if err != nil || len(pending) == 0 {
		return err
	}
	tables := map[uint32]bool{}
	for _, f := range pending {
		tables[f.table] = true
		if f.refTable != 0 {
			tables[f.refTable] = true
		}
	}
	parts, err := in.columnNames(ctx, tables)
	if err != nil {
		return err
	}
	for _, f := range pending {
		f.o.SetAttr("definition", f.render(parts))
	}
	return nil
}

func (in *inspector) indexes(ctx context.Context) error {
	var pending []*indexFields
	err := in.each(ctx, "indexes", in.scopeArgs(), func(rows pgx.Rows) error {
		var (
			schema, table, name    string
			def, comment           *string
			inherited              bool
			pSchema, pTable, pName *string
			f                      indexFields
		)
		if err := rows.Scan(&schema, &table, &name, &def, &inherited, &comment, &pSchema, &pTable, &pName,
			&f.table, &f.relkind, &f.unique, &f.am, &f.keyCols, &f.key, &f.class, &f.collation, &f.option,
			&f.reloptions, &f.nullsNotDistinct, &f.predicate); err != nil {
			return err
		}
		o := newObject(KindIndex, schema, table, name)
		if def != nil {
			o.SetAttr("definition", *def)
		} else {
			f.o = o
			pending = append(pending, &f)
		}
		o.Inherited = inherited
		o.Comment = str(comment)
		addParentDep(o, pSchema, pTable, pName)
		in.m.Add(o)
		return nil
	})
	if err != nil || len(pending) == 0 {
		return err
	}
	parts, err := in.indexParts(ctx, pending)
	if err != nil {
		return err
	}
	for _, f := range pending {
		f.o.SetAttr("definition", f.render(parts))
	}
	return nil
}

func (in *inspector) sequences(ctx context.Context) error {
	return in.each(ctx, "sequences", in.scopeArgs(), func(rows pgx.Rows) error {
		var (
			schema, name, typ, start, inc, min, max, cache string
			cycle                                          bool
			ownedBy, comment, owner                        *string
			acl                                            []string
		)
		if err := rows.Scan(&schema, &name, &typ, &start, &inc, &min, &max, &cache, &cycle, &ownedBy, &comment, &acl, &owner); err != nil {
			return err
		}
		o := newObject(KindSequence, schema, "", name)
		o.SetAttr("type", typ)
		o.SetAttr("start", start)
		o.SetAttr("increment", inc)
		o.SetAttr("min", min)
		o.SetAttr("max", max)
		o.SetAttr("cache", cache)
		o.SetAttr("cycle", boolText(cycle))
		o.SetAttr("owned_by", str(ownedBy))
		o.Comment = str(comment)
		o.ACL = normalizeACL(acl, acl == nil, str(owner), "")
		in.m.Add(o)
		return nil
	})
}

var triggerEnabledWords = map[string]string{"O": "enabled", "D": "disabled", "R": "replica", "A": "always"}

func (in *inspector) triggers(ctx context.Context) error {
	return in.each(ctx, "triggers", in.scopeArgs(), func(rows pgx.Rows) error {
		var (
			schema, table, name, def, enabled string
			inherited                         bool
			comment                           *string
			pSchema, pTable, pName            *string
		)
		if err := rows.Scan(&schema, &table, &name, &def, &enabled, &inherited, &comment, &pSchema, &pTable, &pName); err != nil {
			return err
		}
		o := newObject(KindTrigger, schema, table, name)
		o.SetAttr("definition", def)
		o.SetAttr("enabled", triggerEnabledWords[enabled])
		o.Inherited = inherited
		o.Comment = str(comment)
		addParentDep(o, pSchema, pTable, pName)
		in.m.Add(o)
		return nil
	})
}

var polcmdWords = map[string]string{"r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE", "*": "ALL"}

func (in *inspector) policies(ctx context.Context) error {
	return in.each(ctx, "policies", in.scopeArgs(), func(rows pgx.Rows) error {
		var (
			schema, table, name, cmd     string
			permissive                   bool
			roles, using, check, comment *string
		)
		if err := rows.Scan(&schema, &table, &name, &cmd, &permissive, &roles, &using, &check, &comment); err != nil {
			return err
		}
		o := newObject(KindPolicy, schema, table, name)
		o.SetAttr("command", polcmdWords[cmd])
		if permissive {
			o.SetAttr("permissive", "PERMISSIVE")
		} else {
			o.SetAttr("permissive", "RESTRICTIVE")
		}
		o.SetAttr("roles", str(roles))
		o.SetAttr("using", str(using))
		o.SetAttr("check", str(check))
		o.Comment = str(comment)
		in.m.Add(o)
		return nil
	})
}

func (in *inspector) rules(ctx context.Context) error {
	return in.each(ctx, "rules", in.scopeArgs(), func(rows pgx.Rows) error {
		var (
			schema, table, name, def, enabled string
			comment                           *string
		)
		if err := rows.Scan(&schema, &table, &name, &def, &enabled, &comment); err != nil {
			return err
		}
		o := newObject(KindRule, schema, table, name)
		o.SetAttr("definition", def)
		o.Comment = str(comment)
		in.m.Add(o)
		return nil
	})
}

func (in *inspector) statistics(ctx context.Context) error {
	return in.each(ctx, "statistics", in.scopeArgs(), func(rows pgx.Rows) error {
		var (
			schema, name, def string
			comment           *string
		)
		if err := rows.Scan(&schema, &name, &def, &comment); err != nil {
			return err
		}
		o := newObject(KindStatistics, schema, "", name)
		o.SetAttr("definition", def)
		o.Comment = str(comment)
		in.m.Add(o)
		return nil
	})
}

// addParentDep records that a constraint, index or trigger was cloned from
// the same kind of object on a partitioned table: it depends on it, and
// its drift follows from that object's.
func addParentDep(o *Object, schema, table, name *string) {
	if name == nil || schema == nil || table == nil {
		return
	}
	o.Deps = append(o.Deps, Key(o.Kind, *schema, *table, *name))
}
