package mcp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/checker"
	"github.com/gw-project/gw/internal/format/dot"
	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/format/yed"
	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/model"
)

// parseError is a model file that does not parse; check_model reports it
// as a diagnostic rather than failing.
type parseError struct{ err error }

func (e *parseError) Error() string { return e.err.Error() }
func (e *parseError) Unwrap() error { return e.err }

// ElementRef names an element of a model.
type ElementRef struct {
	Model string `json:"model"`
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Kind  string `json:"kind" jsonschema:"vertex or edge"`
}

func elementRef(m *model.Model, el model.Element) ElementRef {
	kind := "edge"
	if m.IsVertex(el) {
		kind = "vertex"
	}
	return ElementRef{Model: m.Name, ID: m.ElementID(el), Name: m.ElementName(el), Kind: kind}
}

type checkIn struct {
	Models  []ModelInput `json:"models" jsonschema:"the models to check together, as one run would load them (shared states join them)"`
	Blocked *bool        `json:"blocked,omitempty" jsonschema:"drop elements whose property blocked is true before checking, as gw check does (default true)"`
}

// Issue is one problem check_model found.
type Issue struct {
	Message string `json:"message"`
	Model   string `json:"model,omitempty"`
	Element string `json:"element,omitempty" jsonschema:"the element concerned, e.g. vertex \"v_Home\" (id n1)"`
	Source  string `json:"source" jsonschema:"syntax: the model file does not parse; generator: a generator does not build; graphwalker: GraphWalker's own checks; gw: gw's checks of what would make a walk fail or never end"`
}

type checkOut struct {
	OK        bool         `json:"ok" jsonschema:"true when no issue was found"`
	Issues    []Issue      `json:"issues"`
	CulDeSacs []ElementRef `json:"cul_de_sacs" jsonschema:"vertices without out-edges that are not shared states: a walk that reaches one ends there"`
	Summary   string       `json:"summary"`
}

type convertIn struct {
	Models []ModelInput `json:"models"`
	To     string       `json:"to" jsonschema:"json, graphml or dot"`
}

type convertOut struct {
	Format  string `json:"format"`
	Content string `json:"content" jsonschema:"the converted text; several models give one JSON document, one DOT digraph each, or one GraphML document each (concatenated, as gw convert writes them)"`
	Models  int    `json:"models"`
}

type describeIn struct {
	Models []ModelInput `json:"models"`
}

// VertexInfo describes a vertex.
type VertexInfo struct {
	ID           string         `json:"id"`
	Name         string         `json:"name,omitempty"`
	SharedState  string         `json:"shared_state,omitempty"`
	Actions      []string       `json:"actions,omitempty"`
	Requirements []string       `json:"requirements,omitempty"`
	Properties   map[string]any `json:"properties,omitempty"`
	OutEdges     int            `json:"out_edges"`
	InEdges      int            `json:"in_edges"`
	Blocked      bool           `json:"blocked,omitempty"`
}

// EdgeInfo describes an edge.
type EdgeInfo struct {
	ID           string         `json:"id"`
	Name         string         `json:"name,omitempty"`
	Source       string         `json:"source,omitempty" jsonschema:"the source vertex id; none for a start edge"`
	Target       string         `json:"target,omitempty" jsonschema:"the target vertex id"`
	Guard        string         `json:"guard,omitempty"`
	Actions      []string       `json:"actions,omitempty"`
	Requirements []string       `json:"requirements,omitempty"`
	Weight       float64        `json:"weight,omitempty"`
	Dependency   int            `json:"dependency,omitempty"`
	Properties   map[string]any `json:"properties,omitempty"`
	Blocked      bool           `json:"blocked,omitempty"`
}

// ModelInfo describes a model.
type ModelInfo struct {
	Name           string       `json:"name"`
	ID             string       `json:"id"`
	Generator      string       `json:"generator,omitempty"`
	StartElementID string       `json:"start_element_id,omitempty"`
	StartElement   string       `json:"start_element,omitempty" jsonschema:"the start element, described"`
	InitActions    []string     `json:"init_actions,omitempty" jsonschema:"the model's actions, run once when a walk starts"`
	Requirements   []string     `json:"requirements,omitempty"`
	Vertices       []VertexInfo `json:"vertices"`
	Edges          []EdgeInfo   `json:"edges"`
}

// SharedState lists the vertices a shared state joins.
type SharedState struct {
	Name     string       `json:"name"`
	Vertices []ElementRef `json:"vertices"`
}

// RequirementInfo lists the elements that cover a requirement.
type RequirementInfo struct {
	Key      string       `json:"key"`
	Elements []ElementRef `json:"elements" jsonschema:"the elements that carry it; none for a model-level requirement"`
	Models   []string     `json:"models,omitempty" jsonschema:"models that carry it at model level"`
}

