package checker

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Foreign-data wrappers, foreign servers, casts and publications: objects
// outside any schema, read on full reads only (a re-check's scope never
// names them; the daemon sweeps after DDL on them). User mappings are
// never read: their options hold passwords.

func (in *inspector) foreignDataWrappers(ctx context.Context) error {
	return in.each(ctx, "foreign_data_wrappers", nil, func(rows pgx.Rows) error {
		var (
			name                                              string
			handler, validator, options, optionNames, comment *string
		)
		if err := rows.Scan(&name, &handler, &validator, &options, &optionNames, &comment); err != nil {
			return err
		}
		o := newObject(KindFDW, "", "", name)
		o.setNamed(
			"handler", str(handler),
			"validator", str(validator),
			"options", str(options),
			"option_names", str(optionNames),
		)
		o.SetComment(str(comment))
		in.m.Add(o)
		return nil
	})
}

func (in *inspector) foreignServers(ctx context.Context) error {
	return in.each(ctx, "foreign_servers", nil, func(rows pgx.Rows) error {
		var (
			name, wrapper                               string
			typ, version, options, optionNames, comment *string
		)
		if err := rows.Scan(&name, &wrapper, &typ, &version, &options, &optionNames, &comment); err != nil {
			return err
		}
		o := newObject(KindServer, "", "", name)
		o.setNamed(
			"wrapper", wrapper,
			"type", str(typ),
			"version", str(version),
			"options", str(options),
			"option_names", str(optionNames),
		)
		o.SetComment(str(comment))
		in.m.Add(o)
		return nil
	})
}

var castMethodWords = map[string]string{"b": "WITHOUT FUNCTION", "i": "WITH INOUT"}
var castContextWords = map[string]string{"e": "explicit", "a": "assignment", "i": "implicit"}

func (in *inspector) casts(ctx context.Context) error {
	return in.each(ctx, "casts", nil, func(rows pgx.Rows) error {
		var (
			source, target, method, context string
			fn, comment                     *string
		)
		if err := rows.Scan(&source, &target, &method, &fn, &context, &comment); err != nil {
			return err
		}
		m := castMethodWords[method]
		if method == "f" {
			m = "WITH FUNCTION " + str(fn)
		}
		o := newObject(KindCast, "", "", "("+source+" AS "+target+")")
		o.setNamed("method", m, "context", castContextWords[context])
		o.SetComment(str(comment))
		in.m.Add(o)
		return nil
	})
}

func (in *inspector) publications(ctx context.Context) error {
	return in.each(ctx, "publications", nil, func(rows pgx.Rows) error {
		var (
			name, publish                                   string
			allTables, viaRoot                              bool
			tables, tablesSQL, tableNames, schemas, comment *string
		)
		if err := rows.Scan(&name, &allTables, &publish, &viaRoot, &tables, &tablesSQL, &tableNames, &schemas, &comment); err != nil {
			return err
		}
		o := newObject(KindPublication, "", "", name)
		o.setNamed(
			"all_tables", boolText(allTables),
			"tables", str(tables),
			"schemas", str(schemas),
			"publish", publish,
			"via_root", boolText(viaRoot),
			"tables_sql", str(tablesSQL),
			"table_names", str(tableNames),
		)
		o.SetComment(str(comment))
		in.m.Add(o)
		return nil
	})
}
