package notify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/driftwatch/driftwatch/internal/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rs/zerolog"
)

// installOutbox creates a database with schema driftwatch and the outbox
// (00_schema.sql and 40_outbox.sql), and returns a pool on it.
func installOutbox(t *testing.T) *pgxpool.Pool {
	t.Helper()
	dsn := pgtest.NewDB(t)
	for _, f := range []string{"00_schema.sql", "40_outbox.sql"} {
		b, err := os.ReadFile("../sql/install/" + f)
		if err != nil {
			t.Fatalf("read install script: %v", err)
		}
		pgtest.Exec(t, dsn, string(b))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatalf("open pool: %v", err)
	}
	t.Cleanup(pool.Close) // registered after NewDB's drop, so it runs first
	return pool
}

// enqueue writes e for sinks in its own committed transaction.
func enqueue(t *testing.T, pool *pgxpool.Pool, e Event, sinks ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return Enqueue(ctx, tx, e, sinks) })
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
}

// startDeliverer opens a deliverer with test-sized timings; it is closed
// when the test ends.
func startDeliverer(t *testing.T, pool *pgxpool.Pool, cfg DelivererConfig, sinks ...Sink) *Deliverer {
	t.Helper()
	if cfg.BaseBackoff == 0 {
		cfg.BaseBackoff = 20 * time.Millisecond
	}
	if cfg.MaxBackoff == 0 {
		cfg.MaxBackoff = 100 * time.Millisecond
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 500 * time.Millisecond
	}
	if cfg.SendTimeout == 0 {
		cfg.SendTimeout = 5 * time.Second
	}
	cfg.Logger = zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	d := NewDeliverer(pool, sinks, cfg)
	if err := d.Open(); err != nil {
		t.Fatalf("open deliverer: %v", err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// deliveryOf returns the delivery of event id to sink.
func deliveryOf(t *testing.T, pool *pgxpool.Pool, eventID, sink string) (Delivery, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	all, err := ListDeliveries(ctx, pool, DeliveryFilter{Sink: sink})
	if err != nil {
		return Delivery{}, err
	}
	for _, d := range all {
		if d.EventID == eventID {
			return d, nil
		}
	}
	return Delivery{}, fmt.Errorf("no delivery of %s to %s", eventID, sink)
}

func delivered(t *testing.T, pool *pgxpool.Pool, eventID, sink string) func() (bool, error) {
	return func() (bool, error) {
		d, err := deliveryOf(t, pool, eventID, sink)
		return d.DeliveredAt != nil, err
	}
}

// funcSink is a sink whose Send is a function; it records what it got.
type funcSink struct {
	name string
	fn   func(ctx context.Context, e Event) error

	mu   sync.Mutex
	got  []Event
	sent []Event // accepted (fn returned nil)
}

func (s *funcSink) Name() string { return s.name }

func (s *funcSink) Send(ctx context.Context, e Event) error {
	s.mu.Lock()
	s.got = append(s.got, e)
	s.mu.Unlock()
	var err error
	if s.fn != nil {
		err = s.fn(ctx, e)
	}
	if err == nil {
		s.mu.Lock()
		s.sent = append(s.sent, e)
		s.mu.Unlock()
	}
	return err
}

func (s *funcSink) attempts() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.got...)
}

func (s *funcSink) accepted() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.sent...)
}

var errTest = errors.New("test sink failure")
