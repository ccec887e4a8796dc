package mcptools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/draw"
	"github.com/gw-project/gw/internal/layout"
	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/mcp"
	"github.com/gw-project/gw/internal/report"
)

type drawIn struct {
	Models  []mcp.ModelInput `json:"models" jsonschema:"the models to draw: one picture, a section per model"`
	Format  string           `json:"format,omitempty" jsonschema:"svg (default): a standalone SVG picture; json: the layout as JSON (positions, sizes, edge paths, element ids, names and kinds) for a web page to draw"`
	Layout  string           `json:"layout,omitempty" jsonschema:"auto (default): the models' own x/y vertex properties when every vertex has them, else layers (Graphviz dot style), else a grid for big models; or one of coordinates, layered, grid"`
	Blocked *bool            `json:"blocked,omitempty" jsonschema:"true: leave out elements whose property blocked is true; by default they are drawn, marked BLOCKED (as gw draw does)"`
	Path    []PathStep       `json:"path,omitempty" jsonschema:"steps of a walk to colour the picture by how often it visited each element, e.g. the steps of plan_path or of a plan_suite case; unvisited elements stand out and the last step is highlighted"`
}

// PathStep is one step of a path to colour a drawing by: a StepInfo of
// plan_path or plan_suite fits.
type PathStep struct {
	Model string `json:"model,omitempty" jsonschema:"the model's name; optional, narrows id and name to that model"`
	ID    string `json:"id,omitempty" jsonschema:"the element's id; found by name when left out"`
	Name  string `json:"name,omitempty" jsonschema:"the element's name; a name several elements share goes to the one next to the step before"`
	Kind  string `json:"kind,omitempty" jsonschema:"vertex or edge (ignored: plan_path's steps fit as they are)"`
}

// DrawnModel is what a drawing shows of one model.
type DrawnModel struct {
	Name     string  `json:"name"`
	Layout   string  `json:"layout" jsonschema:"how its vertices were placed: coordinates, layered or grid"`
	Note     string  `json:"note,omitempty" jsonschema:"why a simpler layout was used than asked for"`
	Width    float64 `json:"width" jsonschema:"px"`
	Height   float64 `json:"height" jsonschema:"px"`
	Vertices int     `json:"vertices"`
	Edges    int     `json:"edges"`
	Visited  *int    `json:"visited,omitempty" jsonschema:"with a path: how many of its elements the path visited"`
}

type drawOut struct {
	Format  string       `json:"format" jsonschema:"svg or json: what the text content holds"`
	Bytes   int          `json:"bytes" jsonschema:"the size of the drawing in the text content"`
	Models  []DrawnModel `json:"models"`
	Steps   int          `json:"steps,omitempty" jsonschema:"with a path: its steps counted"`
	Guessed int          `json:"guessed,omitempty" jsonschema:"steps that named an element several share, where the steps around did not tell which; give ids to count exactly"`

	drawing string
}

// ToolContent makes the drawing itself the text the agent reads; the
// structured result says what it shows.
func (o drawOut) ToolContent() []sdk.Content {
	return []sdk.Content{&sdk.TextContent{Text: o.drawing}}
}

// Draw is the draw_model tool: gw draw's pictures of models.
//
// A drawing must fit in one MCP message: it is refused beyond a quarter
// of --max-message, which leaves room for the JSON escaping of its
// markup.
func Draw() mcp.Extension {
	return func(r *mcp.Registry) {
		s := mcp.InputSchema[drawIn]()
		s.Properties["format"].Enum = []any{"svg", "json"}
		s.Properties["layout"].Enum = []any{"auto", "coordinates", "layered", "grid"}
		mcp.AddTool(r, &sdk.Tool{
			Name: "draw_model",
			Description: "Draw models, as gw draw does: a standalone SVG picture (the text content; save it as a .svg file or show it to a person), or with format json the layout (positions, sizes, edge paths) for a web page to draw. " +
				"Use it to show a person a model you read, authored (a draft) or changed; give path (the steps of plan_path or of a plan_suite case) to colour elements by how often the walk visited them, unvisited ones standing out. " +
				"Vertices are boxes with their names, edges carry theirs; start elements, shared states and BLOCKED elements are marked. Bounded by --max-elements and --max-message (the drawing must fit in a reply)." + mcp.ModelsNote(),
			InputSchema: s,
			Annotations: mcp.ReadOnly("Draw models"),
		}, func(ctx context.Context, in drawIn) (drawOut, error) {
			return drawModels(ctx, r, in)
		})
	}
}

