package checker

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ScriptError is a canonical script that could not be executed: a
// statement the server refused (run alone, outside any batch), or a file
// that cannot be split into statements.
type ScriptError struct {
	File string
	// Line is where the failing statement starts.
	Line int
	// Statement is the failing statement's text ("" for a split error).
	Statement string
	// Err is the server's error (*pgconn.PgError) or the reason.
	Err error
}

func (e *ScriptError) Error() string {
	msg := e.Err.Error()
	var se *SyntaxError
	if errors.As(e.Err, &se) {
		msg = se.Msg
	}
	out := fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	if e.Statement == "" {
		return out
	}
	var pe *pgconn.PgError
	if errors.As(e.Err, &pe) && pe.Position > 0 {
		if l := e.Line + positionLines(e.Statement, int(pe.Position)); l != e.Line {
			out += fmt.Sprintf(" (at line %d)", l)
		}
	}
	first, _, more := strings.Cut(e.Statement, "\n")
	first = strings.TrimRight(first, "\r")
	if len(first) > 200 {
		first, more = first[:200], true
	}
	if more {
		first += " ..."
	}
	return out + "\n\tstatement: " + first
}

func (e *ScriptError) Unwrap() error { return e.Err }

// positionLines counts the newlines before the 1-based character position
// pos of text (PostgreSQL counts characters, not bytes).
func positionLines(text string, pos int) int {
	for i := range text {
		if pos--; pos <= 0 {
			return strings.Count(text[:i], "\n")
		}
	}
	return strings.Count(text, "\n")
}

// Batch limits: statements are sent as one multi-statement query of at
// most this many statements or bytes.
const (
	batchStatements = 200
	batchBytes      = 256 << 10
	maxIncludeDepth = 16
)

// ExecuteScript executes a SQL script (pg_dump --schema-only output or a
// migration) on conn, which must be a dedicated connection to a disposable
// database: session settings the script makes (search_path, SET) carry from
// one statement to the next. path names the script in errors and anchors
// \ir includes.
//
// psql meta-commands are skipped, except \i and \ir, which include a file.
// Statements that would act outside the database (databases, roles,
// tablespaces, ALTER SYSTEM, subscriptions, shared-object comments, role
// membership) and transaction control are skipped. Statements are sent in
// batches; a batch that fails is re-run one statement at a time, and the
// first statement that fails alone is returned as a *ScriptError. A
// statement that fails only because a role does not exist (ownership,
// grants, security labels) is a warning: owners are not compared and a
// scratch server need not have the roles; so is a SET of a setting the
// server does not know. Warnings are returned for logging.
func ExecuteScript(ctx context.Context, conn *pgx.Conn, path, src string) ([]string, error) {
	r := newScriptRunner(conn)
	err := r.run(ctx, path, src)
	return r.warnings, err
}

func newScriptRunner(conn *pgx.Conn) *scriptRunner {
	return &scriptRunner{conn: conn.PgConn(), extPinned: map[string]bool{}}
}

// run executes one script and sends what is left of the batch.
func (r *scriptRunner) run(ctx context.Context, path, src string) error {
	if err := r.runFile(ctx, path, src, 0); err != nil {
		return err
	}
	return r.flush(ctx)
}

type scriptRunner struct {
	conn     *pgconn.PgConn
	warnings []string
	batch    []pendingStatement
	size     int
	// extPinned records, for each extension the scripts create or update,
	// whether they name its version (CREATE EXTENSION ... VERSION, ALTER
	// EXTENSION ... UPDATE TO): pg_dump never does, so the version of an
	// extension created without one is whatever the server installs, not
	// an expectation.
	extPinned map[string]bool
	// role is the role a SET ROLE (or SET SESSION AUTHORIZATION) of the
	// scripts names, as written, "" when none is set (forRole).
	role string
}

type pendingStatement struct {
	file string
	st   Statement
}

func (r *scriptRunner) warnf(file string, line int, format string, a ...any) {
	r.warnings = append(r.warnings, fmt.Sprintf("%s:%d: ", file, line)+fmt.Sprintf(format, a...))
}

