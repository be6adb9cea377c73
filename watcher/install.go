package watcher

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	dwsql "github.com/driftwatch/driftwatch/sql"
)

// InstallVersion is the version of the database objects the install script
// creates. It is stored in driftwatch.meta under install_version; bump it
// (in sql/install/00_schema.sql too) when the script changes what it makes.
const InstallVersion = 1

// MinServerVersionNum is the oldest PostgreSQL driftwatch supports (13).
const MinServerVersionNum = 130000

// Names of the event triggers the install script creates.
const (
	EventTriggerDDLCommandEnd = "driftwatch_ddl_command_end"
	EventTriggerSQLDrop       = "driftwatch_sql_drop"
)

// ErrNotSuperuser matches (errors.Is) the error Install and Uninstall return
// when the connected role is not a superuser.
var ErrNotSuperuser = errors.New("role lacks superuser")

// NotSuperuserError says which role lacked superuser and what to do instead.
type NotSuperuserError struct {
	Role string
	Op   string // "install" or "uninstall"
}

func (e *NotSuperuserError) Error() string {
	return fmt.Sprintf("role %q lacks superuser: driftwatch %s creates or drops event triggers, "+
		"and PostgreSQL allows only superusers to do that; have a DBA run "+
		"`driftwatch %s --print | psql -v ON_ERROR_STOP=1 <superuser DSN>` instead",
		e.Role, e.Op, e.Op)
}

// Is makes errors.Is(err, ErrNotSuperuser) true.
func (e *NotSuperuserError) Is(target error) bool { return target == ErrNotSuperuser }

// UnsupportedServerError is returned for servers older than PostgreSQL 13.
type UnsupportedServerError struct {
	VersionNum int    // server_version_num
	Version    string // server_version
}

func (e *UnsupportedServerError) Error() string {
	return fmt.Sprintf("PostgreSQL %s (server_version_num %d) is not supported: driftwatch needs PostgreSQL 13 or later",
		e.Version, e.VersionNum)
}

// EventTriggerStatus describes one of driftwatch's event triggers.
type EventTriggerStatus struct {
	Name     string
	Present  bool
	Enabled  string // pg_event_trigger.evtenabled: "O" origin, "R" replica, "A" always, "D" disabled
	Function string // the function it calls, e.g. "driftwatch.on_ddl"
}

// Status is what InstallStatus found in the database.
type Status struct {
	ServerVersionNum int
	// Installed is true when the schema driftwatch and its ddl_events table exist.
	Installed bool
	// Version is the install_version recorded in driftwatch.meta, 0 if none.
	Version int
	// VersionHidden is true when driftwatch.meta exists but the connected
	// role may not read it, so Version is unknown.
	VersionHidden bool
	// Triggers lists driftwatch_ddl_command_end then driftwatch_sql_drop.
	Triggers []EventTriggerStatus
}

// Problems lists, in plain words, what keeps the install from recording
// DDL as it should. It is empty for a healthy, current install.
func (s Status) Problems() []string {
	if !s.Installed {
		return []string{"driftwatch is not installed (no driftwatch.ddl_events table): run driftwatch install"}
	}
	var p []string
	switch {
	case s.VersionHidden:
	case s.Version == 0:
		p = append(p, "no install_version in driftwatch.meta: run driftwatch install")
	case s.Version < InstallVersion:
		p = append(p, fmt.Sprintf("install version %d is older than this driftwatch (%d): run driftwatch install to upgrade", s.Version, InstallVersion))
	case s.Version > InstallVersion:
		p = append(p, fmt.Sprintf("install version %d is newer than this driftwatch (%d): upgrade driftwatch", s.Version, InstallVersion))
	}
	for _, tr := range s.Triggers {
		switch {
		case !tr.Present:
			p = append(p, fmt.Sprintf("event trigger %s is missing: DDL is not recorded; run driftwatch install", tr.Name))
		case tr.Enabled == "D":
			p = append(p, fmt.Sprintf("event trigger %s is disabled: DDL is not recorded; run driftwatch install", tr.Name))
		case tr.Enabled != "A":
			p = append(p, fmt.Sprintf("event trigger %s is enabled %q, not ALWAYS: session_replication_role can silence it; run driftwatch install", tr.Name, tr.Enabled))
		}
		if tr.Present && tr.Function != "driftwatch.on_ddl" {
			p = append(p, fmt.Sprintf("event trigger %s calls %s, not driftwatch.on_ddl: run driftwatch install", tr.Name, tr.Function))
		}
	}
	return p
}

// OK reports whether the install is present, current and fully enabled.
func (s Status) OK() bool { return len(s.Problems()) == 0 }

