package checker

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"unsafe"
)

// The binary model format caches canonical models: a table of distinct
// strings, then objects as references into it. Decoding copies the
// strings into one buffer and slices each out of it, so a 10,000-table
// model loads in milliseconds and its strings share memory.
const codecMagic = "DWMODEL\x03"

// EncodeModel writes m in the binary cache format.
func EncodeModel(m *Model) []byte {
	strs := map[string]uint64{}
	var table []string
	ref := func(s string) uint64 {
		if i, ok := strs[s]; ok {
			return i
		}
		i := uint64(len(table))
		strs[s] = i
		table = append(table, s)
		return i
	}
	kinds := Kinds()
	kindIndex := map[Kind]byte{}
	for i, k := range kinds {
		kindIndex[k] = byte(i)
	}
	var objs []byte
	objs = binary.AppendUvarint(objs, uint64(len(m.Objects)))
	for _, o := range m.Objects {
		objs = append(objs, kindIndex[o.Kind])
		flags := byte(0)
		if o.Inherited() {
			flags = 1
		}
		objs = append(objs, flags)
		for _, s := range []string{o.Schema, o.Table, o.Name, o.Comment(), o.ACL(), o.attrs} {
			objs = binary.AppendUvarint(objs, ref(s))
		}
		objs = binary.AppendUvarint(objs, uint64(len(o.Deps())))
		for _, d := range o.Deps() {
			objs = binary.AppendUvarint(objs, ref(d))
		}
	}
	var b bytes.Buffer
	b.WriteString(codecMagic)
	b.Write(binary.AppendUvarint(nil, uint64(m.ServerVersion)))
	b.Write(binary.AppendUvarint(nil, uint64(len(table))))
	for _, s := range table {
		b.Write(binary.AppendUvarint(nil, uint64(len(s))))
		b.WriteString(s)
	}
	b.Write(objs)
	return b.Bytes()
}

var errCorrupt = errors.New("decode model: corrupt or truncated data")

// DecodeModel reads a model written by EncodeModel. The returned model
// keeps no reference to data.
func DecodeModel(data []byte) (*Model, error) {
	return decodeModel(bufio.NewReader(bytes.NewReader(data)), int64(len(data)), false)
}

// decodeModel reads a model of size bytes from r. The strings are copied
// into chunks of one buffer each, so that the model keeps no reader's
// buffer alive and a cache file is never held whole: at 10,000 tables,
// 6.9 MB less at the peak of a load. With outsideHeap, the model is made
// outside the Go heap and sealed read-only (see offHeap).
func decodeModel(r *bufio.Reader, size int64, outsideHeap bool) (*Model, error) {
	var h *offHeap
	if outsideHeap {
		h = newOffHeap(size)
	}
	m, err := decodeInto(r, size, h)
	if err != nil {
		h.release()
		return nil, err
	}
	return m, nil
}

// decodeInto is decodeModel, making the model in h (nil: on the heap).
func decodeInto(r *bufio.Reader, size int64, h *offHeap) (*Model, error) {
	magic := make([]byte, len(codecMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != codecMagic {
		return nil, fmt.Errorf("decode model: not a driftwatch model cache (or an older format)")
	}
	// Every count is bounded by the bytes left, so corrupt data cannot
	// make it allocate more than its own size allows.
	left := size - int64(len(codecMagic))
	next := func() (uint64, bool) {
		v, err := binary.ReadUvarint(r)
		if err != nil {
			return 0, false
		}
		left -= int64(uvarintLen(v))
		return v, left >= 0
	}
	version, ok := next()
	if !ok {
		return nil, errCorrupt
	}
	count, ok := next()
	if !ok || count > uint64(left) {
		return nil, errCorrupt
	}
	table := make([]string, count)
	var chunk []byte
	for i := range table {
		n, ok := next()
		if !ok || n > uint64(left) {
			return nil, errCorrupt
		}
		if n == 0 {
			continue
		}
		if int(n) > cap(chunk)-len(chunk) {
			chunk = offHeapSlice[byte](h, max(int(n), stringChunk))[:0]
		}
		at := len(chunk)
		chunk = chunk[:at+int(n)]
		if _, err := io.ReadFull(r, chunk[at:]); err != nil {
			return nil, errCorrupt
		}
		left -= int64(n)
		table[i] = unsafe.String(&chunk[at], int(n))
	}
	str := func() (string, bool) {
		i, ok := next()
		if !ok || i >= uint64(len(table)) {
			return "", false
		}
		return table[i], true
	}
	nobj, ok := next()
	// Each object takes at least 9 bytes: kind, flags, six references and a count.
	if !ok || nobj > uint64(left)/9 {
		return nil, errCorrupt
	}
	kinds := Kinds()
	m := &Model{ServerVersion: int(version), Objects: offHeapSlice[*Object](h, int(nobj))}
	objs := offHeapSlice[Object](h, int(nobj)) // one allocation for every object
	var mores []objectMore                     // and one per 256 objects that have more
	for i := range objs {
		kind, err1 := r.ReadByte()
		flags, err2 := r.ReadByte()
		left -= 2
		if err1 != nil || err2 != nil || left < 0 || int(kind) >= len(kinds) {
			return nil, errCorrupt
		}
		o := &objs[i]
		o.Kind = kinds[kind]
		var more objectMore
		more.inherited = flags&1 != 0
		for _, dst := range []*string{&o.Schema, &o.Table, &o.Name, &more.comment, &more.acl, &o.attrs} {
			if *dst, ok = str(); !ok {
				return nil, errCorrupt
			}
		}
		n, ok := next()
		if !ok || n > uint64(left) {
			return nil, errCorrupt
		}
		if n > 0 {
			more.deps = offHeapSlice[string](h, int(n))
			for j := range more.deps {
				if more.deps[j], ok = str(); !ok {
					return nil, errCorrupt
				}
			}
		}
		if more.inherited || more.comment != "" || more.acl != "" || len(more.deps) > 0 {
			if len(mores) == cap(mores) {
				mores = offHeapSlice[objectMore](h, 256)[:0]
			}
			mores = append(mores, more)
			o.more = &mores[len(mores)-1]
		}
		m.Objects[i] = o
	}
	if _, err := r.ReadByte(); err != io.EOF || left != 0 {
		return nil, errCorrupt
	}
	if !slices.IsSortedFunc(m.Objects, compareObjects) {
		slices.SortFunc(m.Objects, compareObjects) // before the seal: nothing sorts it after
	}
	m.sorted = true
	if err := h.seal(); err != nil {
		return nil, fmt.Errorf("decode model: seal: %w", err)
	}
	m.offHeap = h.size()
	return m, nil
}

// stringChunk is the size of the buffers decoded strings are copied into.
const stringChunk = 64 << 10

// uvarintLen is the number of bytes v takes as a uvarint.
func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}
