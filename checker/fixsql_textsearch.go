package checker

import (
	"fmt"
	"slices"
	"strings"
)

// createTSDictionary creates a text search dictionary.
func (b *sqlBuilder) createTSDictionary(o *Object) {
	b.add("CREATE TEXT SEARCH DICTIONARY %s (%s);", qname(o), tsDictionaryDef(o))
}

// tsDictionaryDef is a dictionary's definition as CREATE takes it.
func tsDictionaryDef(o *Object) string {
	def := "TEMPLATE = " + o.Attr("template")
	if opts := o.Attr("options"); opts != "" {
		def += ", " + opts
	}
	return def
}

// createTSConfig creates a text search configuration: made with its
// parser, it maps no token type until its mappings are added.
func (b *sqlBuilder) createTSConfig(o *Object) {
	b.add("CREATE TEXT SEARCH CONFIGURATION %s (PARSER = %s);", qname(o), o.Attr("parser"))
	b.addMappings(o, "ADD", tsMappings(o))
}

// addMappings adds (verb ADD) or changes (ALTER) mappings, one statement
// per list of dictionaries, its token types in order.
func (b *sqlBuilder) addMappings(o *Object, verb string, ms []tsMapping) {
	var lists []string
	tokens := map[string][]string{}
	for _, m := range ms {
		if _, ok := tokens[m.dicts]; !ok {
			lists = append(lists, m.dicts)
		}
		tokens[m.dicts] = append(tokens[m.dicts], m.token)
	}
	for _, l := range lists {
		b.add("ALTER TEXT SEARCH CONFIGURATION %s %s MAPPING FOR %s WITH %s;", qname(o), verb, strings.Join(tokens[l], ", "), l)
	}
}

// alterTSDictionary changes a dictionary's options in place (the options
// not named keep their values; one named without a value is removed);
// another template takes a new dictionary.
func (b *sqlBuilder) alterTSDictionary(want, have *Object, changed func(...string) bool) {
	if changed("template") {
		b.drop(have)
		b.createTSDictionary(want)
		return
	}
	if !changed("options") {
		return
	}
	set, reset := optionChanges(want.Attr("options"), have.Attr("options"), " = ")
	b.add("ALTER TEXT SEARCH DICTIONARY %s (%s);", qname(want), strings.Join(append(set, reset...), ", "))
}

// alterTSConfig changes a configuration's mappings in place; another
// parser takes a new configuration.
func (b *sqlBuilder) alterTSConfig(want, have *Object, changed func(...string) bool) {
	if changed("parser") {
		b.drop(have)
		b.createTSConfig(want)
		return
	}
	if !changed("mappings") {
		return
	}
	old := map[string]string{}
	for _, m := range tsMappings(have) {
		old[m.token] = m.dicts
	}
	var add, alter []tsMapping
	for _, m := range tsMappings(want) {
		d, ok := old[m.token]
		switch {
		case !ok:
			add = append(add, m)
		case d != m.dicts:
			alter = append(alter, m)
		}
		delete(old, m.token)
	}
	if len(old) > 0 {
		var gone []string
		for t := range old {
			gone = append(gone, t)
		}
		slices.Sort(gone)
		b.add("ALTER TEXT SEARCH CONFIGURATION %s DROP MAPPING IF EXISTS FOR %s;", qname(want), strings.Join(gone, ", "))
	}
	b.addMappings(want, "ALTER", alter)
	b.addMappings(want, "ADD", add)
}

// alterTSFunctions makes a parser or template with other functions anew:
// nothing else of it can be altered. One that a configuration or
// dictionary uses cannot be dropped while they do.
func (b *sqlBuilder) alterTSFunctions(want, have *Object, changed func(...string) bool) {
	if !changed("definition") {
		return
	}
	if have.Attr("used") == "true" {
		users := "configurations"
		if have.Kind == KindTSTemplate {
			users = "dictionaries"
		}
		b.needsPerson(fmt.Sprintf("%s %s is used by %s: drop them, make it again with %s, then make them again",
			strings.ToLower(specOf(have.Kind).sqlKind), qname(have), users, want.Attr("definition")))
		return
	}
	b.drop(have)
	b.create(want, nil, DiffOptions{})
	b.keepComment(want, have)
}

// describeTS is how a text search object reads in a report.
func describeTS(o *Object) string {
	switch o.Kind {
	case KindTSParser, KindTSTemplate:
		return o.Attr("definition")
	case KindTSDictionary:
		return tsDictionaryDef(o)
	}
	return "PARSER = " + o.Attr("parser") + "; " + o.Attr("mappings")
}
