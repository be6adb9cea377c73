package checker

import (
	"fmt"
	"strings"
)

// domainCreate writes a domain's CREATE DOMAIN. A CHECK constraint added
// NOT VALID (ALTER DOMAIN ... ADD CONSTRAINT ... NOT VALID, which pg_dump
// keeps as such) cannot be written inside CREATE DOMAIN: it is added
// after it, as pg_dump does.
func domainCreate(o *Object) string {
	def := o.Attr("definition")
	var later []string
	for _, l := range strings.Split(o.Attr("labels"), "\x1f") {
		p := strings.Split(l, "\x1e")
		if len(p) != 3 || p[0] != "check" || !strings.HasSuffix(p[2], " NOT VALID") {
			continue
		}
		// labels quote the name as the definition does.
		def = strings.Replace(def, " CONSTRAINT "+p[1]+" "+p[2], "", 1)
		later = append(later, fmt.Sprintf("ALTER DOMAIN %s ADD CONSTRAINT %s %s;", qname(o), p[1], p[2]))
	}
	return strings.Join(append([]string{fmt.Sprintf("CREATE DOMAIN %s AS %s;", qname(o), def)}, later...), "\n")
}
