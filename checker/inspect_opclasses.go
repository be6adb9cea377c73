package checker

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
)

// opfamilies reads operator families with the members no class holds.
func (in *inspector) opfamilies(ctx context.Context) error {
	return in.each(ctx, "opfamilies", nil, func(rows pgx.Rows) error {
		var (
			schema, name, am string
			members, uses    []string
			comment          *string
		)
		if err := rows.Scan(&schema, &name, &am, &members, &uses, &comment); err != nil {
			return err
		}
		o := newObject(KindOpFamily, schema, "", name+usingSep+am)
		o.SetAttr("members", strings.Join(members, memberSep))
		o.SetComment(str(comment))
		addMemberDeps(o, uses)
		in.m.Add(o)
		return nil
	})
}

// opclasses reads operator classes with the members they hold and the
// indexes and keys that use them.
func (in *inspector) opclasses(ctx context.Context) error {
	return in.each(ctx, "opclasses", nil, func(rows pgx.Rows) error {
		var (
			schema, name, am, typ string
			famSchema, famName    string
			isDefault             bool
			storage, comment      *string
			members, uses, users  []string
		)
		if err := rows.Scan(&schema, &name, &am, &typ, &isDefault, &famSchema, &famName, &storage, &members, &uses, &users, &comment); err != nil {
			return err
		}
		o := newObject(KindOpClass, schema, "", name+usingSep+am)
		o.SetAttr("type", typ)
		if isDefault {
			o.SetAttr("default", "true")
		}
		o.SetAttr("family", QualifiedName(famSchema, famName))
		o.SetAttr("storage", str(storage))
		o.SetAttr("members", strings.Join(members, memberSep))
		o.SetAttr("users", strings.Join(users, "\n"))
		o.SetComment(str(comment))
		addMemberDeps(o, uses)
		// made after its family (the family of the same name, usually)
		o.AddDep(Key(KindOpFamily, famSchema, "", famName+usingSep+am))
		in.m.Add(o)
		return nil
	})
}

// addMemberDeps makes o depend on the user functions and operators its
// family's members name ("kind\x1fschema\x1fname" each).
func addMemberDeps(o *Object, uses []string) {
	for _, u := range uses {
		if p := strings.SplitN(u, "\x1f", 3); len(p) == 3 {
			o.AddDep(Key(Kind(p[0]), p[1], "", p[2]))
		}
	}
}