type describeOut struct {
	Models       []ModelInfo       `json:"models"`
	SharedStates []SharedState     `json:"shared_states"`
	Requirements []RequirementInfo `json:"requirements"`
	Guards       int               `json:"guards" jsonschema:"edges with a guard"`
}

var modelsSchemaNote = " Models: a list of sources, each {path} (a file under --models), {content} (GraphWalker JSON, yEd GraphML or DOT text) or {draft_id}."

func (s *Server) addModelTools() {
	addTool(s, &sdk.Tool{
		Name:        "check_model",
		Description: "Check models for every problem gw and GraphWalker know: syntax errors, GraphWalker's checks (names, ids, weights, start element, cul-de-sacs under random(edge_coverage(100))), elements no walk can reach from a start element, stop conditions that cannot be met. Lists cul-de-sac vertices by name." + modelsSchemaNote,
		Annotations: readOnly("Check models"),
	}, s.checkModel)
	addTool(s, &sdk.Tool{
		Name:        "convert_model",
		Description: "Convert models between GraphWalker JSON, yEd GraphML and DOT. Generators are kept as written." + modelsSchemaNote,
		InputSchema: withEnum(schemaFor[convertIn](), "to", "json", "graphml", "dot"),
		Annotations: readOnly("Convert models"),
	}, s.convertModel)
	addTool(s, &sdk.Tool{
		Name:        "describe_model",
		Description: "Describe models: every vertex and edge with its guard, actions, requirements, properties and shared state; the models' generators, start elements and INIT actions; shared states and requirements across models. BLOCKED elements are listed, marked blocked." + modelsSchemaNote,
		Annotations: readOnly("Describe models"),
	}, s.describeModel)
}

func readOnly(title string) *sdk.ToolAnnotations {
	return &sdk.ToolAnnotations{Title: title, ReadOnlyHint: true, OpenWorldHint: ptr(false)}
}

func ptr[T any](v T) *T { return &v }

func (s *Server) checkModel(ctx context.Context, in checkIn) (checkOut, error) {
	out := checkOut{Issues: []Issue{}, CulDeSacs: []ElementRef{}}
	models, err := s.loadModels(ctx, in.Models, loadOptions{blocked: boolOr(in.Blocked, true)})
	if err != nil {
		var pe *parseError
		if !errors.As(err, &pe) {
			return out, err
		}
		out.Issues = append(out.Issues, Issue{Message: err.Error(), Source: "syntax"})
		out.Summary = "the model does not parse: " + err.Error()
		return out, nil
	}
	issues, err := checker.Check(models)
	if err != nil {
		out.Issues = append(out.Issues, Issue{Message: err.Error(), Source: "generator"})
	}
	for _, i := range issues {
		src := "graphwalker"
		if i.Own {
			src = "gw"
		}
		out.Issues = append(out.Issues, Issue{Message: i.Message, Model: i.Model, Element: i.Element, Source: src})
	}
	for _, m := range models {
		for _, v := range m.Vertices {
			if v.SharedState == "" && !hasOutEdge(m, v) {
				out.CulDeSacs = append(out.CulDeSacs, elementRef(m, v.Index))
			}
		}
	}
	out.OK = len(out.Issues) == 0
	switch {
	case out.OK && len(out.CulDeSacs) == 0:
		out.Summary = checker.MsgNoIssues
	case out.OK:
		out.Summary = fmt.Sprintf("No issues; %d cul-de-sac vertices (a walk that reaches one ends there).", len(out.CulDeSacs))
	default:
		out.Summary = fmt.Sprintf("%d issues.", len(out.Issues))
	}
	return out, nil
}

func hasOutEdge(m *model.Model, v *model.Vertex) bool {
	for _, e := range m.OutEdges(v.Index) {
		if m.Edges[e].Target != nil {
			return true
		}
	}
	return false
}

func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

func (s *Server) convertModel(ctx context.Context, in convertIn) (convertOut, error) {
	to := strings.ToLower(strings.TrimSpace(in.To))
	if !isModelFormat(to) {
		return convertOut{}, inputError("to %q: gw writes json, graphml and dot", in.To)
	}
	models, err := s.loadModels(ctx, in.Models, loadOptions{})
	if err != nil {
		return convertOut{}, err
	}
	content, err := s.writeModels(models, to)
	if err != nil {
		return convertOut{}, err
	}
	return convertOut{Format: to, Content: content, Models: len(models)}, nil
}

