package checker

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
)

// indexFields are pg_index's fields for an index without expression
// columns, rendered into a definition exactly as pg_get_indexdef prints it
// (without the cost of opening every index on a fresh connection).
type indexFields struct {
	o                *Object
	table            uint32
	relkind          string // of the table: "p" prints ON ONLY
	unique           bool
	am               string
	keyCols          int16
	key              []int16
	class, collation []uint32
	option           []int16
	reloptions       []string
	nullsNotDistinct bool
	indexOID         uint32
	predicateTree    *string // pg_index.indpred, deparsed by renderPredicates
	predicate        *string
	predicateKey     string  // see predicateKey
	predicateCols    []int16 // the attnums the predicate names
	predicateOwn     bool    // deparsed on its own, not shared
}

// indexParts are the names rendering needs: table columns by (table oid,
// attnum), opclasses and collations by oid.
type indexParts struct {
	columns    map[[2]uint32]indexColumn // those known does not have
	known      *knownColumns
	opclasses  map[uint32]opclassName
	collations map[uint32]string
}

// column returns a column's quoted name and collation.
func (p *indexParts) column(table uint32, attnum int16) indexColumn {
	if c, ok := p.known.lookup(table, uint32(attnum)); ok {
		return c
	}
	return p.columns[[2]uint32{table, uint32(attnum)}]
}

type indexColumn struct {
	name      string
	collation uint32
}

type opclassName struct {
	name      string
	isDefault bool
}

// columnNames fetches the quoted names of the given (table oid, attnum)
// columns.
func (in *inspector) columnNames(ctx context.Context, cols map[[2]uint32]bool) (*indexParts, error) {
	return in.fetchParts(ctx, cols, nil, nil)
}

// addColumns adds the (table, attnum) pairs of attnums to cols.
func addColumns(cols map[[2]uint32]bool, table uint32, attnums []int16) {
	for _, a := range attnums {
		cols[[2]uint32{table, uint32(a)}] = true
	}
}

// indexParts fetches, in one query, the names the pending indexes use.
func (in *inspector) indexParts(ctx context.Context, pending []*indexFields) (*indexParts, error) {
	cols, classes, colls := map[[2]uint32]bool{}, map[uint32]bool{}, map[uint32]bool{}
	for _, f := range pending {
		addColumns(cols, f.table, f.key)
		if f.predicateTree != nil {
			f.readPredicate()
			addColumns(cols, f.table, f.predicateCols)
		}
		for _, c := range f.class {
			classes[c] = true
		}
		for _, c := range f.collation {
			if c != 0 {
				colls[c] = true
			}
		}
	}
	return in.fetchParts(ctx, cols, classes, colls)
}

// fetchParts runs index_parts.sql: names of columns, opclasses and
// collations.
func (in *inspector) fetchParts(ctx context.Context, cols map[[2]uint32]bool, classes, colls map[uint32]bool) (*indexParts, error) {
	p := in.newParts()
	var rels []uint32
	var nums []int16
	for c := range cols {
		if _, ok := in.known.lookup(c[0], c[1]); ok {
			continue
		}
		rels, nums = append(rels, c[0]), append(nums, int16(c[1]))
	}
	if len(rels) == 0 && len(classes) == 0 && len(colls) == 0 {
		return p, nil
	}
	err := in.each(ctx, "index_parts", []any{rels, nums, keys(classes), keys(colls)}, p.scan)
	return p, err
}

// namesNow returns, when the columns steps are done (a full read starts
// the index and key steps only then), the parts with which a definition
// renders as its row arrives, so that no row is held until the step ends
// (~15 MB of index rows at 10,000 tables). nil (a scoped read): rows wait
// for then. The indexes step reads every opclass and collation name into
// it first (index_parts.sql, a few hundred rows).
func (in *inspector) namesNow() *indexParts {
	if in.batch != nil || !in.known.done() {
		return nil
	}
	return in.newParts()
}

func (in *inspector) newParts() *indexParts {
	return &indexParts{columns: map[[2]uint32]indexColumn{}, known: in.known, opclasses: map[uint32]opclassName{}, collations: map[uint32]string{}}
}

