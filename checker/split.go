package checker

import (
	"fmt"
	"regexp"
	"strings"
)

// Statement is one statement of a SQL script, as psql would send it.
type Statement struct {
	// Text is the statement without its terminating semicolon, from its
	// first token to its last (comments before and after it are dropped;
	// comments inside it are kept). For a meta-command it is the whole
	// backslash line.
	Text string
	// Line is the 1-based line where the statement starts.
	Line int
	// Offset is the byte offset of Text in the script.
	Offset int
	// Meta marks a psql meta-command line (\restrict KEY, \connect, \i ...).
	Meta bool
}

// SyntaxError is a script that cannot be split: an unterminated quoted
// string, quoted identifier, dollar-quoted string, comment or COPY data.
type SyntaxError struct {
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// SplitStatements splits a SQL script into statements the way psql does,
// without parsing SQL: it knows quoted strings (” and E” with backslash
// escapes, assuming standard_conforming_strings is on as pg_dump sets it),
// quoted identifiers, dollar quotes, -- and nested /* */ comments,
// parentheses, and psql's rule for SQL-standard function bodies: in
// CREATE [OR REPLACE] FUNCTION/PROCEDURE, a BEGIN ... END block (with CASE
// ... END inside it) does not end at a semicolon.
//
// A backslash where a statement would start begins a meta-command that runs
// to the end of the line. Text after the last semicolon is a final
// statement; empty statements are dropped. The data lines after
// COPY ... FROM stdin, up to the line \., are skipped.
func SplitStatements(src string) ([]Statement, error) {
	s := splitter{src: src, line: 1}
	if err := s.run(); err != nil {
		return nil, err
	}
	return s.out, nil
}

type splitter struct {
	src  string
	i    int
	line int
	out  []Statement

	// The statement being read: start < 0 until its first token.
	start, startLine, end int
	words                 [4]string // its first words, lower-cased
	nwords                int
	parens, begins        int

	// onWord, when set, sees every bare word (keyword or identifier).
	onWord func(string)
}

func (s *splitter) reset() {
	s.start, s.end, s.nwords, s.parens, s.begins = -1, -1, 0, 0, 0
	s.words = [4]string{}
}

func (s *splitter) run() error {
	s.reset()
	src := s.src
	for s.i < len(src) {
		c := src[s.i]
		switch {
		case c == '\n':
			s.line++
			s.i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			s.i++
		case c == '-' && s.peek(1) == '-':
			if s.start < 0 && s.atHeader() {
				if end := dumpedFromEnd(src[s.i:]); end > 0 {
					s.line += strings.Count(src[s.i:s.i+end], "\n")
					s.i += end
					continue
				}
			}
			for s.i < len(src) && src[s.i] != '\n' {
				s.i++
			}
		case c == '/' && s.peek(1) == '*':
			if err := s.blockComment(); err != nil {
				return err
			}
		case c == ';':
			if s.start < 0 {
				s.i++ // empty statement
				continue
			}
			if s.parens == 0 && s.begins == 0 {
				s.i++
				if err := s.emit(); err != nil {
					return err
				}
				continue
			}
			s.token(s.i, s.i+1)
		case c == '\\' && s.start < 0:
			s.meta()
		case c == '\'':
			if err := s.quoted('\'', false, "quoted string"); err != nil {
				return err
			}
		case c == '"':
			if err := s.quoted('"', false, "quoted identifier"); err != nil {
				return err
			}
		case c == '$':
			if err := s.dollar(); err != nil {
				return err
			}
		case isIdentStart(c):
			if err := s.word(); err != nil {
				return err
			}
		case c >= '0' && c <= '9':
			j := s.i
			for j < len(src) && (isIdentStart(src[j]) || src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			s.token(s.i, j)
		case c == '(':
			s.parens++
			s.token(s.i, s.i+1)
		case c == ')':
			if s.parens > 0 {
				s.parens--
			}
			s.token(s.i, s.i+1)
		default:
			s.token(s.i, s.i+1)
		}
	}
	if s.start >= 0 {
		return s.emit() // no semicolon: a COPY here has no data to skip
	}
	return nil
}

// atHeader says whether no SQL statement came since the start or the last
// meta-command: where pg_dump writes its header comments (after
// \restrict, and in pg_dumpall output after each \connect).
func (s *splitter) atHeader() bool {
	return len(s.out) == 0 || s.out[len(s.out)-1].Meta
}

// maxHeaderLines bounds how far a pg_dump header comment may run on.
const maxHeaderLines = 16

// dumpedFromEnd reads pg_dump's header comment "-- Dumped from database
// version V" at the start of src when V, the version string the dumped
// server reported, holds newlines: pg_dump wrote it as is (before the
// releases of August 2025, which turn newlines in comments into spaces),
// so V runs on over lines that are not comments, up to pg_dump's next
// line "-- Dumped by ...". Those lines are part of the comment: psql would
// send them as SQL and fail, and a load must not. It returns where the
// "-- Dumped by" line starts, or 0 when src does not start that way (a
// one-line version, or no "-- Dumped by" line within maxHeaderLines
// lines before another comment).
func dumpedFromEnd(src string) int {
	if !strings.HasPrefix(src, "-- Dumped from database version ") {
		return 0
	}
	i := strings.IndexByte(src, '\n')
	for n := 0; i >= 0 && n < maxHeaderLines; n++ {
		line := src[i+1:]
		if strings.HasPrefix(line, "-- Dumped by ") {
			if n == 0 {
				return 0 // the usual one-line version
			}
			return i + 1
		}
		if strings.HasPrefix(line, "--") {
			return 0
		}
		j := strings.IndexByte(line, '\n')
		if j < 0 {
			return 0
		}
		i += 1 + j
	}
	return 0
}

func (s *splitter) peek(k int) byte {
	if s.i+k < len(s.src) {
		return s.src[s.i+k]
	}
	return 0
}

// token records a significant token at src[from:to] and moves past it.
func (s *splitter) token(from, to int) {
	if s.start < 0 {
		s.start, s.startLine = from, s.lineAt(from)
	}
	s.end = to
	s.i = to
}

// lineAt is the line of offset off, which is at or after the last newline
// counted (tokens that span lines count their newlines after starting).
func (s *splitter) lineAt(off int) int {
	return s.line - strings.Count(s.src[off:s.i], "\n")
}

func (s *splitter) emit() error {
	st := Statement{Text: s.src[s.start:s.end], Line: s.startLine, Offset: s.start}
	s.out = append(s.out, st)
	copyData := s.words[0] == "copy" && s.i < len(s.src) && copyFromStdin.MatchString(st.Text)
	s.reset()
	if copyData {
		return s.skipCopyData(st.Line)
	}
	return nil
}

var copyFromStdin = regexp.MustCompile(`(?is)\bfrom\s+stdin\b`)

// skipCopyData skips the rest of the COPY's line and its data lines up to
// and including the line \. (as psql reads them).
func (s *splitter) skipCopyData(line int) error {
	src := s.src
	nl := strings.IndexByte(src[s.i:], '\n')
	if nl < 0 {
		s.i = len(src)
		return &SyntaxError{Line: line, Msg: "COPY FROM stdin without data ending in \\."}
	}
	s.i += nl + 1
	s.line++
	for s.i < len(src) {
		eol := strings.IndexByte(src[s.i:], '\n')
		var l string
		if eol < 0 {
			l, eol = src[s.i:], len(src)-s.i
		} else {
			l = src[s.i : s.i+eol]
		}
		s.i += eol
		if s.i < len(src) {
			s.i++
			s.line++
		}
		if strings.TrimRight(l, "\r") == `\.` {
			return nil
		}
	}
	return &SyntaxError{Line: line, Msg: "COPY FROM stdin without data ending in \\."}
}

// meta reads a backslash meta-command up to the end of its line.
func (s *splitter) meta() {
	j := strings.IndexByte(s.src[s.i:], '\n')
	if j < 0 {
		j = len(s.src)
	} else {
		j += s.i
	}
	text := strings.TrimRight(s.src[s.i:j], " \t\r\f\v")
	s.out = append(s.out, Statement{Text: text, Line: s.line, Offset: s.i, Meta: true})
	s.i = j
}

func (s *splitter) blockComment() error {
	line, depth := s.line, 0
	src := s.src
	for s.i < len(src) {
		switch {
		case src[s.i] == '/' && s.peek(1) == '*':
			depth++
			s.i += 2
		case src[s.i] == '*' && s.peek(1) == '/':
			depth--
			s.i += 2
			if depth == 0 {
				return nil
			}
		default:
			if src[s.i] == '\n' {
				s.line++
			}
			s.i++
		}
	}
	return &SyntaxError{Line: line, Msg: "unterminated /* comment"}
}

// quoted reads a string or identifier closed by q, where a doubled q is
// an escaped one; with backslashes, a backslash escapes the next byte.
// s.i is at the opening quote, or at a prefix such as E.
func (s *splitter) quoted(q byte, backslashes bool, what string) error {
	from, line := s.i, s.line
	for s.src[s.i] != q {
		s.i++
	}
	src := s.src
	for j := s.i + 1; j < len(src); j++ {
		switch c := src[j]; {
		case c == '\n':
			s.line++
		case c == '\\' && backslashes:
			if j+1 < len(src) && src[j+1] == '\n' {
				s.line++
			}
			j++
		case c == q:
			if j+1 < len(src) && src[j+1] == q {
				j++
				continue
			}
			s.i = j
			s.token(from, j+1)
			return nil
		}
	}
	s.i = len(src)
	return &SyntaxError{Line: line, Msg: "unterminated " + what}
}

// dollar reads $tag$...$tag$ or, when no tag follows, a lone $ (as in $1).
func (s *splitter) dollar() error {
	src := s.src
	j := s.i + 1
	if j < len(src) && isIdentStart(src[j]) {
		for j < len(src) && (isIdentStart(src[j]) || src[j] >= '0' && src[j] <= '9') {
			j++
		}
	}
	if j >= len(src) || src[j] != '$' {
		s.token(s.i, s.i+1)
		return nil
	}
	tag := src[s.i : j+1]
	end := strings.Index(src[j+1:], tag)
	if end < 0 {
		line := s.line
		s.line += strings.Count(src[s.i:], "\n")
		s.i = len(src)
		return &SyntaxError{Line: line, Msg: "unterminated dollar-quoted string " + tag}
	}
	to := j + 1 + end + len(tag)
	s.line += strings.Count(src[s.i:to], "\n")
	from := s.i
	s.i = to
	s.token(from, to)
	return nil
}

// word reads an identifier or keyword (or the E of E'...') and follows
// psql's tracking of BEGIN ... END in function bodies.
func (s *splitter) word() error {
	src := s.src
	j := s.i
	for j < len(src) && (isIdentStart(src[j]) || src[j] >= '0' && src[j] <= '9' || src[j] == '$') {
		j++
	}
	w := src[s.i:j]
	if (w == "e" || w == "E") && j < len(src) && src[j] == '\'' {
		return s.quoted('\'', true, "quoted string")
	}
	s.token(s.i, j)
	lw := strings.ToLower(w)
	if s.onWord != nil {
		s.onWord(lw)
	}
	if s.nwords < len(s.words) {
		s.words[s.nwords] = lw
	}
	s.nwords++
	if s.parens == 0 && s.inRoutineDef() {
		switch lw {
		case "begin":
			s.begins++
		case "case":
			if s.begins > 0 {
				s.begins++
			}
		case "end":
			if s.begins > 0 {
				s.begins--
			}
		}
	}
	return nil
}

// inRoutineDef reports whether the statement so far starts with
// CREATE [OR REPLACE] FUNCTION|PROCEDURE.
func (s *splitter) inRoutineDef() bool {
	w := s.words
	routine := func(x string) bool { return x == "function" || x == "procedure" }
	return w[0] == "create" && (routine(w[1]) || w[1] == "or" && w[2] == "replace" && routine(w[3]))
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

// statementWords returns the bare words of a statement's text, lower-cased,
// in order: keywords and unquoted identifiers, not what is inside quotes,
// dollar quotes or comments. It reads words, it does not parse.
func statementWords(text string) []string {
	var out []string
	s := splitter{src: text, line: 1, onWord: func(w string) { out = append(out, w) }}
	_ = s.run() // text is one statement already split; an error only ends the words early
	return out
}
