package notify

import (
	"context"
	"encoding/json"

	"github.com/rs/zerolog"
)

// Sink delivers events somewhere. Send returns nil only when the event was
// accepted; the outbox retries on error, so Send may see the same event
// more than once and must give up within a bounded time (honouring ctx).
// Name identifies the sink in the outbox and must be stable across
// restarts.
type Sink interface {
	Name() string
	Send(ctx context.Context, e Event) error
}

// LogSink writes each event to a zerolog logger. It is always on.
type LogSink struct {
	log zerolog.Logger
}

// LogSinkName is the name of the log sink in the outbox.
const LogSinkName = "log"

// NewLogSink returns a sink that logs events to l.
func NewLogSink(l zerolog.Logger) *LogSink { return &LogSink{log: l} }

// Name returns "log".
func (s *LogSink) Name() string { return LogSinkName }

// Send logs e at info level (drift.opened at warn), with its data as a
// nested JSON object.
func (s *LogSink) Send(_ context.Context, e Event) error {
	ev := s.log.Info()
	if e.Type == TypeDriftOpened {
		ev = s.log.Warn()
	}
	data := e.Data
	if !json.Valid(data) {
		data = json.RawMessage("null")
	}
	ev.Str("event_id", e.ID).
		Str("event_type", e.Type).
		Str("source", e.Source).
		Str("subject", e.Subject).
		Time("event_time", e.Time).
		RawJSON("data", data).
		Msg("driftwatch event")
	return nil
}