// writeModels writes models in format, bounded by the model size limit
// (a reply is read by an agent, not streamed to a file).
func (s *Server) writeModels(models []*model.Model, format string) (string, error) {
	var b bytes.Buffer
	var err error
	switch format {
	case "json":
		err = gwjson.Write(&b, models, gwjson.WriteOptions{})
	case "graphml":
		err = yed.Write(&b, models)
	case "dot":
		err = dot.Write(&b, models)
	}
	if err != nil {
		return "", err
	}
	if max := 4 * s.opts.MaxModelBytes; int64(b.Len()) > max {
		return "", limitError("the converted models", fmt.Sprintf("are %s, over 4 × the model size limit (%s)", limits.FormatSize(int64(b.Len())), limits.FormatSize(max)), FlagMaxModelSize, limits.ErrSize)
	}
	return b.String(), nil
}

func (s *Server) describeModel(ctx context.Context, in describeIn) (describeOut, error) {
	models, err := s.loadModels(ctx, in.Models, loadOptions{})
	if err != nil {
		return describeOut{}, err
	}
	return describe(models), nil
}

func describe(models []*model.Model) describeOut {
	out := describeOut{Models: []ModelInfo{}, SharedStates: []SharedState{}, Requirements: []RequirementInfo{}}
	shared := map[string]*SharedState{}
	reqs := map[string]*RequirementInfo{}
	req := func(key string) *RequirementInfo {
		r := reqs[key]
		if r == nil {
			r = &RequirementInfo{Key: key, Elements: []ElementRef{}}
			reqs[key] = r
		}
		return r
	}
	for _, m := range models {
		mi := ModelInfo{Name: m.Name, ID: m.ID, Generator: m.Generator, InitActions: m.Actions, Requirements: m.Requirements,
			Vertices: make([]VertexInfo, 0, len(m.Vertices)), Edges: make([]EdgeInfo, 0, len(m.Edges))}
		if el := m.StartElement(); el != model.None {
			mi.StartElementID, mi.StartElement = m.StartElementID, m.Describe(el)
		}
		for _, v := range m.Vertices {
			mi.Vertices = append(mi.Vertices, vertexInfo(m, v))
			if v.SharedState != "" {
				st := shared[v.SharedState]
				if st == nil {
					st = &SharedState{Name: v.SharedState}
					shared[v.SharedState] = st
				}
				st.Vertices = append(st.Vertices, elementRef(m, v.Index))
			}
			for _, r := range v.Requirements {
				req(r).Elements = append(req(r).Elements, elementRef(m, v.Index))
			}
		}
		for _, e := range m.Edges {
			ei := edgeInfo(e)
			if e.Guard != "" {
				out.Guards++
			}
			mi.Edges = append(mi.Edges, ei)
			for _, r := range e.Requirements {
				req(r).Elements = append(req(r).Elements, elementRef(m, m.EdgeElement(e)))
			}
		}
		for _, r := range m.Requirements {
			req(r).Models = append(req(r).Models, m.Name)
		}
		out.Models = append(out.Models, mi)
	}
	for _, st := range shared {
		out.SharedStates = append(out.SharedStates, *st)
	}
	sort.Slice(out.SharedStates, func(i, j int) bool { return out.SharedStates[i].Name < out.SharedStates[j].Name })
	for _, r := range reqs {
		out.Requirements = append(out.Requirements, *r)
	}
	sort.Slice(out.Requirements, func(i, j int) bool { return out.Requirements[i].Key < out.Requirements[j].Key })
	return out
}

func vertexInfo(m *model.Model, v *model.Vertex) VertexInfo {
	return VertexInfo{ID: v.ID, Name: v.Name, SharedState: v.SharedState, Actions: v.Actions,
		Requirements: v.Requirements, Properties: propertyMap(v.Properties), OutEdges: len(m.OutEdges(v.Index)),
		InEdges: len(m.InEdges(v.Index)), Blocked: v.Properties.IsBlocked()}
}

func edgeInfo(e *model.Edge) EdgeInfo {
	ei := EdgeInfo{ID: e.ID, Name: e.Name, Guard: e.Guard, Actions: e.Actions, Requirements: e.Requirements,
		Weight: e.Weight, Dependency: e.Dependency, Properties: propertyMap(e.Properties), Blocked: e.Properties.IsBlocked()}
	if e.Source != nil {
		ei.Source = e.Source.ID
	}
	if e.Target != nil {
		ei.Target = e.Target.ID
	}
	return ei
}

// propertyMap turns element properties into JSON values.
func propertyMap(p model.Properties) map[string]any {
	if len(p) == 0 {
		return nil
	}
	out := make(map[string]any, len(p))
	for _, kv := range p {
		out[kv.Key] = propertyValue(kv.Value)
	}
	return out
}

func propertyValue(v any) any {
	switch v := v.(type) {
	case model.Properties:
		m := propertyMap(v)
		if m == nil {
			m = map[string]any{}
		}
		return m
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = propertyValue(x)
		}
		return out
	}
	return v
}
