package checker

import (
	"context"

	"github.com/jackc/pgx/v5"
)

func (in *inspector) operators(ctx context.Context) error {
	return in.each(ctx, "operators", nil, func(rows pgx.Rows) error {
		var (
			schema, name, left, right         string
			fnSchema, fnName, fnArgs          string
			com, neg, restrict, join, comment *string
			hashes, merges                    bool
		)
		if err := rows.Scan(&schema, &name, &left, &right, &fnSchema, &fnName, &fnArgs, &com, &neg, &restrict, &join,
			&hashes, &merges, &comment); err != nil {
			return err
		}
		o := newObject(KindOperator, schema, "", name+"("+left+", "+right+")")
		o.SetAttr("function", QualifiedName(fnSchema, fnName)+"("+fnArgs+")")
		o.SetAttr("commutator", str(com))
		o.SetAttr("negator", str(neg))
		o.SetAttr("restrict", str(restrict))
		o.SetAttr("join", str(join))
		if hashes {
			o.SetAttr("hashes", "true")
		}
		if merges {
			o.SetAttr("merges", "true")
		}
		o.SetComment(str(comment))
		if fnSchema != "pg_catalog" {
			o.AddDep(Key(KindFunction, fnSchema, "", fnName+"("+fnArgs+")")) // dropped after the operator
		}
		in.m.Add(o)
		return nil
	})
}
