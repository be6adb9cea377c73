package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	"github.com/driftwatch/driftwatch/notify"
	"github.com/driftwatch/driftwatch/watcher"
)

const repoRoot = "../.."

func readRepoFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDocsConfiguration: docs/configuration.md covers every YAML key,
// environment variable and watch flag.
func TestDocsConfiguration(t *testing.T) {
	t.Parallel()
	doc := readRepoFile(t, "docs/configuration.md")
	for _, k := range watcher.ConfigKeys() {
		for _, s := range []string{"`" + k.Key + "`", "`" + k.Env + "`"} {
			if !strings.Contains(doc, s) {
				t.Errorf("docs/configuration.md does not mention %s", s)
			}
		}
	}
	for _, s := range []string{watcher.EnvConfig, watcher.EnvDatabaseURL, watcher.EnvWebhooks, watcher.EnvWebhookSecret,
		"`webhooks[].url`", "`webhooks[].secret`", "`webhooks[].timeout`"} {
		if !strings.Contains(doc, s) {
			t.Errorf("docs/configuration.md does not mention %s", s)
		}
	}
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	(&watchFlags{}).register(fs)
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(doc, "`--"+f.Name) {
			t.Errorf("docs/configuration.md does not mention --%s", f.Name)
		}
	})
}

// composeFile is the part of docker-compose.yml the test reads.
type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
	} `yaml:"services"`
}

// TestComposeFiles checks docker-compose.yml and the Dockerfile as far as
// can be done without a Docker engine: images, commands, mounted files,
// the shared webhook secret, and that the mounted configuration loads.
func TestComposeFiles(t *testing.T) {
	t.Parallel()
	var c composeFile
	if err := yaml.Unmarshal([]byte(readRepoFile(t, "docker-compose.yml")), &c); err != nil {
		t.Fatal(err)
	}
	pg, nats, dw, rx := c.Services["postgres"], c.Services["nats"], c.Services["driftwatch"], c.Services["webhook-receiver"]
	if pg.Image != "postgres:16" || !strings.Contains(strings.Join(pg.Command, " "), "-c wal_level=logical") {
		t.Errorf("postgres: %+v", pg)
	}
	if nats.Image != "nats:2.10" || !strings.Contains(strings.Join(nats.Command, " "), "-js") {
		t.Errorf("nats: %+v", nats)
	}
	if dw.Build == nil || strings.Join(dw.Command[:2], " ") != "watch --install" {
		t.Errorf("driftwatch: %+v", dw)
	}
	if rx.Build == nil || rx.Command[0] != "webhook-receiver" {
		t.Errorf("webhook-receiver: %+v", rx)
	}
	secret := dw.Environment["DRIFTWATCH_WEBHOOK_SECRET"]
	if secret == "" || rx.Environment["DRIFTWATCH_WEBHOOK_SECRET"] != secret {
		t.Errorf("the webhook secret differs between driftwatch and the receiver")
	}
	if _, err := notify.ParseSecret(secret); err != nil {
		t.Error(err)
	}
	mounts := map[string]string{}
	for _, svc := range []string{"postgres", "driftwatch"} {
		for _, v := range c.Services[svc].Volumes {
			parts := strings.Split(v, ":")
			if _, err := os.Stat(filepath.Join(repoRoot, parts[0])); err != nil {
				t.Errorf("%s mounts %s: %v", svc, parts[0], err)
			}
			mounts[parts[1]] = parts[0]
		}
	}
	// The configuration the driftwatch container reads, with its environment.
	env := dw.Environment
	cfg, err := watcher.LoadConfig(filepath.Join(repoRoot, mounts["/etc/driftwatch/driftwatch.yaml"]), envOf(env))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Install = true // --install
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, ok := mounts[cfg.Canonical]; !ok {
		t.Errorf("canonical %s is not mounted", cfg.Canonical)
	}
	if cfg.NATS.URL != "nats://nats:4222" || len(cfg.Webhooks) != 1 || cfg.Webhooks[0].URL != "http://webhook-receiver:9000/driftwatch" ||
		cfg.Webhooks[0].Secret != secret || cfg.Listen != ":8080" {
		t.Errorf("driftwatch container config: %+v", cfg)
	}

	docker := readRepoFile(t, "Dockerfile")
	for _, s := range []string{"FROM golang:1.26 AS build", "CGO_ENABLED=0", "FROM gcr.io/distroless/static-debian12:nonroot", "USER 65532:65532", `ENTRYPOINT ["/usr/local/bin/driftwatch"]`} {
		if !strings.Contains(docker, s) {
			t.Errorf("Dockerfile lacks %q", s)
		}
	}
}

// TestExampleSchemaStory: the compose database starts one migration
// behind examples/canonical-schema.sql, and the migration in its comment
// closes the gap.
func TestExampleSchemaStory(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDB(t)
	pgtest.Exec(t, dsn, readRepoFile(t, "examples/initdb/01_production.sql"))
	canon := filepath.Join(repoRoot, "examples/canonical-schema.sql")
	code, out, errOut := runCLI(t, "check", "--dsn", dsn, "--canonical", canon)
	if code != exitDrift || !strings.Contains(out, "pkceRequired") || !strings.Contains(out, "drift: 1 item(s)") {
		t.Fatalf("before the migration: exit %d\n%s\n%s", code, out, errOut)
	}
	pgtest.Exec(t, dsn, `ALTER TABLE users ADD COLUMN "pkceRequired" boolean NOT NULL DEFAULT false`)
	if code, out, errOut = runCLI(t, "check", "--dsn", dsn, "--canonical", canon); code != exitClean {
		t.Fatalf("after the migration: exit %d\n%s\n%s", code, out, errOut)
	}
}