func (r *scriptRunner) runFile(ctx context.Context, path, src string, depth int) error {
	stmts, err := SplitStatements(src)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			return &ScriptError{File: path, Line: se.Line, Err: se}
		}
		return err
	}
	for _, st := range stmts {
		if st.Meta {
			inc, ok, err := includeTarget(path, st.Text)
			if err != nil {
				return &ScriptError{File: path, Line: st.Line, Statement: st.Text, Err: err}
			}
			if !ok {
				if cmd := metaCommandName(st.Text); !quietMeta[cmd] {
					r.warnf(path, st.Line, "skipped psql meta-command %s", cmd)
				}
				continue
			}
			if depth >= maxIncludeDepth {
				return &ScriptError{File: path, Line: st.Line, Statement: st.Text,
					Err: fmt.Errorf("includes nest deeper than %d files (an include cycle?)", maxIncludeDepth)}
			}
			b, err := os.ReadFile(inc)
			if err != nil {
				return &ScriptError{File: path, Line: st.Line, Statement: st.Text, Err: fmt.Errorf("read included file: %w", err)}
			}
			if err := r.runFile(ctx, inc, string(b), depth+1); err != nil {
				return err
			}
			continue
		}
		r.noteExtension(st.Text)
		st.Text = r.forRole(st.Text)
		switch classifyStatement(st.Text) {
		case stmtSkip:
			continue
		case stmtSkipCopy:
			r.warnf(path, st.Line, "skipped COPY ... FROM stdin and its data (a canonical schema needs no data)")
			continue
		case stmtAlone:
			if err := r.flush(ctx); err != nil {
				return err
			}
			if err := r.execAlone(ctx, pendingStatement{path, st}); err != nil {
				return err
			}
			continue
		}
		r.batch = append(r.batch, pendingStatement{path, st})
		r.size += len(st.Text) + 2
		if len(r.batch) >= batchStatements || r.size >= batchBytes {
			if err := r.flush(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// flush sends the batch as one multi-statement query (one implicit
// transaction); when it fails, nothing of it remains and each statement is
// run again alone to find the one that fails.
func (r *scriptRunner) flush(ctx context.Context) error {
	batch := r.batch
	r.batch, r.size = nil, 0
	if len(batch) == 0 {
		return nil
	}
	if len(batch) == 1 {
		return r.execAlone(ctx, batch[0])
	}
	var sb strings.Builder
	for _, p := range batch {
		sb.WriteString(p.st.Text)
		sb.WriteString(";\n")
	}
	_, err := r.conn.Exec(ctx, sb.String()).ReadAll()
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return fmt.Errorf("execute %s:%d: %w", batch[0].file, batch[0].st.Line, err)
	}
	for _, p := range batch {
		if err := r.execAlone(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func (r *scriptRunner) execAlone(ctx context.Context, p pendingStatement) error {
	_, err := r.conn.Exec(ctx, p.st.Text).ReadAll()
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return fmt.Errorf("execute %s:%d: %w", p.file, p.st.Line, err)
	}
	if tolerated(p.st.Text, pe) {
		r.warnf(p.file, p.st.Line, "ignored %s", pe.Error())
		return nil
	}
	return &ScriptError{File: p.file, Line: p.st.Line, Statement: p.st.Text, Err: pe}
}

// extensionStatement reads CREATE EXTENSION and ALTER EXTENSION ... UPDATE
// statements: the extension's name (unquoted) and whether the statement
// names a version. ok is false for any other statement.
var extensionStatement = regexp.MustCompile(`(?is)^(create|alter)\s+extension\s+(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[a-z_\x80-\xff][a-z0-9_$\x80-\xff]*)`)

func extensionVersionNamed(text string) (name string, pinned, ok bool) {
	m := extensionStatement.FindStringSubmatch(text)
	if m == nil {
		return "", false, false
	}
	name = m[2]
	if strings.HasPrefix(name, `"`) {
		name = strings.ReplaceAll(name[1:len(name)-1], `""`, `"`)
	} else {
		name = strings.ToLower(name)
	}
	w := statementWords(text[len(m[0]):])
	if strings.EqualFold(m[1], "alter") {
		// ALTER EXTENSION x UPDATE [TO v]: without TO, the default version.
		if len(w) == 0 || w[0] != "update" {
			return "", false, false
		}
		return name, len(w) > 1 && w[1] == "to", true
	}
	for i, x := range w {
		if x == "version" && (i == 0 || w[i-1] != "schema") {
			return name, true, true
		}
	}
	return name, false, true
}

func (r *scriptRunner) noteExtension(text string) {
	if name, pinned, ok := extensionVersionNamed(text); ok {
		r.extPinned[name] = pinned
	}
}

// unpinExtensions clears the version of the extensions the scripts
// created or updated without naming one: any version matches it.
func unpinExtensions(m *Model, pinned map[string]bool) {
	for _, o := range m.Objects {
		if o.Kind == KindExtension {
			if p, ok := pinned[o.Name]; ok && !p {
				o.SetAttr("version", "")
			}
		}
	}
}

// How a statement is executed.
const (
	stmtBatch    = iota // in a batch
	stmtAlone           // alone: it cannot run in a transaction block, or its effect must commit first
	stmtSkip            // not at all
	stmtSkipCopy        // not at all, with a warning
)

// classifyStatement decides from a statement's words (not by parsing it)
// how to execute it.
func classifyStatement(text string) int {
	w := statementWords(text)
	word := func(i int) string {
		if i < len(w) {
			return w[i]
		}
		return ""
	}
	has := func(x string) bool {
		for _, v := range w {
			if v == x {
				return true
			}
		}
		return false
	}
	switch word(0) {
	case "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release", "prepare":
		return stmtSkip
	case "create", "alter", "drop":
		switch word(1) {
		case "database", "tablespace", "role", "group", "subscription":
			return stmtSkip
		case "user":
			if word(2) != "mapping" {
				return stmtSkip
			}
		case "system":
			if word(0) == "alter" {
				return stmtSkip
			}
		case "type":
			if word(0) == "alter" && has("add") && has("value") {
				return stmtAlone // the new label is usable only once committed
			}
		}
	case "comment", "security":
		// COMMENT ON / SECURITY LABEL [FOR p] ON a shared object.
		for i, v := range w {
			if v == "on" {
				switch word(i + 1) {
				case "database", "role", "tablespace", "subscription":
					return stmtSkip
				}
				break
			}
		}
	case "grant", "revoke":
		if !has("on") {
			return stmtSkip // role membership is cluster-wide
		}
	case "set", "reset":
		if word(1) == "role" || word(1) == "session" && word(2) == "authorization" {
			return stmtSkip // the load runs as the connecting role
		}
	case "copy":
		if copyFromStdin.MatchString(text) {
			return stmtSkipCopy
		}
	case "vacuum", "cluster", "reindex":
		return stmtAlone
	}
	if has("concurrently") {
		return stmtAlone
	}
	return stmtBatch
}

var missingRole = regexp.MustCompile(`^role ".*" does not exist$`)

// tolerated reports whether a statement's error is one a canonical load
// goes past: a role it names does not exist, on a statement that only sets
// ownership or privileges; a security label provider is not loaded; a SET
// names a setting this server version does not have (a dump made by a
// newer pg_dump).
func tolerated(text string, pe *pgconn.PgError) bool {
	w := statementWords(text)
	if len(w) == 0 {
		return false
	}
	if w[0] == "security" && pe.Code == "22023" && strings.Contains(pe.Message, "security label provider") {
		return true
	}
	if w[0] == "set" && pe.Code == "42704" && strings.HasPrefix(pe.Message, "unrecognized configuration parameter") {
		return true
	}
	if pe.Code != "42704" || !missingRole.MatchString(pe.Message) {
		return false
	}
	switch w[0] {
	case "grant", "revoke", "security":
		return true
	case "alter":
		// ALTER ... OWNER TO, ALTER DEFAULT PRIVILEGES, ALTER USER MAPPING.
		for i := 1; i < len(w); i++ {
			if w[i] == "owner" && i+1 < len(w) && w[i+1] == "to" {
				return true
			}
		}
		return len(w) > 1 && (w[1] == "default" || w[1] == "user")
	case "create":
		return len(w) > 2 && w[1] == "user" && w[2] == "mapping"
	}
	return false
}

// quietMeta are meta-commands skipped without a warning: pg_dump's and
// those that only affect psql's own output or variables.
var quietMeta = map[string]bool{
	`\restrict`: true, `\unrestrict`: true, `\connect`: true, `\c`: true, `\set`: true, `\unset`: true,
	`\echo`: true, `\qecho`: true, `\warn`: true, `\encoding`: true, `\pset`: true, `\timing`: true, `\o`: true,
}

func metaCommandName(text string) string {
	name, _, _ := strings.Cut(text, " ")
	name, _, _ = strings.Cut(name, "\t")
	return name
}

// includeTarget resolves a \i, \include, \ir or \include_relative
// meta-command to a file path: \ir relative to the including file's
// directory, \i relative to the working directory, as psql does. ok is
// false for any other meta-command.
func includeTarget(from, meta string) (path string, ok bool, err error) {
	cmd := metaCommandName(meta)
	relative := false
	switch cmd {
	case `\i`, `\include`:
	case `\ir`, `\include_relative`:
		relative = true
	default:
		return "", false, nil
	}
	arg := strings.TrimSpace(meta[len(cmd):])
	if strings.HasPrefix(arg, "'") {
		end := strings.IndexByte(arg[1:], '\'')
		if end < 0 || strings.Contains(arg, `\`) {
			return "", true, fmt.Errorf("cannot read the file name of %s: only plain or simply quoted names are supported", cmd)
		}
		arg = arg[1 : end+1]
	} else {
		arg, _, _ = strings.Cut(arg, " ")
	}
	if arg == "" {
		return "", true, fmt.Errorf("%s needs a file name", cmd)
	}
	if strings.HasPrefix(arg, ":") || strings.Contains(arg, "`") {
		return "", true, fmt.Errorf("%s %s: psql variables and backquotes are not supported", cmd, arg)
	}
	if relative && !filepath.IsAbs(arg) {
		arg = filepath.Join(filepath.Dir(from), arg)
	}
	return arg, true, nil
}

// CanonicalSource says where the canonical schema comes from: Path (a
// pg_dump-style SQL file, a driftwatch JSON snapshot ending in .json, or a
// directory of migrations) or DSN (a reference database). A SQL file or
// migrations directory is loaded into ScratchDSN's database when given
// (it must be empty; it is emptied again afterwards), else into a scratch
// database created on TargetDSN's server and dropped afterwards.
type CanonicalSource struct {
	Path       string
	DSN        string
	ScratchDSN string
	TargetDSN  string
}

// LoadOptions tune LoadCanonical.
type LoadOptions struct {
	// CacheDir holds cached canonical models; "" means $DRIFTWATCH_CACHE_DIR
	// or driftwatch/ in the user's cache directory.
	CacheDir string
	// NoCache loads the canonical schema even when a cached model exists,
	// and stores nothing.
	NoCache bool
	// Debugf receives debug-level notes (cache hits, an unwritable cache
	// directory); nil drops them.
	Debugf func(format string, args ...any)
	// OffHeap decodes a SQL file's or snapshot's model outside the Go
	// heap, read-only and never freed, so that garbage collections do not
	// mark it again and again: for a process that keeps one model to its
	// end (check), not for one that reloads (watch).
	OffHeap bool
	// ServerVersion, when known (server_version_num), is the version of the
	// target's server, where a SQL file or migrations directory would be
	// loaded when no ScratchDSN is given: a model cached for that version
	// is then found without connecting.
	ServerVersion int

	// onScratch, in tests, sees each scratch database used.
	onScratch func(name string)
}

func (o LoadOptions) debugf(format string, args ...any) {
	if o.Debugf != nil {
		o.Debugf(format, args...)
	}
}

// LoadCanonical loads the canonical schema's model. It also returns
// warnings for logging: statements skipped or whose failure was tolerated
// (see ExecuteScript). A SQL file's model is cached by the hash of its
// contents and the server's major version, so a repeated load neither
// creates a scratch database nor executes anything. The model of a SQL
// file or reference database is inspected in full.
func LoadCanonical(ctx context.Context, src CanonicalSource, opts LoadOptions) (*Model, []string, error) {
	switch {
	case src.Path != "" && src.DSN != "":
		return nil, nil, errors.New("load canonical schema: give a canonical file or a reference DSN, not both")
	case src.DSN != "":
		m, err := inspectReference(ctx, src.DSN)
		return m, nil, err
	case src.Path == "":
		return nil, nil, errors.New("load canonical schema: no canonical schema given: pass a SQL file, a .json snapshot, a migrations directory or a reference DSN")
	}
	fi, err := os.Stat(src.Path)
	if err != nil {
		return nil, nil, fmt.Errorf("load canonical schema: %w", err)
	}
	if !fi.IsDir() && strings.EqualFold(filepath.Ext(src.Path), ".json") {
		m, err := loadSnapshot(src.Path, opts)
		if err != nil {
			return nil, nil, fmt.Errorf("load canonical schema %s: %w", src.Path, err)
		}
		return m, nil, nil
	}
	read := func() ([]scriptFile, error) {
		if fi.IsDir() {
			return readMigrations(src.Path)
		}
		b, err := os.ReadFile(src.Path)
		return []scriptFile{{name: src.Path, data: b}}, err
	}
	lone := src.Path
	if fi.IsDir() {
		lone = ""
	}
	m, warnings, err := loadScripts(ctx, src, lone, read, opts)
	if err != nil {
		return nil, warnings, fmt.Errorf("load canonical schema: %w", err)
	}
	return m, warnings, nil
}

func inspectReference(ctx context.Context, dsn string) (*Model, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("connect to reference database %s: %w", redactDSN(dsn), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	m, err := Inspect(ctx, conn, InspectOptions{})
	if err != nil {
		return nil, fmt.Errorf("inspect reference database: %w", err)
	}
	return m, nil
}

// loadScripts loads the scripts read returns, through the cache. A lone
// file (lone, its path) is hashed as it is read, and read whole only on a
// miss: a 10,000-table dump is 18 MB, better not held while a cached model
// is decoded.
func loadScripts(ctx context.Context, src CanonicalSource, lone string, read func() ([]scriptFile, error), opts LoadOptions) (m *Model, warnings []string, err error) {
	var files []scriptFile
	if lone == "" {
		if files, err = read(); err != nil {
			return nil, nil, err
		}
	}
	if src.ScratchDSN == "" && opts.ServerVersion > 0 && !opts.NoCache {
		key, err := scriptsKey(lone, files, read, opts.ServerVersion/10000)
		if err != nil {
			return nil, nil, err
		}
		if m := cacheGet(opts, key); m != nil {
			return m, nil, nil
		}
	}
	server := src.ScratchDSN
	if server == "" {
		server = src.TargetDSN
	}
	if server == "" {
		return nil, nil, errors.New("a canonical SQL file is loaded into a scratch database: pass --scratch-dsn, or the target's DSN so one is created on its server")
	}
	cfg, err := pgx.ParseConfig(server)
	if err != nil {
		return nil, nil, fmt.Errorf("parse DSN %s: %w", redactDSN(server), err)
	}
	if src.ScratchDSN != "" {
		setScratchParams(cfg)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg.Copy())
	if err != nil {
		return nil, nil, fmt.Errorf("connect to %s: %w", redactDSN(server), err)
	}
	var version int
	if err := conn.QueryRow(ctx, "SELECT pg_catalog.current_setting('server_version_num')::int").Scan(&version); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, nil, fmt.Errorf("read server version: %w", err)
	}
	key, err := scriptsKey(lone, files, read, version/10000)
	if err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, nil, err
	}
	if !opts.NoCache {
		if m := cacheGet(opts, key); m != nil {
			conn.Close(context.WithoutCancel(ctx))
			return m, nil, nil
		}
	}
	if files == nil {
		// Keyed by what is executed: the file may have changed since.
		if files, err = read(); err != nil {
			conn.Close(context.WithoutCancel(ctx))
			return nil, nil, err
		}
		key = cacheKey(withIncludes(files), version/10000)
	}
	var s *Scratch
	if src.ScratchDSN != "" {
		s, err = useScratchOn(ctx, conn, cfg)
		if err != nil {
			conn.Close(context.WithoutCancel(ctx))
		}
	} else {
		s, err = newScratchOn(ctx, conn, cfg)
		conn.Close(context.WithoutCancel(ctx))
	}
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		cerr := s.Close(ctx)
		switch {
		case cerr == nil:
		case err == nil && !s.given:
			// The model is loaded: a database left behind does not make it
			// wrong, and a later load sweeps it once it is stale.
			warnings = append(warnings, fmt.Sprintf("%v (the schema was loaded; a later load drops the database once it is %v old, or drop it by hand)", cerr, staleScratchAge))
		default:
			err = errors.Join(err, cerr)
		}
	}()
	if opts.onScratch != nil {
		opts.onScratch(s.Name)
	}
	r := newScriptRunner(s.Conn)
	for _, f := range files {
		r.warnings = nil
		err := r.run(ctx, f.name, string(f.data))
		warnings = append(warnings, r.warnings...)
		if err != nil {
			if ctx.Err() != nil {
				return nil, warnings, fmt.Errorf("execute %s: %w", f.name, ctx.Err())
			}
			return nil, warnings, err
		}
	}
	// A fresh session: the script may have changed settings Inspect
	// relies on.
	if _, err := s.Conn.Exec(ctx, "RESET ALL"); err != nil {
		return nil, warnings, fmt.Errorf("reset session: %w", err)
	}
	m, err = Inspect(ctx, s.Conn, InspectOptions{})
	if err != nil {
		return nil, warnings, fmt.Errorf("inspect scratch database: %w", err)
	}
	unpinExtensions(m, r.extPinned)
	return cacheLoaded(opts, key, m), warnings, nil
}

// cacheLoaded stores a freshly loaded canonical model under key and
// returns it in the compact form a cache hit gives (one string buffer,
// one object slab): the model lives as long as the check or the daemon,
// better not as the many small allocations it was built from.
func cacheLoaded(opts LoadOptions, key string, m *Model) *Model {
	data := EncodeModel(m)
	if !opts.NoCache {
		cachePut(opts, key, data)
	}
	if compact, err := decodeModel(bufio.NewReader(bytes.NewReader(data)), int64(len(data)), opts.OffHeap); err == nil {
		return compact
	}
	return m
}

// loadSnapshot reads a JSON snapshot, through the cache: decoding JSON
// costs seconds and a hundred MB at 10,000 tables, a cache hit 60 ms.
func loadSnapshot(path string, opts LoadOptions) (*Model, error) {
	// A snapshot reads the same on every server: no server version.
	key, err := cacheKeyOfFile("json snapshot", path, 0)
	if err != nil {
		return nil, err
	}
	if !opts.NoCache {
		if m := cacheGet(opts, key); m != nil {
			return m, nil
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// Keyed by what was read: the file may have changed since it was hashed.
	key = cacheKey([]scriptFile{{keyName: "json snapshot", data: b}}, 0)
	m, err := ReadSnapshot(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return cacheLoaded(opts, key, m), nil
}

// withIncludes adds the files that \i and \ir meta-commands include
// (recursively, as far as they can be read) to the inputs of a load, for
// the cache key.
// scriptsKey is the cache key of the scripts: of files when given, else of
// the lone file, hashed as it is read unless it may include others (then
// it is read whole).
func scriptsKey(lone string, files []scriptFile, read func() ([]scriptFile, error), serverMajor int) (string, error) {
	if files == nil {
		key, ok, err := cacheKeyOfScript(lone, serverMajor)
		if err != nil || ok {
			return key, err
		}
		if files, err = read(); err != nil {
			return "", err
		}
	}
	return cacheKey(withIncludes(files), serverMajor), nil
}

func withIncludes(files []scriptFile) []scriptFile {
	out := append([]scriptFile(nil), files...)
	var add func(name string, data []byte, depth int)
	add = func(name string, data []byte, depth int) {
		if !bytes.Contains(data, []byte(`\i`)) {
			return // no \i, \ir, \include: spare splitting a large dump
		}
		stmts, err := SplitStatements(string(data))
		if err != nil || depth >= maxIncludeDepth {
			return
		}
		for _, st := range stmts {
			if !st.Meta {
				continue
			}
			inc, ok, err := includeTarget(name, st.Text)
			if !ok || err != nil {
				continue
			}
			b, err := os.ReadFile(inc)
			if err != nil {
				continue
			}
			out = append(out, scriptFile{name: inc, keyName: st.Text, data: b})
			add(inc, b, depth+1)
		}
	}
	for _, f := range files {
		add(f.name, f.data, 0)
	}
	return out
}

// readMigrations reads a directory of migrations in the order they apply:
// *.sql files, and up.sql in subdirectories (one per migration), sorted
// by name with numbers compared by value (2_x before 10_x). Down
// migrations (*.down.sql, *_down.sql, down.sql) are left out, and a file
// with goose or dbmate sections ("-- +goose Down", "-- migrate:down") is
// cut where its down section starts.
func readMigrations(dir string) ([]scriptFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations directory: %w", err)
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			if _, err := os.Stat(filepath.Join(dir, name, "up.sql")); err == nil {
				names = append(names, filepath.Join(name, "up.sql"))
			}
			continue
		}
		lower := strings.ToLower(name)
		if !strings.HasSuffix(lower, ".sql") || strings.HasSuffix(lower, ".down.sql") || strings.HasSuffix(lower, "_down.sql") || lower == "down.sql" {
			continue
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("migrations directory %s holds no .sql files", dir)
	}
	sort.Slice(names, func(i, j int) bool { return naturalLess(names[i], names[j]) })
	files := make([]scriptFile, 0, len(names))
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("read migration: %w", err)
		}
		if loc := downSection.FindIndex(b); loc != nil {
			b = b[:loc[0]]
		}
		files = append(files, scriptFile{name: filepath.Join(dir, name), keyName: filepath.ToSlash(name), data: b})
	}
	return files, nil
}

var downSection = regexp.MustCompile(`(?mi)^--\s*(\+goose\s+down|migrate:down)\b`)

// naturalLess compares names with runs of digits compared as numbers
// (ties, as in 1_a and 01_a, fall back to plain comparison).
func naturalLess(a, b string) bool {
	if c := naturalCompare(a, b); c != 0 {
		return c < 0
	}
	return a < b
}

func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if c := cmp.Compare(len(na), len(nb)); c != 0 {
				return c
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// setRole matches SET ROLE and SET SESSION AUTHORIZATION with the name
// set; resetRole their RESET.
var (
	setRole   = regexp.MustCompile(`(?is)^\s*set\s+(?:(?:session|local)\s+)?(?:role|session\s+authorization)\s+(.+?)\s*;?\s*$`)
	resetRole = regexp.MustCompile(`(?is)^\s*reset\s+(?:role|session\s+authorization)\s*;?\s*$`)
	adpHead   = regexp.MustCompile(`(?is)^\s*alter\s+default\s+privileges\b`)
)

// forRole follows the role the scripts set, which the load does not take
// on (it runs as the connecting role: the role may lack what the load
// needs in the scratch database), and returns text with ALTER DEFAULT
// PRIVILEGES given FOR ROLE that role where it names none: the default
// privileges the scripts set are the role's, and so are the live ones.
func (r *scriptRunner) forRole(text string) string {
	if m := setRole.FindStringSubmatch(text); m != nil {
		name := strings.TrimSpace(m[1])
		if strings.HasPrefix(name, "'") && strings.HasSuffix(name, "'") && len(name) >= 2 {
			name = QuoteIdent(strings.ReplaceAll(name[1:len(name)-1], "''", "'"))
		}
		switch strings.ToLower(name) {
		case "none", "default":
			name = ""
		}
		r.role = name
		return text
	}
	if resetRole.MatchString(text) {
		r.role = ""
		return text
	}
	if r.role == "" {
		return text
	}
	loc := adpHead.FindStringIndex(text)
	if loc == nil {
		return text
	}
	if w := statementWords(text); len(w) > 3 && w[3] == "for" {
		return text // FOR ROLE or FOR USER already
	}
	return text[:loc[1]] + " FOR ROLE " + r.role + text[loc[1]:]
}
