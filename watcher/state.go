package watcher

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/driftwatch/driftwatch/checker"
	"github.com/driftwatch/driftwatch/notify"
)

// DriftRecord is one open drift item of driftwatch.drift, as /drift shows it.
type DriftRecord struct {
	ID          string                      `json:"id"`
	Change      string                      `json:"change"`
	ObjectType  string                      `json:"object_type"`
	Identity    string                      `json:"identity"`
	Severity    string                      `json:"severity"`
	Expected    *string                     `json:"expected"`
	Actual      *string                     `json:"actual"`
	Diff        map[string]checker.AttrDiff `json:"diff,omitempty"`
	FixSQL      string                      `json:"fix_sql"`
	Manual      bool                        `json:"manual,omitempty"`
	FirstSeen   time.Time                   `json:"first_seen"`
	LastSeen    time.Time                   `json:"last_seen"`
	DetectedBy  string                      `json:"detected_by"`
	Attribution *notify.Attribution         `json:"attribution,omitempty"`
}

// outcome is what a re-check or sweep found, to be recorded.
type outcome struct {
	// all: items cover the whole database, so every open item not among
	// them is resolved. Else only open items whose owner is in names are.
	all   bool
	names []checker.Name
	items []checker.Drift
	// events of the batch (nil for a sweep): ddl.observed is published for
	// each, and drift transitions carry their attribution.
	events []DDLEvent
	// cause maps an owner name to the event that named it.
	cause map[checker.Name]*DDLEvent
	// eventNames lists, by event id, the names an event was mapped to.
	eventNames map[int64][]checker.Name
	ack        func(*pgx.Batch) // queues the batch's ack (Batch.queueAck)
	sweep      *notify.Sweep    // for sweeps: sweep.completed is published too
}

// transitions counts what record changed.
type transitions struct {
	Opened, Changed, Resolved int
	Open                      int // open items after, in the whole database
}

type openRow struct {
	item      checker.Drift
	firstSeen time.Time
}

// stateLockSQL serializes drift state writers across replicas.
const stateLockSQL = `SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('driftwatch drift state', 0))`

// record applies an outcome to driftwatch.drift and enqueues the events of
// its transitions, in one transaction with the batch's ack. Only
// transitions produce drift events: a new open item (drift.opened), an
// open item whose expected, actual, fix or severity changed
// (drift.changed), an open item in scope that is no longer found
// (drift.resolved). An item already open is only touched (last_seen).
//
// Drift events of a batch carry the attribution of the event that named
// the item's owner (else the batch's last event); a sweep's carry none
// (detected_by sweep). ddl.observed is published once per ddl_events row
// (one per object a command touched, as the trigger records them), except
// the companions of a drop (original = false: row types, TOAST, implicit
// indexes); GRANT/REVOKE rows, which name no object, get the identity
// "(unnamed)". Its drift_count is the open items on the names the row was
// mapped to.

