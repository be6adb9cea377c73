package checker

import "strings"

// constraintFields are pg_constraint's fields for a primary key, unique
// constraint or foreign key, rendered as pg_get_constraintdef prints them
// (ruleutils.c), without its per-column catalog lookups on a cold
// connection.
type constraintFields struct {
	o                    *Object
	contype              string
	table, refTable      uint32
	key, refKey          []int16
	match, onUpdate      string
	onDelete             string
	deferrable, deferred bool
	validated            bool
	refName              *string
	indexKey             []int16 // the key's index: key columns, then INCLUDE columns
	indexKeyCols         *int16
	nullsNotDistinct     *bool
	indexOptions         []string // the key's index storage parameters
}

// withIndexOptions adds a primary key's or unique constraint's index
// storage parameters to its definition, where ADD CONSTRAINT takes them:
// after the columns (and INCLUDE), before the constraint's attributes.
// pg_get_constraintdef leaves them out; pg_dump prints them.
func withIndexOptions(def string, opts []string) string {
	if len(opts) == 0 {
		return def
	}
	end := closing(def, strings.IndexByte(def, '('))
	if end < 0 {
		return def
	}
	pos := end + 1
	if rest := def[pos:]; strings.HasPrefix(rest, " INCLUDE (") {
		if e := closing(def, pos+len(" INCLUDE ")); e > 0 {
			pos = e + 1
		}
	}
	return def[:pos] + " WITH (" + flattenRelOptions(opts) + ")" + def[pos:]
}

func (f *constraintFields) render(p *indexParts) string {
	names := func(table uint32, attnums []int16) string {
		out := make([]string, len(attnums))
		for i, a := range attnums {
			out[i] = p.column(table, a).name
		}
		return strings.Join(out, ", ")
	}
	var b strings.Builder
	switch f.contype {
	case "p", "u":
		if f.contype == "p" {
			b.WriteString("PRIMARY KEY (")
		} else {
			b.WriteString("UNIQUE ")
			if f.nullsNotDistinct != nil && *f.nullsNotDistinct {
				b.WriteString("NULLS NOT DISTINCT ")
			}
			b.WriteString("(")
		}
		b.WriteString(names(f.table, f.key) + ")")
		if f.indexKeyCols != nil && len(f.indexKey) > int(*f.indexKeyCols) {
			b.WriteString(" INCLUDE (" + names(f.table, f.indexKey[*f.indexKeyCols:]) + ")")
		}
	case "f":
		b.WriteString("FOREIGN KEY (" + names(f.table, f.key) + ") REFERENCES ")
		if f.refName != nil {
			b.WriteString(*f.refName)
		}
		b.WriteString("(" + names(f.refTable, f.refKey) + ")")
		switch f.match {
		case "f":
			b.WriteString(" MATCH FULL")
		case "p":
			b.WriteString(" MATCH PARTIAL")
		}
		b.WriteString(fkAction(" ON UPDATE ", f.onUpdate))
		b.WriteString(fkAction(" ON DELETE ", f.onDelete))
	}
	if f.deferrable {
		b.WriteString(" DEFERRABLE")
	}
	if f.deferred {
		b.WriteString(" INITIALLY DEFERRED")
	}
	if !f.validated {
		b.WriteString(" NOT VALID")
	}
	return b.String()
}

// fkAction renders a referential action; NO ACTION, the default, is left out.
func fkAction(prefix, action string) string {
	switch action {
	case "r":
		return prefix + "RESTRICT"
	case "c":
		return prefix + "CASCADE"
	case "n":
		return prefix + "SET NULL"
	case "d":
		return prefix + "SET DEFAULT"
	}
	return ""
}
