package checker

import (
	"context"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

func (in *inspector) tsDictionaries(ctx context.Context) error {
	return in.each(ctx, "ts_dictionaries", nil, func(rows pgx.Rows) error {
		var (
			schema, name, template string
			options, comment       *string
		)
		if err := rows.Scan(&schema, &name, &template, &options, &comment); err != nil {
			return err
		}
		o := newObject(KindTSDictionary, schema, "", name)
		o.SetAttr("template", template)
		addUserDep(o, KindTSTemplate, template) // dropped after the dictionary
		o.SetAttr("options", sortedOptions(str(options)))
		o.SetComment(str(comment))
		in.m.Add(o)
		return nil
	})
}

func (in *inspector) tsConfigs(ctx context.Context) error {
	return in.each(ctx, "ts_configurations", nil, func(rows pgx.Rows) error {
		var (
			schema, name, parser string
			mappings             []string
			comment              *string
		)
		if err := rows.Scan(&schema, &name, &parser, &mappings, &comment); err != nil {
			return err
		}
		o := newObject(KindTSConfig, schema, "", name)
		o.SetAttr("parser", parser)
		addUserDep(o, KindTSParser, parser) // dropped after the configuration
		o.SetAttr("mappings", strings.Join(mappings, "; "))
		o.SetComment(str(comment))
		// the user dictionaries it maps to come first
		for _, m := range tsMappings(o) {
			for _, d := range splitNameList(m.dicts) {
				addUserDep(o, KindTSDictionary, d)
			}
		}
		in.m.Add(o)
		return nil
	})
}

// sortedOptions puts a dictionary's options, "name = 'value', ..." as
// PostgreSQL stores them in the order they were given, in name order: the
// order they are given in means nothing.
func sortedOptions(s string) string {
	opts := splitOptions(s)
	slices.Sort(opts)
	return strings.Join(opts, ", ")
}

// splitOptions splits "a = 'x, y', b = 'z'" at the ", " outside quotes.
func splitOptions(s string) []string {
	return splitOutsideQuotes(s, ", ")
}

// tsMapping is one token type's mapping of a text search configuration.
type tsMapping struct {
	token string // quoted as an identifier
	dicts string // qualified, ", " between them
}

// tsMappings parses a configuration's mappings attribute, "token:
// dictionary, ...; ...".
func tsMappings(o *Object) []tsMapping {
	var out []tsMapping
	for _, m := range splitOutsideQuotes(o.Attr("mappings"), "; ") {
		if p := splitOutsideQuotes(m, ": "); len(p) == 2 {
			out = append(out, tsMapping{p[0], p[1]})
		}
	}
	return out
}

// tsParsers and tsTemplates read text search parsers and templates: a
// definition of functions each, and whether a configuration or dictionary
// uses it.
func (in *inspector) tsParsers(ctx context.Context) error {
	return in.tsFunctions(ctx, "ts_parsers", KindTSParser)
}

func (in *inspector) tsTemplates(ctx context.Context) error {
	return in.tsFunctions(ctx, "ts_templates", KindTSTemplate)
}

func (in *inspector) tsFunctions(ctx context.Context, query string, kind Kind) error {
	return in.each(ctx, query, nil, func(rows pgx.Rows) error {
		var (
			schema, name, def string
			used              bool
			comment           *string
		)
		if err := rows.Scan(&schema, &name, &def, &used, &comment); err != nil {
			return err
		}
		o := newObject(kind, schema, "", name)
		o.SetAttr("definition", def)
		if used {
			o.SetAttr("used", "true")
		}
		o.SetComment(str(comment))
		in.m.Add(o)
		return nil
	})
}

// addUserDep makes o depend on the object of kind k named by qualified,
// "schema.name" quoted, unless it is a built-in one.
func addUserDep(o *Object, k Kind, qualified string) {
	if p := splitQualified(qualified); len(p) == 2 && p[0] != "pg_catalog" {
		o.AddDep(Key(k, p[0], "", p[1]))
	}
}
