package checker

import (
	"context"
	"strconv"
	"strings"
	"unsafe"

	"github.com/jackc/pgx/v5"
)

var relkindWords = map[string]string{"r": "table", "p": "partitioned table", "f": "foreign table"}
var persistenceWords = map[string]string{"p": "permanent", "u": "unlogged", "t": "temporary"}
var replidentWords = map[string]string{"d": "default", "n": "nothing", "f": "full", "i": "index"}

// replicaIdentity words relreplident: "default", "nothing", "full", or
// "index NAME" for USING INDEX (the query appends the quoted name to 'i').
func replicaIdentity(r string) string {
	if name, ok := strings.CutPrefix(r, "i "); ok {
		return "index " + name
	}
	return replidentWords[r]
}

func (in *inspector) relations(ctx context.Context) error {
	// What is scanned of a row, declared once: a row allocates only what
	// it keeps (each scan makes new strings, slices and pointers).
	var (
		oid, reltype                                      uint32
		schema, name, relkind, persistence, replident     string
		partKey, partOf, bound, inherits, ofType, options *string
		server, viewdef, colComments, colDefaults         *string
		comment, owner                                    *string
		rls, forceRLS                                     bool
		acl                                               []string
	)
	dest := []any{&oid, &reltype, &schema, &name, &relkind, &persistence, &partKey, &partOf, &bound,
		&inherits, &ofType, &options, &server, &rls, &forceRLS, &replident, &viewdef, &colComments, &colDefaults, &comment, &acl, &owner}
	err := in.each(ctx, "relations", in.scopeArgs(), func(rows pgx.Rows) error {
		if err := rows.Scan(dest...); err != nil {
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
			o.setNamed(
				"definition", str(viewdef),
				"options", str(options),
				"column_comments", str(colComments),
			)
			if kind == KindView {
				o.SetAttr("column_defaults", str(colDefaults))
			}
		default:
			if relkind == "f" {
				// A foreign table has no replica identity (it reads 'n'
				// and ALTER TABLE ... REPLICA IDENTITY fails on it).
				replident = ""
			}
			o = newObject(KindTable, schema, "", name)
			o.setNamed(
				"relkind", relkindWords[relkind],
				"persistence", persistenceWords[persistence],
				"partition_key", str(partKey),
				"partition_of", str(partOf),
				"partition_bound", str(bound),
				"inherits", str(inherits),
				"of_type", str(ofType),
				"options", str(options),
				"server", str(server),
				"rls", boolText(rls),
				"force_rls", boolText(forceRLS),
				"replica_identity", replicaIdentity(replident),
			)
		}
		o.SetComment(str(comment))
		o.SetACL(normalizeACL(acl, acl == nil, str(owner), ""))
		in.m.Add(o)
		in.deps.add("pg_class", oid, o)
		in.deps.add("pg_type", reltype, o)
		return nil
	})
	if err != nil || in.scope != nil || in.batch != nil {
		return err
	}
	// A full read's query let plan_cache_mode go back to auto for the SPI
	// plan of pg_get_viewdef (see relations.sql): the steps after it on
	// this connection plan theirs as before.
	return in.setPlanMode(ctx, InspectOptions{}.planMode())
}

// setPlanMode sets the inspection transaction's plan_cache_mode.
func (in *inspector) setPlanMode(ctx context.Context, mode string) error {
	rows, err := in.q.Query(ctx, "SELECT pg_catalog.set_config('plan_cache_mode', $1, true)", mode)
	if err != nil {
		return err
	}
	rows.Close()
	return rows.Err()
}

