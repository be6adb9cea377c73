package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/driftwatch/driftwatch/notify"
)

// followOutbox sends every event the daemon writes to driftwatch.outbox,
// in id order, until ctx ends: LISTEN on the outbox channel, with a poll
// as fallback. It works with PostgreSQL alone, whatever sinks are on.
func followOutbox(ctx context.Context, dsn string, out chan<- notify.Event) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connect to follow the outbox: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+notify.NotifyChannel); err != nil {
		return fmt.Errorf("listen on %s: %w", notify.NotifyChannel, err)
	}
	// Ids are handed out before commit, so a later commit may carry a
	// lower id: look back a little and skip what was already sent.
	seen := map[int64]bool{}
	var maxID int64
	for {
		rows, err := conn.Query(ctx, `SELECT id, event FROM driftwatch.outbox WHERE id > $1 ORDER BY id`, maxID-1000)
		if err != nil {
			return fmt.Errorf("read the outbox: %w", err)
		}
		var batch []notify.Event
		for rows.Next() {
			var id int64
			var raw []byte
			if err := rows.Scan(&id, &raw); err != nil {
				rows.Close()
				return fmt.Errorf("read the outbox: %w", err)
			}
			if seen[id] {
				continue
			}
			seen[id], maxID = true, max(maxID, id)
			var e notify.Event
			if err := json.Unmarshal(raw, &e); err != nil {
				return fmt.Errorf("decode outbox event %d: %w", id, err)
			}
			batch = append(batch, e)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read the outbox: %w", err)
		}
		for _, e := range batch {
			select {
			case out <- e:
			case <-ctx.Done():
				return nil
			}
		}
		wctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		_, err = conn.WaitForNotification(wctx)
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("wait for outbox events: %w", err)
		}
	}
}

// describeEvent renders an event as one or two lines for the demo.
func describeEvent(e notify.Event) string {
	switch e.Type {
	case notify.TypeDriftOpened, notify.TypeDriftChanged, notify.TypeDriftResolved:
		var d notify.DriftData
		if json.Unmarshal(e.Data, &d) != nil {
			break
		}
		s := fmt.Sprintf("%-16s %s %s: %s, %s", e.ShortType(), d.ObjectType, d.Identity, d.Change, d.Severity)
		if a := d.Attribution; a != nil {
			s += "\n" + strings.Repeat(" ", 28) + "by " + attribution(*a)
		} else {
			s += " (found by a sweep)"
		}
		if e.Type != notify.TypeDriftResolved && d.FixSQL != "" {
			s += "\n" + strings.Repeat(" ", 28) + "fix: " + firstLine(d.FixSQL)
		}
		return s
	case notify.TypeDDLObserved:
		var d notify.DDLObservedData
		if json.Unmarshal(e.Data, &d) != nil {
			break
		}
		return fmt.Sprintf("%-16s %s %s by %s", e.ShortType(), d.CommandTag, d.Identity, attribution(d.Attribution))
	case notify.TypeSweepCompleted:
		var d notify.SweepData
		if json.Unmarshal(e.Data, &d) != nil {
			break
		}
		return fmt.Sprintf("%-16s %d objects checked in %d ms, %d drift open", e.ShortType(), d.ObjectsChecked, d.DurationMS, d.DriftsOpen)
	}
	return fmt.Sprintf("%-16s %s", e.ShortType(), e.Subject)
}

func attribution(a notify.Attribution) string {
	s := fmt.Sprintf("%s via %q", a.User, a.ApplicationName)
	if a.Statement != "" {
		s += ": " + firstLine(a.Statement)
	}
	return s
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " ..."
	}
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	return s
}

// tailBuffer keeps the last limit bytes written (the daemon's log, shown
// when the demo fails).
type tailBuffer struct {
	mu    sync.Mutex
	limit int
	b     []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.limit {
		t.b = append([]byte(nil), t.b[len(t.b)-t.limit:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) WriteTo(w io.Writer) (int64, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n, err := w.Write(t.b)
	return int64(n), err
}
