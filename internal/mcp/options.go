package mcp

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path"
	"strings"
	"time"

	"github.com/gw-project/gw/internal/script"
	"github.com/gw-project/gw/internal/session"
)

// Defaults for the zero Options.
const (
	DefaultMaxSessions     = 100
	DefaultMaxDrafts       = 100
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultMaxMessageBytes = 32 << 20
	DefaultMaxModelBytes   = 16 << 20
	DefaultMaxElements     = 100000
	DefaultMaxPlanSteps    = 100000
	DefaultPlanTimeout     = 30 * time.Second
	DefaultMaxClients      = 100
)

// The command-line flags that set each limit; errors name them, so a
// command that serves MCP must offer them under these names (`gw mcp`
// does; `gw online --mcp` shares --max-sessions, --idle-timeout,
// --max-message and --allow-origin with its other services).
const (
	FlagModels       = "--models"
	FlagMaxSessions  = "--max-sessions"
	FlagMaxDrafts    = "--max-drafts"
	FlagIdleTimeout  = "--idle-timeout"
	FlagMaxMessage   = "--max-message"
	FlagMaxModelSize = "--max-model-size"
	FlagMaxElements  = "--max-elements"
	FlagMaxPlanSteps = "--max-plan-steps"
	FlagPlanTimeout  = "--plan-timeout"
	FlagMaxClients   = "--max-clients"
	FlagAllowOrigin  = "--allow-origin"
)

// Options configure a Server. The zero value is usable: every limit has
// its default, and no folder of models is served.
type Options struct {
	// ModelsDir is a folder whose model files (.json, .graphml, .dot) are
	// served read-only as resources and may be named by "path" in tool
	// inputs; "" serves none.
	ModelsDir string

	// MaxSessions bounds the walk sessions open at once (start_session).
	MaxSessions int
	// MaxDrafts bounds the authoring drafts open at once.
	MaxDrafts int
	// IdleTimeout drops a draft or a session no tool has used for that
	// long, and closes an HTTP client that sent nothing for that long.
	IdleTimeout time.Duration
	// MaxMessageBytes bounds one MCP message (a stdio line, an HTTP body).
	MaxMessageBytes int64
	// MaxModelBytes bounds one model text: inline content, a file under
	// ModelsDir, a resource read.
	MaxModelBytes int64
	// MaxElements bounds the vertices and edges of the models one tool
	// call reads, and of one draft.
	MaxElements int
	// MaxPlanSteps bounds the steps of one plan_path.
	MaxPlanSteps int
	// PlanTimeout bounds the time one plan_path may walk.
	PlanTimeout time.Duration

	// Script bounds each machine's JavaScript (sessions, plans, guard
	// explanations); the zero value is the defaults.
	Script script.Limits
	// NoProgressWindow is passed to every machine (machine.Options).
	NoProgressWindow int

	// Hub, when set, registers every walk session (Service "mcp"), so the
	// service's observers (studio, records) see MCP sessions too.
	Hub *session.Hub
	// Log receives tool calls (Debug), session and draft events (Info);
	// nil discards.
	Log *slog.Logger
	// Version is the server version reported to clients.
	Version string
	// Extensions add tools to the server (see Extension).
	Extensions []Extension

	// HTTP only (HTTPHandler).
	//
	// AllowOrigins are extra Origin patterns browsers may connect from,
	// with the WebSocket service's rules: path.Match against host[:port]
	// (or scheme://host[:port] when the pattern has "://"), "*" for all,
	// "null" for opaque origins. Loopback pages and clients that send no
	// Origin are always allowed.
	AllowOrigins []string
	// MaxClients bounds the MCP clients (Mcp-Session-Id sessions) an
	// HTTPHandler serves at once.
	MaxClients int
}

func (o Options) withDefaults() Options {
	if o.MaxSessions <= 0 {
		o.MaxSessions = DefaultMaxSessions
	}
	if o.MaxDrafts <= 0 {
		o.MaxDrafts = DefaultMaxDrafts
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.MaxMessageBytes <= 0 {
		o.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if o.MaxModelBytes <= 0 {
		o.MaxModelBytes = DefaultMaxModelBytes
	}
	if o.MaxElements <= 0 {
		o.MaxElements = DefaultMaxElements
	}
	if o.MaxPlanSteps <= 0 {
		o.MaxPlanSteps = DefaultMaxPlanSteps
	}
	if o.PlanTimeout <= 0 {
		o.PlanTimeout = DefaultPlanTimeout
	}
	if o.MaxClients <= 0 {
		o.MaxClients = DefaultMaxClients
	}
	o.Script = o.Script.WithDefaults()
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	return o
}

// Validate reports options that cannot work: a models folder that is not
// a readable folder, an Origin pattern path.Match cannot use.
func (o Options) Validate() error {
	if o.ModelsDir != "" {
		st, err := os.Stat(o.ModelsDir)
		switch {
		case err != nil:
			return fmt.Errorf("%s %s: %v", FlagModels, o.ModelsDir, unwrapPath(err))
		case !st.IsDir():
			return fmt.Errorf("%s %s: not a folder (give the folder that holds the model files)", FlagModels, o.ModelsDir)
		}
	}
	for _, p := range o.AllowOrigins {
		if _, err := path.Match(strings.ToLower(p), ""); err != nil {
			return fmt.Errorf("%s %q is not a valid pattern (use host names with * and ? wildcards, e.g. \"*.example.com\"): %w", FlagAllowOrigin, p, err)
		}
	}
	return nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
