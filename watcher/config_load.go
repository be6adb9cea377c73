package watcher

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// LookupEnv finds an environment variable; os.LookupEnv is one.
type LookupEnv func(name string) (string, bool)

// EnvPrefix starts every environment variable the daemon reads.
const EnvPrefix = "DRIFTWATCH_"

// Environment variables with no YAML key of their own.
const (
	EnvConfig        = "DRIFTWATCH_CONFIG"         // path of the YAML file
	EnvDatabaseURL   = "DATABASE_URL"              // the DSN, below DRIFTWATCH_DSN
	EnvWebhooks      = "DRIFTWATCH_WEBHOOKS"       // comma-separated webhook URLs
	EnvWebhookSecret = "DRIFTWATCH_WEBHOOK_SECRET" // secret of every webhook
)

// ConfigError is a configuration problem, naming the key it is about:
// "config: sweep.schedule: ...".
type ConfigError struct {
	Key string // YAML path, e.g. "health.columns[1]"; "" for the file as a whole
	Err error
}

func (e *ConfigError) Error() string {
	if e.Key == "" {
		return "config: " + e.Err.Error()
	}
	return "config: " + e.Key + ": " + e.Err.Error()
}

func (e *ConfigError) Unwrap() error { return e.Err }

func configErrorf(key, format string, a ...any) error {
	return &ConfigError{Key: key, Err: fmt.Errorf(format, a...)}
}

// maxConfigSize bounds the YAML file read.
const maxConfigSize = 1 << 20

// LoadConfig returns Defaults() overlaid with the YAML file at path (none
// when path is "") and then with the environment. It does not validate:
// apply flags, then call Validate.
func LoadConfig(path string, lookup LookupEnv) (Config, error) {
	cfg := Defaults()
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return cfg, &ConfigError{Err: fmt.Errorf("read config file: %w", err)}
		}
		if cfg, err = ParseConfig(data, lookup); err != nil {
			return cfg, err
		}
	}
	if err := cfg.ApplyEnv(lookup); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// ParseConfig returns Defaults() overlaid with the YAML document data.
// ${VAR} and ${VAR:-default} in values are expanded with lookup ($${ is a
// literal ${); an unset variable without a default is an error. Unknown
// keys, wrong types and bad durations are errors naming their key.
func ParseConfig(data []byte, lookup LookupEnv) (Config, error) {
	cfg := Defaults()
	if len(data) > maxConfigSize {
		return cfg, &ConfigError{Err: fmt.Errorf("config file is larger than %d bytes", maxConfigSize)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return cfg, &ConfigError{Err: fmt.Errorf("parse YAML: %w", err)}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return cfg, nil // empty file
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return cfg, nil
	}
	w := walker{lookup: lookup, seen: map[*yaml.Node]bool{}}
	if err := w.walk(root, reflect.TypeFor[Config](), ""); err != nil {
		return cfg, err
	}
	// The walker has expanded variables in place and checked every key and
	// type, naming the key; decode the result strictly as well.
	expanded, err := yaml.Marshal(&doc)
	if err != nil {
		return cfg, &ConfigError{Err: fmt.Errorf("re-encode expanded YAML: %w", err)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(expanded))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return Defaults(), &ConfigError{Err: fmt.Errorf("decode YAML: %w", err)}
	}
	return cfg, nil
}

// walker checks a YAML tree against the Config type, expanding variables
// in scalar values as it goes.
type walker struct {
	lookup LookupEnv
	seen   map[*yaml.Node]bool
}

var durationType = reflect.TypeFor[Duration]()

func (w *walker) walk(n *yaml.Node, t reflect.Type, path string) error {
	for n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return configErrorf(path, "unresolved alias")
		}
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil // "key:" with no value keeps the default
	}
	if t == durationType {
		if err := w.expand(n, path); err != nil {
			return err
		}
		if _, err := time.ParseDuration(n.Value); err != nil {
			return configErrorf(path, "%q is not a duration (write e.g. 500ms, 5s, 1m)", n.Value)
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return configErrorf(path, "want a mapping of keys, got %s", describeNode(n))
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := keyJoin(path, k.Value)
			if k.Kind != yaml.ScalarNode {
				return configErrorf(path, "want a plain key, got %s", describeNode(k))
			}
			f, ok := fields[k.Value]
			if !ok {
				return configErrorf(key, "unknown key (known keys here: %s)", strings.Join(sortedFieldNames(fields), ", "))
			}
			if err := w.walk(v, f.Type, key); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return configErrorf(path, "want a list, got %s", describeNode(n))
		}
		for i, v := range n.Content {
			if err := w.walk(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return configErrorf(path, "want a string, got %s", describeNode(n))
		}
		return w.expand(n, path)
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode {
			return configErrorf(path, "want true or false, got %s", describeNode(n))
		}
		if err := w.expand(n, path); err != nil {
			return err
		}
		if n.ShortTag() != "!!bool" {
			return configErrorf(path, "%q is not true or false", n.Value)
		}
	case reflect.Int:
		if n.Kind != yaml.ScalarNode {
			return configErrorf(path, "want a whole number, got %s", describeNode(n))
		}
		if err := w.expand(n, path); err != nil {
			return err
		}
		if n.ShortTag() != "!!int" {
			return configErrorf(path, "%q is not a whole number", n.Value)
		}
		if _, err := strconv.ParseInt(n.Value, 0, 32); err != nil {
			// YAML ints may be written 0x10, 0o17, 1_000; let the decoder judge those.
			var v int
			if n.Decode(&v) != nil {
				return configErrorf(path, "%q is out of range", n.Value)
			}
		}
	default:
		return configErrorf(path, "unsupported configuration type %s", t)
	}
	return nil
}

