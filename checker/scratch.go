package checker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// scratchPrefix starts the name of every scratch database; the rest is
// the creation time (Unix seconds) and random hex, so stale ones can be
// recognized and swept.
const scratchPrefix = "driftwatch_scratch_"

// staleScratchAge is how old a leftover scratch database must be before
// a new scratch database sweeps it away.
const staleScratchAge = time.Hour

// closeTimeout bounds dropping or resetting a scratch database, which runs
// on a fresh context so it also happens after Ctrl-C. Dropping a database
// waits for a checkpoint: after a 10,000-table load on a busy server that
// took over 30 s.
const closeTimeout = 2 * time.Minute

// Scratch is a disposable database a canonical schema is loaded into.
// Either driftwatch created it (NewScratch) and Close drops it, or it was
// given (UseScratch: --scratch-dsn), had to be empty, and Close empties it
// again.
type Scratch struct {
	// Name is the database name.
	Name string
	// Conn is a dedicated connection to the scratch database.
	Conn *pgx.Conn

	// cfg connects to the server's database used to drop the scratch
	// database (created), or to the scratch database itself (given).
	cfg   *pgx.ConnConfig
	given bool
	// public is how the given database's schema public looked before:
	// the statements that recreate it, or nil when it did not exist.
	public []string
}

// NewScratch creates an empty scratch database (from template0) on the
// server of adminDSN and connects to it. It connects to adminDSN's own
// database to run CREATE DATABASE, so the role needs CREATEDB but not
// access to any other database. It also drops scratch databases of the
// same role left behind for over an hour (best effort).
func NewScratch(ctx context.Context, adminDSN string) (*Scratch, error) {
	cfg, err := pgx.ParseConfig(adminDSN)
	if err != nil {
		return nil, fmt.Errorf("create scratch database: parse DSN %s: %w", redactDSN(adminDSN), err)
	}
	admin, err := pgx.ConnectConfig(ctx, cfg.Copy())
	if err != nil {
		return nil, fmt.Errorf("create scratch database: connect to %s: %w", redactDSN(adminDSN), err)
	}
	defer admin.Close(context.WithoutCancel(ctx))
	return newScratchOn(ctx, admin, cfg)
}

func newScratchOn(ctx context.Context, admin *pgx.Conn, cfg *pgx.ConnConfig) (*Scratch, error) {
	sweepScratch(ctx, admin)
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("create scratch database: %w", err)
	}
	name := fmt.Sprintf("%s%d_%s", scratchPrefix, time.Now().Unix(), hex.EncodeToString(b))
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+QuoteIdent(name)+" TEMPLATE template0"); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "42501" {
			return nil, fmt.Errorf("create scratch database: role %q may not create databases (%s): grant it CREATEDB, or pass --scratch-dsn with an empty database to load the canonical schema into", admin.Config().User, pe.Message)
		}
		return nil, fmt.Errorf("create scratch database: %w", err)
	}
	s := &Scratch{Name: name, cfg: cfg.Copy()}
	scfg := cfg.Copy()
	scfg.Database = name
	setScratchParams(scfg)
	conn, err := pgx.ConnectConfig(ctx, scfg)
	if err != nil {
		cerr := s.Close(ctx)
		return nil, errors.Join(fmt.Errorf("connect to scratch database: %w", err), cerr)
	}
	s.Conn = conn
	return s, nil
}

// setScratchParams names the session and turns off waiting for WAL
// flushes at commit: a scratch database is disposable, and a canonical
// load commits often (every batch, every statement run alone).
func setScratchParams(cfg *pgx.ConnConfig) {
	cfg.RuntimeParams["application_name"] = "driftwatch canonical load"
	cfg.RuntimeParams["synchronous_commit"] = "off"
}

var scratchName = regexp.MustCompile(`^` + scratchPrefix + `([0-9]+)_[0-9a-f]+$`)

// sweepScratch drops this role's scratch databases older than
// staleScratchAge: left by a process that was killed. Failures are
// ignored; the sweep is a courtesy.
func sweepScratch(ctx context.Context, admin *pgx.Conn) {
	rows, err := admin.Query(ctx, `SELECT datname FROM pg_catalog.pg_database
		WHERE datname LIKE 'driftwatch\_scratch\_%' AND datdba = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)`)
	if err != nil {
		return
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	for _, n := range names {
		m := scratchName.FindStringSubmatch(n)
		if m == nil {
			continue
		}
		sec, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || time.Since(time.Unix(sec, 0)) < staleScratchAge {
			continue
		}
		_, _ = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+QuoteIdent(n)+" WITH (FORCE)")
	}
}

