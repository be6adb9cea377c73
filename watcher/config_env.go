package watcher

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// ConfigKey is one setting: its YAML key and the environment variable
// that overrides it.
type ConfigKey struct {
	Key string // YAML path, e.g. "health.cache_ttl"
	Env string // e.g. "DRIFTWATCH_HEALTH_CACHE_TTL"
}

// ConfigKeys lists every scalar and list setting with its environment
// variable, in the order of the Config struct. Webhooks, a list of
// mappings, are set in the environment by DRIFTWATCH_WEBHOOKS and
// DRIFTWATCH_WEBHOOK_SECRET instead.
func ConfigKeys() []ConfigKey {
	var keys []ConfigKey
	var visit func(t reflect.Type, path string)
	visit = func(t reflect.Type, path string) {
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "-" || !f.IsExported() {
				continue
			}
			key := keyJoin(path, name)
			switch {
			case f.Type.Kind() == reflect.Struct && f.Type != durationType:
				visit(f.Type, key)
			case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
				// webhooks: see EnvWebhooks, EnvWebhookSecret
			default:
				keys = append(keys, ConfigKey{Key: key, Env: envName(key)})
			}
		}
	}
	visit(reflect.TypeFor[Config](), "")
	return keys
}

func envName(key string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// ApplyEnv overrides c with the environment: DATABASE_URL, then every
// DRIFTWATCH_<KEY> of ConfigKeys (lists comma-separated), then
// DRIFTWATCH_WEBHOOKS (replaces the webhook list) and
// DRIFTWATCH_WEBHOOK_SECRET (the secret of every webhook). A variable set
// to the empty string counts as unset.
func (c *Config) ApplyEnv(lookup LookupEnv) error {
	if lookup == nil {
		return nil
	}
	get := func(name string) (string, bool) {
		v, ok := lookup(name)
		return v, ok && v != ""
	}
	if v, ok := get(EnvDatabaseURL); ok {
		c.DSN = v
	}
	root := reflect.ValueOf(c).Elem()
	for _, k := range ConfigKeys() {
		v, ok := get(k.Env)
		if !ok {
			continue
		}
		if err := setField(fieldByKey(root, k.Key), v); err != nil {
			return &ConfigError{Key: k.Key, Err: fmt.Errorf("from %s: %w", k.Env, err)}
		}
	}
	if v, ok := get(EnvWebhooks); ok {
		c.Webhooks = nil
		for _, u := range commaList(v) {
			c.Webhooks = append(c.Webhooks, WebhookConfig{URL: u})
		}
	}
	if v, ok := get(EnvWebhookSecret); ok {
		c.SetWebhookSecret(v)
	}
	return nil
}

// SetWebhookSecret sets the secret of every webhook.
func (c *Config) SetWebhookSecret(secret string) {
	for i := range c.Webhooks {
		c.Webhooks[i].Secret = secret
	}
}

func fieldByKey(v reflect.Value, key string) reflect.Value {
	for _, part := range strings.Split(key, ".") {
		f := yamlFields(v.Type())[part]
		v = v.FieldByIndex(f.Index)
	}
	return v
}

// setField parses an environment value into a scalar or list field.
func setField(f reflect.Value, v string) error {
	if f.Type() == durationType {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("%q is not a duration (write e.g. 500ms, 5s, 1m)", v)
		}
		f.Set(reflect.ValueOf(Duration(d)))
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString(v)
	case reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("%q is not true or false", v)
		}
		f.SetBool(b)
	case reflect.Int:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		f.SetInt(n)
	case reflect.Slice:
		f.Set(reflect.ValueOf(commaList(v)))
	default:
		return fmt.Errorf("cannot set a %s from the environment", f.Type())
	}
	return nil
}

// splitList splits a comma-separated list, dropping empty items.
func commaList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
