package watcher

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/robfig/cron/v3"

	"github.com/driftwatch/driftwatch/checker"
	"github.com/driftwatch/driftwatch/notify"
)

// Sources are the event sources the daemon knows.
var Sources = []string{"notify"}

// Validate checks the whole configuration before anything starts. The
// first problem is returned as a *ConfigError naming its key. Secrets and
// DSNs are never echoed.
func (c Config) Validate() error {
	if strings.TrimSpace(c.DSN) == "" {
		return configErrorf("dsn", "required: the database to watch (pass --dsn, or set DRIFTWATCH_DSN or DATABASE_URL)")
	}
	if err := checkDSN(c.DSN); err != nil {
		return &ConfigError{Key: "dsn", Err: err}
	}
	switch {
	case c.Canonical == "" && c.CanonicalDSN == "":
		return configErrorf("canonical", "required: a canonical-schema.sql, a .json snapshot or a migrations directory (pass --canonical, or canonical_dsn for a reference database)")
	case c.Canonical != "" && c.CanonicalDSN != "":
		return configErrorf("canonical", "set either canonical or canonical_dsn, not both")
	}
	if c.CanonicalDSN != "" {
		if err := checkDSN(c.CanonicalDSN); err != nil {
			return &ConfigError{Key: "canonical_dsn", Err: err}
		}
	}
	if c.ScratchDSN != "" {
		if err := checkDSN(c.ScratchDSN); err != nil {
			return &ConfigError{Key: "scratch_dsn", Err: err}
		}
	}
	if !slices.Contains(Sources, c.Source) {
		return configErrorf("source", "unknown source %q (want one of: %s)", c.Source, strings.Join(Sources, ", "))
	}
	if err := checkListen(c.Listen); err != nil {
		return &ConfigError{Key: "listen", Err: err}
	}
	for _, d := range []struct {
		key string
		v   Duration
		min time.Duration
	}{
		{"coalesce", c.Coalesce, 0},
		{"shutdown_timeout", c.ShutdownTimeout, time.Millisecond},
		{"health.cache_ttl", c.Health.CacheTTL, 0},
		{"outbox.retry_base", c.Outbox.RetryBase, time.Millisecond},
		{"outbox.retry_max", c.Outbox.RetryMax, time.Millisecond},
	} {
		if d.v.D() < d.min {
			if d.min == 0 {
				return configErrorf(d.key, "%s is negative", d.v.D())
			}
			return configErrorf(d.key, "%s is too short (at least %s)", d.v.D(), d.min)
		}
	}
	if c.Outbox.RetryMax < c.Outbox.RetryBase {
		return configErrorf("outbox.retry_max", "%s is shorter than outbox.retry_base %s", c.Outbox.RetryMax.D(), c.Outbox.RetryBase.D())
	}
	if c.Outbox.MaxAttempts < 1 {
		return configErrorf("outbox.max_attempts", "%d: want at least 1", c.Outbox.MaxAttempts)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return configErrorf("log_level", "%q: want debug, info, warn or error", c.LogLevel)
	}
	if c.LogFormat != "json" && c.LogFormat != "console" {
		return configErrorf("log_format", "%q: want json or console", c.LogFormat)
	}
	if err := c.Check.validate(); err != nil {
		return err
	}
	if err := c.Health.validate(); err != nil {
		return err
	}
	// An empty schedule turns scheduled sweeps off (start-up and reconnect
	// sweeps still run); an empty time zone is UTC.
	if _, err := cron.ParseStandard(c.Sweep.Schedule); err != nil && c.Sweep.Schedule != "" {
		return configErrorf("sweep.schedule", "%q: %v (write 5 cron fields, minute hour day-of-month month day-of-week, e.g. \"0 2 * * *\")", c.Sweep.Schedule, err)
	}
	if _, err := time.LoadLocation(c.Sweep.TimeZone); err != nil || strings.EqualFold(c.Sweep.TimeZone, "local") {
		return configErrorf("sweep.time_zone", "%q is not an IANA time zone (write e.g. UTC or Europe/Paris)", c.Sweep.TimeZone)
	}
	if err := c.NATS.validate(); err != nil {
		return err
	}
	for i, w := range c.Webhooks {
		if err := w.validate(fmt.Sprintf("webhooks[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

// checkDSN parses a DSN without connecting; the error never holds the DSN.
func checkDSN(dsn string) error {
	if _, err := pgx.ParseConfig(dsn); err != nil {
		return errors.New("cannot parse the DSN (write postgres://user:password@host:5432/db or key=value pairs)")
	}
	return nil
}

func checkListen(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q: want host:port, e.g. :8080 or 127.0.0.1:8080", addr)
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("%q: bad host", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q: port must be a number from 0 to 65535", addr)
	}
	return nil
}

func (c CheckConfig) validate() error {
	for i, p := range c.Ignore {
		if _, err := path.Match(p, ""); err != nil || p == "" {
			return configErrorf(fmt.Sprintf("check.ignore[%d]", i), "%q is not a glob pattern (write e.g. audit.*)", p)
		}
	}
	for i, s := range c.Severity {
		if _, err := checker.ParseSeverityRule(s); err != nil {
			return &ConfigError{Key: fmt.Sprintf("check.severity[%d]", i), Err: err}
		}
	}
	return nil
}

func (h HealthConfig) validate() error {
	seen := map[string]bool{}
	for i, t := range h.Tables {
		key := fmt.Sprintf("health.tables[%d]", i)
		if _, err := ParseHealthTable(t); err != nil {
			return &ConfigError{Key: key, Err: err}
		}
		if seen[t] {
			return configErrorf(key, "%q is listed twice", t)
		}
		seen[t] = true
	}
	clear(seen)
	for i, c := range h.Columns {
		key := fmt.Sprintf("health.columns[%d]", i)
		if _, err := ParseHealthColumn(c); err != nil {
			return &ConfigError{Key: key, Err: err}
		}
		if seen[c] {
			return configErrorf(key, "%q is listed twice", c)
		}
		seen[c] = true
	}
	return nil
}

// HealthTable is a table /health/schema checks.
type HealthTable struct {
	Name   string // as configured, e.g. "users" or "auth.users"
	Schema string // "" resolves through the search_path
	Table  string
}

// HealthColumn is a column /health/schema checks.
type HealthColumn struct {
	Name   string // as configured, e.g. "users.pkceRequired"
	Schema string
	Table  string
	Column string
}

// maxIdentifier is PostgreSQL's longest identifier (NAMEDATALEN - 1).
const maxIdentifier = 63

// ParseHealthTable parses "table" or "schema.table". Names are taken as
// written (case kept), as PostgreSQL stores quoted identifiers.
func ParseHealthTable(s string) (HealthTable, error) {
	parts, err := splitName(s, 1, 2)
	if err != nil {
		return HealthTable{}, fmt.Errorf("%q: %w (write table or schema.table)", s, err)
	}
	t := HealthTable{Name: s, Table: parts[len(parts)-1]}
	if len(parts) == 2 {
		t.Schema = parts[0]
	}
	return t, nil
}

// ParseHealthColumn parses "table.column" or "schema.table.column".
func ParseHealthColumn(s string) (HealthColumn, error) {
	parts, err := splitName(s, 2, 3)
	if err != nil {
		if !strings.Contains(s, ".") {
			err = errors.New("no table part")
		}
		return HealthColumn{}, fmt.Errorf("%q: %w (write table.column or schema.table.column, e.g. users.pkceRequired)", s, err)
	}
	c := HealthColumn{Name: s, Table: parts[len(parts)-2], Column: parts[len(parts)-1]}
	if len(parts) == 3 {
		c.Schema = parts[0]
	}
	return c, nil
}

func splitName(s string, minParts, maxParts int) ([]string, error) {
	parts := strings.Split(s, ".")
	if len(parts) < minParts || len(parts) > maxParts {
		return nil, fmt.Errorf("want %d to %d dot-separated names", minParts, maxParts)
	}
	for _, p := range parts {
		switch {
		case p == "":
			return nil, errors.New("empty name")
		case len(p) > maxIdentifier:
			return nil, fmt.Errorf("name longer than %d bytes", maxIdentifier)
		case strings.ContainsAny(p, "\x00\"") || strings.TrimSpace(p) != p:
			return nil, errors.New("names may not hold quotes, NUL or surrounding spaces")
		}
	}
	return parts, nil
}

func (n NATSConfig) validate() error {
	if n.URL == "" {
		return nil
	}
	for _, u := range strings.Split(n.URL, ",") {
		p, err := url.Parse(strings.TrimSpace(u))
		if err != nil || p.Host == "" {
			return configErrorf("nats.url", "cannot parse a server URL (write nats://host:4222; several comma-separated)")
		}
		switch p.Scheme {
		case "nats", "tls", "ws", "wss":
		default:
			return configErrorf("nats.url", "scheme %q: want nats, tls, ws or wss", p.Scheme)
		}
	}
	if n.Stream == "" || strings.ContainsAny(n.Stream, " .*>") {
		return configErrorf("nats.stream", "%q: want a stream name without spaces, dots or wildcards", n.Stream)
	}
	if len(n.Subjects) == 0 {
		return configErrorf("nats.subjects", "empty: the stream needs at least one subject, e.g. driftwatch.>")
	}
	for i, s := range n.Subjects {
		if s == "" || strings.ContainsAny(s, " \t") {
			return configErrorf(fmt.Sprintf("nats.subjects[%d]", i), "%q is not a subject", s)
		}
	}
	if n.Prefix == "" || strings.ContainsAny(n.Prefix, " \t*>") {
		return configErrorf("nats.subject_prefix", "%q: want a subject prefix without spaces or wildcards", n.Prefix)
	}
	return nil
}

func (w WebhookConfig) validate(key string) error {
	// The URL may hold a token: say what is wrong without echoing it.
	u, err := url.Parse(w.URL)
	switch {
	case w.URL == "":
		return configErrorf(key+".url", "required")
	case err != nil:
		return configErrorf(key+".url", "cannot parse the URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return configErrorf(key+".url", "scheme %q: want an http:// or https:// URL", shorten(u.Scheme, 20))
	case u.Host == "":
		return configErrorf(key+".url", "no host: want http(s)://host/path")
	}
	if w.Secret != "" {
		if _, err := notify.ParseSecret(w.Secret); err != nil {
			return &ConfigError{Key: key + ".secret", Err: err}
		}
	}
	if w.Timeout < 0 {
		return configErrorf(key+".timeout", "%s is negative", w.Timeout.D())
	}
	return nil
}