// UseScratch uses the database of dsn (--scratch-dsn) as the scratch
// database. It must hold no user objects, so that nothing of anyone's is
// touched: Close then drops every schema, extension, event trigger,
// publication and foreign-data wrapper the load created, recreates schema
// public as it was (owner, privileges, comment), and checks the database
// is empty again.
func UseScratch(ctx context.Context, dsn string) (*Scratch, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("use scratch database: parse DSN %s: %w", redactDSN(dsn), err)
	}
	setScratchParams(cfg)
	conn, err := pgx.ConnectConfig(ctx, cfg.Copy())
	if err != nil {
		return nil, fmt.Errorf("use scratch database: connect to %s: %w", redactDSN(dsn), err)
	}
	s, err := useScratchOn(ctx, conn, cfg)
	if err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return s, nil
}

func useScratchOn(ctx context.Context, conn *pgx.Conn, cfg *pgx.ConnConfig) (*Scratch, error) {
	objs, err := userObjects(ctx, conn)
	if err != nil {
		return nil, fmt.Errorf("use scratch database: %w", err)
	}
	if len(objs) > 0 {
		return nil, fmt.Errorf("use scratch database %q: it must be empty, so that loading and resetting it touches nothing of anyone's, but it holds %s", conn.Config().Database, strings.Join(objs, ", "))
	}
	rows, err := conn.Query(ctx, recreatePublicQuery)
	if err != nil {
		return nil, fmt.Errorf("use scratch database: read schema public: %w", err)
	}
	public, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("use scratch database: read schema public: %w", err)
	}
	return &Scratch{Name: conn.Config().Database, Conn: conn, cfg: cfg, given: true, public: public}, nil
}

// recreatePublicQuery returns the statements that recreate schema public
// as it is now (none when it does not exist).
const recreatePublicQuery = `
SELECT s FROM (
  SELECT 1 AS o, pg_catalog.format('CREATE SCHEMA public AUTHORIZATION %I', pg_catalog.pg_get_userbyid(n.nspowner)) AS s
  FROM pg_catalog.pg_namespace n WHERE n.nspname = 'public'
  UNION ALL
  SELECT 2, pg_catalog.format('GRANT %s ON SCHEMA public TO %s%s', a.privilege_type,
    CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
    CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
  FROM pg_catalog.pg_namespace n, LATERAL pg_catalog.aclexplode(n.nspacl) a
  WHERE n.nspname = 'public' AND a.grantee <> n.nspowner
  UNION ALL
  SELECT 3, 'COMMENT ON SCHEMA public IS ' || pg_catalog.quote_literal(d.description)
  FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_description d
    ON d.objoid = n.oid AND d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
  WHERE n.nspname = 'public'
) x ORDER BY o, s`

// userObjectsQuery lists (up to 10 of) the objects a fresh database does
// not have.
const userObjectsQuery = `
SELECT d FROM (
  SELECT 'schema ' || nspname AS d FROM pg_catalog.pg_namespace
  WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\_%'
  UNION ALL SELECT 'relation public.' || relname FROM pg_catalog.pg_class
  WHERE relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public')
  UNION ALL SELECT 'function public.' || proname FROM pg_catalog.pg_proc
  WHERE pronamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public')
  UNION ALL SELECT 'type public.' || typname FROM pg_catalog.pg_type
  WHERE typnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public')
  UNION ALL SELECT 'collation public.' || collname FROM pg_catalog.pg_collation
  WHERE collnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public')
  UNION ALL SELECT 'operator public.' || oprname FROM pg_catalog.pg_operator
  WHERE oprnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public')
  UNION ALL SELECT 'extension ' || extname FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql'
  UNION ALL SELECT 'event trigger ' || evtname FROM pg_catalog.pg_event_trigger
  UNION ALL SELECT 'publication ' || pubname FROM pg_catalog.pg_publication
  UNION ALL SELECT 'foreign-data wrapper ' || fdwname FROM pg_catalog.pg_foreign_data_wrapper
  UNION ALL SELECT 'foreign server ' || srvname FROM pg_catalog.pg_foreign_server
  UNION ALL SELECT 'cast (' || pg_catalog.format_type(castsource, NULL) || ' AS ' || pg_catalog.format_type(casttarget, NULL) || ')'
  FROM pg_catalog.pg_cast WHERE oid >= 16384
  UNION ALL SELECT 'access method ' || amname FROM pg_catalog.pg_am WHERE oid >= 16384
  UNION ALL SELECT 'large object ' || oid FROM pg_catalog.pg_largeobject_metadata
) x LIMIT 10`

