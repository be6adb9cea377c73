package checker

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Partial indexes' predicates are deparsed by pg_get_expr, which opens the
// index's table to name its columns: on a fresh connection, a relcache
// build per table (40 µs each, and a lock held to the end of the
// transaction). Many partial indexes share a predicate ("WHERE deleted_at
// IS NULL" on every table), so each distinct predicate is deparsed once:
// two predicates print the same when their node trees are the same but for
// the source positions (:location) and their columns have the same names,
// as the other names a tree refers to (types, operators, functions) are by
// OID within the one database.

// predicateKey returns the key under which tree prints the same for every
// index of the same key, and the attnums of the columns it names. ok is
// false when the tree refers to its table other than by plain columns
// (a whole-row or system column): it is then deparsed on its own.
func predicateKey(tree string) (key string, attnums []int16, ok bool) {
	var b strings.Builder
	b.Grow(len(tree))
	for rest := tree; ; {
		i := strings.Index(rest, " :location ")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i+len(" :location "):]
		j := 0
		for j < len(rest) && (rest[j] == '-' || rest[j] >= '0' && rest[j] <= '9') {
			j++
		}
		rest = rest[j:]
	}
	for rest := tree; ; {
		i := strings.Index(rest, "{VAR ")
		if i < 0 {
			break
		}
		rest = rest[i+len("{VAR "):]
		const field = ":varattno "
		j := strings.Index(rest, field)
		if j < 0 {
			return "", nil, false
		}
		num := rest[j+len(field):]
		if k := strings.IndexByte(num, ' '); k >= 0 {
			num = num[:k]
		}
		n, err := strconv.ParseInt(num, 10, 16)
		if err != nil || n <= 0 {
			return "", nil, false
		}
		attnums = append(attnums, int16(n))
	}
	return b.String(), attnums, true
}

// renderPredicates fills the predicates of the pending indexes from their
// node trees, deparsing each distinct one once. p must hold the names of
// the columns the trees name (see predicateKey).
func (in *inspector) renderPredicates(ctx context.Context, pending []*indexFields, p *indexParts) error {
	var g predicateGroups
	for _, f := range pending {
		if f.predicateTree != nil {
			g.add(f.groupKey(p), f.indexOID, predicateMember{f: f})
		}
	}
	return in.deparse(ctx, &g)
}

// groupKey is the key under which f's predicate prints the same (see
// predicateKey), with the names of the columns it names; an index whose
// predicate cannot be shared has a key of its own.
func (f *indexFields) groupKey(p *indexParts) string {
	if f.predicateOwn {
		return "\x00index " + strconv.FormatUint(uint64(f.indexOID), 10)
	}
	var b strings.Builder
	b.WriteString(f.predicateKey)
	for _, a := range f.predicateCols {
		b.WriteByte(0)
		b.WriteString(p.column(f.table, a).name)
	}
	return b.String()
}

// predicateGroups are partial indexes grouped by the predicate they print.
type predicateGroups struct {
	byKey map[string]*predicateGroup
	byRep map[uint32]*predicateGroup
	reps  []uint32
}

type predicateGroup struct {
	members []predicateMember
}

// predicateMember is an index waiting for its predicate: its fields, to be
// rendered with it, or its object and the definition rendered up to it
// (all an index read after the columns keeps).
type predicateMember struct {
	f      *indexFields
	o      *Object
	prefix string
}

// add puts m in the group of key; rep is the index whose predicate is
// deparsed when the group is new.
func (g *predicateGroups) add(key string, rep uint32, m predicateMember) {
	if g.byKey == nil {
		g.byKey, g.byRep = map[string]*predicateGroup{}, map[uint32]*predicateGroup{}
	}
	grp := g.byKey[key]
	if grp == nil {
		grp = &predicateGroup{}
		g.byKey[key], g.byRep[rep] = grp, grp
		g.reps = append(g.reps, rep)
	}
	grp.members = append(grp.members, m)
}

// deparse deparses each group's predicate once (index_predicates.sql) and
// gives it to the group's members.
func (in *inspector) deparse(ctx context.Context, g *predicateGroups) error {
	if len(g.reps) == 0 {
		return nil
	}
	return in.each(ctx, "index_predicates", []any{g.reps}, func(rows pgx.Rows) error {
		var (
			oid  uint32
			text string
		)
		if err := rows.Scan(&oid, &text); err != nil {
			return err
		}
		grp := g.byRep[oid]
		if grp == nil {
			return nil
		}
		for _, m := range grp.members {
			if m.f != nil {
				m.f.predicate = &text
			} else {
				m.o.SetAttr("definition", m.prefix+" WHERE "+text)
			}
		}
		return nil
	})
}
