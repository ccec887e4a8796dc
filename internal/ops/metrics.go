package ops

import (
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/server/httpguard"
	"github.com/gw-project/gw/internal/session"
)

// Error kinds of gw_errors_total.
const (
	ErrBadJSON       = "bad_json"       // a message or load body that is not JSON
	ErrScript        = "script_error"   // a step or script that failed (guard, action, setData, no way on)
	ErrScriptTimeout = "script_timeout" // JavaScript over --script-timeout
	ErrLimit         = "limit"          // another limit: script memory or size, message size, the memory budget
	ErrOrigin        = "origin_refused" // a browser page from an origin not admitted
	ErrHost          = "host_refused"   // a request addressed to a name not the service's
)

var errorKinds = []string{ErrBadJSON, ErrScript, ErrScriptTimeout, ErrLimit, ErrOrigin, ErrHost}

// Metrics are a service's Prometheus metrics. It is a session.Observer:
// register it on the service's hub (Hub.Observe) and it counts sessions
// and steps; Events gives the servers' hooks for message sizes, bad JSON
// and refusals. Handler serves them.
type Metrics struct {
	reg *prometheus.Registry

	opened   *prometheus.CounterVec
	started  *prometheus.CounterVec
	ended    *prometheus.CounterVec
	steps    *prometheus.CounterVec
	stepTime *prometheus.HistogramVec
	msgBytes *prometheus.HistogramVec
	errs     *prometheus.CounterVec
	ready    prometheus.Gauge

	mu   sync.Mutex
	hubs []*session.Hub
}

// NewMetrics makes the metrics of one service, with Go runtime and
// process metrics, in a registry of their own.
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.opened = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gw_sessions_opened_total", Help: "Sessions opened (WebSocket connections, the REST machine), by service.",
	}, []string{"service"})
	m.started = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gw_sessions_started_total", Help: "Machines started in sessions (start, load, restart), by service and dialect.",
	}, []string{"service", "dialect"})
	m.ended = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gw_sessions_ended_total", Help: "Sessions ended, by service and dialect.",
	}, []string{"service", "dialect"})
	m.steps = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gw_steps_total", Help: "Steps taken, by service, dialect and result (ok: the client got the step; error: the step failed).",
	}, []string{"service", "dialect", "result"})
	m.stepTime = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "gw_step_duration_seconds", Help: "Time one step took in the machine (path generation, guards, actions), by service.",
		Buckets: []float64{.00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"service"})
	m.msgBytes = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "gw_message_size_bytes", Help: "Sizes of WebSocket messages and REST bodies, by service and direction (in: from clients).",
		Buckets: prometheus.ExponentialBuckets(64, 4, 10), // 64 B .. 16 MiB
	}, []string{"service", "direction"})
	m.errs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gw_errors_total", Help: "Errors by kind: " + strings.Join(errorKinds, ", ") + ".",
	}, []string{"kind"})
	for _, k := range errorKinds {
		m.errs.WithLabelValues(k)
	}
	m.ready = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "gw_ready", Help: "1 while the service accepts new sessions, 0 while it drains.",
	})
	m.ready.Set(1)
	m.reg.MustRegister(m.opened, m.started, m.ended, m.steps, m.stepTime, m.msgBytes, m.errs, m.ready,
		&hubCollector{m: m},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// CountClients reports the connections c refused over the per-client cap
// (call it once).
func (m *Metrics) CountClients(c *httpguard.Clients) {
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "gw_client_cap_refused_total", Help: "Connections and requests refused because their client held --max-conns-per-client.",
	}, func() float64 { return float64(c.Refused()) }))
}

// Registry is where the metrics are; tests gather from it.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, MaxRequestsInFlight: 4})
}

// Watch registers m on hub: its sessions are counted, and the open ones
// and their watchers are reported at each scrape.
func (m *Metrics) Watch(hub *session.Hub) {
	m.mu.Lock()
	m.hubs = append(m.hubs, hub)
	m.mu.Unlock()
	hub.Observe(m)
}

// SetReady sets gw_ready.
func (m *Metrics) SetReady(ok bool) {
	if ok {
		m.ready.Set(1)
	} else {
		m.ready.Set(0)
	}
}

// Error counts one error of kind.
func (m *Metrics) Error(kind string) { m.errs.WithLabelValues(kind).Inc() }

// Events returns the hooks a server of service ("websocket", "rest")
// calls (ws.Options.Events, rest.Options.Events).
func (m *Metrics) Events(service string) *httpguard.Events {
	in := m.msgBytes.WithLabelValues(service, "in")
	out := m.msgBytes.WithLabelValues(service, "out")
	bad := m.errs.WithLabelValues(ErrBadJSON)
	origin := m.errs.WithLabelValues(ErrOrigin)
	host := m.errs.WithLabelValues(ErrHost)
	return &httpguard.Events{
		Refused: func(kind string) {
			if kind == "host" {
				host.Inc()
			} else {
				origin.Inc()
			}
		},
		Message: func(isIn bool, n int) {
			if isIn {
				in.Observe(float64(n))
			} else {
				out.Observe(float64(n))
			}
		},
		BadJSON: bad.Inc,
		Limit:   m.errs.WithLabelValues(ErrLimit).Inc,
	}
}

// ErrorKind classifies a step's or a script's error for gw_errors_total.
func ErrorKind(err error) string {
	var le *limits.Error
	switch {
	case errors.As(err, &le) && errors.Is(le.Kind, limits.ErrTime):
		return ErrScriptTimeout
	case errors.As(err, &le):
		return ErrLimit
	}
	return ErrScript
}

// dialect is the label of a session's dialect ("" until known).
func dialect(s *session.Session) string {
	if d := s.Info().Dialect; d != "" {
		return d
	}
	return "unknown"
}

// The session.Observer methods.

func (m *Metrics) Opened(s *session.Session) { m.opened.WithLabelValues(s.Info().Service).Inc() }

func (m *Metrics) Started(s *session.Session, _ *machine.Machine, _ session.Start) {
	m.started.WithLabelValues(s.Info().Service, dialect(s)).Inc()
}

func (m *Metrics) Stepped(s *session.Session, _ *machine.Machine, st session.Step) {
	info := s.Info()
	d := info.Dialect
	if d == "" {
		d = "unknown"
	}
	if st.Err != nil {
		m.steps.WithLabelValues(info.Service, d, "error").Inc()
		m.errs.WithLabelValues(ErrorKind(st.Err)).Inc()
		return
	}
	m.steps.WithLabelValues(info.Service, d, "ok").Inc()
	m.stepTime.WithLabelValues(info.Service).Observe(st.Elapsed.Seconds())
}

func (m *Metrics) Noted(_ *session.Session, _ *machine.Machine, n session.Note) {
	if n.Err != nil {
		m.errs.WithLabelValues(ErrorKind(n.Err)).Inc()
	}
}

func (m *Metrics) Closed(s *session.Session, _ string) {
	m.ended.WithLabelValues(s.Info().Service, dialect(s)).Inc()
}

// hubCollector reports the hubs' open sessions and their watchers at
// each scrape.
type hubCollector struct{ m *Metrics }

var (
	openDesc     = prometheus.NewDesc("gw_sessions_open", "Sessions open now, by service and dialect.", []string{"service", "dialect"}, nil)
	watchersDesc = prometheus.NewDesc("gw_watchers", "Watchers (studio pages, run records) following sessions now.", nil, nil)
)

func (c *hubCollector) Describe(ch chan<- *prometheus.Desc) { ch <- openDesc; ch <- watchersDesc }

func (c *hubCollector) Collect(ch chan<- prometheus.Metric) {
	c.m.mu.Lock()
	hubs := append([]*session.Hub(nil), c.m.hubs...)
	c.m.mu.Unlock()
	type key struct{ service, dialect string }
	open := map[key]int{}
	watchers := 0
	for _, h := range hubs {
		for _, s := range h.List() {
			d := s.Dialect
			if d == "" {
				d = "unknown"
			}
			open[key{s.Service, d}]++
			watchers += s.Watched
		}
	}
	for k, n := range open {
		ch <- prometheus.MustNewConstMetric(openDesc, prometheus.GaugeValue, float64(n), k.service, k.dialect)
	}
	ch <- prometheus.MustNewConstMetric(watchersDesc, prometheus.GaugeValue, float64(watchers))
}

var _ session.Observer = (*Metrics)(nil)
