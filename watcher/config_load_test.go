package watcher

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func envMap(m map[string]string) LookupEnv {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

const validYAML = `
dsn: postgres://app@db:5432/app
canonical: ./canonical-schema.sql
install: true
listen: 127.0.0.1:9090
coalesce: 50ms
shutdown_timeout: 3s
log_level: debug
log_format: console
check:
  ignore: [audit.*]
  severity: ["missing:index=critical"]
  comments: true
health:
  tables: [users, auth.sessions]
  columns: [users.pkceRequired]
  cache_ttl: 2s
sweep:
  schedule: "30 3 * * 1-5"
  time_zone: Europe/Paris
nats:
  url: nats://nats:4222
webhooks:
  - url: https://hooks.example.com/drift
    secret: whsec_c2VjcmV0
    timeout: 5s
outbox:
  max_attempts: 3
`

func TestParseConfigFull(t *testing.T) {
	cfg, err := ParseConfig([]byte(validYAML), envMap(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := Defaults()
	want.DSN = "postgres://app@db:5432/app"
	want.Canonical = "./canonical-schema.sql"
	want.Install = true
	want.Listen = "127.0.0.1:9090"
	want.Coalesce = Duration(50 * time.Millisecond)
	want.ShutdownTimeout = Duration(3 * time.Second)
	want.LogLevel, want.LogFormat = "debug", "console"
	want.Check = CheckConfig{Ignore: []string{"audit.*"}, Severity: []string{"missing:index=critical"}, Comments: true}
	want.Health = HealthConfig{Tables: []string{"users", "auth.sessions"}, Columns: []string{"users.pkceRequired"}, CacheTTL: Duration(2 * time.Second)}
	want.Sweep = SweepConfig{Schedule: "30 3 * * 1-5", TimeZone: "Europe/Paris"}
	want.NATS.URL = "nats://nats:4222"
	want.Webhooks = []WebhookConfig{{URL: "https://hooks.example.com/drift", Secret: "whsec_c2VjcmV0", Timeout: Duration(5 * time.Second)}}
	want.Outbox.MaxAttempts = 3
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("got  %+v\nwant %+v", cfg, want)
	}
}

func TestParseConfigEmptyKeepsDefaults(t *testing.T) {
	for _, doc := range []string{"", "# nothing\n", "~\n", "health:\n"} {
		cfg, err := ParseConfig([]byte(doc), nil)
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		if !reflect.DeepEqual(cfg, Defaults()) {
			t.Errorf("%q: got %+v, want the defaults", doc, cfg)
		}
	}
}

// TestConfigErrors: every bad configuration is refused before anything
// starts, with an error naming the key.
func TestConfigErrors(t *testing.T) {
	base := "dsn: postgres://u@h/db\ncanonical: c.sql\n"
	cases := []struct {
		name, yaml string
		env        map[string]string
		want       string
	}{
		{"cron minute out of range", base + "sweep: {schedule: \"61 * * * *\"}\n", nil, `config: sweep.schedule: "61 * * * *": `},
		{"cron too few fields", base + "sweep: {schedule: \"0 2 * *\"}\n", nil, `config: sweep.schedule: "0 2 * *"`},
		{"unknown top-level key", base + "dns: x\n", nil, "config: dns: unknown key"},
		{"unknown nested key", base + "health:\n  colums: [users.id]\n", nil, "config: health.colums: unknown key"},
		{"unknown key in a webhook", base + "webhooks:\n  - url: http://x\n    secrett: s\n", nil, "config: webhooks[0].secrett: unknown key"},
		{"bad duration", base + "coalesce: 5 seconds\n", nil, `config: coalesce: "5 seconds" is not a duration`},
		{"bad nested duration", base + "health: {cache_ttl: fast}\n", nil, `config: health.cache_ttl: "fast" is not a duration`},
		{"negative duration", base + "coalesce: -1s\n", nil, "config: coalesce: -1s is negative"},
		{"bad duration in env", base, map[string]string{"DRIFTWATCH_COALESCE": "soon"}, `config: coalesce: from DRIFTWATCH_COALESCE: "soon" is not a duration`},
		{"unknown source", base + "source: polling\n", nil, `config: source: unknown source "polling"`},
		{"health column without a table", base + "health: {columns: [pkceRequired]}\n", nil, `config: health.columns[0]: "pkceRequired": no table part`},
		{"health column empty part", base + "health: {columns: [users.]}\n", nil, `config: health.columns[0]: "users.": empty name`},
		{"health table too many parts", base + "health: {tables: [a.b.c]}\n", nil, `config: health.tables[0]: "a.b.c"`},
		{"health column twice", base + "health: {columns: [users.id, users.id]}\n", nil, `config: health.columns[1]: "users.id" is listed twice`},
		{"webhook ftp", base + "webhooks: [{url: \"ftp://files.example.com/x\"}]\n", nil, `config: webhooks[0].url: scheme "ftp": want an http:// or https:// URL`},
		{"webhook no scheme", base + "webhooks: [{url: hooks.example.com}]\n", nil, "config: webhooks[0].url: scheme"},
		{"webhook in env not http", base, map[string]string{"DRIFTWATCH_WEBHOOKS": "http://ok.example.com,mailto:x@y"}, "config: webhooks[1].url: scheme \"mailto\""},
		{"missing dsn", "canonical: c.sql\n", nil, "config: dsn: required"},
		{"missing canonical", "dsn: postgres://u@h/db\n", nil, "config: canonical: required"},
		{"both canonicals", base + "canonical_dsn: postgres://u@h/ref\n", nil, "config: canonical: set either"},
		{"bad listen", base + "listen: 8080\n", nil, `config: listen: "8080": want host:port`},
		{"bad log level", base + "log_level: loud\n", nil, `config: log_level: "loud"`},
		{"bad time zone", base + "sweep: {time_zone: Mars/Olympus}\n", nil, `config: sweep.time_zone: "Mars/Olympus"`},
		{"bad severity rule", base + "check: {severity: [\"missing:index\"]}\n", nil, "config: check.severity[0]: "},
		{"bad ignore glob", base + "check: {ignore: [\"a[\"]}\n", nil, "config: check.ignore[0]: "},
		{"string for a list", base + "health: {tables: users}\n", nil, "config: health.tables: want a list"},
		{"list for a string", base + "dsn: [a, b]\n", nil, "config: dsn: want a string"},
		{"not a bool", base + "install: maybe\n", nil, `config: install: "maybe" is not true or false`},
		{"not an int", base + "outbox: {max_attempts: many}\n", nil, `config: outbox.max_attempts: "many" is not a whole number`},
		{"zero attempts", base + "outbox: {max_attempts: 0}\n", nil, "config: outbox.max_attempts: 0"},
		{"retry max below base", base + "outbox: {retry_base: 10s, retry_max: 1s}\n", nil, "config: outbox.retry_max:"},
		{"unset variable", base + "listen: ${NO_SUCH_VAR_FOR_TEST}\n", nil, "config: listen: ${NO_SUCH_VAR_FOR_TEST} is not set"},
		{"bad variable name", base + "listen: ${1X}\n", nil, "config: listen: ${1X}"},
		{"unterminated variable", base + "listen: \"${PORT\"\n", nil, "config: listen: unterminated ${"},
		{"nats scheme", base + "nats: {url: \"http://nats:4222\"}\n", nil, `config: nats.url: scheme "http"`},
		{"yaml syntax", base + "health: [\n", nil, "config: parse YAML: "},
		{"top level list", "- a\n", nil, "config: want a mapping"},
		{"bad env bool", base, map[string]string{"DRIFTWATCH_INSTALL": "sure"}, `config: install: from DRIFTWATCH_INSTALL: "sure" is not true or false`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte(tc.yaml), envMap(tc.env))
			if err == nil {
				err = cfg.ApplyEnv(envMap(tc.env))
			}
			if err == nil {
				err = cfg.Validate()
			}
			if err == nil {
				t.Fatalf("no error; want %q", tc.want)
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("error %T is not a *ConfigError", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

// TestConfigErrorsHideSecrets: a bad DSN or webhook secret is reported
// without echoing it.
func TestConfigErrorsHideSecrets(t *testing.T) {
	for _, tc := range []struct{ yaml, secret string }{
		{"dsn: \"postgres://u:hunter2@h:notaport/db\"\ncanonical: c.sql\n", "hunter2"},
		{"dsn: postgres://u@h/db\ncanonical: c.sql\nwebhooks: [{url: \"https://x.example.com/?token=tok3n\", secret: \"whsec_%%%hunter3\"}]\n", "hunter3"},
		{"dsn: postgres://u@h/db\ncanonical: c.sql\nwebhooks: [{url: \"gopher://x.example.com/?token=tok4n\"}]\n", "tok4n"},
	} {
		cfg, err := ParseConfig([]byte(tc.yaml), nil)
		if err == nil {
			err = cfg.Validate()
		}
		if err == nil {
			t.Fatalf("%q: no error", tc.yaml)
		}
		if strings.Contains(err.Error(), tc.secret) {
			t.Errorf("error %q shows the secret %q", err, tc.secret)
		}
	}
}

func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "driftwatch.yaml")
	yaml := "dsn: postgres://file@h/db\ncanonical: file.sql\nlisten: \":1111\"\nwebhooks:\n  - url: http://file.example.com\n    secret: filesecret\nhealth:\n  tables: [a]\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("file only", func(t *testing.T) {
		cfg, err := LoadConfig(path, envMap(nil))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.DSN != "postgres://file@h/db" || cfg.Listen != ":1111" || cfg.Webhooks[0].Secret != "filesecret" {
			t.Errorf("got %+v", cfg)
		}
	})
	t.Run("environment over file", func(t *testing.T) {
		cfg, err := LoadConfig(path, envMap(map[string]string{
			"DATABASE_URL":                "postgres://dburl@h/db",
			"DRIFTWATCH_CANONICAL":        "env.sql",
			"DRIFTWATCH_LISTEN":           ":2222",
			"DRIFTWATCH_WEBHOOK_SECRET":   "envsecret",
			"DRIFTWATCH_HEALTH_TABLES":    "users, auth.sessions,",
			"DRIFTWATCH_INSTALL":          "true",
			"DRIFTWATCH_HEALTH_CACHE_TTL": "250ms",
			"DRIFTWATCH_NATS_URL":         "",
		}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.DSN != "postgres://dburl@h/db" || cfg.Canonical != "env.sql" || cfg.Listen != ":2222" ||
			cfg.Webhooks[0].Secret != "envsecret" || !cfg.Install || cfg.Health.CacheTTL.D() != 250*time.Millisecond ||
			!reflect.DeepEqual(cfg.Health.Tables, []string{"users", "auth.sessions"}) {
			t.Errorf("got %+v", cfg)
		}
	})
	t.Run("DRIFTWATCH_DSN over DATABASE_URL", func(t *testing.T) {
		cfg, err := LoadConfig(path, envMap(map[string]string{"DATABASE_URL": "postgres://dburl@h/db", "DRIFTWATCH_DSN": "postgres://dw@h/db"}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.DSN != "postgres://dw@h/db" {
			t.Errorf("dsn = %q", cfg.DSN)
		}
	})
	t.Run("DRIFTWATCH_WEBHOOKS replaces the list", func(t *testing.T) {
		cfg, err := LoadConfig(path, envMap(map[string]string{"DRIFTWATCH_WEBHOOKS": "http://a.example.com, https://b.example.com"}))
		if err != nil {
			t.Fatal(err)
		}
		want := []WebhookConfig{{URL: "http://a.example.com"}, {URL: "https://b.example.com"}}
		if !reflect.DeepEqual(cfg.Webhooks, want) {
			t.Errorf("webhooks = %+v", cfg.Webhooks)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := LoadConfig(filepath.Join(dir, "nope.yaml"), nil)
		if err == nil || !strings.Contains(err.Error(), "config: read config file") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestConfigExpansion(t *testing.T) {
	env := envMap(map[string]string{
		"PGPASS":  "p@ss: #word",
		"INSTALL": "true",
		"TTL":     "3s",
		"EMPTY":   "",
		"ATTEMPT": "7",
	})
	doc := `
dsn: postgres://app:${PGPASS}@db/app
canonical: "${CANON:-/etc/driftwatch/canonical.sql}"
install: ${INSTALL}
listen: ${EMPTY:-:7070}
health:
  cache_ttl: ${TTL}
  tables: ['$${NOT_EXPANDED}', cost$5]
outbox:
  max_attempts: ${ATTEMPT}
`
	cfg, err := ParseConfig([]byte(doc), env)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DSN != "postgres://app:p@ss: #word@db/app" {
		t.Errorf("dsn = %q", cfg.DSN)
	}
	if cfg.Canonical != "/etc/driftwatch/canonical.sql" || !cfg.Install || cfg.Listen != ":7070" ||
		cfg.Health.CacheTTL.D() != 3*time.Second || cfg.Outbox.MaxAttempts != 7 {
		t.Errorf("got %+v", cfg)
	}
	if !reflect.DeepEqual(cfg.Health.Tables, []string{"${NOT_EXPANDED}", "cost$5"}) {
		t.Errorf("tables = %q", cfg.Health.Tables)
	}
}

// TestConfigKeysHaveEnv: every YAML key has a DRIFTWATCH_ variable.
func TestConfigKeysHaveEnv(t *testing.T) {
	keys := ConfigKeys()
	got := map[string]string{}
	for _, k := range keys {
		got[k.Key] = k.Env
	}
	for key, env := range map[string]string{
		"dsn": "DRIFTWATCH_DSN", "canonical": "DRIFTWATCH_CANONICAL", "listen": "DRIFTWATCH_LISTEN",
		"nats.url": "DRIFTWATCH_NATS_URL", "health.cache_ttl": "DRIFTWATCH_HEALTH_CACHE_TTL",
		"sweep.schedule": "DRIFTWATCH_SWEEP_SCHEDULE", "nats.subject_prefix": "DRIFTWATCH_NATS_SUBJECT_PREFIX",
	} {
		if got[key] != env {
			t.Errorf("%s: env %q, want %q", key, got[key], env)
		}
	}
	if _, ok := got["webhooks"]; ok {
		t.Error("webhooks should have no generic variable")
	}
}

// FuzzLoadConfig: no input makes the loader or the validator panic, and
// every refusal is a *ConfigError.
func FuzzLoadConfig(f *testing.F) {
	f.Add([]byte(validYAML))
	f.Add([]byte("dsn: ${X:-postgres://u@h/db}\ncanonical: c.sql\nhealth: {columns: [a.b]}\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("webhooks: [{url: ${A}, timeout: 1s}]\nsweep: {schedule: '@daily'}\n"))
	f.Add([]byte("<<: {dsn: x}\n"))
	f.Add([]byte("install: !!binary aGVsbG8=\noutbox: {max_attempts: 0x7fffffffff}\n"))
	lookup := envMap(map[string]string{"A": "http://x", "B": "", "X": "]["})
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(data, lookup)
		if err == nil {
			err = cfg.Validate()
		}
		var ce *ConfigError
		if err != nil && !errors.As(err, &ce) {
			t.Fatalf("error %T %v is not a *ConfigError", err, err)
		}
	})
}
