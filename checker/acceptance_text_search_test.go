package checker

import "testing"

// Text search dictionaries and configurations: their templates, options,
// parsers and mappings, and the fixes that bring them back in place
// (ALTER where PostgreSQL can, with the objects using them kept).
func TestAcceptanceTextSearch(t *testing.T) {
	const every = `CREATE SCHEMA ts;
CREATE TEXT SEARCH DICTIONARY ts.stem (TEMPLATE = snowball, Language = english, StopWords = english);
CREATE TEXT SEARCH DICTIONARY ts.plain (TEMPLATE = simple, StopWords = english, Accept = false);
CREATE TEXT SEARCH CONFIGURATION ts.docs (COPY = english);
ALTER TEXT SEARCH CONFIGURATION ts.docs ALTER MAPPING FOR asciiword WITH ts.stem, ts.plain;
CREATE TABLE ts.doc (body text, lang regconfig DEFAULT 'ts.docs');
CREATE INDEX doc_search ON ts.doc USING gin (to_tsvector('ts.docs', body));`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "options given in another order",
			canonical: `CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = snowball, Language = english, StopWords = english);`,
			live:      `CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = snowball, StopWords = english, Language = english);`,
		},
		{
			name: "mappings made in another order",
			canonical: `CREATE TEXT SEARCH CONFIGURATION c (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR word WITH simple; ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR asciiword WITH english_stem;`,
			live: `CREATE TEXT SEARCH CONFIGURATION c (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR asciiword WITH english_stem, simple;
ALTER TEXT SEARCH CONFIGURATION c ALTER MAPPING FOR asciiword WITH english_stem; ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR word WITH simple;`,
		},
		{
			name:      "missing configuration used by a column default and an index",
			canonical: every,
			live: `CREATE SCHEMA ts;
CREATE TEXT SEARCH DICTIONARY ts.stem (TEMPLATE = snowball, Language = english, StopWords = english);
CREATE TEXT SEARCH DICTIONARY ts.plain (TEMPLATE = simple, StopWords = english, Accept = false);
CREATE TABLE ts.doc (body text, lang regconfig);`,
			want: []string{"changed column ts.doc.lang", "missing index ts.doc.doc_search", "missing text search configuration ts.docs"},
		},
		{
			name:      "missing dictionary and the configuration mapping to it",
			canonical: every,
			live:      `CREATE SCHEMA ts; CREATE TABLE ts.doc (body text, lang regconfig);`,
			want: []string{"changed column ts.doc.lang", "missing index ts.doc.doc_search", "missing text search configuration ts.docs",
				"missing text search dictionary ts.plain", "missing text search dictionary ts.stem"},
		},
		{
			name:      "unexpected dictionary and configuration",
			canonical: `CREATE TABLE t (body text);`,
			live: `CREATE TABLE t (body text); CREATE TEXT SEARCH DICTIONARY "my dict" (TEMPLATE = simple);
CREATE TEXT SEARCH CONFIGURATION "my cfg" (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION "my cfg" ALTER MAPPING FOR word WITH "my dict";`,
			want: []string{`unexpected text search configuration public."my cfg"`, `unexpected text search dictionary public."my dict"`},
		},
		{
			name:      "dictionary option changed, added and removed while a configuration uses it",
			canonical: every,
			live: `CREATE SCHEMA ts;
CREATE TEXT SEARCH DICTIONARY ts.stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH DICTIONARY ts.plain (TEMPLATE = simple, StopWords = french, Accept = false);
CREATE TEXT SEARCH CONFIGURATION ts.docs (COPY = english);
ALTER TEXT SEARCH CONFIGURATION ts.docs ALTER MAPPING FOR asciiword WITH ts.stem, ts.plain;
CREATE TABLE ts.doc (body text, lang regconfig DEFAULT 'ts.docs');
CREATE INDEX doc_search ON ts.doc USING gin (to_tsvector('ts.docs', body));`,
			want: []string{"changed text search dictionary ts.plain", "changed text search dictionary ts.stem"},
		},
		{
			name:      "dictionary option removed",
			canonical: `CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = simple);`,
			live:      `CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = simple, StopWords = english, Accept = false);`,
			want:      []string{"changed text search dictionary public.d"},
		},
		{
			name:      "dictionary on another template",
			canonical: `CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = simple, StopWords = english);`,
			live:      `CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = snowball, Language = english);`,
			want:      []string{"changed text search dictionary public.d"},
		},
		{
			name:      "mappings changed, added and dropped while an index uses the configuration",
			canonical: every,
			live: `CREATE SCHEMA ts;
CREATE TEXT SEARCH DICTIONARY ts.stem (TEMPLATE = snowball, Language = english, StopWords = english);
CREATE TEXT SEARCH DICTIONARY ts.plain (TEMPLATE = simple, StopWords = english, Accept = false);
CREATE TEXT SEARCH CONFIGURATION ts.docs (COPY = english);
ALTER TEXT SEARCH CONFIGURATION ts.docs ALTER MAPPING FOR asciiword WITH ts.plain, ts.stem;
ALTER TEXT SEARCH CONFIGURATION ts.docs DROP MAPPING FOR email, url;
ALTER TEXT SEARCH CONFIGURATION ts.docs ADD MAPPING FOR blank WITH simple;
CREATE TABLE ts.doc (body text, lang regconfig DEFAULT 'ts.docs');
CREATE INDEX doc_search ON ts.doc USING gin (to_tsvector('ts.docs', body));`,
			want: []string{"changed text search configuration ts.docs"},
		},
		{
			name:      "configuration on another parser",
			canonical: `CREATE TEXT SEARCH CONFIGURATION c (PARSER = default); ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR word WITH simple;`,
			live: `CREATE TEXT SEARCH PARSER p (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, LEXTYPES = prsd_lextype);
CREATE TEXT SEARCH CONFIGURATION c (PARSER = p); ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR word WITH simple;`,
			want: []string{"changed text search configuration public.c", "unexpected text search parser public.p"},
		},
		{
			name: "an extension's dictionary is the extension's",
			canonical: `CREATE EXTENSION unaccent; CREATE TEXT SEARCH CONFIGURATION fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;`,
			live: `CREATE EXTENSION unaccent; CREATE TEXT SEARCH CONFIGURATION fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;`,
		},
		{
			name:      "missing dictionary on a missing extension's template",
			canonical: `CREATE EXTENSION dict_int; CREATE TEXT SEARCH DICTIONARY short_ints (TEMPLATE = intdict_template, MAXLEN = 4);`,
			live:      ``,
			want:      []string{"missing extension dict_int", "missing text search dictionary public.short_ints"},
		},
		{
			name:      "comment on a configuration",
			canonical: `CREATE TEXT SEARCH CONFIGURATION c (COPY = simple); COMMENT ON TEXT SEARCH CONFIGURATION c IS 'plain words';`,
			live:      `CREATE TEXT SEARCH CONFIGURATION c (COPY = simple);`,
			opts:      DiffOptions{Comments: true},
			want:      []string{"changed text search configuration public.c"},
		},
	})
}

