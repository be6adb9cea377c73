package checker

import (
	"fmt"
	"slices"
	"strings"
)

// colSettings are a column's settings of its own: what ALTER COLUMN sets
// besides its type, default and nullability.
type colSettings struct {
	storage, typeStorage, statistics, compression, options, fdwOptions string
}

// settingsOf reads a column's settings; nil stands for a column as ADD
// COLUMN or CREATE TABLE makes it.
func settingsOf(o *Object) colSettings {
	if o == nil {
		return colSettings{}
	}
	return colSettings{o.Attr("storage"), o.Attr("type_storage"), o.Attr("statistics"), o.Attr("compression"),
		o.Attr("options"), o.Attr("fdw_options")}
}

// inheritedSettings is what a column made with its table from a parent's
// column (PARTITION OF, INHERITS) starts with: the parent's storage and
// compression.
func inheritedSettings(parent *Object) colSettings {
	p := settingsOf(parent)
	return colSettings{storage: p.storage, typeStorage: p.typeStorage, compression: p.compression}
}

// parentColumn is canonical's column name of a parent of table t (its
// partitioned table, or the first table it inherits that has one), or nil.
func (b *sqlBuilder) parentColumn(t *Object, name string) *Object {
	if b.want == nil {
		return nil
	}
	for _, p := range append(splitNameList(t.Attr("partition_of")), splitNameList(t.Attr("inherits"))...) {
		if q := splitQualified(p); len(q) == 2 {
			if c := b.want.Lookup(Key(KindColumn, q[0], q[1], name)); c != nil {
				return c
			}
		}
	}
	return nil
}

// columnSettings writes the statements that give column want its
// settings, where from (how the column stands) differs. ONLY: the
// table's children are items of their own, as pg_dump writes them.
func (b *sqlBuilder) columnSettings(want *Object, from colSettings) {
	to := settingsOf(want)
	to.typeStorage = from.typeStorage // not a setting: what storage goes back to
	if to == from {
		return
	}
	word := "TABLE"
	if t := b.wantTable(want); t != nil && t.Attr("relkind") == "foreign table" {
		word = "FOREIGN TABLE"
	}
	alter := fmt.Sprintf("ALTER %s ONLY %s ALTER COLUMN %s", word, qtable(want), QuoteIdentMin(want.Name))
	if to.storage != from.storage {
		s := to.storage
		if s == "" {
			s = from.typeStorage // back to the type's
		}
		if s != "" {
			b.add("%s SET STORAGE %s;", alter, strings.ToUpper(s))
		}
	}
	if to.statistics != from.statistics {
		n := to.statistics
		if n == "" {
			n = "-1"
		}
		b.add("%s SET STATISTICS %s;", alter, n)
	}
	if to.compression != from.compression {
		c := to.compression
		if c == "" {
			c = "default"
		}
		b.add("%s SET COMPRESSION %s;", alter, c)
	}
	if to.options != from.options {
		set, reset := optionChanges(to.options, from.options, "=")
		if len(set) > 0 {
			b.add("%s SET (%s);", alter, strings.Join(set, ", "))
		}
		if len(reset) > 0 {
			b.add("%s RESET (%s);", alter, strings.Join(reset, ", "))
		}
	}
	if to.fdwOptions != from.fdwOptions {
		b.add("ALTER FOREIGN TABLE %s ALTER COLUMN %s OPTIONS (%s);", qtable(want), QuoteIdentMin(want.Name),
			fdwOptionChanges(to.fdwOptions, from.fdwOptions))
	}
}

// optionChanges compares lists of "name<sep>value, ...": the options to
// set (as want has them) and the names to reset.
func optionChanges(want, have, sep string) (set, reset []string) {
	wantOpts := splitOptions(want)
	for _, w := range wantOpts {
		if !slices.Contains(splitOptions(have), w) {
			set = append(set, w)
		}
	}
	for _, h := range splitOptions(have) {
		name, _, _ := strings.Cut(h, sep)
		if !slices.ContainsFunc(wantOpts, func(w string) bool { k, _, _ := strings.Cut(w, sep); return k == name }) {
			reset = append(reset, name)
		}
	}
	return set, reset
}

// fdwOptionChanges is the OPTIONS list (ADD, SET, DROP) that turns a
// foreign table column's options have ("name 'value', ...") into want.
func fdwOptionChanges(want, have string) string {
	old := map[string]string{}
	for _, h := range splitOptions(have) {
		if p := splitOutsideQuotes(h, " "); len(p) == 2 {
			old[p[0]] = p[1]
		}
	}
	var parts []string
	for _, w := range splitOptions(want) {
		p := splitOutsideQuotes(w, " ")
		if len(p) != 2 {
			continue
		}
		switch ov, ok := old[p[0]]; {
		case !ok:
			parts = append(parts, "ADD "+w)
		case ov != p[1]:
			parts = append(parts, "SET "+w)
		}
		delete(old, p[0])
	}
	var gone []string
	for k := range old {
		gone = append(gone, k)
	}
	slices.Sort(gone)
	for _, k := range gone {
		parts = append(parts, "DROP "+k)
	}
	return strings.Join(parts, ", ")
}

// wantTable is canonical's table of a column, or nil.
func (b *sqlBuilder) wantTable(col *Object) *Object {
	if b.want == nil {
		return nil
	}
	return b.want.Lookup(Key(KindTable, col.Schema, "", col.Table))
}

// indexStatistics sets the statistics targets of an expression index's
// columns where want's differ from have ("n=target, ..."; "" for an
// index just made).
func (b *sqlBuilder) indexStatistics(want *Object, have string) {
	set, reset := optionChanges(want.Attr("column_statistics"), have, "=")
	for _, s := range set {
		n, v, _ := strings.Cut(s, "=")
		b.add("ALTER INDEX %s ALTER COLUMN %s SET STATISTICS %s;", QualifiedName(want.Schema, want.Name), n, v)
	}
	for _, n := range reset {
		b.add("ALTER INDEX %s ALTER COLUMN %s SET STATISTICS -1;", QualifiedName(want.Schema, want.Name), n)
	}
}
