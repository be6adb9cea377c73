package checker

import "fmt"

// inheritedDropsDefault says whether a partition's or an inheriting
// table's inherited column must drop the default that CREATE TABLE ...
// PARTITION OF or INHERITS copies from a parent. A child made on its own
// and attached later, or a parent given its default with ALTER TABLE
// ONLY (pg_dump's way for both), leaves the child without the parent's
// default.
func (b *sqlBuilder) inheritedDropsDefault(table, col *Object) bool {
	if col.Attr("default") != "" || col.Attr("generated") != "" || col.Attr("identity") != "" || b.want == nil {
		return false
	}
	parents := splitNameList(table.Attr("inherits"))
	if p := table.Attr("partition_of"); p != "" {
		parents = []string{p}
	}
	for _, p := range parents {
		q := splitQualified(p)
		if len(q) != 2 {
			continue
		}
		pc := b.want.Lookup(Key(KindColumn, q[0], q[1], col.Name))
		if pc != nil && pc.Attr("default") != "" && pc.Attr("generated") == "" && pc.Attr("identity") == "" {
			return true
		}
	}
	return false
}

func dropDefaultSQL(table *Object, col string) string {
	return fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;", qname(table), QuoteIdentMin(col))
}
