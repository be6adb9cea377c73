package checker

import "fmt"

// partitionDropsDefault says whether a partition's inherited column must
// drop the default that CREATE TABLE ... PARTITION OF copies from the
// parent. A partition made on its own and attached later (pg_dump's way,
// and a parent given its default with ALTER TABLE ONLY) keeps no default
// where the parent has one; PARTITION OF would give it the parent's.
func (b *sqlBuilder) partitionDropsDefault(table, col *Object) bool {
	if col.Attr("default") != "" || col.Attr("generated") != "" || col.Attr("identity") != "" || b.want == nil {
		return false
	}
	q := splitQualified(table.Attr("partition_of"))
	if len(q) != 2 {
		return false
	}
	pc := b.want.Lookup(Key(KindColumn, q[0], q[1], col.Name))
	return pc != nil && pc.Attr("default") != "" && pc.Attr("generated") == "" && pc.Attr("identity") == ""
}

func dropDefaultSQL(table *Object, col string) string {
	return fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;", qname(table), QuoteIdentMin(col))
}
