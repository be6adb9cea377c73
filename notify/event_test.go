package notify

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// eventSchema compiles docs/event.schema.json, asserting formats
// (date-time) too.
func eventSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("../docs/event.schema.json")
	if err != nil {
		t.Fatalf("open event schema: %v", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("parse event schema: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("event.schema.json", doc); err != nil {
		t.Fatalf("add event schema: %v", err)
	}
	sch, err := c.Compile("event.schema.json")
	if err != nil {
		t.Fatalf("compile event schema: %v", err)
	}
	return sch
}

func validateJSON(sch *jsonschema.Schema, b []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return sch.Validate(v)
}

var (
	testOrigin = Origin{Host: "db.internal:5432", Database: "app"}
	t0         = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	testAttrib = &Attribution{
		User:            "deploy",
		CurrentUser:     "app_owner",
		ApplicationName: "psql",
		ClientAddr:      "10.1.2.3",
		BackendPID:      4242,
		TxID:            987654,
		Statement:       `ALTER TABLE public.users DROP COLUMN "pkceRequired"`,
		OccurredAt:      t0,
		CommandTag:      "ALTER TABLE",
	}
)

func sampleEvents(t testing.TB) map[string]Event {
	t.Helper()
	must := func(e Event, err error) Event {
		t.Helper()
		if err != nil {
			t.Fatalf("build event: %v", err)
		}
		return e
	}
	drift := Drift{
		Change:     ChangeMissing,
		ObjectType: "column",
		Identity:   "public.users.pkceRequired",
		Expected:   "boolean NOT NULL DEFAULT false",
		Severity:   SeverityCritical,
		FixSQL:     `ALTER TABLE public.users ADD COLUMN "pkceRequired" boolean NOT NULL DEFAULT false;`,
		FirstSeen:  t0,
		LastSeen:   t0.Add(time.Minute),
	}
	byDDL := drift
	byDDL.Attribution = testAttrib
	changed := drift
	changed.Change, changed.Actual, changed.Severity = ChangeChanged, "integer", SeverityWarning
	resolved := drift
	resolved.ResolvedAt = t0.Add(time.Hour)
	unixSocket := *testAttrib
	unixSocket.ClientAddr = ""
	return map[string]Event{
		"opened by ddl":       must(NewDriftEvent(testOrigin, TypeDriftOpened, byDDL)),
		"opened by sweep":     must(NewDriftEvent(testOrigin, TypeDriftOpened, drift)),
		"changed":             must(NewDriftEvent(testOrigin, TypeDriftChanged, changed)),
		"resolved":            must(NewDriftEvent(testOrigin, TypeDriftResolved, resolved)),
		"ddl observed":        must(NewDDLObservedEvent(testOrigin, DDLObserved{ObjectType: "column", Identity: "public.users.pkceRequired", CommandTag: "ALTER TABLE", DriftCount: 1, Attribution: *testAttrib})),
		"ddl over unix sock":  must(NewDDLObservedEvent(testOrigin, DDLObserved{ObjectType: "table", Identity: "public.t", CommandTag: "CREATE TABLE", Attribution: unixSocket})),
		"sweep completed":     must(NewSweepCompletedEvent(testOrigin, Sweep{StartedAt: t0, Duration: 1500 * time.Millisecond, ObjectsChecked: 120, DriftsOpen: 2, Opened: 1, Resolved: 1})),
		"unexpected, no defs": must(NewDriftEvent(testOrigin, TypeDriftOpened, Drift{Change: ChangeUnexpected, ObjectType: "index", Identity: "public.users_tmp_idx", Actual: "CREATE INDEX users_tmp_idx ON public.users (email)", Severity: SeverityWarning, FixSQL: "DROP INDEX public.users_tmp_idx;", FirstSeen: t0, LastSeen: t0})),
	}
}

func TestEventsValidateAgainstSchema(t *testing.T) {
	sch := eventSchema(t)
	for name, e := range sampleEvents(t) {
		t.Run(name, func(t *testing.T) {
			if err := e.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			if err := validateJSON(sch, b); err != nil {
				t.Fatalf("event does not match docs/event.schema.json: %v\n%s", err, b)
			}
			var back Event
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("decode event: %v", err)
			}
			if back.ID != e.ID || back.Type != e.Type || !bytes.Equal(back.Data, e.Data) || !back.Time.Equal(e.Time) {
				t.Fatalf("round trip changed the event: %+v != %+v", back, e)
			}
		})
	}
}