func (in *inspector) columns(ctx context.Context) error {
	// Column attributes, in the order of the kind's spec.
	const (
		colType = iota
		colCollation
		colNotNull
		colDefault
		colIdentity
		colIdentityOptions
		colGenerated
		colPosition
		colLocal
		colStorage
		colStatistics
		colCompression
		colOptions
		colFDWOptions
		colTypeStorage
		colAttrs
	)
	var (
		vals     [colAttrs]string
		buf      []byte
		table    uint32 // the table of the previous row
		position int
		schemaOf string // its schema and name, shared by its columns
		tableOf  string
		// What is scanned of a row, declared once: a row allocates only
		// what it keeps.
		relid, collationOID uint32
		notNull, local      bool
		num                 int16
		acl                 []string
	)
	dest := []any{nil, nil, nil, &relid, nil, nil, &notNull, nil, nil, nil, &num, &local, nil, &acl, nil, &collationOID, nil, nil,
		nil, nil, nil, nil, nil, nil}
	in.sharedOnRead = true
	var cur shareCursor
	var w *columnWriter
	if in.known != nil {
		w = newColumnWriter()
	}
	err := in.each(ctx, "columns", in.scopeArgs(), func(rows pgx.Rows) error {
		// The text columns are read from the row's bytes (text and name
		// are their bytes in either format), seen as strings that last
		// until the next row: a column equal to the canonical one (nearly
		// all) keeps none of them, and a table's schema and name are
		// copied once. At 10,000 tables: 41 -> 8 MB allocated.
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		raw := rows.RawValues()
		// Rows come by table, in attnum order: a position is a rank among
		// live columns, as dropped columns leave gaps in attnum.
		if relid != table {
			table, position, schemaOf, tableOf = relid, 0, string(raw[0]), string(raw[1])
		}
		position++
		name, typ := rowString(raw[2]), rowString(raw[4])
		vals = [colAttrs]string{}
		vals[colType] = typ
		vals[colCollation] = rowString(raw[5])
		vals[colNotNull] = boolText(notNull)
		if rowString(raw[9]) == "s" {
			vals[colGenerated] = normalizeExpr(rowString(raw[7]))
		} else {
			vals[colDefault] = normalizeExpr(rowString(raw[7]))
		}
		switch rowString(raw[8]) {
		case "a":
			vals[colIdentity] = "always"
		case "d":
			vals[colIdentity] = "by default"
		}
		if raw[16] != nil {
			vals[colIdentityOptions] = identityOptions(typ, string(raw[16]), schemaOf, tableOf, name)
		}
		vals[colLocal] = boolText(local)
		vals[colStorage] = storageWords[rowString(raw[18])]
		vals[colTypeStorage] = storageWords[rowString(raw[19])]
		vals[colStatistics] = rowString(raw[20])
		vals[colCompression] = compressionWords[rowString(raw[21])]
		vals[colOptions] = rowString(raw[22])
		vals[colFDWOptions] = rowString(raw[23])
		// Pack the attributes into a reused buffer, as setAttrs would: a
		// column equal to the canonical one (nearly all) then costs no
		// allocation beyond the row's own.
		buf = buf[:0]
		for i, v := range vals {
			if i > 0 {
				buf = append(buf, 0)
			}
			if i == colPosition {
				buf = strconv.AppendInt(buf, int64(position), 10)
			} else {
				buf = append(buf, v...)
			}
		}
		var comment, owner string
		if raw[12] != nil {
			comment = string(raw[12])
		}
		if raw[14] != nil {
			owner = string(raw[14])
		}
		probe := Object{Kind: KindColumn, Schema: schemaOf, Table: tableOf, Name: name}
		probe.SetInherited(!local)
		probe.SetComment(comment)
		probe.SetACL(normalizeACL(acl, acl == nil, owner, ""))
		if raw[17] != nil {
			// a type of an extension is no object of the model: the
			// column uses the extension
			probe.SetDeps([]string{Key(KindExtension, "", "", string(raw[17]))})
		}
		o := in.sharer.equal(&probe, buf, &cur)
		if o == nil {
			c := probe
			c.Name = string(raw[2])
			c.attrs = string(buf)
			o = &c
		}
		in.m.Add(o)
		w.add(relid, num, o, collationOID)
		return nil
	})
	if in.known != nil {
		if err != nil {
			w = nil
		}
		in.known.add(w)
	}
	return err
}

// storageWords and compressionWords name attstorage and attcompression
// as SET STORAGE and SET COMPRESSION take them.
var (
	storageWords     = map[string]string{"p": "plain", "e": "external", "m": "main", "x": "extended"}
	compressionWords = map[string]string{"p": "pglz", "l": "lz4"}
)

// rowString returns a value of the current row as a string that lasts
// until the next row: to look at or copy, not to keep.
func rowString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

var contypeWords = map[string]string{"p": "primary key", "u": "unique", "c": "check", "f": "foreign key", "x": "exclusion"}

