package checker

import "testing"

// User-defined operators: their function, commutator, negator, estimators
// and hash/merge support; prefix operators; names that need no quoting
// but are no identifiers.
func TestAcceptanceOperators(t *testing.T) {
	const fns = `CREATE SCHEMA ops;
CREATE FUNCTION ops.approx_eq(numeric, numeric) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN abs($1 - $2) < 0.01;
CREATE FUNCTION ops.approx_ne(numeric, numeric) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN abs($1 - $2) >= 0.01;
CREATE FUNCTION ops.neg_text(text) RETURNS text LANGUAGE sql IMMUTABLE RETURN reverse($1);
`
	const every = fns + `CREATE OPERATOR ops.~= (FUNCTION = ops.approx_eq, LEFTARG = numeric, RIGHTARG = numeric,
  COMMUTATOR = OPERATOR(ops.~=), NEGATOR = OPERATOR(ops.!~=), RESTRICT = eqsel, JOIN = eqjoinsel);
CREATE OPERATOR ops.!~= (FUNCTION = ops.approx_ne, LEFTARG = numeric, RIGHTARG = numeric,
  COMMUTATOR = OPERATOR(ops.!~=), NEGATOR = OPERATOR(ops.~=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR ops.~~~ (FUNCTION = ops.neg_text, RIGHTARG = text);
CREATE TABLE ops.m (a numeric, b numeric, CHECK (a OPERATOR(ops.~=) b OR a < b));
CREATE VIEW ops.close AS SELECT a, b FROM ops.m WHERE a OPERATOR(ops.~=) b;`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "missing operators, used by a check and a view",
			canonical: every,
			live:      fns + `CREATE TABLE ops.m (a numeric, b numeric);`,
			want: []string{"missing constraint ops.m.m_check", "missing operator ops.!~=(numeric, numeric)",
				"missing operator ops.~=(numeric, numeric)", "missing operator ops.~~~(NONE, text)", "missing view ops.close"},
			severity: Critical,
		},
		{
			name:      "unexpected operator",
			canonical: fns,
			live:      fns + `CREATE OPERATOR ops.~~~ (FUNCTION = ops.neg_text, RIGHTARG = text); COMMENT ON OPERATOR ops.~~~(NONE, text) IS 'flip';`,
			want:      []string{"unexpected operator ops.~~~(NONE, text)"},
		},
		{
			name:      "estimators changed in place",
			canonical: every,
			live: fns + `CREATE OPERATOR ops.~= (FUNCTION = ops.approx_eq, LEFTARG = numeric, RIGHTARG = numeric,
  COMMUTATOR = OPERATOR(ops.~=), NEGATOR = OPERATOR(ops.!~=));
CREATE OPERATOR ops.!~= (FUNCTION = ops.approx_ne, LEFTARG = numeric, RIGHTARG = numeric,
  COMMUTATOR = OPERATOR(ops.!~=), NEGATOR = OPERATOR(ops.~=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR ops.~~~ (FUNCTION = ops.neg_text, RIGHTARG = text);
CREATE TABLE ops.m (a numeric, b numeric, CHECK (a OPERATOR(ops.~=) b OR a < b));
CREATE VIEW ops.close AS SELECT a, b FROM ops.m WHERE a OPERATOR(ops.~=) b;`,
			want: []string{"changed operator ops.~=(numeric, numeric)"},
		},
		{
			name:      "another function",
			canonical: fns + `CREATE OPERATOR ops.~~~ (FUNCTION = ops.neg_text, RIGHTARG = text);`,
			live: fns + `CREATE FUNCTION ops.upper_text(text) RETURNS text LANGUAGE sql IMMUTABLE RETURN upper($1);
CREATE OPERATOR ops.~~~ (FUNCTION = ops.upper_text, RIGHTARG = text);`,
			want: []string{"changed operator ops.~~~(NONE, text)", "unexpected function ops.upper_text(text)"},
		},
		{
			name:      "commutator and negator missing",
			canonical: every,
			live: fns + `CREATE OPERATOR ops.~= (FUNCTION = ops.approx_eq, LEFTARG = numeric, RIGHTARG = numeric, RESTRICT = eqsel, JOIN = eqjoinsel);
CREATE OPERATOR ops.!~= (FUNCTION = ops.approx_ne, LEFTARG = numeric, RIGHTARG = numeric, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR ops.~~~ (FUNCTION = ops.neg_text, RIGHTARG = text);
CREATE TABLE ops.m (a numeric, b numeric);`,
			want: []string{"changed operator ops.!~=(numeric, numeric)", "changed operator ops.~=(numeric, numeric)",
				"missing constraint ops.m.m_check", "missing view ops.close"},
		},
		{
			name:      "commutator never defined: a shell on both sides",
			canonical: fns + `CREATE OPERATOR ops.~= (FUNCTION = ops.approx_eq, LEFTARG = numeric, RIGHTARG = numeric, COMMUTATOR = OPERATOR(ops.=~));`,
			live:      fns + `CREATE OPERATOR ops.~= (FUNCTION = ops.approx_eq, LEFTARG = numeric, RIGHTARG = numeric, COMMUTATOR = OPERATOR(ops.=~));`,
		},
		{
			name:      "commutator never defined, missing",
			canonical: fns + `CREATE OPERATOR ops.~= (FUNCTION = ops.approx_eq, LEFTARG = numeric, RIGHTARG = numeric, COMMUTATOR = OPERATOR(ops.=~));`,
			live:      fns,
			want:      []string{"missing operator ops.~=(numeric, numeric)"},
		},
		{
			name:      "same operator for other types",
			canonical: fns + `CREATE OPERATOR ops.~= (FUNCTION = ops.approx_eq, LEFTARG = numeric, RIGHTARG = numeric);`,
			live: fns + `CREATE FUNCTION ops.approx_eq(float8, float8) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN abs($1 - $2) < 0.01;
CREATE OPERATOR ops.~= (FUNCTION = ops.approx_eq, LEFTARG = float8, RIGHTARG = float8);`,
			want: []string{"missing operator ops.~=(numeric, numeric)", "unexpected function ops.approx_eq(double precision, double precision)",
				"unexpected operator ops.~=(double precision, double precision)"},
		},
	})
}
