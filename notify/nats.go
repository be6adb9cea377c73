package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// NATS defaults.
const (
	DefaultNATSStream        = "DRIFTWATCH"
	DefaultNATSSubjectPrefix = "driftwatch"
	DefaultNATSTimeout       = 5 * time.Second
	DefaultNATSSinkName      = "nats"
)

// NATSConfig configures the NATS JetStream sink.
type NATSConfig struct {
	// Name identifies the sink in the outbox (default "nats").
	Name string
	// URL of the NATS server(s), comma-separated.
	URL string
	// Stream is the JetStream stream, created if missing (default
	// DRIFTWATCH).
	Stream string
	// SubjectPrefix starts every subject (default "driftwatch"): events go
	// to <prefix>.<database>.<type without io.driftwatch.>.
	SubjectPrefix string
	// Subjects of the stream when it is created (default "<prefix>.>").
	Subjects []string
	// Timeout bounds one publish, including the wait for the ack (default
	// 5s).
	Timeout time.Duration
	// ReconnectWait is the pause between reconnect attempts (default 2s).
	ReconnectWait time.Duration
	// Options are extra connection options (credentials, TLS).
	Options []nats.Option
}

// NATSSink publishes events to a JetStream stream, with the event id as
// Nats-Msg-Id so that a redelivered event is deduplicated by the server
// (within the stream's duplicate window).
type NATSSink struct {
	cfg NATSConfig
	nc  *nats.Conn
	js  jetstream.JetStream

	mu          sync.Mutex
	streamReady bool
}

// NewNATSSink connects to NATS. A server that is down is not an error: the
// connection keeps retrying in the background and Send fails until it is
// up.
func NewNATSSink(cfg NATSConfig) (*NATSSink, error) {
	if cfg.URL == "" {
		return nil, errors.New("configure NATS sink: URL is required")
	}
	if cfg.Name == "" {
		cfg.Name = DefaultNATSSinkName
	}
	if cfg.Stream == "" {
		cfg.Stream = DefaultNATSStream
	}
	if cfg.SubjectPrefix == "" {
		cfg.SubjectPrefix = DefaultNATSSubjectPrefix
	}
	if len(cfg.Subjects) == 0 {
		cfg.Subjects = []string{cfg.SubjectPrefix + ".>"}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultNATSTimeout
	}
	if cfg.ReconnectWait <= 0 {
		cfg.ReconnectWait = 2 * time.Second
	}
	opts := []nats.Option{
		nats.Name("driftwatch"),
		nats.RetryOnFailedConnect(true),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(cfg.ReconnectWait),
		// No reconnect buffer: a publish while disconnected fails at once
		// instead of being sent later behind the outbox's back.
		nats.ReconnectBufSize(-1),
		nats.Timeout(cfg.Timeout),
	}
	opts = append(opts, cfg.Options...)
	nc, err := nats.Connect(cfg.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to NATS: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("open JetStream context: %w", err)
	}
	return &NATSSink{cfg: cfg, nc: nc, js: js}, nil
}

// Name returns the sink's name.
func (s *NATSSink) Name() string { return s.cfg.Name }

// Close closes the connection.
func (s *NATSSink) Close() error {
	s.nc.Close()
	return nil
}

// Subject returns the subject e is published to:
// <prefix>.<database>.<type without io.driftwatch.>.
func (s *NATSSink) Subject(e Event) (string, error) {
	return NATSSubject(s.cfg.SubjectPrefix, e)
}

// NATSSubject returns the subject of e under prefix.
func NATSSubject(prefix string, e Event) (string, error) {
	o, err := ParseSource(e.Source)
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(e.Type, TypePrefix) {
		return "", fmt.Errorf("build NATS subject: type %q lacks prefix %s", e.Type, TypePrefix)
	}
	return prefix + "." + SubjectToken(o.Database) + "." + e.ShortType(), nil
}

// SubjectToken makes s usable as one NATS subject token: every character
// other than ASCII letters, digits, '-' and '_' becomes '_'.
func SubjectToken(s string) string {
	if s == "" {
		return "_"
	}
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			b[i] = '_'
		}
	}
	return string(b)
}

// Send publishes e and waits for the stream's ack, within the configured
// timeout. It fails at once while the connection is down.
func (s *NATSSink) Send(ctx context.Context, e Event) error {
	if st := s.nc.Status(); st != nats.CONNECTED {
		return fmt.Errorf("publish to NATS: not connected (%s)", st)
	}
	subject, err := s.Subject(e)
	if err != nil {
		return err
	}
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	if err := s.ensureStream(ctx); err != nil {
		return err
	}
	msg := nats.NewMsg(subject)
	msg.Data = body
	msg.Header.Set("Content-Type", "application/cloudevents+json")
	_, err = s.js.PublishMsg(ctx, msg, jetstream.WithMsgID(e.ID), jetstream.WithRetryAttempts(0))
	if err != nil {
		if errors.Is(err, jetstream.ErrNoStreamResponse) {
			s.mu.Lock()
			s.streamReady = false // the stream may have been deleted: look again next time
			s.mu.Unlock()
		}
		return fmt.Errorf("publish to NATS subject %s: %w", subject, err)
	}
	return nil
}

// ensureStream creates the stream if it does not exist. An existing stream
// is left as it is.
func (s *NATSSink) ensureStream(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.streamReady {
		return nil
	}
	_, err := s.js.Stream(ctx, s.cfg.Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		_, err = s.js.CreateStream(ctx, jetstream.StreamConfig{
			Name:        s.cfg.Stream,
			Description: "driftwatch events (CloudEvents JSON)",
			Subjects:    s.cfg.Subjects,
			Storage:     jetstream.FileStorage,
			Duplicates:  2 * time.Minute,
		})
		if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			err = nil // created by another replica meanwhile
		}
	}
	if err != nil {
		return fmt.Errorf("ensure NATS stream %s: %w", s.cfg.Stream, err)
	}
	s.streamReady = true
	return nil
}