func (d *Daemon) record(ctx context.Context, st state, oc outcome) (transitions, error) {
	var (
		tr     transitions
		events []notify.Event
		sevs   map[string]int
	)
	now := time.Now().UTC()
	// The transaction goes in three round trips besides BEGIN and COMMIT,
	// each a batch of statements: lock and read the open items; write the
	// transitions and count what is open; enqueue the events and ack.
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		events = events[:0]
		tr = transitions{}
		open, err := lockAndLoadOpen(ctx, tx, oc)
		if err != nil {
			return err
		}
		lastEvent := lastOf(oc.events)
		attrOf := func(owner checker.Name) *DDLEvent {
			if e := oc.cause[owner]; e != nil {
				return e
			}
			return lastEvent
		}
		// emits are the drift events of the writes, in order; an insert
		// that finds the item open already (under another owner than this
		// scope's) emits nothing: opened says which did open one.
		type emit struct {
			typ    string
			it     checker.Drift
			first  time.Time
			cause  *DDLEvent
			opened *bool
		}
		var (
			emits   []emit
			touched []string
			w       = &pgx.Batch{}
		)
		seen := make(map[string]bool, len(oc.items))
		for _, it := range oc.items {
			id := notify.DriftID(string(it.ObjectType), it.Identity, notify.Change(it.Change))
			if seen[id] {
				continue
			}
			seen[id] = true
			owner := it.Owner()
			cause := attrOf(owner)
			if row, ok := open[id]; ok {
				if sameDrift(row.item, it) {
					touched = append(touched, id)
					continue
				}
				if err := queueUpdateDrift(w, id, it, cause, now); err != nil {
					return err
				}
				tr.Changed++
				emits = append(emits, emit{notify.TypeDriftChanged, it, row.firstSeen, cause, nil})
				continue
			}
			opened := new(bool)
			if err := queueOpenDrift(w, id, owner, it, cause, now, opened); err != nil {
				return err
			}
			// an item open already is touched instead (see below)
			touched = append(touched, id)
			emits = append(emits, emit{notify.TypeDriftOpened, it, now, cause, opened})
		}
		if len(touched) > 0 {
			// After the inserts: an item they opened has last_seen = now and
			// is left alone.
			w.Queue(`UPDATE driftwatch.drift SET last_seen = $2 WHERE id = ANY($1::text[]) AND last_seen <> $2`, touched, now)
		}
		for id, row := range open {
			if seen[id] {
				continue
			}
			w.Queue(`UPDATE driftwatch.drift SET resolved_at = $2, last_seen = $2 WHERE id = $1`, id, now)
			tr.Resolved++
			var cause *DDLEvent
			if oc.events != nil {
				cause = attrOf(row.item.Owner())
			}
			emits = append(emits, emit{notify.TypeDriftResolved, row.item, row.firstSeen, cause, nil})
		}
		queueCountOpen(w, &sevs)
		if err := tx.SendBatch(ctx, w).Close(); err != nil {
			return fmt.Errorf("write drift state: %w", err)
		}
		for _, e := range emits {
			if e.opened != nil {
				if !*e.opened {
					continue
				}
				tr.Opened++
			}
			nd := notify.Drift{
				Change:     notify.Change(e.it.Change),
				ObjectType: string(e.it.ObjectType),
				Identity:   e.it.Identity,
				Expected:   deref(e.it.Expected),
				Actual:     deref(e.it.Actual),
				Severity:   notify.Severity(e.it.Severity),
				FixSQL:     e.it.FixSQL,
				FirstSeen:  e.first,
				LastSeen:   now,
			}
			if e.typ == notify.TypeDriftResolved {
				nd.ResolvedAt = now
			}
			if e.cause != nil {
				nd.Attribution = attribution(e.cause)
			}
			ev, err := notify.NewDriftEvent(st.origin, e.typ, nd)
			if err != nil {
				return err
			}
			events = append(events, ev)
		}
		perOwner := map[checker.Name]int{}
		for _, it := range oc.items {
			perOwner[it.Owner()]++
		}
		for i := range oc.events {
			e := &oc.events[i]
			if e.IsDrop && !e.Original || skippedSchema(e.SchemaName) {
				continue
			}
			count := 0
			for _, n := range oc.eventNames[e.ID] {
				count += perOwner[n]
			}
			identity := e.ObjectIdentity
			if identity == "" {
				identity = unnamed
			}
			ev, err := notify.NewDDLObservedEvent(st.origin, notify.DDLObserved{
				ObjectType: e.ObjectType, Identity: identity, CommandTag: e.CommandTag,
				DriftCount: count, Attribution: *attribution(e),
			})
			if err != nil {
				return err
			}
			events = append(events, ev)
		}
		for _, n := range sevs {
			tr.Open += n
		}
		q := &pgx.Batch{}
		if oc.sweep != nil {
			s := *oc.sweep
			s.DriftsOpen, s.Opened, s.Resolved = tr.Open, tr.Opened, tr.Resolved
			q.Queue(`
INSERT INTO driftwatch.last_sweep AS l (started_at, finished_at, objects_checked, drifts_open)
VALUES ($1, $2, $3, $4)
ON CONFLICT (one) DO UPDATE SET started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,
    objects_checked = EXCLUDED.objects_checked, drifts_open = EXCLUDED.drifts_open`,
				s.StartedAt, now, s.ObjectsChecked, s.DriftsOpen)
			ev, err := notify.NewSweepCompletedEvent(st.origin, s)
			if err != nil {
				return err
			}
			events = append(events, ev)
		}
		for _, e := range events {
			if err := notify.QueueEnqueue(q, e, st.sinks); err != nil {
				return err
			}
		}
		if oc.ack != nil {
			oc.ack(q)
		}
		if q.Len() == 0 {
			return nil
		}
		if err := tx.SendBatch(ctx, q).Close(); err != nil {
			return fmt.Errorf("enqueue drift events and ack DDL events: %w", err)
		}
		return nil
	})
	if err != nil {
		return transitions{}, fmt.Errorf("record drift state: %w", err)
	}
	enqueued := time.Now()
	if st.deliverer != nil {
		st.deliverer.Kick()
	}
	for _, e := range events {
		d.m.EventsPublished.WithLabelValues(e.ShortType()).Inc()
	}
	if e := lastOf(oc.events); e != nil && tr.Opened+tr.Changed+tr.Resolved > 0 {
		// detection latency: the DDL (its last event in the batch) → its
		// drift events enqueued
		d.m.DetectionLatency.Observe(enqueued.Sub(e.OccurredAt).Seconds())
	}
	d.setOpenCounts(sevs)
	return tr, nil
}