// expand replaces ${VAR} in a scalar value, once per node (anchors are
// shared). A plain scalar that changed is re-resolved, so "${INSTALL}"
// can be a boolean.
func (w *walker) expand(n *yaml.Node, path string) error {
	if w.seen[n] {
		return nil
	}
	w.seen[n] = true
	if !strings.Contains(n.Value, "$") {
		return nil
	}
	v, err := ExpandVars(n.Value, w.lookup)
	if err != nil {
		return &ConfigError{Key: path, Err: err}
	}
	if v != n.Value {
		n.Value = v
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
			n.Tag = ""
			n.Tag = n.ShortTag() // resolve the expanded text as YAML would
		}
		// A value from the environment may not be writable as a plain
		// scalar; let the encoder choose its style.
		if n.Tag == "!!str" {
			n.Style = 0
		}
	}
	return nil
}

// ExpandVars expands ${NAME} and ${NAME:-default} in s; $${ stands for a
// literal ${ and any other $ is kept as is (passwords may contain one).
// NAME must be a shell identifier. An unset NAME without a default is an
// error; the default applies when NAME is unset or empty.
func ExpandVars(s string, lookup LookupEnv) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, "$")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		b.WriteString(s[:i])
		s = s[i:]
		switch {
		case strings.HasPrefix(s, "$${"):
			b.WriteString("${")
			s = s[3:]
		case strings.HasPrefix(s, "${"):
			end := strings.IndexByte(s, '}')
			if end < 0 {
				return "", errors.New("unterminated ${ (write $${ for a literal ${)")
			}
			expr := s[2:end]
			name, def, hasDef := strings.Cut(expr, ":-")
			if !isEnvName(name) {
				return "", fmt.Errorf("${%s}: %q is not a variable name", shorten(expr, 40), shorten(name, 40))
			}
			v, ok := "", false
			if lookup != nil {
				v, ok = lookup(name)
			}
			switch {
			case hasDef && v == "":
				v = def
			case !ok:
				return "", fmt.Errorf("${%s} is not set (set it, or write ${%s:-default})", name, name)
			}
			b.WriteString(v)
			s = s[end+1:]
		default:
			b.WriteByte('$')
			s = s[1:]
		}
	}
}

func isEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func shorten(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", shorten(n.Value, 40))
	default:
		return "something else"
	}
}

func keyJoin(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// yamlFields maps yaml tag names to the fields of struct type t.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	m := make(map[string]reflect.StructField, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		m[name] = f
	}
	return m
}

func sortedFieldNames[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
