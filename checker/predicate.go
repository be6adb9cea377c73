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
	type group struct {
		rep     uint32 // the index whose predicate is deparsed
		members []*indexFields
	}
	groups := map[string]*group{}
	var order []*group
	for _, f := range pending {
		if f.predicateTree == nil {
			continue
		}
		key := f.predicateKey
		if !f.predicateOwn {
			var b strings.Builder
			b.WriteString(key)
			for _, a := range f.predicateCols {
				b.WriteByte(0)
				b.WriteString(p.column(f.table, a).name)
			}
			key = b.String()
		} else {
			key = "\x00index " + strconv.FormatUint(uint64(f.indexOID), 10)
		}
		g := groups[key]
		if g == nil {
			g = &group{rep: f.indexOID}
			groups[key] = g
			order = append(order, g)
		}
		g.members = append(g.members, f)
	}
	if len(order) == 0 {
		return nil
	}
	reps := make([]uint32, len(order))
	byRep := make(map[uint32]*group, len(order))
	for i, g := range order {
		reps[i] = g.rep
		byRep[g.rep] = g
	}
	return in.each(ctx, "index_predicates", []any{reps}, func(rows pgx.Rows) error {
		var (
			oid  uint32
			text string
		)
		if err := rows.Scan(&oid, &text); err != nil {
			return err
		}
		if g := byRep[oid]; g != nil {
			for _, f := range g.members {
				f.predicate = &text
			}
		}
		return nil
	})
}
