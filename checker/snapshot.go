package checker

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// SnapshotFormat names driftwatch's JSON model; SnapshotVersion is bumped
// whenever what a snapshot holds changes meaning.
const (
	SnapshotFormat  = "driftwatch.snapshot"
	SnapshotVersion = 1
)

type snapshotFile struct {
	Format        string           `json:"format"`
	Version       int              `json:"version"`
	ServerVersion int              `json:"server_version"`
	Objects       []snapshotObject `json:"objects"`
}

type snapshotObject struct {
	Kind      Kind              `json:"kind"`
	Schema    string            `json:"schema,omitempty"`
	Table     string            `json:"table,omitempty"`
	Name      string            `json:"name"`
	Attrs     map[string]string `json:"attrs,omitempty"`
	Comment   string            `json:"comment,omitempty"`
	ACL       string            `json:"acl,omitempty"`
	Inherited bool              `json:"inherited,omitempty"`
	Deps      []string          `json:"deps,omitempty"`
}

// WriteSnapshot writes the model as deterministic, indented JSON.
func WriteSnapshot(w io.Writer, m *Model) error {
	f := snapshotFile{Format: SnapshotFormat, Version: SnapshotVersion, ServerVersion: m.ServerVersion,
		Objects: make([]snapshotObject, 0, len(m.Objects))}
	for _, o := range m.Objects {
		so := snapshotObject{Kind: o.Kind, Schema: o.Schema, Table: o.Table, Name: o.Name,
			Comment: o.Comment(), ACL: o.ACL(), Inherited: o.Inherited()}
		vals := o.attrList()
		for i, a := range specOf(o.Kind).attrs {
			if vals[i] != "" {
				if so.Attrs == nil {
					so.Attrs = map[string]string{}
				}
				so.Attrs[a.name] = vals[i]
			}
		}
		if deps := o.Deps(); len(deps) > 0 {
			so.Deps = append([]string(nil), deps...)
			sort.Strings(so.Deps)
		}
		f.Objects = append(f.Objects, so)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}

// ReadSnapshot reads a model written by WriteSnapshot. It decodes the
// objects one at a time, so a 40 MB snapshot of 10,000 tables costs its
// model and one object, not a second copy of the file as Go values.
func ReadSnapshot(r io.Reader) (*Model, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	notSnapshot := func(err error) error {
		return fmt.Errorf("read snapshot: not a driftwatch JSON snapshot: %w", err)
	}
	if err := expectDelim(dec, '{'); err != nil {
		return nil, notSnapshot(err)
	}
	var (
		f  snapshotFile
		m  = &Model{}
		so snapshotObject
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, notSnapshot(err)
		}
		switch tok {
		case "format":
			err = dec.Decode(&f.Format)
		case "version":
			err = dec.Decode(&f.Version)
		case "server_version":
			err = dec.Decode(&f.ServerVersion)
		case "objects":
			err = expectDelim(dec, '[')
			for i := 0; err == nil && dec.More(); i++ {
				attrs := so.Attrs
				clear(attrs)
				so = snapshotObject{Attrs: attrs}
				if err = dec.Decode(&so); err != nil {
					break
				}
				var o *Object
				if o, err = so.object(i); err != nil {
					return nil, err
				}
				m.Objects = append(m.Objects, o)
			}
			if err == nil {
				err = expectDelim(dec, ']')
			}
		default:
			err = fmt.Errorf("json: unknown field %v", tok)
		}
		if err != nil {
			return nil, notSnapshot(err)
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, notSnapshot(err)
	}
	if f.Format != SnapshotFormat {
		return nil, fmt.Errorf("read snapshot: format is %q, want %q (make one with 'driftwatch snapshot --format json')", f.Format, SnapshotFormat)
	}
	if f.Version != SnapshotVersion {
		return nil, fmt.Errorf("read snapshot: version %d is not supported (this driftwatch reads version %d); regenerate it with 'driftwatch snapshot --format json'", f.Version, SnapshotVersion)
	}
	m.ServerVersion = f.ServerVersion
	m.Sort()
	for i := 1; i < len(m.Objects); i++ {
		if compareObjects(m.Objects[i-1], m.Objects[i]) == 0 {
			o := m.Objects[i]
			return nil, fmt.Errorf("read snapshot: duplicate %s %s", o.Kind, o.Identity())
		}
	}
	return m, nil
}

// object turns the i-th object of a snapshot into a model object.
func (so *snapshotObject) object(i int) (*Object, error) {
	if !ValidKind(so.Kind) {
		return nil, fmt.Errorf("read snapshot: object %d: unknown kind %q", i, so.Kind)
	}
	if so.Name == "" {
		return nil, fmt.Errorf("read snapshot: object %d (%s): empty name", i, so.Kind)
	}
	o := newObject(so.Kind, so.Schema, so.Table, so.Name)
	vals := o.attrList()
	for k, v := range so.Attrs {
		j := attrIndex(so.Kind, k)
		if j < 0 {
			return nil, fmt.Errorf("read snapshot: object %d (%s %s): unknown attribute %q", i, so.Kind, o.Identity(), k)
		}
		if strings.IndexByte(v, 0) >= 0 {
			return nil, fmt.Errorf("read snapshot: object %d (%s %s): attribute %q holds a NUL byte", i, so.Kind, o.Identity(), k)
		}
		vals[j] = v
	}
	o.setAttrs(vals)
	o.SetComment(so.Comment)
	o.SetACL(so.ACL)
	o.SetInherited(so.Inherited)
	o.SetDeps(so.Deps)
	return o, nil
}

// expectDelim reads the next token, which must be the delimiter d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != d {
		return fmt.Errorf("json: found %v where %v was expected", tok, d)
	}
	return nil
}