func userObjects(ctx context.Context, conn *pgx.Conn) ([]string, error) {
	rows, err := conn.Query(ctx, userObjectsQuery)
	if err != nil {
		return nil, fmt.Errorf("list user objects: %w", err)
	}
	objs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list user objects: %w", err)
	}
	return objs, nil
}

// resetQuery lists the statements that drop what a load created in a
// given scratch database. Casts, access methods and large objects belong
// to no schema: a
// cast between built-in types (CREATE CAST (json AS varchar) WITHOUT
// FUNCTION) or an access method with a built-in handler outlives every
// schema's CASCADE. An extension's casts go with the extension, and the
// casts a range type makes to its multirange (internal dependency) with
// the type.
const resetQuery = `
SELECT s FROM (
  SELECT 1 AS o, 'DROP EVENT TRIGGER IF EXISTS ' || pg_catalog.quote_ident(evtname) AS s FROM pg_catalog.pg_event_trigger
  UNION ALL SELECT 2, 'DROP PUBLICATION IF EXISTS ' || pg_catalog.quote_ident(pubname) FROM pg_catalog.pg_publication
  UNION ALL SELECT 3, 'DROP CAST IF EXISTS (' || pg_catalog.format_type(c.castsource, NULL) || ' AS ' ||
      pg_catalog.format_type(c.casttarget, NULL) || ') CASCADE'
    FROM pg_catalog.pg_cast c WHERE c.oid >= 16384
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass
                      AND d.objid = c.oid AND d.deptype IN ('e', 'i'))
  UNION ALL SELECT 4, 'DROP EXTENSION IF EXISTS ' || pg_catalog.quote_ident(extname) || ' CASCADE'
    FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql'
  UNION ALL SELECT 5, 'DROP FOREIGN DATA WRAPPER IF EXISTS ' || pg_catalog.quote_ident(fdwname) || ' CASCADE'
    FROM pg_catalog.pg_foreign_data_wrapper
  UNION ALL SELECT 6, 'DROP SCHEMA IF EXISTS ' || pg_catalog.quote_ident(nspname) || ' CASCADE'
    FROM pg_catalog.pg_namespace WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\_%'
  -- after the extensions: an extension's access method goes with it
  UNION ALL SELECT 7, 'DROP ACCESS METHOD IF EXISTS ' || pg_catalog.quote_ident(amname) || ' CASCADE'
    FROM pg_catalog.pg_am WHERE oid >= 16384
  -- large objects a script created (lo_create) belong to no schema either
  UNION ALL SELECT 8, 'SELECT pg_catalog.lo_unlink(' || oid || ')' FROM pg_catalog.pg_largeobject_metadata
) x ORDER BY o, s`

// Close drops a scratch database driftwatch created, or empties a given
// one again. It runs on a fresh context with a timeout, so it completes
// after ctx was cancelled (Ctrl-C).
func (s *Scratch) Close(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeTimeout)
	defer cancel()
	if s.Conn != nil {
		s.Conn.Close(ctx)
		s.Conn = nil
	}
	if s.cfg == nil {
		return nil
	}
	cfg := s.cfg
	s.cfg = nil
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("clean up scratch database %q: connect: %w", s.Name, err)
	}
	defer conn.Close(ctx)
	if !s.given {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+QuoteIdent(s.Name)+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop scratch database %q: %w", s.Name, err)
		}
		return nil
	}
	if err := s.reset(ctx, conn); err != nil {
		return fmt.Errorf("reset scratch database %q: %w", s.Name, err)
	}
	return nil
}

func (s *Scratch) reset(ctx context.Context, conn *pgx.Conn) error {
	rows, err := conn.Query(ctx, resetQuery)
	if err != nil {
		return err
	}
	stmts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	stmts = append(stmts, s.public...)
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	left, err := userObjects(ctx, conn)
	if err != nil {
		return err
	}
	if len(left) > 0 {
		return fmt.Errorf("objects remain after reset: %s", strings.Join(left, ", "))
	}
	return nil
}

var kvPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// redactDSN hides the password of a URL or keyword/value DSN.
func redactDSN(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "(unparsable DSN)"
		}
		if q := u.Query(); q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.Redacted()
	}
	return kvPassword.ReplaceAllString(dsn, "${1}xxxxx")
}
