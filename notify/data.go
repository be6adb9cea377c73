package notify

import (
	"errors"
	"fmt"
	"time"
)

// Change is what a drift item says about an object.
type Change string

// Changes.
const (
	ChangeMissing    Change = "missing"    // expected by the canonical schema, absent from the database
	ChangeUnexpected Change = "unexpected" // present in the database, absent from the canonical schema
	ChangeChanged    Change = "changed"    // present in both with different definitions
)

// Severity ranks a drift item.
type Severity string

// Severities.
const (
	SeverityCritical Severity = "critical"
	SeverityWarning  Severity = "warning"
)

// How a drift was detected: by the DDL event trigger or by a sweep.
const (
	DetectedByDDL   = "ddl"
	DetectedBySweep = "sweep"
)

// Attribution says who changed the schema, as the DDL event trigger saw it.
type Attribution struct {
	User            string    `json:"user"`                  // session_user
	CurrentUser     string    `json:"current_user"`          // current_user (after SET ROLE)
	ApplicationName string    `json:"application_name"`      // application_name of the session
	ClientAddr      string    `json:"client_addr,omitempty"` // absent for Unix-socket sessions
	BackendPID      int       `json:"backend_pid"`
	TxID            int64     `json:"txid"`
	Statement       string    `json:"statement"` // already redacted by the trigger
	OccurredAt      time.Time `json:"occurred_at"`
	CommandTag      string    `json:"command_tag"` // e.g. "ALTER TABLE"
}

// Drift is what the caller knows about one drift item; NewDriftEvent turns
// it into DriftData.
type Drift struct {
	Change     Change
	ObjectType string // e.g. "column"
	Identity   string // e.g. "public.users.pkceRequired"
	Expected   string // definition in the canonical schema; "" when missing there
	Actual     string // definition in the database; "" when missing there
	Severity   Severity
	FixSQL     string
	FirstSeen  time.Time
	LastSeen   time.Time
	ResolvedAt time.Time // set for resolved events only
	// Attribution of the DDL that caused (or resolved) the drift; nil when
	// a sweep detected it.
	Attribution *Attribution
}

// DriftData is the data of the drift.* events.
type DriftData struct {
	SchemaVersion string       `json:"schema_version"`
	DriftID       string       `json:"drift_id"`
	Change        Change       `json:"change"`
	ObjectType    string       `json:"object_type"`
	Identity      string       `json:"identity"`
	Expected      *string      `json:"expected"`
	Actual        *string      `json:"actual"`
	Severity      Severity     `json:"severity"`
	FixSQL        string       `json:"fix_sql"`
	FirstSeen     time.Time    `json:"first_seen"`
	LastSeen      time.Time    `json:"last_seen"`
	ResolvedAt    *time.Time   `json:"resolved_at,omitempty"`
	DetectedBy    string       `json:"detected_by"`
	Attribution   *Attribution `json:"attribution,omitempty"`
}

// NewDriftEvent returns a drift event of type typ (TypeDriftOpened,
// TypeDriftChanged or TypeDriftResolved) for d. Its subject is d.Identity.
func NewDriftEvent(o Origin, typ string, d Drift) (Event, error) {
	switch typ {
	case TypeDriftOpened, TypeDriftChanged, TypeDriftResolved:
	default:
		return Event{}, fmt.Errorf("build drift event: type %q is not a drift type", typ)
	}
	if err := d.validate(typ); err != nil {
		return Event{}, fmt.Errorf("build drift event: %w", err)
	}
	data := DriftData{
		SchemaVersion: SchemaVersion,
		DriftID:       DriftID(d.ObjectType, d.Identity, d.Change),
		Change:        d.Change,
		ObjectType:    d.ObjectType,
		Identity:      d.Identity,
		Expected:      nullable(d.Expected),
		Actual:        nullable(d.Actual),
		Severity:      d.Severity,
		FixSQL:        d.FixSQL,
		FirstSeen:     d.FirstSeen.UTC(),
		LastSeen:      d.LastSeen.UTC(),
		DetectedBy:    DetectedBySweep,
	}
	if typ == TypeDriftResolved {
		t := d.ResolvedAt.UTC()
		data.ResolvedAt = &t
	}
	if d.Attribution != nil {
		a := d.Attribution.normalized()
		data.DetectedBy = DetectedByDDL
		data.Attribution = &a
	}
	return newEvent(o, typ, d.Identity, data)
}

