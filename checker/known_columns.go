package checker

import "sync"

// knownColumns are the columns a full read's columns steps saw, by table
// oid and attnum: what index and key definitions name. With them, rendering
// those definitions needs no second lookup of the same columns, which at
// 10,000 tables cost ~0.5 s of server time (pg_attribute read again, on two
// more connections), and the index and key steps, run once the columns are
// in, render each row as it arrives instead of holding them all (a
// 10,000-table check's peak live heap: 50 -> 36-40 MB). Each columns step
// writes its own columnWriter and adds it when done; readers wait for
// ready.
type knownColumns struct {
	mu      sync.Mutex
	writers []*columnWriter // the columns steps done; each has tables of its own
	pending int             // columns steps still reading
	failed  bool
	ready   chan struct{} // closed when every columns step is done, or one failed
}

func newKnownColumns(writers int) *knownColumns {
	return &knownColumns{pending: writers, ready: make(chan struct{})}
}

// done says whether every columns step read its columns.
func (k *knownColumns) done() bool {
	if k == nil {
		return false
	}
	select {
	case <-k.ready:
		return !k.failed
	default:
		return false
	}
}

// wait blocks until every columns step is done (or one failed).
func (k *knownColumns) wait() {
	if k != nil {
		<-k.ready
	}
}

// add takes what one columns step read (w nil: it failed).
func (k *knownColumns) add(w *columnWriter) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.pending == 0 {
		return // a failure closed ready already
	}
	if w == nil {
		k.failed, k.pending, k.writers = true, 0, nil
		close(k.ready)
		return
	}
	w.flush()
	k.writers = append(k.writers, w)
	if k.pending--; k.pending == 0 {
		close(k.ready)
	}
}

// lookup returns the column's quoted name and collation, if the columns
// steps saw it.
func (k *knownColumns) lookup(table uint32, attnum uint32) (indexColumn, bool) {
	if !k.done() {
		return indexColumn{}, false
	}
	for _, w := range k.writers {
		if c, ok := w.lookup(table, attnum); ok {
			return indexColumn{name: QuoteIdentMin(c.o.Name), collation: c.collation}, true
		}
	}
	return indexColumn{}, false
}

// columnWriter collects the columns one columns step reads, a table's
// together: each table is a span of a chunk. A column is its object (for
// its name) and collation, 16 bytes: at 10,000 tables the columns took
// 3.5 MB as a slice of names per table, 1.5 MB as spans.
type columnWriter struct {
	spans  map[uint32]columnSpan
	chunks [][]knownColumn
	cur    uint32 // the table being read, its columns at the end of the last chunk
	curAt  int    // where they start there
	open   bool   // cur is being read
}

// knownColumn is a column a columns step read; a dropped column's gap
// has no object.
type knownColumn struct {
	o         *Object
	collation uint32
}

// columnSpan is where a table's columns are: chunk, first, count.
type columnSpan struct {
	chunk, at, n uint32
}

// columnChunk is how many columns a chunk holds; a table with more (up
// to 1,600) has a chunk of its own.
const columnChunk = 4096

func newColumnWriter() *columnWriter {
	return &columnWriter{spans: map[uint32]columnSpan{}}
}

// add records a column as the columns step reads it.
func (w *columnWriter) add(table uint32, attnum int16, o *Object, collation uint32) {
	if w == nil || attnum <= 0 {
		return
	}
	if !w.open || table != w.cur {
		w.flush()
		w.begin(table)
	}
	last := &w.chunks[len(w.chunks)-1]
	for len(*last)-w.curAt < int(attnum) {
		if len(*last) == cap(*last) {
			// The table's columns move to a chunk of their own size.
			n := len(*last) - w.curAt
			moved := make([]knownColumn, n, max(columnChunk, 2*n))
			copy(moved, (*last)[w.curAt:])
			*last = (*last)[:w.curAt]
			w.chunks = append(w.chunks, moved)
			last, w.curAt = &w.chunks[len(w.chunks)-1], 0
			continue
		}
		*last = append(*last, knownColumn{})
	}
	(*last)[w.curAt+int(attnum)-1] = knownColumn{o: o, collation: collation}
}

// begin starts a table's columns at the end of the last chunk, after
// those read of it before (rows come by table: that is a table read in
// two runs, which only a test does).
func (w *columnWriter) begin(table uint32) {
	if len(w.chunks) == 0 || len(w.chunks[len(w.chunks)-1]) == cap(w.chunks[len(w.chunks)-1]) {
		w.chunks = append(w.chunks, make([]knownColumn, 0, columnChunk))
	}
	last := &w.chunks[len(w.chunks)-1]
	w.cur, w.curAt, w.open = table, len(*last), true
	if sp, ok := w.spans[table]; ok {
		*last = append(*last, w.chunks[sp.chunk][sp.at:sp.at+sp.n]...)
	}
}

// flush records the span of the table being read.
func (w *columnWriter) flush() {
	if !w.open {
		return
	}
	w.open = false
	last := len(w.chunks) - 1
	if n := len(w.chunks[last]) - w.curAt; n > 0 {
		w.spans[w.cur] = columnSpan{chunk: uint32(last), at: uint32(w.curAt), n: uint32(n)}
	}
}

// lookup returns a column this step read.
func (w *columnWriter) lookup(table, attnum uint32) (knownColumn, bool) {
	sp, ok := w.spans[table]
	if !ok || attnum == 0 || attnum > sp.n {
		return knownColumn{}, false
	}
	c := w.chunks[sp.chunk][sp.at+attnum-1]
	return c, c.o != nil
}
