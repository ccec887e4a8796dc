package mcp

import (
	"context"

	"github.com/google/jsonschema-go/jsonschema"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
)

// An Extension adds tools to a Server (Options.Extensions). It is how the
// tools of packages that do not exist yet join the server when they land,
// instead of stubs that pretend to work:
//
//   - plan_suite (internal/mcptools): a test suite for models, built
//     with Registry.LoadModels;
//   - draw_model (internal/mcptools): the SVG of models;
//   - run records and reports, when internal/record exists: list and read
//     records, for example of the sessions Registry.Hub shows.
//
// Wire one in internal/cli/mcp.go (mcpOptions), or give the package an
// Extension of its own and append it there. internal/mcptools holds
// plan_suite and draw_model.
type Extension func(r *Registry)

// Registry is what an Extension may use of the server.
type Registry struct{ s *Server }

// AddTool registers a tool with the server's conventions: its input
// schema is inferred from In (use `jsonschema:"..."` tags for
// descriptions, omitempty for optional fields) unless t.InputSchema is
// set; the SDK validates every input against it; a returned error is a
// tool error whose text the agent reads (say what to do, and name the
// flag of a limit); a panic costs the call, never the process.
func AddTool[In, Out any](r *Registry, t *sdk.Tool, h func(ctx context.Context, in In) (Out, error)) {
	addTool(r.s, t, h)
}

// LoadModels reads the models of a "models" input, within the server's
// limits (--max-model-size, --max-elements), dropping BLOCKED elements
// when blocked is set. The models are indexed and belong to the caller.
func (r *Registry) LoadModels(ctx context.Context, in []ModelInput, blocked bool) ([]*model.Model, error) {
	return r.s.loadModels(ctx, in, loadOptions{blocked: blocked})
}

// MachineOptions are the options the server builds machines with (its
// script limits, seed), for tools that walk models themselves.
func (r *Registry) MachineOptions(seed int64) machine.Options { return r.s.machineOptions(seed) }

// Options are the server's options, defaults filled in.
func (r *Registry) Options() Options { return r.s.opts }

// Server is the server being extended.
func (r *Registry) Server() *Server { return r.s }

// InputSchema is the input schema AddTool infers from In (every "models"
// list with its format enum and at least one item), for a tool to refine
// (enums, bounds) and set as its Tool.InputSchema.
func InputSchema[In any]() *jsonschema.Schema { return schemaFor[In]() }

// ModelsNote ends the description of a tool that takes "models": how to
// give them.
func ModelsNote() string { return modelsSchemaNote }

// Ref names element el of m as tool outputs do.
func Ref(m *model.Model, el model.Element) ElementRef { return elementRef(m, el) }

// ReadOnly are the annotations of a tool that reads models and changes
// nothing, titled title.
func ReadOnly(title string) *sdk.ToolAnnotations { return readOnly(title) }

// A ContentResult is a tool output that brings its own content for the
// agent to read (an SVG picture, say) instead of its JSON text; the
// structured result is still the output as JSON.
type ContentResult interface {
	ToolContent() []sdk.Content
}
