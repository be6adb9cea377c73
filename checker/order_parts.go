package checker

import (
	"fmt"
	"sort"
	"strings"
)

// partsCalling lists the parts of live tables that call function fn (any
// overload of its name): constraints, indexes that are not a constraint's,
// policies and triggers, and the columns whose default calls it. The
// tables come from the dependency index (a table depends on the functions
// its parts call); the parts are found by the function's qualified name in
// their definitions, as PostgreSQL prints a call with search_path empty.
func partsCalling(have *Model, fn *Object) (parts, defaults []*Object) {
	name, _ := splitSignature(fn.Name)
	call := QualifiedName(fn.Schema, name) + "("
	var used []*Object
	for _, t := range have.dependentsOf(fn.Key()) {
		if t.Kind == KindTable {
			used = append(used, have.childrenOf(t.Schema, t.Name)...)
		}
	}
	for _, o := range sortedObjects(used) {
		switch o.Kind {
		case KindColumn:
			if strings.Contains(o.Attr("default"), call) {
				defaults = append(defaults, o)
			}
		case KindConstraint, KindIndex, KindPolicy, KindTrigger:
			if o.Kind == KindIndex && have.Lookup(Key(KindConstraint, o.Schema, o.Table, o.Name)) != nil {
				continue // the constraint's
			}
			if o.Inherited() {
				continue // goes and comes with its parent's
			}
			for _, a := range o.attrList() {
				if strings.Contains(a, call) {
					parts = append(parts, o)
					break
				}
			}
		}
	}
	return parts, defaults
}

// callersOf maps the key of each function in fns to the live objects that
// call it: the parts partsCalling finds, generated columns too, and
// domains (their checks and default). It reads every such object's text
// once instead of the dependency index: a table read as equal to
// canonical's carries canonical's dependencies, not the live ones, so the
// index cannot say which tables call a function only the live database
// has.
func callersOf(have *Model, fns []*Object) map[string][]*Object {
	calls := map[string][]string{} // "schema.name(" -> function keys
	lengths := map[int]bool{}
	for _, fn := range fns {
		name, _ := splitSignature(fn.Name)
		c := QualifiedName(fn.Schema, name) + "("
		calls[c] = append(calls[c], fn.Key())
		lengths[len(c)] = true
	}
	out := map[string][]*Object{}
	for _, o := range have.Objects {
		var vals []string
		switch o.Kind {
		case KindColumn:
			vals = []string{o.Attr("default"), o.Attr("generated")}
		case KindConstraint, KindIndex, KindPolicy, KindTrigger:
			if o.Inherited() || o.Kind == KindIndex && have.Lookup(Key(KindConstraint, o.Schema, o.Table, o.Name)) != nil {
				continue
			}
			vals = o.attrList()
		case KindType:
			if o.Attr("type") != "domain" {
				continue
			}
			for _, p := range typeParts(o) {
				vals = append(vals, p[1])
			}
		default:
			continue
		}
		seen := map[string]bool{}
		for _, v := range vals {
			for i := strings.IndexByte(v, '('); i >= 0; {
				for l := range lengths {
					if l <= i+1 {
						for _, k := range calls[v[i+1-l:i+1]] {
							if !seen[k] {
								seen[k] = true
								out[k] = append(out[k], o)
							}
						}
					}
				}
				next := strings.IndexByte(v[i+1:], '(')
				if next < 0 {
					break
				}
				i += next + 1
			}
		}
	}
	return out
}