func lastOf(events []DDLEvent) *DDLEvent {
	if len(events) == 0 {
		return nil
	}
	return &events[len(events)-1]
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// sameDrift says whether an open item is unchanged: same expected,
// actual, fix and severity.
func sameDrift(a, b checker.Drift) bool {
	return deref(a.Expected) == deref(b.Expected) && deref(a.Actual) == deref(b.Actual) &&
		a.FixSQL == b.FixSQL && a.Severity == b.Severity
}

func attribution(e *DDLEvent) *notify.Attribution {
	return &notify.Attribution{
		User:            e.SessionUser,
		CurrentUser:     e.CurrentUser,
		ApplicationName: e.ApplicationName,
		ClientAddr:      e.ClientAddr,
		BackendPID:      e.BackendPID,
		TxID:            int64(e.TxID),
		Statement:       e.Statement,
		OccurredAt:      e.OccurredAt,
		CommandTag:      e.CommandTag,
	}
}

func detectedBy(cause *DDLEvent) string {
	if cause == nil {
		return notify.DetectedBySweep
	}
	return notify.DetectedByDDL
}

func attributionJSON(cause *DDLEvent) ([]byte, error) {
	if cause == nil {
		return nil, nil
	}
	return json.Marshal(attribution(cause))
}

// lockAndLoadOpen takes the drift state lock and reads the open items an
// outcome may resolve, in one round trip.
func lockAndLoadOpen(ctx context.Context, tx pgx.Tx, oc outcome) (map[string]openRow, error) {
	open := map[string]openRow{}
	q := &pgx.Batch{}
	q.Queue(stateLockSQL)
	if oc.all || len(oc.names) > 0 {
		var schemas, names []string
		if !oc.all {
			schemas, names = splitNames(oc.names)
		}
		q.Queue(`
SELECT id, item, first_seen FROM driftwatch.drift
WHERE resolved_at IS NULL
  AND ($1::text[] IS NULL OR (scope_schema, scope_name) IN (SELECT * FROM unnest($1::text[], $2::text[])))
FOR UPDATE`, schemas, names).Query(func(rows pgx.Rows) error {
			var (
				id    string
				raw   []byte
				first time.Time
			)
			_, err := pgx.ForEachRow(rows, []any{&id, &raw, &first}, func() error {
				var it checker.Drift
				if err := json.Unmarshal(raw, &it); err != nil {
					return fmt.Errorf("decode drift item %s: %w", id, err)
				}
				open[id] = openRow{item: it, firstSeen: first}
				return nil
			})
			return err
		})
	}
	if err := tx.SendBatch(ctx, q).Close(); err != nil {
		return nil, fmt.Errorf("lock and load open drift: %w", err)
	}
	return open, nil
}

// encodeDrift encodes what a drift row stores of an item: the item and
// the attribution of the DDL that caused it.
func encodeDrift(it checker.Drift, cause *DDLEvent) (item, attribution []byte, err error) {
	item, err = json.Marshal(it)
	if err != nil {
		return nil, nil, fmt.Errorf("encode drift item: %w", err)
	}
	attribution, err = attributionJSON(cause)
	if err != nil {
		return nil, nil, fmt.Errorf("encode attribution: %w", err)
	}
	return item, attribution, nil
}

// queueOpenDrift queues inserting a new item or re-opening a resolved
// one; *opened says, once the batch ran, whether it did (false: the item
// is open already).
func queueOpenDrift(q *pgx.Batch, id string, owner checker.Name, it checker.Drift, cause *DDLEvent, now time.Time, opened *bool) error {
	raw, attr, err := encodeDrift(it, cause)
	if err != nil {
		return err
	}
	q.Queue(`
INSERT INTO driftwatch.drift AS d (id, object_type, identity, change, severity, scope_schema, scope_name,
                                   item, detected_by, attribution, first_seen, last_seen)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
ON CONFLICT (id) DO UPDATE
SET severity = EXCLUDED.severity, scope_schema = EXCLUDED.scope_schema, scope_name = EXCLUDED.scope_name,
    item = EXCLUDED.item, detected_by = EXCLUDED.detected_by, attribution = EXCLUDED.attribution,
    first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen, resolved_at = NULL
WHERE d.resolved_at IS NOT NULL`,
		id, string(it.ObjectType), it.Identity, string(it.Change), string(it.Severity), owner.Schema, owner.Name,
		raw, detectedBy(cause), attr, now).Exec(func(tag pgconn.CommandTag) error {
		*opened = tag.RowsAffected() == 1
		return nil
	})
	return nil
}

func queueUpdateDrift(q *pgx.Batch, id string, it checker.Drift, cause *DDLEvent, now time.Time) error {
	raw, attr, err := encodeDrift(it, cause)
	if err != nil {
		return err
	}
	q.Queue(`
UPDATE driftwatch.drift
SET item = $2, severity = $3, last_seen = $4,
    detected_by = CASE WHEN $5::jsonb IS NULL THEN detected_by ELSE $6 END,
    attribution = COALESCE($5::jsonb, attribution)
WHERE id = $1`, id, raw, string(it.Severity), now, attr, detectedBy(cause))
	return nil
}

const countOpenSQL = `SELECT severity, count(*) FROM driftwatch.drift WHERE resolved_at IS NULL GROUP BY severity`

// countOpen returns open items by severity.
func countOpen(ctx context.Context, q notify.DB) (map[string]int, error) {
	rows, err := q.Query(ctx, countOpenSQL)
	if err != nil {
		return nil, fmt.Errorf("count open drift: %w", err)
	}
	out, err := scanCounts(rows)
	if err != nil {
		return nil, fmt.Errorf("count open drift: %w", err)
	}
	return out, nil
}

// queueCountOpen queues countOpen on q; *out is set once the batch ran.
func queueCountOpen(q *pgx.Batch, out *map[string]int) {
	q.Queue(countOpenSQL).Query(func(rows pgx.Rows) error {
		var err error
		*out, err = scanCounts(rows)
		return err
	})
}

func scanCounts(rows pgx.Rows) (map[string]int, error) {
	out := map[string]int{}
	var (
		sev string
		n   int
	)
	_, err := pgx.ForEachRow(rows, []any{&sev, &n}, func() error { out[sev] = n; return nil })
	return out, err
}

// setOpenCounts updates the OpenDrifts gauge and the critical flag.
func (d *Daemon) setOpenCounts(sevs map[string]int) {
	for _, s := range []string{string(checker.Critical), string(checker.Warning)} {
		d.m.OpenDrifts.WithLabelValues(s).Set(float64(sevs[s]))
	}
	d.mu.Lock()
	d.critical = sevs[string(checker.Critical)] > 0
	d.mu.Unlock()
}

// OpenDrifts returns the open drift items, most severe and oldest first.
func (d *Daemon) OpenDrifts(ctx context.Context) ([]DriftRecord, error) {
	if d.pool == nil {
		return nil, fmt.Errorf("list open drift: daemon not open")
	}
	rows, err := d.pool.Query(ctx, `
SELECT id, item, first_seen, last_seen, detected_by, attribution
FROM driftwatch.drift
WHERE resolved_at IS NULL
ORDER BY severity = 'critical' DESC, first_seen, id`)
	if err != nil {
		return nil, fmt.Errorf("list open drift: %w", err)
	}
	var (
		out         []DriftRecord
		id, by      string
		raw, attr   []byte
		first, last time.Time
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &raw, &first, &last, &by, &attr}, func() error {
		var it checker.Drift
		if err := json.Unmarshal(raw, &it); err != nil {
			return fmt.Errorf("decode drift item %s: %w", id, err)
		}
		r := DriftRecord{
			ID: id, Change: string(it.Change), ObjectType: string(it.ObjectType), Identity: it.Identity,
			Severity: string(it.Severity), Expected: it.Expected, Actual: it.Actual, Diff: it.Diff,
			FixSQL: it.FixSQL, Manual: it.Manual, FirstSeen: first, LastSeen: last, DetectedBy: by,
		}
		if len(attr) > 0 {
			r.Attribution = &notify.Attribution{}
			if err := json.Unmarshal(attr, r.Attribution); err != nil {
				return fmt.Errorf("decode attribution of %s: %w", id, err)
			}
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list open drift: %w", err)
	}
	return out, nil
}

// CriticalOpen reports whether any critical drift item is open, as of the
// last re-check or sweep (no query).
func (d *Daemon) CriticalOpen() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.critical
}