// The schema is not vacuous: it rejects events that break the contract.
func TestSchemaRejectsBrokenEvents(t *testing.T) {
	sch := eventSchema(t)
	base := sampleEvents(t)
	cases := []struct {
		name  string
		event string
		edit  func(m map[string]any)
	}{
		{"wrong specversion", "opened by ddl", func(m map[string]any) { m["specversion"] = "0.3" }},
		{"unknown type", "opened by ddl", func(m map[string]any) { m["type"] = "io.driftwatch.drift.exploded" }},
		{"no subject", "opened by ddl", func(m map[string]any) { delete(m, "subject") }},
		{"bad source", "opened by ddl", func(m map[string]any) { m["source"] = "http://x/app" }},
		{"bad time", "opened by ddl", func(m map[string]any) { m["time"] = "yesterday" }},
		{"bad change", "opened by ddl", func(m map[string]any) { data(m)["change"] = "renamed" }},
		{"bad severity", "opened by ddl", func(m map[string]any) { data(m)["severity"] = "info" }},
		{"ddl without attribution", "opened by ddl", func(m map[string]any) { delete(data(m), "attribution") }},
		{"sweep with attribution", "opened by sweep", func(m map[string]any) { data(m)["attribution"] = data(mapOf(base["opened by ddl"]))["attribution"] }},
		{"attribution without user", "opened by ddl", func(m map[string]any) { delete(data(m)["attribution"].(map[string]any), "user") }},
		{"resolved without resolved_at", "resolved", func(m map[string]any) { delete(data(m), "resolved_at") }},
		{"no schema_version", "changed", func(m map[string]any) { delete(data(m), "schema_version") }},
		{"future schema_version", "changed", func(m map[string]any) { data(m)["schema_version"] = "2" }},
		{"drift_id not ours", "changed", func(m map[string]any) { data(m)["drift_id"] = "x" }},
		{"ddl without drift_count", "ddl observed", func(m map[string]any) { delete(data(m), "drift_count") }},
		{"sweep negative duration", "sweep completed", func(m map[string]any) { data(m)["duration_ms"] = -1 }},
		{"sweep without started_at", "sweep completed", func(m map[string]any) { delete(data(m), "started_at") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := mapOf(base[c.event])
			c.edit(m)
			b, _ := json.Marshal(m)
			if err := validateJSON(sch, b); err == nil {
				t.Fatalf("schema accepted a broken event:\n%s", b)
			}
		})
	}
}

