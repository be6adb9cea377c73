package checker

import (
	"fmt"
	"io"
	"strings"
)

// WriteSQL writes the model as a SQL script that recreates it in an empty
// database: the fix SQL of the whole model against nothing, in dependency
// order. Its output is deterministic and `check --canonical` accepts it.
func WriteSQL(w io.Writer, m *Model) error {
	var b strings.Builder
	b.WriteString("-- driftwatch snapshot: the canonical schema as SQL.\n")
	fmt.Fprintf(&b, "-- Inspected on server_version_num %d. Regenerate with 'driftwatch snapshot --format sql'.\n\n", m.ServerVersion)
	b.WriteString("SET check_function_bodies = false;\nSET client_min_messages = warning;\n")
	for _, d := range Diff(m, freshDatabase(m.ServerVersion), DiffOptions{Comments: true, Privileges: true}) {
		fmt.Fprintf(&b, "\n-- %s %s\n%s\n", d.ObjectType, d.Identity, d.FixSQL)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write SQL snapshot: %w", err)
	}
	return nil
}

// freshDatabase is what an empty database has that the script does not
// create but may have to change: the public schema, with its comment and
// its privileges (USAGE for PUBLIC, and CREATE too before PostgreSQL 15).
// Against nothing, the public schema's comment and privileges were lost.
func freshDatabase(serverVersion int) *Model {
	public := newObject(KindSchema, "", "", "public")
	public.SetComment("standard public schema")
	if serverVersion >= 150000 {
		public.SetACL("PUBLIC=U")
	} else {
		public.SetACL("PUBLIC=UC")
	}
	m := &Model{ServerVersion: serverVersion}
	m.Add(public)
	return m
}