func (in *inspector) constraints(ctx context.Context) error {
	var pending []*constraintFields
	names := in.namesNow()
	// What is scanned of a row, declared once: a row allocates only what
	// it keeps (each scan makes new strings, slices and pointers).
	var (
		schema, table, name, contype string
		def                          *string
		inherited, invalid           bool
		confrelid                    uint32
		comment, indexComment        *string
		attached                     *string
		pSchema, pTable, pName       *string
		iSchema, iName               *string
		rSchema, rTable, rKey        *string
		rIsIndex                     *bool
		f                            constraintFields
	)
	dest := []any{&schema, &table, &name, &contype, &def, &inherited, &confrelid, &comment,
		&pSchema, &pTable, &pName, &rSchema, &rTable, &rKey, &rIsIndex,
		&f.table, &f.key, &f.refKey, &f.match, &f.onUpdate, &f.onDelete, &f.deferrable, &f.deferred, &f.validated,
		&f.refName, &f.indexKey, &f.indexKeyCols, &f.nullsNotDistinct, &indexComment, &f.indexOptions,
		&invalid, &attached, &iSchema, &iName}
	var cur shareCursor
	err := in.each(ctx, "constraints", in.scopeArgs(), func(rows pgx.Rows) error {
		f = constraintFields{}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		o := newObject(KindConstraint, schema, table, name)
		o.SetAttr("type", contypeWords[contype])
		o.SetAttr("index_comment", str(indexComment))
		if invalid {
			o.setNamed("invalid", "true", "attached", str(attached))
		}
		if iName != nil && iSchema != nil {
			// Its index is attached to a plain index of the parent's,
			// which the key holds on to (dropHeldIndex).
			o.SetAttr("attached_to", QualifiedName(*iSchema, *iName))
		}
		whole := true // rendered now, not after the step
		if def != nil {
			// A check a child holds only by inheritance is as valid as
			// its creation made it: a child created after its parent's NOT
			// VALID check gets a valid copy, and pg_dump, which adds the
			// parent's check after creating the child, a NOT VALID one.
			// The parent's definition says whether it is validated.
			if contype == "c" && inherited {
				*def = strings.TrimSuffix(*def, " NOT VALID")
			}
			o.SetAttr("definition", withIndexOptions(*def, f.indexOptions))
		} else {
			f.o, f.contype, f.refTable = o, contype, confrelid
			if names != nil && names.hasColumns(f.table, f.key) && names.hasColumns(f.table, f.indexKey) &&
				names.hasColumns(f.refTable, f.refKey) {
				o.SetAttr("definition", withIndexOptions(f.render(names), f.indexOptions))
			} else {
				p := f
				pending = append(pending, &p)
				whole = false
			}
		}
		o.SetInherited(inherited)
		o.SetComment(str(comment))
		addParentDep(o, pSchema, pTable, pName)
		if rKey != nil && rSchema != nil && rTable != nil {
			// The key a foreign key uses must exist first, and goes only with it.
			kind := KindConstraint
			if rIsIndex != nil && *rIsIndex {
				kind = KindIndex
			}
			o.AddDep(Key(kind, *rSchema, *rTable, *rKey))
		}
		if whole {
			if c := in.sharer.keep(o, &cur); c != o {
				in.m.Add(c) // Against's dependencies stand for its own
				return nil
			}
		}
		if confrelid != 0 {
			in.deps.pending = append(in.deps.pending, depEdge{o, "pg_class", confrelid})
		}
		in.m.Add(o)
		return nil
	})
	if err != nil {
		return err
	}
	return in.then(ctx, func(ctx context.Context) error { return in.renderConstraints(ctx, pending) })
}

// renderConstraints renders the keys and foreign keys read as fields.
func (in *inspector) renderConstraints(ctx context.Context, pending []*constraintFields) error {
	if len(pending) == 0 {
		return nil
	}
	cols := map[[2]uint32]bool{}
	for _, f := range pending {
		addColumns(cols, f.table, f.key)
		addColumns(cols, f.table, f.indexKey)
		addColumns(cols, f.refTable, f.refKey)
	}
	parts, err := in.columnNames(ctx, cols)
	if err != nil {
		return err
	}
	for _, f := range pending {
		f.o.SetAttr("definition", withIndexOptions(f.render(parts), f.indexOptions))
	}
	return nil
}

func (in *inspector) indexes(ctx context.Context) error {
	var (
		pending []*indexFields
		preds   predicateGroups // rendered but for their predicates
	)
	names := in.namesNow()
	if names != nil {
		if err := in.each(ctx, "index_parts", []any{nil, nil, nil, nil}, names.scan); err != nil {
			return err
		}
	}
	// What is scanned of a row, declared once: a row allocates only what
	// it keeps (each scan makes new strings, slices and pointers).
	var (
		schema, table, name    string
		def, comment, attached *string
		colStats               *string
		inherited, invalid     bool
		pSchema, pTable, pName *string
		f                      indexFields
	)
	dest := []any{&schema, &table, &name, &def, &inherited, &comment, &pSchema, &pTable, &pName,
		&f.table, &f.relkind, &f.unique, &f.am, &f.keyCols, &f.key, &f.class, &f.collation, &f.option,
		&f.reloptions, &f.nullsNotDistinct, &f.indexOID, &f.predicateTree, &invalid, &attached, &colStats}
	var cur shareCursor
	err := in.each(ctx, "indexes", in.scopeArgs(), func(rows pgx.Rows) error {
		f = indexFields{}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		o := newObject(KindIndex, schema, table, name)
		if invalid {
			o.setNamed("invalid", "true", "attached", str(attached))
		}
		if colStats != nil {
			o.SetAttr("column_statistics", *colStats)
		}
		whole := true // rendered now, not after the step
		if def != nil {
			o.SetAttr("definition", *def)
		} else {
			f.o = o
			switch {
			case names == nil || !names.renders(&f):
				p := f
				pending = append(pending, &p)
				whole = false
			case f.predicateTree == nil:
				o.SetAttr("definition", f.render(names))
			default:
				// Kept as the definition up to its predicate, deparsed
				// once per distinct predicate after the step.
				if f.readPredicate(); !f.predicateOwn && !names.hasColumns(f.table, f.predicateCols) {
					p := f
					pending = append(pending, &p)
				} else {
					preds.add(f.groupKey(names), f.indexOID, predicateMember{o: o, prefix: f.render(names)})
				}
				whole = false
			}
		}
		o.SetInherited(inherited)
		o.SetComment(str(comment))
		addParentDep(o, pSchema, pTable, pName)
		if whole {
			o = in.sharer.keep(o, &cur)
		}
		in.m.Add(o)
		return nil
	})
	if err != nil {
		return err
	}
	if err := in.deparse(ctx, &preds); err != nil {
		return err
	}
	return in.then(ctx, func(ctx context.Context) error { return in.renderIndexes(ctx, pending) })
}

