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

// columnSettings writes the statements that give column want its
// settings, where from (how the column stands) differs. ONLY: the
// table's children are items of their own, as pg_dump writes them.
func (b *sqlBuilder) columnSettings(want *Object, from colSettings) {
	to := settingsOf(want)
	to.typeStorage = from.typeStorage // not a setting: what storage goes back to
	if to == from {
		return
	}
	t := b.want.Lookup(want.ParentKey())
	alter := fmt.Sprintf("ALTER %s ONLY %s ALTER COLUMN %s", tableWord(t), qtable(want), QuoteIdentMin(want.Name))
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
		// as a table's options: the live ones reset, canonical's set
		if old := optionNames(from.options); len(old) > 0 {
			b.add("%s RESET (%s);", alter, strings.Join(old, ", "))
		}
		if to.options != "" {
			b.add("%s SET (%s);", alter, to.options)
		}
	}
	if to.fdwOptions != from.fdwOptions {
		var names []string
		for _, o := range splitOptions(from.fdwOptions) {
			names = append(names, splitOutsideQuotes(o, " ")[0])
		}
		b.replaceOptions(fmt.Sprintf("FOREIGN TABLE %s ALTER COLUMN %s", qtable(want), QuoteIdentMin(want.Name)), to.fdwOptions, names)
	}
}

// optionChanges compares lists of "name<sep>value, ...": the options to
// set (as want has them) and the names to reset.
func optionChanges(want, have, sep string) (set, reset []string) {
	wantOpts, haveOpts := splitOptions(want), splitOptions(have)
	for _, w := range wantOpts {
		if !slices.Contains(haveOpts, w) {
			set = append(set, w)
		}
	}
	for _, h := range haveOpts {
		name, _, _ := strings.Cut(h, sep)
		if !slices.ContainsFunc(wantOpts, func(w string) bool { k, _, _ := strings.Cut(w, sep); return k == name }) {
			reset = append(reset, name)
		}
	}
	return set, reset
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

// tableWord is how ALTER, DROP and COMMENT name table t (nil: a plain
// table): TABLE or FOREIGN TABLE.
func tableWord(t *Object) string {
	if t != nil && t.Attr("relkind") == "foreign table" {
		return "FOREIGN TABLE"
	}
	return "TABLE"
}
