package checker

import "sync/atomic"

// knownColumns are the columns a full read's columns step saw, by table
// oid and attnum: what index and key definitions name. With them, rendering
// those definitions needs no second lookup of the same columns, which at
// 10,000 tables cost ~0.5 s of server time (pg_attribute read again, on two
// more connections). Filled by the columns step alone; read only once it
// is done (see inspector.then).
type knownColumns struct {
	done   atomic.Bool
	tables map[uint32][]indexColumn // [attnum-1]; a gap (dropped column) has no name
	// The table being read: its columns are kept in a slice of their own
	// size once the next table starts (finish), not one grown by doubling.
	cur     uint32
	curCols []indexColumn
}

func newKnownColumns() *knownColumns {
	return &knownColumns{tables: map[uint32][]indexColumn{}}
}

// add records a column as the columns step reads it.
func (k *knownColumns) add(table uint32, attnum int16, name string, collation uint32) {
	if k == nil || attnum <= 0 {
		return
	}
	if table != k.cur {
		k.finish()
		k.cur, k.curCols = table, append(k.curCols[:0], k.tables[table]...)
	}
	for len(k.curCols) < int(attnum) {
		k.curCols = append(k.curCols, indexColumn{})
	}
	k.curCols[attnum-1] = indexColumn{name: name, collation: collation}
}

// finish stores the columns of the table being read. The columns step
// calls it when done.
func (k *knownColumns) finish() {
	if k == nil || len(k.curCols) == 0 {
		return
	}
	k.tables[k.cur] = append([]indexColumn(nil), k.curCols...)
	k.curCols = k.curCols[:0]
}

// lookup returns the column's quoted name and collation, if the columns
// step saw it.
func (k *knownColumns) lookup(table uint32, attnum uint32) (indexColumn, bool) {
	if k == nil || !k.done.Load() {
		return indexColumn{}, false
	}
	cols := k.tables[table]
	if attnum == 0 || int(attnum) > len(cols) || cols[attnum-1].name == "" {
		return indexColumn{}, false
	}
	c := cols[attnum-1]
	c.name = QuoteIdentMin(c.name)
	return c, true
}