// renderIndexes renders the indexes read as fields.
func (in *inspector) renderIndexes(ctx context.Context, pending []*indexFields) error {
	if len(pending) == 0 {
		return nil
	}
	parts, err := in.indexParts(ctx, pending)
	if err != nil {
		return err
	}
	if err := in.renderPredicates(ctx, pending, parts); err != nil {
		return err
	}
	for _, f := range pending {
		f.o.SetAttr("definition", f.render(parts))
	}
	return nil
}

// ownedSequence is a sequence whose owned_by still lacks its column.
type ownedSequence struct {
	o      *Object
	table  uint32
	attnum int16
}

func (in *inspector) sequences(ctx context.Context) error {
	var pending []ownedSequence
	// What is scanned of a row, declared once: a row allocates only what
	// it keeps (each scan makes new strings, slices and pointers).
	var (
		schema, name, typ, start, inc, min, max, cache string
		cycle                                          bool
		ownedBy, comment, owner                        *string
		acl                                            []string
		ownerTable                                     *uint32
		ownerColumn                                    *int32
	)
	dest := []any{&schema, &name, &typ, &start, &inc, &min, &max, &cache, &cycle, &ownedBy, &comment, &acl, &owner,
		&ownerTable, &ownerColumn}
	err := in.each(ctx, "sequences", in.scopeArgs(), func(rows pgx.Rows) error {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		o := newObject(KindSequence, schema, "", name)
		o.setNamed(
			"type", typ,
			"start", start,
			"increment", inc,
			"min", min,
			"max", max,
			"cache", cache,
			"cycle", boolText(cycle),
			"owned_by", str(ownedBy),
		)
		o.SetComment(str(comment))
		o.SetACL(normalizeACL(acl, acl == nil, str(owner), ""))
		if ownedBy != nil && ownerTable != nil && ownerColumn != nil {
			pending = append(pending, ownedSequence{o, *ownerTable, int16(*ownerColumn)})
		}
		in.m.Add(o)
		return nil
	})
	if err != nil || len(pending) == 0 {
		return err
	}
	return in.then(ctx, func(ctx context.Context) error { return in.renderOwnedBy(ctx, pending) })
}

// renderOwnedBy adds their column's name to the owned_by of sequences,
// from the columns step when it read them.
func (in *inspector) renderOwnedBy(ctx context.Context, pending []ownedSequence) error {
	cols := map[[2]uint32]bool{}
	for _, p := range pending {
		addColumns(cols, p.table, []int16{p.attnum})
	}
	parts, err := in.columnNames(ctx, cols)
	if err != nil {
		return err
	}
	for _, p := range pending {
		owner := ""
		if c := parts.column(p.table, p.attnum); c.name != "" {
			owner = p.o.Attr("owned_by") + "." + c.name
		}
		p.o.SetAttr("owned_by", owner) // no column: none, as the server's join had it
	}
	return nil
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
		o.setNamed(
			"definition", def,
			"enabled", triggerEnabledWords[enabled],
		)
		o.SetInherited(inherited)
		o.SetComment(str(comment))
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
		o.setNamed(
			"roles", str(roles),
			"using", str(using),
			"check", str(check),
		)
		o.SetComment(str(comment))
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
		o.SetComment(str(comment))
		in.m.Add(o)
		return nil
	})
}

func (in *inspector) statistics(ctx context.Context) error {
	return in.each(ctx, "statistics", in.scopeArgs(), func(rows pgx.Rows) error {
		var (
			schema, name, def string
			comment, target   *string
		)
		if err := rows.Scan(&schema, &name, &def, &comment, &target); err != nil {
			return err
		}
		o := newObject(KindStatistics, schema, "", name)
		o.SetAttr("definition", def)
		o.SetAttr("target", str(target))
		o.SetComment(str(comment))
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
	o.AddDep(Key(o.Kind, *schema, *table, *name))
}
