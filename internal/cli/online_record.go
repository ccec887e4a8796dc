package cli

import (
	"fmt"
	"log/slog"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/session"
)

// onlineRecords wires --record and --replay into gw online: --record DIR
// records every session of hub (one record per WebSocket start, per REST
// load and restart); --replay RECORD returns the servers' Prepare hook,
// which makes the next session that builds a machine walk the record
// (nil without --replay). done ends the records still open; call it once
// the servers are shut down.
func onlineRecords(env *Env, opts *optionSet, hub *session.Hub, log *slog.Logger) (prepare func([]*model.Model, *machine.Options) error, done func(), err error) {
	obs, err := onlineRecorder(env, opts, log)
	if err != nil {
		return nil, nil, err
	}
	once, err := onlineReplay(opts)
	if err != nil {
		return nil, nil, err
	}
	done = func() {}
	if obs != nil {
		hub.Observe(obs)
		done = obs.Close
	}
	if once == nil {
		return nil, done, nil
	}
	file := opts.lookup("--replay").value()
	fmt.Fprintf(env.Stderr, "INFO: the next session walks the run record %s (--replay)\n", file)
	prepare = func(models []*model.Model, o *machine.Options) error {
		p := once.Take()
		if p == nil {
			return nil
		}
		f, err := p.Force(models)
		if err != nil {
			log.Warn("replay refused", "record", file, "err", err)
			return err
		}
		f.Apply(o)
		log.Info("replaying", "record", file, "steps", f.Len())
		return nil
	}
	return prepare, done, nil
}
