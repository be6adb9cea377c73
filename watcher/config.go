package watcher

import (
	"fmt"
	"time"
)

// Config is the watch daemon's configuration: a YAML file, then
// DRIFTWATCH_* environment variables, then flags (see config_load.go and
// docs/configuration.md). Defaults() gives the values used when a field is
// not set anywhere.
type Config struct {
	// DSN of the watched database (default $DATABASE_URL).
	DSN string `yaml:"dsn"`
	// Canonical is a canonical-schema.sql, a .json snapshot or a migrations
	// directory; CanonicalDSN a reference database instead.
	Canonical    string `yaml:"canonical"`
	CanonicalDSN string `yaml:"canonical_dsn"`
	// ScratchDSN is an empty database to load a canonical SQL file into
	// (default: a temporary database on the watched server).
	ScratchDSN string `yaml:"scratch_dsn"`
	// Install installs or upgrades the event trigger at start.
	Install bool `yaml:"install"`
	// Source of DDL events: "notify" (LISTEN/NOTIFY + catch-up).
	Source string `yaml:"source"`
	// Listen is the HTTP address for /health/schema, /metrics, /drift.
	Listen string `yaml:"listen"`
	// Coalesce is how long to wait for more DDL before re-checking, so a
	// burst of autocommit statements is one re-check. 0 (the default)
	// re-checks at once: a transaction's DDL arrives whole at its commit,
	// and what commits while a re-check runs is handled together next.
	Coalesce Duration `yaml:"coalesce"`
	// ShutdownTimeout bounds how long sinks get to drain on SIGTERM.
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`
	LogLevel        string   `yaml:"log_level"`  // debug, info, warn, error
	LogFormat       string   `yaml:"log_format"` // json or console

	Check    CheckConfig     `yaml:"check"`
	Health   HealthConfig    `yaml:"health"`
	Sweep    SweepConfig     `yaml:"sweep"`
	NATS     NATSConfig      `yaml:"nats"`
	Webhooks []WebhookConfig `yaml:"webhooks"`
	Outbox   OutboxConfig    `yaml:"outbox"`
}

// CheckConfig says what the differ compares (as check's flags).
type CheckConfig struct {
	Ignore      []string `yaml:"ignore"`
	Severity    []string `yaml:"severity"` // "change:kind=level"
	Comments    bool     `yaml:"comments"`
	Privileges  bool     `yaml:"privileges"`
	ColumnOrder bool     `yaml:"column_order"`
}

// HealthConfig lists the elements /health/schema checks.
type HealthConfig struct {
	Tables   []string `yaml:"tables"`  // "users" or "schema.users"
	Columns  []string `yaml:"columns"` // "users.pkceRequired" or "schema.users.pkceRequired"
	CacheTTL Duration `yaml:"cache_ttl"`
}

// SweepConfig schedules full sweeps.
type SweepConfig struct {
	Schedule string `yaml:"schedule"`  // cron, 5 fields
	TimeZone string `yaml:"time_zone"` // IANA name
}

// NATSConfig configures the JetStream sink; an empty URL turns it off.
type NATSConfig struct {
	URL      string   `yaml:"url"`
	Stream   string   `yaml:"stream"`
	Subjects []string `yaml:"subjects"`
	Prefix   string   `yaml:"subject_prefix"`
}

// WebhookConfig is one webhook endpoint.
type WebhookConfig struct {
	URL     string   `yaml:"url"`
	Secret  string   `yaml:"secret"` // whsec_<base64> or raw
	Timeout Duration `yaml:"timeout"`
}

// OutboxConfig tunes delivery retries.
type OutboxConfig struct {
	RetryBase   Duration `yaml:"retry_base"`
	RetryMax    Duration `yaml:"retry_max"`
	MaxAttempts int      `yaml:"max_attempts"`
}

// Defaults returns the configuration used where nothing is set.
func Defaults() Config {
	return Config{
		Source:          "notify",
		Listen:          ":8080",
		ShutdownTimeout: Duration(10 * time.Second),
		LogLevel:        "info",
		LogFormat:       "json",
		Health:          HealthConfig{CacheTTL: Duration(time.Second)},
		Sweep:           SweepConfig{Schedule: "0 2 * * *", TimeZone: "UTC"},
		NATS:            NATSConfig{Stream: "DRIFTWATCH", Subjects: []string{"driftwatch.>"}, Prefix: "driftwatch"},
		Outbox:          OutboxConfig{RetryBase: Duration(time.Second), RetryMax: Duration(5 * time.Minute), MaxAttempts: 10},
	}
}

// Duration is a time.Duration written as "5s", "1m30s" in YAML.
type Duration time.Duration

// D returns the time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// UnmarshalText parses "5s".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: %w (write e.g. 500ms, 5s, 1m)", b, err)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes "5s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }
