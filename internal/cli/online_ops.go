package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/gw-project/gw/internal/ops"
	"github.com/gw-project/gw/internal/server/httpguard"
	"github.com/gw-project/gw/internal/session"
)

// onlineOps is what gw online gives operators: /healthz, /readyz,
// /metrics, the drain on SIGTERM and a log line per session.
type onlineOps struct {
	hub          *session.Hub
	metrics      *ops.Metrics
	drainer      *ops.Drainer
	activity     ops.Activity
	drainTimeout time.Duration
	log          *slog.Logger
}

func addOpsOptions(s *optionSet) {
	s.add(&option{names: []string{"--drain-timeout"}, kind: optValue, def: "30s", help: "On SIGTERM (or a first Control+C) gw stops taking new sessions (/readyz answers 503, new connections and REST loads get 503 with Retry-After) and lets open sessions run this long before it closes them with 1001 (going away); a second signal stops at once. 0 stops at once (gw only)."})
}

// newOnlineOps reads --drain-timeout; it observes hub's sessions, and log
// gets their lines.
func newOnlineOps(opts *optionSet, log *slog.Logger, hub *session.Hub) (*onlineOps, error) {
	o := &onlineOps{hub: hub, metrics: ops.NewMetrics(), drainer: ops.NewDrainer(),
		drainTimeout: ops.DefaultDrainTimeout, log: log}
	if v := opts.lookup("--drain-timeout"); v.set && v.value() == "0" {
		o.drainTimeout = 0
	} else if v.set {
		d, err := parseDuration("--drain-timeout", v.value())
		if err != nil {
			return nil, err
		}
		if d < 0 {
			return nil, usagef("--drain-timeout must be 0 (stop at once) or more")
		}
		o.drainTimeout = d
	}
	o.drainer.OnChange = o.metrics.SetReady
	o.metrics.Watch(o.hub)
	o.hub.Observe(ops.NewSessionLog(log))
	return o, nil
}

// gate puts the drain gate in front of the service: while draining, new
// sessions are refused.
func (o *onlineOps) gate(service http.Handler, refuse func(http.ResponseWriter, *http.Request, int, string)) http.Handler {
	return o.drainer.Gate(o.activity.Wrap(service), refuse)
}

// routes are the health and metrics endpoints on the service's port.
func (o *onlineOps) routes() []route {
	return []route{
		{pattern: "GET /healthz", handler: http.HandlerFunc(ops.Healthz)},
		{pattern: "GET /readyz", handler: http.HandlerFunc(o.drainer.Readyz)},
		{pattern: "GET /metrics", handler: o.metrics.Handler()},
	}
}

// stop waits for the end of the service: a signal drains it (open
// returns the sessions still open; nil: REST, whose request in flight is
// waited for), a second signal or env.Stop ends it at once. Then closeAll
// closes what is left within its context; drained says every session
// ended in time (requests in flight may finish).
func (o *onlineOps) stop(env *Env, sig <-chan os.Signal, served <-chan error, open func() int, closeAll func(ctx context.Context, drained bool)) error {
	grace, drained := 5*time.Second, false
	select {
	case err := <-served:
		return fmt.Errorf("the service stopped: %v", err)
	case s := <-sig:
		env.Log.Info("shutting down", "signal", s.String())
		if o.drainTimeout > 0 {
			var hurried bool
			drained, hurried = o.drain(env, sig, open)
			if hurried {
				grace = time.Second
			}
		}
	case <-env.Stop:
	}
	o.hub.Shutdown() // sessions paused from outside give up
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	closeAll(ctx, drained)
	return nil
}

// drain refuses new sessions and waits for the open ones until the drain
// timeout. drained: they all ended; hurried: a second signal cut it short.
func (o *onlineOps) drain(env *Env, sig <-chan os.Signal, open func() int) (drained, hurried bool) {
	o.drainer.Drain()
	if open == nil {
		open = o.activity.Busy(0)
	}
	n := open()
	if n == 0 {
		return true, false
	}
	o.log.Warn("draining: new sessions are refused; open sessions may run on until the drain timeout, then they are closed (send the signal again to stop at once)",
		"sessions", n, "drain_timeout", o.drainTimeout.String())
	ctx, cancel := context.WithTimeout(context.Background(), o.drainTimeout)
	defer cancel()
	hurry := make(chan struct{})
	go func() {
		select {
		case s := <-sig:
			o.log.Warn("second signal: stopping at once", "signal", s.String())
			close(hurry)
			cancel()
		case <-env.Stop:
			close(hurry)
			cancel()
		case <-ctx.Done():
		}
	}()
	if err := o.drainer.Wait(ctx, open); err != nil {
		o.log.Warn("drain ended with sessions open; closing them (1001 going away)", "sessions", open(), "reason", err.Error())
		select {
		case <-hurry:
			return false, true
		default:
			return false, false
		}
	}
	o.log.Info("drained: every session ended")
	return true, false
}

// countClients reports the per-client cap's refusals.
func (o *onlineOps) countClients(c *httpguard.Clients) { o.metrics.CountClients(c) }
