package watcher

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the daemon's Prometheus metrics, registered on their own
// registry (no global state).
type Metrics struct {
	Registry *prometheus.Registry

	OpenDrifts       *prometheus.GaugeVec   // by severity
	DDLEvents        prometheus.Counter     // ddl_events rows handled
	Rechecks         prometheus.Counter     // incremental re-checks run
	RecheckSeconds   prometheus.Histogram   // incremental re-check duration
	DetectionLatency prometheus.Histogram   // DDL commit (occurred_at) → event enqueued
	SweepSeconds     prometheus.Histogram   // full sweep duration
	SweepsTotal      *prometheus.CounterVec // by result: ok, error
	OutboxPending    prometheus.Gauge
	OutboxDead       prometheus.Gauge
	Reconnects       prometheus.Counter
	EventsPublished  *prometheus.CounterVec // by type
}

// NewMetrics creates and registers the metrics.
func NewMetrics() *Metrics {
	latencyBuckets := []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		OpenDrifts: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "driftwatch_open_drifts",
			Help: "Open drift items by severity."}, []string{"severity"}),
		DDLEvents: prometheus.NewCounter(prometheus.CounterOpts{Name: "driftwatch_ddl_events_total",
			Help: "DDL event rows read from driftwatch.ddl_events."}),
		Rechecks: prometheus.NewCounter(prometheus.CounterOpts{Name: "driftwatch_rechecks_total",
			Help: "Incremental re-checks run."}),
		RecheckSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "driftwatch_recheck_duration_seconds",
			Help: "Incremental re-check duration.", Buckets: latencyBuckets}),
		DetectionLatency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "driftwatch_detection_latency_seconds",
			Help: "From the DDL's commit to its drift events being enqueued for publishing.", Buckets: latencyBuckets}),
		SweepSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "driftwatch_sweep_duration_seconds",
			Help: "Full sweep duration.", Buckets: prometheus.ExponentialBuckets(0.01, 2, 14)}),
		SweepsTotal: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "driftwatch_sweeps_total",
			Help: "Full sweeps by result."}, []string{"result"}),
		OutboxPending: prometheus.NewGauge(prometheus.GaugeOpts{Name: "driftwatch_outbox_pending",
			Help: "Outbox deliveries waiting to be sent."}),
		OutboxDead: prometheus.NewGauge(prometheus.GaugeOpts{Name: "driftwatch_outbox_dead",
			Help: "Outbox deliveries that exhausted their retries."}),
		Reconnects: prometheus.NewCounter(prometheus.CounterOpts{Name: "driftwatch_reconnects_total",
			Help: "Reconnections of the event source."}),
		EventsPublished: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "driftwatch_events_total",
			Help: "Events enqueued for publishing, by type."}, []string{"type"}),
	}
	m.Registry.MustRegister(m.OpenDrifts, m.DDLEvents, m.Rechecks, m.RecheckSeconds, m.DetectionLatency,
		m.SweepSeconds, m.SweepsTotal, m.OutboxPending, m.OutboxDead, m.Reconnects, m.EventsPublished,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}