// scan reads a row of index_parts.sql.
func (p *indexParts) scan(rows pgx.Rows) error {
	var (
		what, name string
		oid, extra uint32
		attnum     int16
		flag       bool
	)
	if err := rows.Scan(&what, &oid, &attnum, &name, &extra, &flag); err != nil {
		return err
	}
	switch what {
	case "column":
		p.columns[[2]uint32{oid, uint32(attnum)}] = indexColumn{name, extra}
	case "opclass":
		p.opclasses[oid] = opclassName{name, flag}
	case "collation":
		p.collations[oid] = name
	}
	return nil
}

// readPredicate reads the predicate's key and the columns it names from
// its tree.
func (f *indexFields) readPredicate() {
	var ok bool
	f.predicateKey, f.predicateCols, ok = predicateKey(*f.predicateTree)
	f.predicateOwn = !ok
}

// hasColumns says whether every column of table named by attnums is known.
func (p *indexParts) hasColumns(table uint32, attnums []int16) bool {
	for _, a := range attnums {
		if _, ok := p.known.lookup(table, uint32(a)); !ok {
			if _, ok := p.columns[[2]uint32{table, uint32(a)}]; !ok {
				return false
			}
		}
	}
	return true
}

// renders says whether f can be rendered from what p holds now (but for
// its predicate, see predicateGroup): its columns, opclasses and
// collations.
func (p *indexParts) renders(f *indexFields) bool {
	if !p.hasColumns(f.table, f.key) {
		return false
	}
	for _, c := range f.class {
		if _, ok := p.opclasses[c]; !ok {
			return false
		}
	}
	for _, c := range f.collation {
		if _, ok := p.collations[c]; c != 0 && !ok {
			return false
		}
	}
	return true
}

func keys(m map[uint32]bool) []uint32 {
	out := make([]uint32, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// render writes the definition the way pg_get_indexdef does (ruleutils.c):
// collation when not the column's, opclass when not the default, DESC and
// NULLS only where they differ from the default order, INCLUDE columns,
// NULLS NOT DISTINCT, reloptions, and the predicate.
func (f *indexFields) render(p *indexParts) string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if f.unique {
		b.WriteString("UNIQUE ")
	}
	b.WriteString("INDEX " + QuoteIdentMin(f.o.Name) + " ON ")
	if f.relkind == "p" {
		b.WriteString("ONLY ")
	}
	b.WriteString(QualifiedName(f.o.Schema, f.o.Table) + " USING " + QuoteIdentMin(f.am) + " (")
	for k, attnum := range f.key {
		if k == int(f.keyCols) {
			b.WriteString(") INCLUDE (")
		} else if k > 0 {
			b.WriteString(", ")
		}
		col := p.column(f.table, attnum)
		b.WriteString(col.name)
		if k >= int(f.keyCols) {
			continue
		}
		if k < len(f.collation) && f.collation[k] != 0 && f.collation[k] != col.collation {
			b.WriteString(" COLLATE " + p.collations[f.collation[k]])
		}
		if k < len(f.class) {
			if oc := p.opclasses[f.class[k]]; !oc.isDefault {
				b.WriteString(" " + oc.name)
			}
		}
		if k < len(f.option) {
			const desc, nullsFirst = 1, 2
			switch opt := f.option[k]; {
			case opt&desc != 0 && opt&nullsFirst == 0:
				b.WriteString(" DESC NULLS LAST")
			case opt&desc != 0:
				b.WriteString(" DESC")
			case opt&nullsFirst != 0:
				b.WriteString(" NULLS FIRST")
			}
		}
	}
	b.WriteString(")")
	if f.nullsNotDistinct {
		b.WriteString(" NULLS NOT DISTINCT")
	}
	if len(f.reloptions) > 0 {
		b.WriteString(" WITH (" + flattenRelOptions(f.reloptions) + ")")
	}
	if f.predicate != nil {
		b.WriteString(" WHERE " + *f.predicate)
	}
	return b.String()
}

// flattenRelOptions prints "name=value" options as PostgreSQL does: the
// value bare when it reads as an identifier, else as a literal.
func flattenRelOptions(opts []string) string {
	out := make([]string, len(opts))
	for i, opt := range opts {
		name, value, _ := strings.Cut(opt, "=")
		if QuoteIdentMin(value) != value {
			value = "'" + strings.ReplaceAll(value, "'", "''") + "'"
		}
		out[i] = QuoteIdentMin(name) + "=" + value
	}
	return strings.Join(out, ", ")
}
