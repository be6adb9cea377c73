package checker

import "fmt"

// The fix SQL of an identity column's sequence name (identity.go).

// renameIdentitySequence gives the live identity sequence of a column its
// canonical name (the default one where the options name none). The name
// only: PostgreSQL moves an identity's sequence to another schema with its
// table alone (ALTER SEQUENCE ... SET SCHEMA refuses), and dropping the
// identity to add it anew loses the sequence's value: that is a person's.
func (b *sqlBuilder) renameIdentitySequence(want, have *Object) {
	wantSchema, wantName := identitySequenceOf(want)
	haveSchema, haveName := identitySequenceOf(have)
	switch {
	case wantSchema == haveSchema && wantName == haveName:
	case wantSchema != haveSchema:
		b.needsPerson(fmt.Sprintf("the identity sequence of %s is %s, canonical has %s in another schema: PostgreSQL moves it only with its table; drop the identity and add it again with SEQUENCE NAME %s, then set the new sequence past the column's values with setval",
			want.Identity(), QualifiedName(haveSchema, haveName), QualifiedName(wantSchema, wantName), QualifiedName(wantSchema, wantName)))
	default:
		b.add("ALTER SEQUENCE %s RENAME TO %s;", QualifiedName(haveSchema, haveName), QuoteIdentMin(wantName))
	}
}

// freeIdentityName drops, before the column becomes an identity, the live
// sequence that holds the name canonical's identity sequence has, when
// canonical lacks it and it belongs to the column itself (a serial's, its
// default dropped just before): left for its own item, it would make
// PostgreSQL choose another name (u_id_seq1) for the identity's.
func (b *sqlBuilder) freeIdentityName(col *Object) {
	if b.have == nil || b.want == nil {
		return
	}
	schema, name := identitySequenceOf(col)
	key := Key(KindSequence, schema, "", name)
	seq := b.have.Lookup(key)
	if seq == nil || b.want.Lookup(key) != nil ||
		seq.Attr("owned_by") != QualifiedName(col.Schema, col.Table)+"."+QuoteIdentMin(col.Name) {
		return
	}
	b.drop(seq)
}

// identitySequenceOf is the schema and name of an identity column's
// sequence: the one its options name, or the default.
func identitySequenceOf(c *Object) (schema, name string) {
	if s, n, ok := identitySequenceParts(c.Attr("identity_options")); ok {
		return s, n
	}
	return c.Schema, identitySequenceName(c.Table, c.Name)
}
