package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/gw-project/gw/internal/mcp"
	"github.com/gw-project/gw/internal/mcptools"
)

func init() {
	register(&command{
		name:    "mcp",
		summary: "Serves gw's engine to AI agents over the Model Context Protocol on stdin/stdout: check, convert, describe, author, plan and walk models (gw only).",
		options: func() *optionSet {
			s := &optionSet{}
			s.add(&option{names: []string{mcp.FlagMaxSessions}, kind: optValue, def: strconv.Itoa(mcp.DefaultMaxSessions), help: "Most walk sessions open at once (start_session)."})
			s.add(&option{names: []string{mcp.FlagIdleTimeout}, kind: optValue, def: "30m", help: "Drop a draft or a walk session no tool used for this long."})
			s.add(&option{names: []string{mcp.FlagMaxMessage}, kind: optValue, def: strconv.Itoa(mcp.DefaultMaxMessageBytes), help: "Largest MCP message, in bytes (sizes like 32MiB work too)."})
			s.add(&option{names: []string{"--records"}, kind: optValue, def: "<none>", help: "A folder of run records (gw offline/online --record DIR) that agents may list and report (list_records, report_record)."})
			addMCPOptions(s, false)
			addRunOptions(s)
			return s
		},
		run: runMCP,
	})
}

// addMCPOptions adds the options of the MCP server that gw online's own
// options (--max-sessions, --idle-timeout, --max-message, --allow-origin)
// do not cover; `gw online --mcp` adds them too (http: with --max-clients),
// and reads them all with mcpOptions.
func addMCPOptions(s *optionSet, http bool) {
	add := func(o *option) {
		if http {
			o.help = "--mcp: " + o.help
		}
		s.add(o)
	}
	if http {
		add(&option{names: []string{mcp.FlagMaxClients}, kind: optValue, def: strconv.Itoa(mcp.DefaultMaxClients), help: "Most MCP clients served at once over HTTP."})
	}
	add(&option{names: []string{mcp.FlagModels}, kind: optValue, def: "<none>", help: "A folder whose model files (.json, .graphml, .dot) agents may read: listed as resources and named by \"path\" in tool inputs."})
	add(&option{names: []string{mcp.FlagMaxDrafts}, kind: optValue, def: strconv.Itoa(mcp.DefaultMaxDrafts), help: "Most authoring drafts open at once."})
	add(&option{names: []string{mcp.FlagMaxModelSize}, kind: optValue, def: "16MiB", help: "Largest model text a tool reads (inline content or a file)."})
	add(&option{names: []string{mcp.FlagMaxElements}, kind: optValue, def: strconv.Itoa(mcp.DefaultMaxElements), help: "Most vertices and edges of the models of one tool call, and of one draft."})
	add(&option{names: []string{mcp.FlagMaxPlanSteps}, kind: optValue, def: strconv.Itoa(mcp.DefaultMaxPlanSteps), help: "Most steps of one plan_path."})
	add(&option{names: []string{mcp.FlagPlanTimeout}, kind: optValue, def: "30s", help: "Longest time one plan_path may walk."})
}

// mcpOptions reads the MCP server's options that opts has (see
// addMCPOptions, and gw online's --allow-origin), with the tools of
// internal/mcptools; the caller adds Script, NoProgressWindow, Log,
// Version and Hub.
func mcpOptions(opts *optionSet) (mcp.Options, error) {
	o := mcp.Options{Extensions: []mcp.Extension{mcptools.Suite(), mcptools.Draw()}}
	if v := opts.lookup(mcp.FlagModels); v != nil && v.set {
		o.ModelsDir = v.value()
	}
	if v := opts.lookup(mcp.FlagAllowOrigin); v != nil {
		o.AllowOrigins = flatten(v.values)
	}
	for _, f := range []struct {
		flag string
		dst  *int
		min  int
	}{{mcp.FlagMaxSessions, &o.MaxSessions, 1}, {mcp.FlagMaxDrafts, &o.MaxDrafts, 1}, {mcp.FlagMaxElements, &o.MaxElements, 1},
		{mcp.FlagMaxPlanSteps, &o.MaxPlanSteps, 1}, {mcp.FlagMaxClients, &o.MaxClients, 1}} {
		if v := opts.lookup(f.flag); v != nil && v.set {
			n, err := parseInt(f.flag, v.value())
			if err != nil {
				return o, err
			}
			if n < f.min {
				return o, usagef("%s must be at least %d", f.flag, f.min)
			}
			*f.dst = n
		}
	}
	for _, f := range []struct {
		flag string
		dst  *int64
		min  int64
	}{{mcp.FlagMaxMessage, &o.MaxMessageBytes, 1024}, {mcp.FlagMaxModelSize, &o.MaxModelBytes, 1024}} {
		if v := opts.lookup(f.flag); v != nil && v.set {
			n, err := parseSize(f.flag, v.value(), f.min)
			if err != nil {
				return o, err
			}
			*f.dst = n
		}
	}
	for _, f := range []struct {
		flag string
		dst  *time.Duration
	}{{mcp.FlagIdleTimeout, &o.IdleTimeout}, {mcp.FlagPlanTimeout, &o.PlanTimeout}} {
		if v := opts.lookup(f.flag); v != nil && v.set {
			d, err := parseDuration(f.flag, v.value())
			if err != nil {
				return o, err
			}
			*f.dst = d
		}
	}
	// Run records: gw mcp --records DIR, or gw online --mcp --record DIR
	// (the sessions' own records).
	for _, flag := range []string{"--records", "--record"} {
		if v := opts.lookup(flag); v != nil && v.set && v.value() != "" {
			maxLine := o.MaxModelBytes // a record's header holds its models
			if maxLine == 0 {
				maxLine = mcp.DefaultMaxModelBytes
			}
			o.Extensions = append(o.Extensions, mcptools.Records(mcptools.RecordsOptions{Dir: v.value(), MaxLine: maxLine, Flag: mcp.FlagMaxModelSize}))
			break
		}
	}
	return o, nil
}

func runMCP(env *Env, opts *optionSet) error {
	mo, err := runOptions(opts)
	if err != nil {
		return err
	}
	o, err := mcpOptions(opts)
	if err != nil {
		return err
	}
	o.Script, o.NoProgressWindow = mo.Script, mo.NoProgressWindow
	o.Log, o.Version = env.Log, Version
	srv, err := mcp.New(o)
	if err != nil {
		return usagef("%v", err)
	}
	defer srv.Close()

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	if env.Stop != nil {
		go func() {
			select {
			case <-env.Stop:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	env.Log.Info("gw MCP server: serving on stdin and stdout", "models", o.ModelsDir)
	err = srv.ServeStdio(ctx, io.NopCloser(os.Stdin), flushWriter{env.Stdout})
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// flushWriter sends every MCP message at once: the command's stdout is
// buffered.
type flushWriter struct{ w io.Writer }

func (f flushWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if fl, ok := f.w.(interface{ Flush() error }); ok && err == nil {
		err = fl.Flush()
	}
	return n, err
}

func (flushWriter) Close() error { return nil }
