package notify

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// SpecVersion is the CloudEvents version of every event.
const SpecVersion = "1.0"

// SchemaVersion is the version of the data payloads, carried in every
// event's data as "schema_version". It changes only on breaking changes.
const SchemaVersion = "1"

// ContentType is the datacontenttype of every event.
const ContentType = "application/json"

// TypePrefix starts every event type.
const TypePrefix = "io.driftwatch."

// Event types.
const (
	TypeDriftOpened    = TypePrefix + "drift.opened"
	TypeDriftChanged   = TypePrefix + "drift.changed"
	TypeDriftResolved  = TypePrefix + "drift.resolved"
	TypeDDLObserved    = TypePrefix + "ddl.observed"
	TypeSweepCompleted = TypePrefix + "sweep.completed"
)

// Event is a CloudEvents 1.0 event in its JSON form. Data holds the typed
// payload (DriftData, DDLObservedData or SweepData) as JSON.
type Event struct {
	SpecVersion     string          `json:"specversion"`
	ID              string          `json:"id"`
	Source          string          `json:"source"`
	Type            string          `json:"type"`
	Time            time.Time       `json:"time"`
	Subject         string          `json:"subject"`
	DataContentType string          `json:"datacontenttype"`
	Data            json.RawMessage `json:"data"`
}

// Origin names the watched database an event is about.
type Origin struct {
	Host     string // host (and port) of the server, as the daemon knows it
	Database string // database name
}

// Source returns the CloudEvents source: driftwatch://<host>/<database>.
func (o Origin) Source() string {
	u := url.URL{Scheme: "driftwatch", Host: o.Host, Path: "/" + o.Database}
	return u.String()
}

// ParseSource returns the origin encoded in a source made by Origin.Source.
func ParseSource(source string) (Origin, error) {
	u, err := url.Parse(source)
	if err != nil {
		return Origin{}, fmt.Errorf("parse event source: %w", err)
	}
	if u.Scheme != "driftwatch" {
		return Origin{}, fmt.Errorf("parse event source %q: scheme is not driftwatch", source)
	}
	return Origin{Host: u.Host, Database: strings.TrimPrefix(u.Path, "/")}, nil
}

// Validate checks the envelope: required attributes and a known type. It
// does not validate data against the JSON Schema.
func (e Event) Validate() error {
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"specversion", e.SpecVersion}, {"id", e.ID}, {"source", e.Source},
		{"type", e.Type}, {"subject", e.Subject}, {"datacontenttype", e.DataContentType},
	} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if e.Time.IsZero() {
		missing = append(missing, "time")
	}
	if len(e.Data) == 0 {
		missing = append(missing, "data")
	}
	if len(missing) > 0 {
		return fmt.Errorf("validate event: missing %s", strings.Join(missing, ", "))
	}
	if e.SpecVersion != SpecVersion {
		return fmt.Errorf("validate event: specversion %q, want %q", e.SpecVersion, SpecVersion)
	}
	if !knownType(e.Type) {
		return fmt.Errorf("validate event: unknown type %q", e.Type)
	}
	if !json.Valid(e.Data) {
		return errors.New("validate event: data is not valid JSON")
	}
	return nil
}

func knownType(t string) bool {
	switch t {
	case TypeDriftOpened, TypeDriftChanged, TypeDriftResolved, TypeDDLObserved, TypeSweepCompleted:
		return true
	}
	return false
}

// ShortType returns the type without the io.driftwatch. prefix, e.g.
// "drift.opened".
func (e Event) ShortType() string { return strings.TrimPrefix(e.Type, TypePrefix) }

// newEvent builds the envelope around data.
func newEvent(o Origin, typ, subject string, data any) (Event, error) {
	if o.Database == "" {
		return Event{}, errors.New("build event: origin has no database")
	}
	if subject == "" {
		return Event{}, errors.New("build event: empty subject")
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return Event{}, fmt.Errorf("encode event data: %w", err)
	}
	return Event{
		SpecVersion:     SpecVersion,
		ID:              NewEventID(),
		Source:          o.Source(),
		Type:            typ,
		Time:            time.Now().UTC(),
		Subject:         subject,
		DataContentType: ContentType,
		Data:            raw,
	}, nil
}

// NewEventID returns a random UUID (version 4), the id of a new event.
func NewEventID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("notify: read random bytes: %v", err))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// DriftID returns the stable id of a drift item: the same object type,
// identity and change always give the same id, across runs and replicas.
func DriftID(objectType, identity string, change Change) string {
	h := sha256.New()
	for _, s := range []string{objectType, identity, string(change)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "drift_" + hex.EncodeToString(h.Sum(nil)[:16])
}