func (d Drift) validate(typ string) error {
	switch d.Change {
	case ChangeMissing, ChangeUnexpected, ChangeChanged:
	default:
		return fmt.Errorf("change %q is not missing, unexpected or changed", d.Change)
	}
	switch d.Severity {
	case SeverityCritical, SeverityWarning:
	default:
		return fmt.Errorf("severity %q is not critical or warning", d.Severity)
	}
	if d.ObjectType == "" || d.Identity == "" {
		return errors.New("object type and identity are required")
	}
	if d.FirstSeen.IsZero() || d.LastSeen.IsZero() {
		return errors.New("first_seen and last_seen are required")
	}
	if typ == TypeDriftResolved && d.ResolvedAt.IsZero() {
		return errors.New("resolved_at is required for a resolved drift")
	}
	if d.Attribution != nil {
		return d.Attribution.validate()
	}
	return nil
}

func (a Attribution) validate() error {
	if a.User == "" || a.CommandTag == "" || a.OccurredAt.IsZero() {
		return errors.New("attribution needs user, command_tag and occurred_at")
	}
	return nil
}

func (a Attribution) normalized() Attribution {
	a.OccurredAt = a.OccurredAt.UTC()
	return a
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// DDLObserved is one DDL command the event trigger recorded.
type DDLObserved struct {
	ObjectType  string
	Identity    string
	CommandTag  string
	DriftCount  int // drift items open on the object after the re-check
	Attribution Attribution
}

// DDLObservedData is the data of io.driftwatch.ddl.observed.
type DDLObservedData struct {
	SchemaVersion string      `json:"schema_version"`
	ObjectType    string      `json:"object_type"`
	Identity      string      `json:"identity"`
	CommandTag    string      `json:"command_tag"`
	DriftCount    int         `json:"drift_count"`
	DetectedBy    string      `json:"detected_by"`
	Attribution   Attribution `json:"attribution"`
}

// NewDDLObservedEvent returns an io.driftwatch.ddl.observed event. Its
// subject is d.Identity.
func NewDDLObservedEvent(o Origin, d DDLObserved) (Event, error) {
	if d.ObjectType == "" || d.Identity == "" || d.CommandTag == "" {
		return Event{}, errors.New("build ddl event: object type, identity and command tag are required")
	}
	if d.DriftCount < 0 {
		return Event{}, errors.New("build ddl event: negative drift count")
	}
	if err := d.Attribution.validate(); err != nil {
		return Event{}, fmt.Errorf("build ddl event: %w", err)
	}
	return newEvent(o, TypeDDLObserved, d.Identity, DDLObservedData{
		SchemaVersion: SchemaVersion,
		ObjectType:    d.ObjectType,
		Identity:      d.Identity,
		CommandTag:    d.CommandTag,
		DriftCount:    d.DriftCount,
		DetectedBy:    DetectedByDDL,
		Attribution:   d.Attribution.normalized(),
	})
}

// Sweep summarizes one full comparison of the database to the canonical
// schema.
type Sweep struct {
	StartedAt      time.Time
	Duration       time.Duration
	ObjectsChecked int
	DriftsOpen     int // open after the sweep
	Opened         int // opened by the sweep
	Resolved       int // resolved by the sweep
}

// SweepData is the data of io.driftwatch.sweep.completed.
type SweepData struct {
	SchemaVersion  string    `json:"schema_version"`
	StartedAt      time.Time `json:"started_at"`
	DurationMS     int64     `json:"duration_ms"`
	ObjectsChecked int       `json:"objects_checked"`
	DriftsOpen     int       `json:"drifts_open"`
	Opened         int       `json:"opened"`
	Resolved       int       `json:"resolved"`
}

// NewSweepCompletedEvent returns an io.driftwatch.sweep.completed event.
// Its subject is the database name.
func NewSweepCompletedEvent(o Origin, s Sweep) (Event, error) {
	if s.StartedAt.IsZero() {
		return Event{}, errors.New("build sweep event: started_at is required")
	}
	if s.Duration < 0 || s.ObjectsChecked < 0 || s.DriftsOpen < 0 || s.Opened < 0 || s.Resolved < 0 {
		return Event{}, errors.New("build sweep event: negative count or duration")
	}
	return newEvent(o, TypeSweepCompleted, o.Database, SweepData{
		SchemaVersion:  SchemaVersion,
		StartedAt:      s.StartedAt.UTC(),
		DurationMS:     s.Duration.Milliseconds(),
		ObjectsChecked: s.ObjectsChecked,
		DriftsOpen:     s.DriftsOpen,
		Opened:         s.Opened,
		Resolved:       s.Resolved,
	})
}
