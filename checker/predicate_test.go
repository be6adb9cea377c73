package checker

import (
	"reflect"
	"strings"
	"testing"
)

func TestPredicateKey(t *testing.T) {
	// Node trees as PostgreSQL 15 stores them in pg_index.indpred.
	a := `{NULLTEST :arg {VAR :varno 1 :varattno 2 :vartype 1184 :vartypmod -1 :varcollid 0 :varlevelsup 0 :varnosyn 1 :varattnosyn 2 :location 41} :nulltesttype 0 :argisrow false :location 52}`
	b := `{NULLTEST :arg {VAR :varno 1 :varattno 2 :vartype 1184 :vartypmod -1 :varcollid 0 :varlevelsup 0 :varnosyn 1 :varattnosyn 2 :location 7} :nulltesttype 0 :argisrow false :location -1}`
	ka, cols, ok := predicateKey(a)
	kb, _, _ := predicateKey(b)
	if !ok || ka != kb {
		t.Fatalf("the same predicate at other source positions: keys\n%q\n%q", ka, kb)
	}
	if !reflect.DeepEqual(cols, []int16{2}) {
		t.Errorf("columns %v, want [2]", cols)
	}

	and := `{BOOLEXPR :boolop and :args ({VAR :varno 1 :varattno 3 :vartype 16 :vartypmod -1 :varcollid 0 :varlevelsup 0 :varnosyn 1 :varattnosyn 3 :location 5} {OPEXPR :opno 521 :opfuncid 147 :opresulttype 16 :opretset false :opcollid 0 :inputcollid 0 :args ({VAR :varno 1 :varattno 1 :vartype 23 :vartypmod -1 :varcollid 0 :varlevelsup 0 :varnosyn 1 :varattnosyn 1 :location 14} {CONST :consttype 23 :consttypmod -1 :constcollid 0 :constlen 4 :constbyval true :constisnull false :location 19 :constvalue 4 [ 10 0 0 0 0 0 0 0 ]}) :location 17}) :location 10}`
	k, cols, ok := predicateKey(and)
	if !ok || !reflect.DeepEqual(cols, []int16{3, 1}) {
		t.Errorf("columns %v (ok %v), want [3 1] in order of appearance", cols, ok)
	}
	if len(k) >= len(and) || strings.Contains(k, ":location") {
		t.Errorf("key keeps source positions: %q", k)
	}

	// A whole-row reference prints the table's name: never shared.
	whole := `{NULLTEST :arg {VAR :varno 1 :varattno 0 :vartype 16390 :vartypmod -1 :varcollid 0 :varlevelsup 0 :varnosyn 1 :varattnosyn 0 :location 33} :nulltesttype 1 :argisrow false :location 36}`
	if _, _, ok := predicateKey(whole); ok {
		t.Error("a whole-row predicate was given a shared key")
	}
	if _, _, ok := predicateKey(`{VAR :varno 1 :varattno -1 :vartype 27}`); ok {
		t.Error("a system-column predicate was given a shared key")
	}
}