func drawModels(ctx context.Context, r *mcp.Registry, in drawIn) (drawOut, error) {
	so := r.Options()
	format := strings.ToLower(in.Format)
	switch format {
	case "":
		format = "svg"
	case "svg", "json":
	default:
		return drawOut{}, fmt.Errorf("format %q: write svg (a picture) or json (the layout)", in.Format)
	}
	lo := layout.Options{MaxElements: so.MaxElements, ElementsFlag: mcp.FlagMaxElements}
	if in.Layout != "" {
		e, err := layout.ParseEngine(in.Layout)
		if err != nil {
			return drawOut{}, fmt.Errorf("layout: %v", err)
		}
		lo.Engine = e
	}
	models, err := r.LoadModels(ctx, in.Models, in.Blocked != nil && *in.Blocked)
	if err != nil {
		return drawOut{}, err
	}
	var visits *draw.Visits
	if len(in.Path) > 0 {
		// ReadPath reads gw offline's lines: one per step, found by id
		// within the model named, else by name.
		var b bytes.Buffer
		for i, st := range in.Path {
			if st.ID == "" && st.Name == "" {
				return drawOut{}, fmt.Errorf("path step %d has neither id nor name: give each step's element id (or name)", i+1)
			}
			line := map[string]string{"currentElementID": st.ID, "currentElementName": st.Name}
			if st.Model != "" {
				line["modelName"] = report.BaseName(st.Model)
			}
			enc, _ := json.Marshal(line)
			b.Write(append(enc, '\n'))
		}
		visits, err = draw.ReadPath(&b, "path", models, draw.PathOptions{})
		if err != nil {
			var pe *draw.PathError
			if errors.As(err, &pe) {
				return drawOut{}, fmt.Errorf("path step %d: %v; give steps of these models (model, id, name as plan_path returns them)", pe.Line, pe.Err)
			}
			return drawOut{}, err
		}
	}
	scene, err := draw.NewScene(models, lo, visits)
	if err != nil {
		if lo.Engine == layout.Layered {
			return drawOut{}, fmt.Errorf("%w; use layout auto, which draws big models on a grid", err)
		}
		return drawOut{}, err
	}
	limit := so.MaxMessageBytes / 4
	w := &boundedBuffer{limit: limit}
	if format == "json" {
		err = scene.WriteJSON(w)
	} else {
		err = scene.WriteSVG(w)
	}
	if errors.Is(err, errTooBig) {
		return drawOut{}, &limits.Error{What: "drawing the models as " + strings.ToUpper(format),
			Limit: fmt.Sprintf("the drawing is over %s, a quarter of the MCP message limit of %s (the reply must fit in one message); draw fewer models at once", limits.FormatSize(limit), limits.FormatSize(so.MaxMessageBytes)),
			Flag:  mcp.FlagMaxMessage, Kind: limits.ErrSize}
	}
	if err != nil {
		return drawOut{}, err
	}
	out := drawOut{Format: format, Bytes: w.b.Len(), Models: make([]DrawnModel, len(scene.Models)), drawing: w.b.String()}
	for i, sm := range scene.Models {
		dm := DrawnModel{Name: sm.Name, Layout: string(sm.Layout), Note: sm.Note, Width: sm.Width, Height: sm.Height,
			Vertices: len(sm.Vertices), Edges: len(sm.Edges)}
		if visits != nil {
			n := 0
			for _, c := range sm.Visits {
				if c > 0 {
					n++
				}
			}
			dm.Visited = &n
		}
		out.Models[i] = dm
	}
	if visits != nil {
		out.Steps, out.Guessed = visits.Steps, visits.Guessed
	}
	return out, nil
}

var errTooBig = errors.New("drawing too big")

// boundedBuffer fails a write that would take it over limit bytes, so an
// oversized drawing stops early instead of filling memory.
type boundedBuffer struct {
	b     bytes.Buffer
	limit int64
}

func (w *boundedBuffer) Write(p []byte) (int, error) {
	if int64(w.b.Len()+len(p)) > w.limit {
		return 0, errTooBig
	}
	return w.b.Write(p)
}