// addCollateralParts makes room for the drop of a function that parts of
// tables still call (DROP FUNCTION refuses while they do): those parts go
// first, in the dropping item. A part that has an item of its own later
// (changed) is made by that item; one that is the same in canonical comes
// back from canonical, after the items that create the functions its
// canonical table calls (the function that replaces the dropped one, as
// when a parameter is renamed), in phase order. A column stands for its
// default or generation expression.
func addCollateralParts(items []*Drift, want, have *Model) {
	if want == nil || have == nil {
		return
	}
	itemOf, creator := itemsByKey(items)
	var fns []*Object
	for _, it := range items {
		if it.Change == Unexpected && it.actual.Kind == KindFunction {
			fns = append(fns, it.actual)
		}
	}
	if len(fns) == 0 {
		return
	}
	callers := callersOf(have, fns)
	// Views and materialized views that go and come back whole (their own
	// item, or collateral of a drop) take their indexes and triggers along.
	whole := map[string]bool{}
	for k := range itemOf {
		whole[k] = true
	}
	for _, it := range items {
		for _, v := range it.before {
			whole[v.Key()] = true
		}
	}
	taken := map[string]bool{}
	for i, it := range items {
		if it.Change != Unexpected || it.actual.Kind != KindFunction {
			continue
		}
		for _, o := range callers[it.actual.Key()] {
			if taken[o.Key()] || whole[Key(KindView, o.Schema, "", o.Table)] || whole[Key(KindMatView, o.Schema, "", o.Table)] {
				continue
			}
			j, own := itemOf[o.Key()]
			if own && j < i {
				continue // its own item, earlier, drops or changes it
			}
			if o.Kind == KindType {
				if !own {
					domainCollateral(items, i, o, want.Lookup(o.Key()), it.actual, creator)
				}
				continue
			}
			taken[o.Key()] = true
			it.before = append(it.before, o)
			if own {
				continue // its own item, later, makes it as canonical has it
			}
			w := want.Lookup(o.Key())
			if w == nil || (o.Kind == KindColumn && w.Attr("default") == "" && w.Attr("generated") == "") {
				continue
			}
			pos := i
			if t := want.Lookup(w.ParentKey()); t != nil {
				for _, k := range t.Deps() {
					if j, ok := creator[k]; ok && j > pos {
						pos = j
					}
				}
			}
			items[pos].recreate = append(items[pos].recreate, [2]*Object{w, o})
		}
	}
	for _, it := range items {
		// constraints before the indexes and triggers that may need them
		sort.SliceStable(it.recreate, func(a, b int) bool {
			return phaseOf(it.recreate[a][0]) < phaseOf(it.recreate[b][0])
		})
	}
}

// domainCollateral takes from a live domain the checks and default that
// call fn, in the item dropping fn, and gives them back as the canonical
// domain has them (the same: the domain has no item of its own) after the
// items that create the functions it calls.
func domainCollateral(items []*Drift, i int, have, want *Object, fn *Object, creator map[string]int) {
	name, _ := splitSignature(fn.Name)
	call := QualifiedName(fn.Schema, name) + "("
	hv, hc := domainParts(have)
	var wv, wc map[string]string
	if want != nil {
		wv, wc = domainParts(want)
	}
	pos := i
	if want != nil {
		for _, k := range want.Deps() {
			if j, ok := creator[k]; ok && j > pos {
				pos = j
			}
		}
	}
	d := qname(have)
	for _, c := range sortedKeys(hc) {
		if strings.Contains(hc[c], call) {
			items[i].domainBefore = append(items[i].domainBefore, fmt.Sprintf("ALTER DOMAIN %s DROP CONSTRAINT IF EXISTS %s;", d, c))
			if def, ok := wc[c]; ok {
				items[pos].domainAfter = append(items[pos].domainAfter, fmt.Sprintf("ALTER DOMAIN %s ADD CONSTRAINT %s %s;", d, c, def))
			}
		}
	}
	if strings.Contains(hv["default"], call) {
		items[i].domainBefore = append(items[i].domainBefore, fmt.Sprintf("ALTER DOMAIN %s DROP DEFAULT;", d))
		if def := wv["default"]; def != "" {
			items[pos].domainAfter = append(items[pos].domainAfter, fmt.Sprintf("ALTER DOMAIN %s SET DEFAULT %s;", d, def))
		}
	}
}