// Install creates or upgrades driftwatch's schema, tables, event-trigger
// function and event triggers, in one transaction. It is idempotent. The
// connected role must be a superuser.
func Install(ctx context.Context, conn *pgx.Conn) error {
	if err := checkServer(ctx, conn, "install"); err != nil {
		return err
	}
	if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, dwsql.InstallScript())
		return err
	}); err != nil {
		return fmt.Errorf("run install script: %w", err)
	}
	return nil
}

// Uninstall drops the event triggers, the function and the schema
// driftwatch with everything in it, in one transaction. It is idempotent.
// The connected role must be a superuser.
func Uninstall(ctx context.Context, conn *pgx.Conn) error {
	if err := checkServer(ctx, conn, "uninstall"); err != nil {
		return err
	}
	if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, dwsql.UninstallScript())
		return err
	}); err != nil {
		return fmt.Errorf("run uninstall script: %w", err)
	}
	return nil
}

// checkServer refuses servers older than 13 and roles without superuser.
func checkServer(ctx context.Context, conn *pgx.Conn, op string) error {
	var (
		num     int
		version string
		role    string
		super   bool
	)
	err := conn.QueryRow(ctx, `
SELECT pg_catalog.current_setting('server_version_num')::int,
       pg_catalog.current_setting('server_version'),
       CURRENT_USER,
       COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER), false)`).
		Scan(&num, &version, &role, &super)
	if err != nil {
		return fmt.Errorf("check server version and role: %w", err)
	}
	if num < MinServerVersionNum {
		return &UnsupportedServerError{VersionNum: num, Version: version}
	}
	if !super {
		return &NotSuperuserError{Role: role, Op: op}
	}
	return nil
}

// InstallStatus reports whether driftwatch is installed in the connected
// database, which version, and the state of its event triggers. It needs
// no special privileges beyond reading the catalogs; the version is read
// only when the role may read driftwatch.meta.
func InstallStatus(ctx context.Context, conn *pgx.Conn) (Status, error) {
	var s Status
	var metaExists, metaReadable bool
	// Look the tables up by catalog, not by name: a role without USAGE on
	// schema driftwatch gets an error from to_regclass.
	err := conn.QueryRow(ctx, `
WITH t AS (
    SELECT c.relname, c.oid
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'driftwatch' AND c.relname IN ('ddl_events', 'meta')
)
SELECT pg_catalog.current_setting('server_version_num')::int,
       EXISTS (SELECT FROM t WHERE relname = 'ddl_events'),
       EXISTS (SELECT FROM t WHERE relname = 'meta'),
       COALESCE((SELECT pg_catalog.has_schema_privilege('driftwatch', 'USAGE')
                        AND pg_catalog.has_table_privilege(t.oid, 'SELECT')
                 FROM t WHERE relname = 'meta'), false)`).
		Scan(&s.ServerVersionNum, &s.Installed, &metaExists, &metaReadable)
	if err != nil {
		return s, fmt.Errorf("look for driftwatch schema: %w", err)
	}
	s.VersionHidden = metaExists && !metaReadable
	if metaReadable {
		var v *string
		err := conn.QueryRow(ctx, `SELECT value FROM driftwatch.meta WHERE key = 'install_version'`).Scan(&v)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return s, fmt.Errorf("read install version: %w", err)
		}
		if v != nil {
			if _, err := fmt.Sscanf(*v, "%d", &s.Version); err != nil {
				return s, fmt.Errorf("read install version %q: %w", *v, err)
			}
		}
	}
	for _, name := range []string{EventTriggerDDLCommandEnd, EventTriggerSQLDrop} {
		tr := EventTriggerStatus{Name: name}
		err := conn.QueryRow(ctx, `
SELECT e.evtenabled::text, n.nspname || '.' || p.proname
FROM pg_catalog.pg_event_trigger e
JOIN pg_catalog.pg_proc p ON p.oid = e.evtfoid
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE e.evtname = $1`, name).Scan(&tr.Enabled, &tr.Function)
		switch {
		case err == nil:
			tr.Present = true
		case errors.Is(err, pgx.ErrNoRows):
		default:
			return s, fmt.Errorf("look up event trigger %s: %w", name, err)
		}
		s.Triggers = append(s.Triggers, tr)
	}
	return s, nil
}

// InstallScriptForPsql returns the install script wrapped in BEGIN/COMMIT,
// ready to pipe into psql: what `driftwatch install --print` prints.
func InstallScriptForPsql() string {
	return "-- driftwatch install script, version " + fmt.Sprint(InstallVersion) +
		". Run as a superuser:\n--   psql -v ON_ERROR_STOP=1 <DSN> -f this-file\nBEGIN;\n" +
		dwsql.InstallScript() + "COMMIT;\n"
}

// UninstallScriptForPsql returns the uninstall script wrapped in BEGIN/COMMIT.
func UninstallScriptForPsql() string {
	return "-- driftwatch uninstall script. Run as a superuser.\nBEGIN;\n" + dwsql.UninstallScript() + "COMMIT;\n"
}