// Text search parsers and templates: their functions. One that a
// configuration or dictionary uses cannot be made anew in place.
func TestAcceptanceTextSearchParsersTemplates(t *testing.T) {
	const base = `CREATE SCHEMA ts;
`
	const parser = `CREATE TEXT SEARCH PARSER ts."my parser" (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end,
  LEXTYPES = prsd_lextype, HEADLINE = prsd_headline);
`
	const template = `CREATE TEXT SEARCH TEMPLATE ts.plain (INIT = dsimple_init, LEXIZE = dsimple_lexize);
`
	const users = `CREATE TEXT SEARCH CONFIGURATION ts.words (PARSER = ts."my parser");
ALTER TEXT SEARCH CONFIGURATION ts.words ADD MAPPING FOR word, asciiword WITH ts.plainer;
`
	const every = base + parser + template + `CREATE TEXT SEARCH DICTIONARY ts.plainer (TEMPLATE = ts.plain, stopwords = 'english');
` + users
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name: "missing, with what is made on them", canonical: every, live: base,
			want: []string{"missing text search configuration ts.words", "missing text search dictionary ts.plainer",
				"missing text search parser ts.\"my parser\"", "missing text search template ts.plain"},
			severity: Critical,
		},
		{
			name: "unexpected", canonical: base, live: every + `COMMENT ON TEXT SEARCH PARSER ts."my parser" IS 'mine';`,
			want: []string{"unexpected text search configuration ts.words", "unexpected text search dictionary ts.plainer",
				"unexpected text search parser ts.\"my parser\"", "unexpected text search template ts.plain"},
		},
		{
			name: "other functions, unused: made anew", canonical: base + parser + template,
			live: base + `CREATE TEXT SEARCH PARSER ts."my parser" (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end,
  LEXTYPES = prsd_lextype);
CREATE TEXT SEARCH TEMPLATE ts.plain (LEXIZE = dsimple_lexize);
COMMENT ON TEXT SEARCH TEMPLATE ts.plain IS 'kept';`,
			want: []string{"changed text search parser ts.\"my parser\"", "changed text search template ts.plain"},
		},
		{
			name: "other functions, used: a person's", canonical: every, manual: true,
			live: base + `CREATE TEXT SEARCH PARSER ts."my parser" (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end,
  LEXTYPES = prsd_lextype);
` + template + `CREATE TEXT SEARCH DICTIONARY ts.plainer (TEMPLATE = ts.plain, stopwords = 'english');
` + users,
			want: []string{"changed text search parser ts.\"my parser\""},
		},
	})
}
