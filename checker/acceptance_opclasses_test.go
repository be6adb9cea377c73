package checker

import "testing"

// Operator families and classes: what a class holds (type, DEFAULT,
// family, storage, members) and what a family holds loose; a changed
// class is made anew with the indexes and keys that use it.
func TestAcceptanceOperatorClasses(t *testing.T) {
	const base = `CREATE SCHEMA ops;
CREATE TYPE ops.mood AS ENUM ('sad', 'ok', 'happy');
CREATE FUNCTION ops.mood_cmp(ops.mood, ops.mood) RETURNS int LANGUAGE sql IMMUTABLE STRICT
  RETURN CASE WHEN $1 < $2 THEN 1 WHEN $1 > $2 THEN -1 ELSE 0 END;
CREATE FUNCTION ops.mood_before(ops.mood, ops.mood) RETURNS bool LANGUAGE sql IMMUTABLE STRICT RETURN $1 > $2;
CREATE OPERATOR ops.<<< (FUNCTION = ops.mood_before, LEFTARG = ops.mood, RIGHTARG = ops.mood);
CREATE TABLE ops.t (m ops.mood, n int);
`
	const class = `CREATE OPERATOR CLASS ops."mood, backwards" FOR TYPE ops.mood USING btree AS
  OPERATOR 1 ops.<<<, OPERATOR 3 =(anyenum, anyenum), FUNCTION 1 ops.mood_cmp(ops.mood, ops.mood);
`
	const users = `CREATE INDEX t_order ON ops.t (m ops."mood, backwards");
ALTER TABLE ops.t ADD CONSTRAINT one_mood EXCLUDE USING btree (m ops."mood, backwards" WITH =);
`
	const loose = `CREATE OPERATOR FAMILY ops.loose USING hash;
ALTER OPERATOR FAMILY ops.loose USING hash ADD OPERATOR 1 =(int4, int4), FUNCTION 1 hashint4(int4);
`
	every := base + class + users + loose
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name: "family made first, then its class", canonical: every,
			live: base + `CREATE OPERATOR FAMILY ops."mood, backwards" USING btree;
CREATE OPERATOR CLASS ops."mood, backwards" FOR TYPE ops.mood USING btree FAMILY ops."mood, backwards" AS
  FUNCTION 1 ops.mood_cmp(ops.mood, ops.mood), OPERATOR 3 =(anyenum, anyenum), OPERATOR 1 ops.<<<;
` + users + loose,
		},
		{
			name:      "missing class and family, used by an index and a key",
			canonical: every,
			live:      base + loose,
			want: []string{"missing constraint ops.t.one_mood", "missing index ops.t.t_order",
				"missing operator class ops.\"mood, backwards\" USING btree", "missing operator family ops.\"mood, backwards\" USING btree"},
		},
		{
			name:      "unexpected class and family",
			canonical: base + loose,
			live:      every + `COMMENT ON OPERATOR CLASS ops."mood, backwards" USING btree IS 'gone';`,
			want: []string{"unexpected constraint ops.t.one_mood", "unexpected index ops.t.t_order",
				"unexpected operator class ops.\"mood, backwards\" USING btree", "unexpected operator family ops.\"mood, backwards\" USING btree"},
		},
		{
			name:      "a member missing: made anew with the index and key using it",
			canonical: every,
			live: base + `CREATE OPERATOR CLASS ops."mood, backwards" FOR TYPE ops.mood USING btree AS
  OPERATOR 3 =(anyenum, anyenum), FUNCTION 1 ops.mood_cmp(ops.mood, ops.mood);
COMMENT ON OPERATOR CLASS ops."mood, backwards" USING btree IS 'kept';
` + users + loose,
			want: []string{"changed operator class ops.\"mood, backwards\" USING btree"},
		},
		{
			// the index definitions leave a default class out
			name:      "default for its type",
			canonical: every,
			live: base + `CREATE OPERATOR CLASS ops."mood, backwards" DEFAULT FOR TYPE ops.mood USING btree AS
  OPERATOR 1 ops.<<<, OPERATOR 3 =(anyenum, anyenum), FUNCTION 1 ops.mood_cmp(ops.mood, ops.mood);
` + users + loose,
			want: []string{"changed constraint ops.t.one_mood", "changed index ops.t.t_order",
				"changed operator class ops.\"mood, backwards\" USING btree"},
		},
		{
			name:      "in another family",
			canonical: every,
			live: base + `CREATE OPERATOR FAMILY ops.moods USING btree;
CREATE OPERATOR CLASS ops."mood, backwards" FOR TYPE ops.mood USING btree FAMILY ops.moods AS
  OPERATOR 1 ops.<<<, OPERATOR 3 =(anyenum, anyenum), FUNCTION 1 ops.mood_cmp(ops.mood, ops.mood);
` + users + loose,
			want: []string{"changed operator class ops.\"mood, backwards\" USING btree",
				"missing operator family ops.\"mood, backwards\" USING btree", "unexpected operator family ops.moods USING btree"},
		},
		{
			name:      "loose members changed in place",
			canonical: every,
			live: base + class + users + `CREATE OPERATOR FAMILY ops.loose USING hash;
ALTER OPERATOR FAMILY ops.loose USING hash ADD OPERATOR 1 =(int8, int8), FUNCTION 1 hashint8(int8);`,
			want: []string{"changed operator family ops.loose USING hash"},
		},
		{
			name:      "a class of the same name for another method",
			canonical: every,
			live: every + `CREATE OPERATOR CLASS ops."mood, backwards" FOR TYPE ops.mood USING hash AS
  OPERATOR 1 =(anyenum, anyenum), FUNCTION 1 hashenum(anyenum);`,
			want: []string{"unexpected operator class ops.\"mood, backwards\" USING hash",
				"unexpected operator family ops.\"mood, backwards\" USING hash"},
		},
		{
			name: "a gist class's storage type and ordering operator",
			canonical: base + `CREATE EXTENSION btree_gist;
CREATE OPERATOR CLASS ops.int4_near FOR TYPE int4 USING gist AS
  OPERATOR 3 =, OPERATOR 15 <-> FOR ORDER BY pg_catalog.integer_ops,
  FUNCTION 1 gbt_int4_consistent(internal, int4, int2, oid, internal), FUNCTION 2 gbt_int4_union(internal, internal),
  FUNCTION 3 gbt_int4_compress(internal), FUNCTION 4 gbt_decompress(internal),
  FUNCTION 5 gbt_int4_penalty(internal, internal, internal), FUNCTION 6 gbt_int4_picksplit(internal, internal),
  FUNCTION 7 gbt_int4_same(gbtreekey8, gbtreekey8, internal), STORAGE gbtreekey8;
CREATE INDEX t_near ON ops.t USING gist (n ops.int4_near);`,
			live: base + `CREATE EXTENSION btree_gist;
CREATE OPERATOR CLASS ops.int4_near FOR TYPE int4 USING gist AS
  OPERATOR 3 =,
  FUNCTION 1 gbt_int4_consistent(internal, int4, int2, oid, internal), FUNCTION 2 gbt_int4_union(internal, internal),
  FUNCTION 3 gbt_int4_compress(internal), FUNCTION 4 gbt_decompress(internal),
  FUNCTION 5 gbt_int4_penalty(internal, internal, internal), FUNCTION 6 gbt_int4_picksplit(internal, internal),
  FUNCTION 7 gbt_int4_same(gbtreekey8, gbtreekey8, internal), STORAGE gbtreekey8;
CREATE INDEX t_near ON ops.t USING gist (n ops.int4_near);`,
			want: []string{"changed operator family ops.int4_near USING gist"},
		},
		{
			name:      "an extension's classes are the extension's",
			canonical: base + `CREATE EXTENSION btree_gist;`,
			live:      base + `CREATE EXTENSION btree_gist;`,
		},
	})
}
