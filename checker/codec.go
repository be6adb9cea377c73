package checker

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
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
	if !bytes.HasPrefix(data, []byte(codecMagic)) {
		return nil, fmt.Errorf("decode model: not a driftwatch model cache (or an older format)")
	}
	p := len(codecMagic)
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(data[p:])
		if n <= 0 {
			return 0, false
		}
		p += n
		return v, true
	}
	version, ok := next()
	if !ok {
		return nil, errCorrupt
	}
	count, ok := next()
	if !ok || count > uint64(len(data)) {
		return nil, errCorrupt
	}
	// The strings are copied into one buffer of their exact size, so that
	// the model does not keep data's object records (a quarter of it)
	// alive: first their lengths, then their bytes.
	start := p
	lens := make([]int, count)
	size := 0
	for i := range lens {
		n, ok := next()
		if !ok || n > uint64(len(data)-p) {
			return nil, errCorrupt
		}
		lens[i] = int(n)
		size += int(n)
		p += int(n)
	}
	strs := make([]byte, 0, size)
	table := make([]string, count)
	for i, q := range lens {
		_, w := binary.Uvarint(data[start:])
		start += w
		if q > 0 {
			strs = append(strs, data[start:start+q]...)
			table[i] = unsafe.String(&strs[len(strs)-q], q)
		}
		start += q
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
	if !ok || nobj > uint64(len(data)-p)/9 {
		return nil, errCorrupt
	}
	kinds := Kinds()
	m := &Model{ServerVersion: int(version), Objects: make([]*Object, nobj)}
	objs := make([]Object, nobj) // one allocation for every object
	var mores []objectMore       // and one per 256 objects that have more
	for i := range objs {
		if p+2 > len(data) || int(data[p]) >= len(kinds) {
			return nil, errCorrupt
		}
		o := &objs[i]
		o.Kind = kinds[data[p]]
		var more objectMore
		more.inherited = data[p+1]&1 != 0
		p += 2
		for _, dst := range []*string{&o.Schema, &o.Table, &o.Name, &more.comment, &more.acl, &o.attrs} {
			if *dst, ok = str(); !ok {
				return nil, errCorrupt
			}
		}
		n, ok := next()
		if !ok || n > uint64(len(data)) {
			return nil, errCorrupt
		}
		if n > 0 {
			more.deps = make([]string, n)
			for j := range more.deps {
				if more.deps[j], ok = str(); !ok {
					return nil, errCorrupt
				}
			}
		}
		if more.inherited || more.comment != "" || more.acl != "" || len(more.deps) > 0 {
			if len(mores) == cap(mores) {
				mores = make([]objectMore, 0, 256)
			}
			mores = append(mores, more)
			o.more = &mores[len(mores)-1]
		}
		m.Objects[i] = o
	}
	if p != len(data) {
		return nil, errCorrupt
	}
	m.sorted = slices.IsSortedFunc(m.Objects, compareObjects)
	return m, nil
}
