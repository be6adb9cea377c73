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
			Comment: o.Comment, ACL: o.ACL, Inherited: o.Inherited}
		vals := o.attrList()
		for i, a := range specOf(o.Kind).attrs {
			if vals[i] != "" {
				if so.Attrs == nil {
					so.Attrs = map[string]string{}
				}
				so.Attrs[a.name] = vals[i]
			}
		}
		if len(o.Deps) > 0 {
			so.Deps = append([]string(nil), o.Deps...)
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

// ReadSnapshot reads a model written by WriteSnapshot.
func ReadSnapshot(r io.Reader) (*Model, error) {
	var f snapshotFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("read snapshot: not a driftwatch JSON snapshot: %w", err)
	}
	if f.Format != SnapshotFormat {
		return nil, fmt.Errorf("read snapshot: format is %q, want %q (make one with 'driftwatch snapshot --format json')", f.Format, SnapshotFormat)
	}
	if f.Version != SnapshotVersion {
		return nil, fmt.Errorf("read snapshot: version %d is not supported (this driftwatch reads version %d); regenerate it with 'driftwatch snapshot --format json'", f.Version, SnapshotVersion)
	}
	m := &Model{ServerVersion: f.ServerVersion, Objects: make([]*Object, 0, len(f.Objects))}
	seen := make(map[string]bool, len(f.Objects))
	for i, so := range f.Objects {
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
		o.Comment, o.ACL, o.Inherited, o.Deps = so.Comment, so.ACL, so.Inherited, so.Deps
		if seen[o.Key()] {
			return nil, fmt.Errorf("read snapshot: object %d: duplicate %s %s", i, so.Kind, o.Identity())
		}
		seen[o.Key()] = true
		m.Objects = append(m.Objects, o)
	}
	m.Sort()
	return m, nil
}