func mapOf(e Event) map[string]any {
	b, _ := json.Marshal(e)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

func data(m map[string]any) map[string]any { return m["data"].(map[string]any) }

func TestDriftEventFields(t *testing.T) {
	ev := sampleEvents(t)
	e := ev["opened by ddl"]
	if e.Source != "driftwatch://db.internal:5432/app" {
		t.Errorf("source = %q", e.Source)
	}
	if e.Subject != "public.users.pkceRequired" || e.SpecVersion != "1.0" || e.DataContentType != "application/json" {
		t.Errorf("envelope = %+v", e)
	}
	var d DriftData
	if err := json.Unmarshal(e.Data, &d); err != nil {
		t.Fatal(err)
	}
	if d.DetectedBy != "ddl" || d.Attribution == nil || d.Attribution.User != "deploy" || d.Attribution.TxID != 987654 {
		t.Errorf("attribution = %+v detected_by %q", d.Attribution, d.DetectedBy)
	}
	if d.Expected == nil || *d.Expected != "boolean NOT NULL DEFAULT false" || d.Actual != nil {
		t.Errorf("expected/actual = %v/%v", d.Expected, d.Actual)
	}
	if d.DriftID != DriftID("column", "public.users.pkceRequired", ChangeMissing) || d.SchemaVersion != "1" {
		t.Errorf("drift_id %q schema_version %q", d.DriftID, d.SchemaVersion)
	}
	var s DriftData
	_ = json.Unmarshal(ev["opened by sweep"].Data, &s)
	if s.DetectedBy != "sweep" || s.Attribution != nil {
		t.Errorf("sweep drift: detected_by %q attribution %+v", s.DetectedBy, s.Attribution)
	}
	if s.DriftID != d.DriftID {
		t.Errorf("the same drift detected two ways has two ids: %s, %s", s.DriftID, d.DriftID)
	}
	var sw SweepData
	_ = json.Unmarshal(ev["sweep completed"].Data, &sw)
	if sw.DurationMS != 1500 || ev["sweep completed"].Subject != "app" {
		t.Errorf("sweep: %+v subject %q", sw, ev["sweep completed"].Subject)
	}
	if a, b := NewEventID(), NewEventID(); a == b || !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(a) {
		t.Errorf("event ids %q, %q", a, b)
	}
}

func TestDriftIDIsStable(t *testing.T) {
	a := DriftID("column", "public.users.pkceRequired", ChangeMissing)
	if a != DriftID("column", "public.users.pkceRequired", ChangeMissing) {
		t.Fatal("same inputs, different ids")
	}
	for _, other := range []string{
		DriftID("column", "public.users.pkceRequired", ChangeChanged),
		DriftID("index", "public.users.pkceRequired", ChangeMissing),
		DriftID("column", "public.users.pkcerequired", ChangeMissing),
		DriftID("column", "public.users.pkceRequiredmissing", ""), // fields are separated, not just concatenated
	} {
		if other == a {
			t.Fatalf("different inputs share id %s", a)
		}
	}
	// Pinned (computed outside Go as the first 16 bytes of
	// sha256("column\x00public.users.pkceRequired\x00missing\x00")):
	// consumers store drift ids, so the derivation must not change.
	if want := "drift_c6f4b78871da993ab7eeb8d64c50d1c6"; a != want {
		t.Fatalf("drift id %q, want %q", a, want)
	}
}

func TestConstructorsRejectBadInput(t *testing.T) {
	ok := Drift{Change: ChangeMissing, ObjectType: "table", Identity: "public.t", Severity: SeverityWarning, FirstSeen: t0, LastSeen: t0}
	cases := map[string]func() error{
		"not a drift type": func() error { _, err := NewDriftEvent(testOrigin, TypeSweepCompleted, ok); return err },
		"bad change": func() error {
			d := ok
			d.Change = "gone"
			_, err := NewDriftEvent(testOrigin, TypeDriftOpened, d)
			return err
		},
		"bad severity": func() error {
			d := ok
			d.Severity = "low"
			_, err := NewDriftEvent(testOrigin, TypeDriftOpened, d)
			return err
		},
		"no identity": func() error {
			d := ok
			d.Identity = ""
			_, err := NewDriftEvent(testOrigin, TypeDriftOpened, d)
			return err
		},
		"no first_seen": func() error {
			d := ok
			d.FirstSeen = time.Time{}
			_, err := NewDriftEvent(testOrigin, TypeDriftOpened, d)
			return err
		},
		"resolved no time": func() error { _, err := NewDriftEvent(testOrigin, TypeDriftResolved, ok); return err },
		"no database":      func() error { _, err := NewDriftEvent(Origin{Host: "h"}, TypeDriftOpened, ok); return err },
		"empty attribution": func() error {
			d := ok
			d.Attribution = &Attribution{}
			_, err := NewDriftEvent(testOrigin, TypeDriftOpened, d)
			return err
		},
		"ddl no tag": func() error {
			_, err := NewDDLObservedEvent(testOrigin, DDLObserved{ObjectType: "t", Identity: "i", Attribution: *testAttrib})
			return err
		},
		"sweep no time": func() error { _, err := NewSweepCompletedEvent(testOrigin, Sweep{}); return err },
	}
	for name, f := range cases {
		if f() == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := NewDriftEvent(testOrigin, TypeDriftOpened, ok); err != nil {
		t.Fatalf("valid drift rejected: %v", err)
	}
}

func TestSourceRoundTrip(t *testing.T) {
	for _, o := range []Origin{testOrigin, {Host: "[::1]:5433", Database: "my db/x"}, {Host: "", Database: "app"}} {
		got, err := ParseSource(o.Source())
		if err != nil || got != o {
			t.Errorf("ParseSource(%q) = %+v, %v; want %+v", o.Source(), got, err, o)
		}
	}
	if _, err := ParseSource("https://x/app"); err == nil {
		t.Error("ParseSource accepted another scheme")
	}
}

// testEvent returns a valid drift.opened event about identity.
func testEvent(t *testing.T, identity string) Event {
	t.Helper()
	now := time.Now()
	e, err := NewDriftEvent(Origin{Host: "db.example:5432", Database: "app"}, TypeDriftOpened, Drift{
		Change:     ChangeMissing,
		ObjectType: "column",
		Identity:   identity,
		Expected:   "boolean NOT NULL DEFAULT false",
		Severity:   SeverityCritical,
		FixSQL:     `ALTER TABLE public.users ADD COLUMN "pkceRequired" boolean NOT NULL DEFAULT false;`,
		FirstSeen:  now,
		LastSeen:   now,
	})
	if err != nil {
		t.Fatalf("build event: %v", err)
	}
	return e
}

// docs/events.md documents every event type and data field.
func TestDocsCoverEveryTypeAndField(t *testing.T) {
	b, err := os.ReadFile("../docs/events.md")
	if err != nil {
		t.Fatalf("read docs/events.md: %v", err)
	}
	doc := string(b)
	words := []string{TypeDriftOpened, TypeDriftChanged, TypeDriftResolved, TypeDDLObserved, TypeSweepCompleted, "Nats-Msg-Id", "webhook-signature", "event.schema.json"}
	for _, v := range []any{DriftData{}, DDLObservedData{}, SweepData{}, Attribution{}} {
		words = append(words, jsonFields(v)...)
	}
	for _, w := range words {
		if !strings.Contains(doc, "`"+w+"`") {
			t.Errorf("docs/events.md does not mention `%s`", w)
		}
	}
}

func jsonFields(v any) []string {
	var out []string
	rt := reflect.TypeOf(v)
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		out = append(out, name)
	}
	return out
}

func FuzzDecodeEvent(f *testing.F) {
	for _, e := range sampleEvents(f) {
		b, _ := json.Marshal(e)
		f.Add(b)
	}
	f.Add([]byte(`{"specversion":"1.0"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var e Event
		if json.Unmarshal(b, &e) != nil {
			return
		}
		if e.Validate() != nil {
			return
		}
		// A valid envelope re-encodes to an envelope that is still valid.
		out, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		var back Event
		if err := json.Unmarshal(out, &back); err != nil || back.Validate() != nil {
			t.Fatalf("re-encoded event is invalid: %v %v", err, back.Validate())
		}
	})
}

// The example in docs/events.md is a valid event.
func TestDocsExampleIsValid(t *testing.T) {
	b, err := os.ReadFile("../docs/events.md")
	if err != nil {
		t.Fatalf("read docs/events.md: %v", err)
	}
	m := regexp.MustCompile("(?s)```json\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("docs/events.md has no json example")
	}
	if err := validateJSON(eventSchema(t), m[1]); err != nil {
		t.Fatalf("docs example does not match the schema: %v", err)
	}
	var e Event
	if err := json.Unmarshal(m[1], &e); err != nil || e.Validate() != nil {
		t.Fatalf("docs example is not an Event: %v %v", err, e.Validate())
	}
	var d DriftData
	if err := json.Unmarshal(e.Data, &d); err != nil {
		t.Fatal(err)
	}
	if d.DriftID != DriftID(d.ObjectType, d.Identity, d.Change) {
		t.Errorf("docs example drift_id %s is not DriftID of its fields", d.DriftID)
	}
}
