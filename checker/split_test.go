package checker

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// st abbreviates an expected statement: text and line; meta when the text
// starts with a backslash.
type st struct {
	text string
	line int
}

func TestSplitStatements(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []st
	}{
		{"empty", "", nil},
		{"only comments and semicolons", "-- x\n;;\n/* y */ ;\n", nil},
		{"two statements", "SELECT 1;\nSELECT 2;\n", []st{{"SELECT 1", 1}, {"SELECT 2", 2}}},
		{"trailing text is a statement", "SELECT 1;\n\nSELECT 2\n", []st{{"SELECT 1", 1}, {"SELECT 2", 3}}},
		{"leading and trailing comments dropped", "-- head\n/* c */ SELECT /* in */ 1 -- tail\n;",
			[]st{{"SELECT /* in */ 1", 2}}},
		{"semicolon in string", "INSERT INTO t VALUES ('a;b', 'it''s;');\nSELECT 2;",
			[]st{{"INSERT INTO t VALUES ('a;b', 'it''s;')", 1}, {"SELECT 2", 2}}},
		{"E string with backslash quote", `SELECT E'a\';b', e'\\';SELECT 3;`,
			[]st{{`SELECT E'a\';b', e'\\'`, 1}, {"SELECT 3", 1}}},
		{"word ending in e is not an E string", "SELECT some'x;y'::text;",
			[]st{{"SELECT some'x;y'::text", 1}}},
		{"quoted identifier", `CREATE TABLE "a;""b" (id int);SELECT 1;`,
			[]st{{`CREATE TABLE "a;""b" (id int)`, 1}, {"SELECT 1", 1}}},
		{"dollar quotes", "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\nSELECT 1;",
			[]st{{"CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$", 1}, {"SELECT 1", 6}}},
		{"tagged dollar quotes nest other tags", "DO $outer$ BEGIN EXECUTE $q$SELECT 1;$q$; END $outer$;SELECT $1;",
			[]st{{"DO $outer$ BEGIN EXECUTE $q$SELECT 1;$q$; END $outer$", 1}, {"SELECT $1", 1}}},
		{"dollar inside identifier is not a quote", "SELECT a$b$c FROM t;SELECT 2;",
			[]st{{"SELECT a$b$c FROM t", 1}, {"SELECT 2", 1}}},
		{"nested block comments", "/* a /* b; */ c; */ SELECT 1; /* x */ SELECT /* /* */ */ 2;",
			[]st{{"SELECT 1", 1}, {"SELECT /* /* */ */ 2", 1}}},
		{"line comment hides semicolon and quote", "SELECT 1 -- no; it's\n+ 1;",
			[]st{{"SELECT 1 -- no; it's\n+ 1", 1}}},
		{"parentheses hold semicolons", "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));\nSELECT 1;",
			[]st{{"CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))", 1}, {"SELECT 1", 2}}},
		{"begin atomic body", "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  SELECT a;\nEND;\nSELECT 2;",
			[]st{{"CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  SELECT a;\nEND", 1}, {"SELECT 2", 6}}},
		{"create or replace procedure body", "create or replace procedure p() begin atomic insert into t values (1); end;\nselect 1;",
			[]st{{"create or replace procedure p() begin atomic insert into t values (1); end", 1}, {"select 1", 2}}},
		{"begin outside routine is a statement", "BEGIN;\nCREATE TABLE t (a int);\nEND;",
			[]st{{"BEGIN", 1}, {"CREATE TABLE t (a int)", 2}, {"END", 3}}},
		{"case outside begin does not nest", "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql RETURN CASE WHEN a > 0 THEN 1 END;\nSELECT 1;",
			[]st{{"CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql RETURN CASE WHEN a > 0 THEN 1 END", 1}, {"SELECT 1", 2}}},
		{"restrict lines", "--\n-- PostgreSQL database dump\n--\n\n\\restrict AbC123\n\nSET x = 1;\n\\unrestrict AbC123\n",
			[]st{{`\restrict AbC123`, 5}, {"SET x = 1", 7}, {`\unrestrict AbC123`, 8}}},
		{"meta after comment on its line", "/* c */ \\connect db\nSELECT 1;", []st{{`\connect db`, 1}, {"SELECT 1", 2}}},
		{"Dumped from spanning lines", "--\n-- PostgreSQL database dump\n--\n\n\\restrict k\n\n-- Dumped from database version 15.4 (custom\nbuild; by ops)\n\\! echo no\n-- Dumped by pg_dump version 15.4\n\nSET x = 1;\n",
			[]st{{`\restrict k`, 5}, {"SET x = 1", 12}}},
		{"Dumped from spanning lines without restrict", "-- Dumped from database version 9.6\nx;\n-- Dumped by pg_dump version 9.6\nSELECT 1;\n",
			[]st{{"SELECT 1", 4}}},
		{"Dumped from alone is a one-line comment", "-- Dumped from database version 15.4\nSELECT 1;\n\n-- Name: t; Type: TABLE\n-- Dumped by pg_dump version 15.4\n",
			[]st{{"SELECT 1", 2}}},
		{"Dumped from after a statement is a one-line comment", "SELECT 1;\n-- Dumped from database version 15.4\nSELECT 2;\n-- Dumped by x\n",
			[]st{{"SELECT 1", 1}, {"SELECT 2", 3}}},
		{"CRLF", "SELECT 1;\r\n\\restrict k\r\nSELECT\r\n 2;\r\n", []st{{"SELECT 1", 1}, {`\restrict k`, 2}, {"SELECT\r\n 2", 3}}},
		{"multi-line string counts lines", "SELECT 'a\nb\nc';\nSELECT 2;", []st{{"SELECT 'a\nb\nc'", 1}, {"SELECT 2", 4}}},
		{"copy data skipped", "COPY t (a) FROM stdin;\n1\n2;\n\\.\nSELECT 1;", []st{{"COPY t (a) FROM stdin", 1}, {"SELECT 1", 5}}},
		{"unclosed paren runs to the end", "SELECT (1;\nSELECT 2;", []st{{"SELECT (1;\nSELECT 2;", 1}}},
		{"unbalanced close paren ignored", "SELECT 1);SELECT 2;", []st{{"SELECT 1)", 1}, {"SELECT 2", 1}}},
		{"multibyte identifiers", "CREATE TABLE café (ñ int);SELECT 'ü;';", []st{{"CREATE TABLE café (ñ int)", 1}, {"SELECT 'ü;'", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SplitStatements(tt.src)
			if err != nil {
				t.Fatalf("SplitStatements: %v", err)
			}
			var gotSt []st
			for _, s := range got {
				gotSt = append(gotSt, st{s.Text, s.Line})
				if s.Meta != strings.HasPrefix(s.Text, `\`) {
					t.Errorf("statement %q: Meta = %v", s.Text, s.Meta)
				}
				if tt.src[s.Offset:s.Offset+len(s.Text)] != s.Text {
					t.Errorf("statement %q: Offset %d does not point at it", s.Text, s.Offset)
				}
			}
			if !reflect.DeepEqual(gotSt, tt.want) {
				t.Errorf("got  %+v\nwant %+v", gotSt, tt.want)
			}
		})
	}
}

func TestSplitStatementsErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int
		msg  string
	}{
		{"string", "SELECT 1;\nSELECT 'abc;\n", 2, "unterminated quoted string"},
		{"E string ending in escaped quote", "SELECT 1;\n\nSELECT E'abc\\';", 3, "unterminated quoted string"},
		{"identifier", "SELECT \"abc;", 1, "unterminated quoted identifier"},
		{"dollar", "SELECT 1;\nDO $x$ BEGIN END $y$;\n", 2, "unterminated dollar-quoted string $x$"},
		{"comment", "SELECT 1; /* a /* b */\n\nSELECT 2;", 1, "unterminated /* comment"},
		{"copy data", "SELECT 1;\nCOPY t FROM STDIN;\n1\n", 2, `COPY FROM stdin without data ending in \.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SplitStatements(tt.src)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("SplitStatements = %+v, %v; want a *SyntaxError", got, err)
			}
			if se.Line != tt.line || se.Msg != tt.msg {
				t.Errorf("error = line %d %q; want line %d %q", se.Line, se.Msg, tt.line, tt.msg)
			}
		})
	}
}

func TestStatementWords(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"CREATE /* x /* y */ */ Database d", []string{"create", "database", "d"}},
		{"-- c\nALTER  SYSTEM SET x = 1", []string{"alter", "system", "set", "x"}},
		{"SELECT pg_catalog.set_config('on', '', false)", []string{"select", "pg_catalog", "set_config", "false"}},
		{`GRANT "on" TO E'on' $$on$$ x$y`, []string{"grant", "to", "x$y"}},
	}
	for _, tt := range tests {
		if got := statementWords(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("statementWords(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func FuzzSplitStatements(f *testing.F) {
	for _, s := range []string{
		"SELECT 1;", "\\restrict k\nSET a = 1;\n\\unrestrict k", "SELECT 'a;''b'; SELECT E'\\';'",
		"CREATE FUNCTION f() BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; END; SELECT 2",
		"DO $a$ x; $b$ $a$; /* /* */ */ -- z\n\"q;\";", "COPY t FROM stdin;\n1\n\\.\n", "SELECT (1;);2)",
		"x$y$z$ $1 $ $$", "SELECT\r\n1;\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		stmts, err := SplitStatements(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Line > strings.Count(src, "\n")+1 {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		prevEnd := 0
		for _, s := range stmts {
			if s.Text == "" || s.Offset < prevEnd || s.Offset+len(s.Text) > len(src) {
				t.Fatalf("statement %+v out of place (previous ended at %d)", s, prevEnd)
			}
			if src[s.Offset:s.Offset+len(s.Text)] != s.Text {
				t.Fatalf("statement %+v is not the source text at its offset", s)
			}
			if want := 1 + strings.Count(src[:s.Offset], "\n"); s.Line != want {
				t.Fatalf("statement %+v: line %d, want %d", s, s.Line, want)
			}
			if strings.Contains(" \t\n\r\f\v", s.Text[:1]) || strings.Contains(" \t\n\r\f\v", s.Text[len(s.Text)-1:]) {
				t.Fatalf("statement %q is not trimmed", s.Text)
			}
			prevEnd = s.Offset + len(s.Text)
			if s.Meta {
				if s.Text[0] != '\\' || strings.Contains(s.Text, "\n") {
					t.Fatalf("meta-command %q is not one backslash line", s.Text)
				}
				continue
			}
			// A statement split again is itself.
			again, err := SplitStatements(s.Text)
			if err != nil || len(again) != 1 || again[0].Text != s.Text || again[0].Meta {
				t.Fatalf("statement %q splits again into %+v, %v", s.Text, again, err)
			}
		}
	})
}
