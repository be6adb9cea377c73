package checker

import (
	"context"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// defaultACLOn joins a default privileges entry's role and the kind of
// object it is for in its Name: "app ON TABLES".
const defaultACLOn = " ON "

// defaultACLObjects names pg_default_acl's object types as ALTER DEFAULT
// PRIVILEGES does.
var defaultACLObjects = map[string]string{"r": "TABLES", "S": "SEQUENCES", "f": "FUNCTIONS", "T": "TYPES", "n": "SCHEMAS"}

// defaultACLs reads the default privileges roles have set.
func (in *inspector) defaultACLs(ctx context.Context) error {
	return in.each(ctx, "default_acls", nil, func(rows pgx.Rows) error {
		var (
			role, objtype string
			schema        *string
			acl           []string
		)
		if err := rows.Scan(&role, &schema, &objtype, &acl); err != nil {
			return err
		}
		objects, ok := defaultACLObjects[objtype]
		if !ok {
			return nil // a kind of object this version does not know: not compared
		}
		o := newObject(KindDefaultACL, str(schema), "", role+defaultACLOn+objects)
		// The role's own privileges are left out, as an owner's are: an
		// entry that differs from the defaults only in those is none.
		o.SetACL(normalizeACL(acl, false, role, ""))
		if o.ACL() != defaultACL(o) {
			in.m.Add(o)
		}
		return nil
	})
}

// splitDefaultACL splits an entry's Name into role and kind of object
// (the role's name may hold " ON " too).
func splitDefaultACL(name string) (role, objects string) {
	if i := strings.LastIndex(name, defaultACLOn); i >= 0 {
		return name[:i], name[i+len(defaultACLOn):]
	}
	return name, ""
}

// defaultACLScope is whose an entry is and where it applies, "FOR ROLE
// app [IN SCHEMA s]", and the kind of object it is for.
func defaultACLScope(o *Object) (scope, objects string) {
	role, objects := splitDefaultACL(o.Name)
	scope = "FOR ROLE " + QuoteIdentMin(role)
	if o.Schema != "" {
		scope += " IN SCHEMA " + QuoteIdentMin(o.Schema)
	}
	return scope, objects
}

// defaultACLPrefix is the start of an entry's ALTER DEFAULT PRIVILEGES
// statements, up to GRANT or REVOKE, and the kind of object they name.
func defaultACLPrefix(o *Object) (prefix, objects string) {
	scope, objects := defaultACLScope(o)
	return "ALTER DEFAULT PRIVILEGES " + scope + " ", objects
}

// defaultACLIdentity is how an entry reads: "FOR ROLE app IN SCHEMA s ON TABLES".
func defaultACLIdentity(o *Object) string {
	scope, objects := defaultACLScope(o)
	return scope + " ON " + objects
}

// defaultACLKind names the kind of object ALTER DEFAULT PRIVILEGES says
// o is, or "" for one it does not cover.
func defaultACLKind(o *Object) string {
	switch o.Kind {
	case KindTable, KindView, KindMatView:
		return "TABLES"
	case KindSequence:
		return "SEQUENCES"
	case KindFunction:
		return "FUNCTIONS"
	case KindType:
		return "TYPES"
	case KindSchema:
		return "SCHEMAS"
	}
	return ""
}

// createdACL is what a fix knows of the privileges an object it creates
// starts with: the built-in defaults (defaultACL), unless the live
// database has default privileges for such objects, which the creating
// role's may add to or take from. Then every grantee they name, and
// PUBLIC where they may have taken its default, is given as unknown
// ("?"), so that privileges revokes it and grants what canonical says.
func (b *sqlBuilder) createdACL(o *Object) string {
	base := defaultACL(o)
	objects := defaultACLKind(o)
	if b.have == nil || objects == "" {
		return base
	}
	unknown := map[string]bool{}
	for _, d := range b.have.ofKind(KindDefaultACL) {
		if d.Schema != "" && d.Schema != o.Schema {
			continue
		}
		if _, of := splitDefaultACL(d.Name); of != objects {
			continue
		}
		for g := range aclMap(d.ACL()) {
			unknown[g] = true
		}
		if d.Schema == "" && base != "" {
			unknown["PUBLIC"] = true // the entry replaces the built-in defaults
		}
	}
	if len(unknown) == 0 {
		return base
	}
	items := aclMap(base)
	for g := range unknown {
		items[g] = "?"
	}
	out := make([]string, 0, len(items))
	for g, p := range items {
		out = append(out, g+"="+p)
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}
