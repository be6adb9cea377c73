package checker

import "regexp"

// fkDefRE splits a foreign key's definition as pg_get_constraintdef prints
// it: its columns, the table it references and the columns there.
var fkDefRE = regexp.MustCompile(`^FOREIGN KEY \((.*?)\) REFERENCES (.+?)\((.*?)\)`)

// fkColumns are the (table key, column) pairs a foreign key joins, its own
// table's first; ok is false when the definition does not parse.
func fkColumns(fk *Object) (cols [][3]string, ok bool) {
	m := fkDefRE.FindStringSubmatch(fk.Attr("definition"))
	if m == nil {
		return nil, false
	}
	ref := splitQualified(m[2])
	if len(ref) != 2 {
		return nil, false
	}
	for _, c := range splitNameList(m[1]) {
		cols = append(cols, [3]string{fk.Schema, fk.Table, unquoteName(c)})
	}
	for _, c := range splitNameList(m[3]) {
		cols = append(cols, [3]string{ref[0], ref[1], unquoteName(c)})
	}
	return cols, true
}

// foreignKeysOnColumn lists the live foreign keys that join column col,
// from its table or to it: changing its type to one the other side's
// column does not match makes ALTER COLUMN TYPE fail while they exist.
func (b *sqlBuilder) foreignKeysOnColumn(col *Object) []*Object {
	if b.have == nil {
		return nil
	}
	var out []*Object
	for _, o := range b.have.Objects {
		if o.Kind != KindConstraint || o.Attr("type") != "foreign key" || o.Inherited() {
			continue
		}
		cols, ok := fkColumns(o)
		if !ok {
			continue
		}
		for _, c := range cols {
			if c[0] == col.Schema && c[1] == col.Table && c[2] == col.Name {
				out = append(out, o)
				break
			}
		}
	}
	return out
}

// restoreForeignKeysAfterType adds back, after col's type change, the
// foreign keys foreignKeysOnColumn dropped whose other columns already
// have their canonical type, or got it from an earlier item's fix; the
// item of a column still to change adds back the rest.
func (b *sqlBuilder) restoreForeignKeysAfterType(col *Object, fks []*Object) {
	var ready []*Object
	for _, fk := range fks {
		cols, _ := fkColumns(fk)
		settled := true
		for _, c := range cols {
			if c[0] == col.Schema && c[1] == col.Table && c[2] == col.Name {
				continue
			}
			k := Key(KindColumn, c[0], c[1], c[2])
			if b.retyped[k] {
				continue
			}
			h := b.have.Lookup(k)
			w := b.lookupWant(k)
			if h == nil || w == nil || builtinBase(h.Attr("type")) != builtinBase(w.Attr("type")) {
				settled = false
				break
			}
		}
		if settled {
			ready = append(ready, fk)
		}
	}
	b.restoreForeignKeys(ready)
}

// unquoteName is a single identifier as PostgreSQL prints it, unquoted.
func unquoteName(s string) string {
	if q := splitQualified(s); len(q) == 1 {
		return q[0]
	}
	return s
}
