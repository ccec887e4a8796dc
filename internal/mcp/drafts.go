package mcp

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/checker"
	"github.com/gw-project/gw/internal/dsl"
	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/script"
)

// A draft is one model an agent authors edit by edit. Every edit names the
// revision it was made against; an edit against an older revision is
// refused (a conflict), so two agents, or an agent that missed a reply,
// never overwrite each other silently. Starting a walk or a plan from a
// draft takes a copy: later edits do not change it.
type draft struct {
	id  string
	use usage

	mu  sync.Mutex
	rev int
	m   *model.Model // indexed after every edit
}

// snapshot copies the draft's model (indexed).
func (d *draft) snapshot() *model.Model {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.m.Clone()
}

// Limits on the strings of a draft: ids and names are read by people and
// agents; scripts have their own limit (--max-script-size).
const (
	maxIDLen   = 256
	maxNameLen = 1024
	maxListLen = 1000 // actions, requirements, properties of one element
)

func (s *Server) draft(id string) (*draft, error) {
	s.mu.Lock()
	d := s.drafts[id]
	s.mu.Unlock()
	if d == nil {
		return nil, inputError("no draft %q: drafts are dropped when no tool used them for %v (%s) and when the server restarts; list_drafts lists the open ones, create_draft makes one (export_draft keeps a draft's model)", id, s.opts.IdleTimeout, FlagIdleTimeout)
	}
	d.use.begin()
	d.use.end()
	return d, nil
}

type createDraftIn struct {
	Name      string      `json:"name,omitempty" jsonschema:"the model's name"`
	Generator string      `json:"generator,omitempty" jsonschema:"generator with stop condition, e.g. random(edge_coverage(100))"`
	From      *ModelInput `json:"from,omitempty" jsonschema:"start from an existing model (the source must hold one model): a file, a text or another draft"`
}

// DraftInfo summarises a draft.
type DraftInfo struct {
	DraftID        string `json:"draft_id"`
	Revision       int    `json:"revision" jsonschema:"the draft's revision: send it as expected_revision with the next edit"`
	Name           string `json:"name"`
	Generator      string `json:"generator,omitempty"`
	StartElementID string `json:"start_element_id,omitempty"`
	Vertices       int    `json:"vertices"`
	Edges          int    `json:"edges"`
}

func (d *draft) infoLocked() DraftInfo {
	return DraftInfo{DraftID: d.id, Revision: d.rev, Name: d.m.Name, Generator: d.m.Generator,
		StartElementID: d.m.StartElementID, Vertices: len(d.m.Vertices), Edges: len(d.m.Edges)}
}

type listDraftsIn struct{}

type listDraftsOut struct {
	Drafts []DraftInfo `json:"drafts"`
}

// edit is what every edit names.
type edit struct {
	DraftID          string `json:"draft_id"`
	ExpectedRevision int    `json:"expected_revision" jsonschema:"the draft's revision this edit was made against (from the last reply); an older one is refused as a conflict"`
}

type addVertexIn struct {
	edit
	ID           string         `json:"id,omitempty" jsonschema:"the vertex id (default: n1, n2, …)"`
	Name         string         `json:"name,omitempty" jsonschema:"the vertex name, e.g. v_LoggedIn (no white space)"`
	SharedState  string         `json:"shared_state,omitempty" jsonschema:"a shared state name: vertices of several models with the same one let a walk jump between them"`
	Actions      []string       `json:"actions,omitempty" jsonschema:"JavaScript statements run when the vertex is reached"`
	Requirements []string       `json:"requirements,omitempty"`
	Properties   map[string]any `json:"properties,omitempty" jsonschema:"free-form properties; blocked: true hides the element under --blocked"`
}

type updateVertexIn struct {
	edit
	VertexID     string          `json:"vertex_id"`
	Name         *string         `json:"name,omitempty" jsonschema:"new name; omitted: unchanged"`
	SharedState  *string         `json:"shared_state,omitempty" jsonschema:"new shared state (\"\" removes it); omitted: unchanged"`
	Actions      *[]string       `json:"actions,omitempty" jsonschema:"new actions ([] removes them); omitted: unchanged"`
	Requirements *[]string       `json:"requirements,omitempty" jsonschema:"new requirements; omitted: unchanged"`
	Properties   *map[string]any `json:"properties,omitempty" jsonschema:"new properties (replacing all); omitted: unchanged"`
}

type vertexOut struct {
	DraftID  string     `json:"draft_id"`
	Revision int        `json:"revision"`
	Vertex   VertexInfo `json:"vertex"`
}

type removeIn struct {
	edit
	ElementID string `json:"element_id" jsonschema:"the id of the vertex or edge to remove"`
}

type removeOut struct {
	DraftID  string   `json:"draft_id"`
	Revision int      `json:"revision"`
	Removed  []string `json:"removed" jsonschema:"ids of the removed elements: a vertex goes with every edge that touches it"`
	Note     string   `json:"note,omitempty"`
}

type addEdgeIn struct {
	edit
	ID             string         `json:"id,omitempty" jsonschema:"the edge id (default: e1, e2, …)"`
	Name           string         `json:"name,omitempty" jsonschema:"the edge name, e.g. e_Login (no white space)"`
	SourceVertexID string         `json:"source_vertex_id,omitempty" jsonschema:"the source vertex id; omit it for a start edge, through which a walk enters the model (the first one becomes the start element)"`
	TargetVertexID string         `json:"target_vertex_id" jsonschema:"the target vertex id"`
	Guard          string         `json:"guard,omitempty" jsonschema:"JavaScript boolean expression; the edge can be walked only while it is true"`
	Actions        []string       `json:"actions,omitempty" jsonschema:"JavaScript statements run when the edge is walked"`
	Requirements   []string       `json:"requirements,omitempty"`
	Weight         *float64       `json:"weight,omitempty" jsonschema:"probability (0 to 1) for weighted_random"`
	Dependency     *int           `json:"dependency,omitempty" jsonschema:"0 to 100, for dependency_edge_coverage"`
	Properties     map[string]any `json:"properties,omitempty"`
}

type updateEdgeIn struct {
	edit
	EdgeID         string          `json:"edge_id"`
	Name           *string         `json:"name,omitempty"`
	SourceVertexID *string         `json:"source_vertex_id,omitempty" jsonschema:"new source vertex id (\"\" makes it a start edge); omitted: unchanged"`
	TargetVertexID *string         `json:"target_vertex_id,omitempty"`
	Guard          *string         `json:"guard,omitempty" jsonschema:"new guard (\"\" removes it); omitted: unchanged"`
	Actions        *[]string       `json:"actions,omitempty"`
	Requirements   *[]string       `json:"requirements,omitempty"`
	Weight         *float64        `json:"weight,omitempty"`
	Dependency     *int            `json:"dependency,omitempty"`
	Properties     *map[string]any `json:"properties,omitempty"`
}

type edgeOut struct {
	DraftID  string   `json:"draft_id"`
	Revision int      `json:"revision"`
	Edge     EdgeInfo `json:"edge"`
	Note     string   `json:"note,omitempty"`
}

type setGeneratorIn struct {
	edit
	Generator string `json:"generator" jsonschema:"generator with stop condition, e.g. random(edge_coverage(100)) or shortest_all_paths(edge_coverage(100)); several run in sequence"`
}

type setStartIn struct {
	edit
	ElementID string `json:"element_id" jsonschema:"the id of the start vertex or edge (\"\" clears it)"`
}

type updateDraftIn struct {
	edit
	Name         *string   `json:"name,omitempty"`
	InitActions  *[]string `json:"init_actions,omitempty" jsonschema:"the model's actions, run once when a walk starts (e.g. to give variables their first values)"`
	Requirements *[]string `json:"requirements,omitempty" jsonschema:"model-level requirements"`
}

type exportIn struct {
	DraftID string `json:"draft_id"`
	Format  string `json:"format,omitempty" jsonschema:"json (default), graphml or dot"`
}

type exportOut struct {
	DraftID  string `json:"draft_id"`
	Revision int    `json:"revision"`
	Format   string `json:"format"`
	Content  string `json:"content"`
}

type discardIn struct {
	DraftID string `json:"draft_id"`
}

type discardOut struct {
	Discarded bool `json:"discarded"`
}

func (s *Server) addDraftTools() {
	note := " Every edit carries expected_revision, the draft's revision from the last reply; an edit against an older revision is refused as a conflict."
	addTool(s, &sdk.Tool{Name: "create_draft", Description: "Create an authoring draft: an empty model, or a copy of an existing one (from). Returns its draft_id and revision 0. Use the draft_id as a model source in any tool ({\"draft_id\": …}).", Annotations: &sdk.ToolAnnotations{Title: "Create a draft", OpenWorldHint: ptr(false)}}, s.createDraft)
	addTool(s, &sdk.Tool{Name: "list_drafts", Description: "List the open drafts with their revisions.", Annotations: readOnly("List drafts")}, s.listDrafts)
	addTool(s, &sdk.Tool{Name: "add_vertex", Description: "Add a vertex (a state the test verifies) to a draft." + note}, s.addVertex)
	addTool(s, &sdk.Tool{Name: "update_vertex", Description: "Change a draft's vertex; omitted fields stay as they are." + note}, s.updateVertex)
	addTool(s, &sdk.Tool{Name: "remove_vertex", Description: "Remove a vertex and every edge that touches it from a draft." + note, Annotations: &sdk.ToolAnnotations{DestructiveHint: ptr(true), OpenWorldHint: ptr(false)}}, s.removeVertex)
	addTool(s, &sdk.Tool{Name: "add_edge", Description: "Add an edge (an action the test performs) to a draft: from source_vertex_id (omit it for a start edge) to target_vertex_id, with an optional guard and actions." + note}, s.addEdge)
	addTool(s, &sdk.Tool{Name: "update_edge", Description: "Change a draft's edge; omitted fields stay as they are." + note}, s.updateEdge)
	addTool(s, &sdk.Tool{Name: "remove_edge", Description: "Remove an edge from a draft." + note, Annotations: &sdk.ToolAnnotations{DestructiveHint: ptr(true), OpenWorldHint: ptr(false)}}, s.removeEdge)
	addTool(s, &sdk.Tool{Name: "set_generator", Description: "Set a draft's generator and stop condition, e.g. random(edge_coverage(100))." + note}, s.setGenerator)
	addTool(s, &sdk.Tool{Name: "set_start_element", Description: "Set a draft's start element (a vertex or a start edge), by id." + note}, s.setStart)
	addTool(s, &sdk.Tool{Name: "update_draft", Description: "Change a draft's name, INIT actions or model-level requirements; omitted fields stay as they are." + note}, s.updateDraft)
	addTool(s, &sdk.Tool{Name: "export_draft", Description: "Export a draft's model as GraphWalker JSON (default), yEd GraphML or DOT, with its revision. Drafts live in the server's memory only: export what must be kept.",
		InputSchema: withEnum(schemaFor[exportIn](), "format", "json", "graphml", "dot"), Annotations: readOnly("Export a draft")}, s.exportDraft)
	addTool(s, &sdk.Tool{Name: "discard_draft", Description: "Drop a draft.", Annotations: &sdk.ToolAnnotations{DestructiveHint: ptr(true), OpenWorldHint: ptr(false)}}, s.discardDraft)
}

func (s *Server) createDraft(ctx context.Context, in createDraftIn) (DraftInfo, error) {
	if err := limits.Over(); err != nil {
		return DraftInfo{}, err
	}
	if err := checkText("name", in.Name, maxNameLen); err != nil {
		return DraftInfo{}, err
	}
	var m *model.Model
	if in.From != nil {
		ms, err := s.loadModels(ctx, []ModelInput{*in.From}, loadOptions{})
		if err != nil {
			return DraftInfo{}, fmt.Errorf("from: %w", err)
		}
		if len(ms) != 1 {
			return DraftInfo{}, inputError("from: the source holds %d models; a draft holds one (convert_model or describe_model show them; give a file with one model)", len(ms))
		}
		m = ms[0].Clone()
	} else {
		m = &model.Model{ID: model.NewID(), Name: "Model"}
	}
	if in.Name != "" {
		m.Name = in.Name
	}
	if in.Generator != "" {
		if err := checkGenerator(in.Generator); err != nil {
			return DraftInfo{}, err
		}
		m.Generator = in.Generator
	}
	if err := m.Index(); err != nil {
		return DraftInfo{}, err
	}
	d := &draft{id: newID("d"), m: m}
	d.use.begin()
	defer d.use.end()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return DraftInfo{}, errShutdown
	}
	if len(s.drafts) >= s.opts.MaxDrafts {
		s.mu.Unlock()
		return DraftInfo{}, limitError("create_draft", fmt.Sprintf("%d drafts are open, the limit; discard one with discard_draft (idle ones are dropped after %v)", s.opts.MaxDrafts, s.opts.IdleTimeout), FlagMaxDrafts, limits.ErrBusy)
	}
	s.drafts[d.id] = d
	s.mu.Unlock()
	s.log.Info("draft created", "draft", d.id)
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.infoLocked(), nil
}

func (s *Server) listDrafts(ctx context.Context, in listDraftsIn) (listDraftsOut, error) {
	s.mu.Lock()
	ds := make([]*draft, 0, len(s.drafts))
	for _, d := range s.drafts {
		ds = append(ds, d)
	}
	s.mu.Unlock()
	out := listDraftsOut{Drafts: make([]DraftInfo, 0, len(ds))}
	for _, d := range ds {
		d.mu.Lock()
		out.Drafts = append(out.Drafts, d.infoLocked())
		d.mu.Unlock()
	}
	sort.Slice(out.Drafts, func(i, j int) bool { return out.Drafts[i].DraftID < out.Drafts[j].DraftID })
	return out, nil
}

// withDraft runs an edit under the draft's lock after checking the
// revision; a successful edit (nil error) bumps the revision and
// re-indexes the model, and then reply (if set) reads the result, still
// under the lock. Edits validate everything before they change anything,
// so a refused edit leaves the draft as it was.
func (s *Server) withDraft(e edit, fn func(d *draft) error, reply func(d *draft)) (DraftInfo, error) {
	d, err := s.draft(e.DraftID)
	if err != nil {
		return DraftInfo{}, err
	}
	d.use.begin()
	defer d.use.end()
	d.mu.Lock()
	defer d.mu.Unlock()
	if e.ExpectedRevision != d.rev {
		return DraftInfo{}, fmt.Errorf("conflict: draft %s is at revision %d, but this edit says expected_revision %d (another edit came first, or a reply was missed): look at the draft (export_draft or describe_model with its draft_id), then redo the edit with expected_revision %d", d.id, d.rev, e.ExpectedRevision, d.rev)
	}
	if err := fn(d); err != nil {
		return DraftInfo{}, err
	}
	if err := d.m.Index(); err != nil {
		return DraftInfo{}, fmt.Errorf("internal error in gw: the draft no longer indexes: %v (please report it)", err)
	}
	d.rev++
	if reply != nil {
		reply(d)
	}
	return d.infoLocked(), nil
}

func (s *Server) checkRoom(d *draft, more int) error {
	if d.m.NumElements()+more > s.opts.MaxElements {
		return limitError("draft "+d.id, fmt.Sprintf("would have more than %d vertices and edges, the limit", s.opts.MaxElements), FlagMaxElements, limits.ErrSize)
	}
	return nil
}

func (s *Server) addVertex(ctx context.Context, in addVertexIn) (vertexOut, error) {
	var v *model.Vertex
	var out vertexOut
	info, err := s.withDraft(in.edit, func(d *draft) error {
		if err := s.checkRoom(d, 1); err != nil {
			return err
		}
		id, err := newElementID(d.m, in.ID, "n")
		if err != nil {
			return err
		}
		v = &model.Vertex{ID: id}
		if err := s.setVertex(v, &in.Name, &in.SharedState, &in.Actions, &in.Requirements, &in.Properties); err != nil {
			return err
		}
		d.m.Vertices = append(d.m.Vertices, v)
		return nil
	}, func(d *draft) { out.Vertex = vertexInfo(d.m, v) })
	if err != nil {
		return vertexOut{}, err
	}
	out.DraftID, out.Revision = info.DraftID, info.Revision
	return out, nil
}

func (s *Server) updateVertex(ctx context.Context, in updateVertexIn) (vertexOut, error) {
	var v *model.Vertex
	var out vertexOut
	info, err := s.withDraft(in.edit, func(d *draft) error {
		v = findVertex(d.m, in.VertexID)
		if v == nil {
			return noElement(d, "vertex", in.VertexID)
		}
		c := *v
		if err := s.setVertex(&c, in.Name, in.SharedState, in.Actions, in.Requirements, in.Properties); err != nil {
			return err
		}
		*v = c
		return nil
	}, func(d *draft) { out.Vertex = vertexInfo(d.m, v) })
	if err != nil {
		return vertexOut{}, err
	}
	out.DraftID, out.Revision = info.DraftID, info.Revision
	return out, nil
}

// setVertex validates and applies the given (non-nil) fields to v.
func (s *Server) setVertex(v *model.Vertex, name, shared *string, actions, reqs *[]string, props *map[string]any) error {
	if name != nil {
		if err := checkText("name", *name, maxNameLen); err != nil {
			return err
		}
		v.Name = *name
	}
	if shared != nil {
		if err := checkText("shared_state", *shared, maxNameLen); err != nil {
			return err
		}
		v.SharedState = *shared
	}
	if actions != nil {
		if err := s.checkScripts("actions", *actions); err != nil {
			return err
		}
		v.Actions = slices.Clone(*actions)
	}
	if reqs != nil {
		if err := checkTexts("requirements", *reqs); err != nil {
			return err
		}
		v.Requirements = slices.Clone(*reqs)
	}
	if props != nil {
		p, err := toProperties(*props)
		if err != nil {
			return err
		}
		v.Properties = p
	}
	return nil
}

func (s *Server) removeVertex(ctx context.Context, in removeIn) (removeOut, error) {
	var removed []string
	var note string
	info, err := s.withDraft(in.edit, func(d *draft) error {
		v := findVertex(d.m, in.ElementID)
		if v == nil {
			if findEdge(d.m, in.ElementID) != nil {
				return inputError("%q is an edge of draft %s: remove it with remove_edge", in.ElementID, d.id)
			}
			return noElement(d, "vertex", in.ElementID)
		}
		removed = append(removed, v.ID)
		d.m.Vertices = slices.DeleteFunc(d.m.Vertices, func(x *model.Vertex) bool { return x == v })
		gone := map[*model.Edge]bool{}
		d.m.Edges = slices.DeleteFunc(d.m.Edges, func(e *model.Edge) bool {
			if e.Source == v || e.Target == v {
				gone[e] = true
				removed = append(removed, e.ID)
				return true
			}
			return false
		})
		d.m.PredefinedPath = slices.DeleteFunc(d.m.PredefinedPath, func(e *model.Edge) bool { return gone[e] })
		if slices.Contains(removed, d.m.StartElementID) {
			note = "the start element was removed: set another with set_start_element"
			d.m.StartElementID = ""
		}
		return nil
	}, nil)
	if err != nil {
		return removeOut{}, err
	}
	return removeOut{DraftID: info.DraftID, Revision: info.Revision, Removed: removed, Note: note}, nil
}

func (s *Server) addEdge(ctx context.Context, in addEdgeIn) (edgeOut, error) {
	var e *model.Edge
	var out edgeOut
	info, err := s.withDraft(in.edit, func(d *draft) error {
		if err := s.checkRoom(d, 1); err != nil {
			return err
		}
		id, err := newElementID(d.m, in.ID, "e")
		if err != nil {
			return err
		}
		e = &model.Edge{ID: id}
		if err := s.setEdge(d, e, &in.Name, &in.SourceVertexID, &in.TargetVertexID, &in.Guard, &in.Actions, &in.Requirements, in.Weight, in.Dependency, &in.Properties); err != nil {
			return err
		}
		d.m.Edges = append(d.m.Edges, e)
		if e.Source == nil && d.m.StartElementID == "" {
			d.m.StartElementID = e.ID
			out.Note = "a start edge: it became the draft's start element"
		}
		return nil
	}, func(d *draft) { out.Edge = edgeInfo(e) })
	if err != nil {
		return edgeOut{}, err
	}
	out.DraftID, out.Revision = info.DraftID, info.Revision
	return out, nil
}

func (s *Server) updateEdge(ctx context.Context, in updateEdgeIn) (edgeOut, error) {
	var e *model.Edge
	var out edgeOut
	info, err := s.withDraft(in.edit, func(d *draft) error {
		e = findEdge(d.m, in.EdgeID)
		if e == nil {
			return noElement(d, "edge", in.EdgeID)
		}
		c := *e
		if err := s.setEdge(d, &c, in.Name, in.SourceVertexID, in.TargetVertexID, in.Guard, in.Actions, in.Requirements, in.Weight, in.Dependency, in.Properties); err != nil {
			return err
		}
		*e = c
		return nil
	}, func(d *draft) { out.Edge = edgeInfo(e) })
	if err != nil {
		return edgeOut{}, err
	}
	out.DraftID, out.Revision = info.DraftID, info.Revision
	return out, nil
}

// setEdge validates and applies the given (non-nil) fields to e.
func (s *Server) setEdge(d *draft, e *model.Edge, name, source, target, guard *string, actions, reqs *[]string, weight *float64, dep *int, props *map[string]any) error {
	if name != nil {
		if err := checkText("name", *name, maxNameLen); err != nil {
			return err
		}
		e.Name = *name
	}
	if source != nil {
		if *source == "" {
			e.Source = nil
		} else if e.Source = findVertex(d.m, *source); e.Source == nil {
			return noElement(d, "source vertex", *source)
		}
	}
	if target != nil {
		if e.Target = findVertex(d.m, *target); e.Target == nil {
			if *target == "" {
				return inputError("target_vertex_id is empty: every edge leads to a vertex of the draft (add_vertex makes one)")
			}
			return noElement(d, "target vertex", *target)
		}
	}
	if guard != nil {
		if *guard != "" {
			if err := s.checkScripts("guard", []string{*guard}); err != nil {
				return err
			}
		}
		e.Guard = *guard
	}
	if actions != nil {
		if err := s.checkScripts("actions", *actions); err != nil {
			return err
		}
		e.Actions = slices.Clone(*actions)
	}
	if reqs != nil {
		if err := checkTexts("requirements", *reqs); err != nil {
			return err
		}
		e.Requirements = slices.Clone(*reqs)
	}
	if weight != nil {
		if *weight < 0 || *weight > 1 || math.IsNaN(*weight) {
			return inputError("weight %v: give a probability between 0 and 1", *weight)
		}
		e.Weight = *weight
	}
	if dep != nil {
		if *dep < 0 || *dep > 100 {
			return inputError("dependency %d: give a number between 0 and 100", *dep)
		}
		e.Dependency = *dep
	}
	if props != nil {
		p, err := toProperties(*props)
		if err != nil {
			return err
		}
		e.Properties = p
	}
	return nil
}

func (s *Server) removeEdge(ctx context.Context, in removeIn) (removeOut, error) {
	var note string
	info, err := s.withDraft(in.edit, func(d *draft) error {
		e := findEdge(d.m, in.ElementID)
		if e == nil {
			if findVertex(d.m, in.ElementID) != nil {
				return inputError("%q is a vertex of draft %s: remove it with remove_vertex", in.ElementID, d.id)
			}
			return noElement(d, "edge", in.ElementID)
		}
		d.m.Edges = slices.DeleteFunc(d.m.Edges, func(x *model.Edge) bool { return x == e })
		d.m.PredefinedPath = slices.DeleteFunc(d.m.PredefinedPath, func(x *model.Edge) bool { return x == e })
		if d.m.StartElementID == e.ID {
			d.m.StartElementID = ""
			note = "the start element was removed: set another with set_start_element"
		}
		return nil
	}, nil)
	if err != nil {
		return removeOut{}, err
	}
	return removeOut{DraftID: info.DraftID, Revision: info.Revision, Removed: []string{in.ElementID}, Note: note}, nil
}

func (s *Server) setGenerator(ctx context.Context, in setGeneratorIn) (DraftInfo, error) {
	return s.withDraft(in.edit, func(d *draft) error {
		if err := checkGenerator(in.Generator); err != nil {
			return err
		}
		d.m.Generator = in.Generator
		return nil
	}, nil)
}

func (s *Server) setStart(ctx context.Context, in setStartIn) (DraftInfo, error) {
	return s.withDraft(in.edit, func(d *draft) error {
		if in.ElementID != "" {
			if _, ok := d.m.ElementByID(in.ElementID); !ok {
				return noElement(d, "element", in.ElementID)
			}
		}
		d.m.StartElementID = in.ElementID
		return nil
	}, nil)
}

func (s *Server) updateDraft(ctx context.Context, in updateDraftIn) (DraftInfo, error) {
	return s.withDraft(in.edit, func(d *draft) error {
		if in.Name != nil {
			if err := checkText("name", *in.Name, maxNameLen); err != nil {
				return err
			}
		}
		if in.InitActions != nil {
			if err := s.checkScripts("init_actions", *in.InitActions); err != nil {
				return err
			}
		}
		if in.Requirements != nil {
			if err := checkTexts("requirements", *in.Requirements); err != nil {
				return err
			}
		}
		if in.Name != nil {
			d.m.Name = *in.Name
		}
		if in.InitActions != nil {
			d.m.Actions = slices.Clone(*in.InitActions)
		}
		if in.Requirements != nil {
			d.m.Requirements = slices.Clone(*in.Requirements)
		}
		return nil
	}, nil)
}

func (s *Server) exportDraft(ctx context.Context, in exportIn) (exportOut, error) {
	format := strings.ToLower(strings.TrimSpace(in.Format))
	if format == "" {
		format = "json"
	}
	if !isModelFormat(format) {
		return exportOut{}, inputError("format %q: gw writes json, graphml and dot", in.Format)
	}
	d, err := s.draft(in.DraftID)
	if err != nil {
		return exportOut{}, err
	}
	d.mu.Lock()
	m, rev := d.m.Clone(), d.rev
	d.mu.Unlock()
	content, err := s.writeModels([]*model.Model{m}, format)
	if err != nil {
		return exportOut{}, err
	}
	return exportOut{DraftID: d.id, Revision: rev, Format: format, Content: content}, nil
}

func (s *Server) discardDraft(ctx context.Context, in discardIn) (discardOut, error) {
	s.mu.Lock()
	_, ok := s.drafts[in.DraftID]
	delete(s.drafts, in.DraftID)
	s.mu.Unlock()
	if !ok {
		_, err := s.draft(in.DraftID)
		return discardOut{}, err
	}
	s.log.Info("draft discarded", "draft", in.DraftID)
	return discardOut{Discarded: true}, nil
}

// newElementID returns id if it is free in m, or the first free
// prefix+number when id is "".
func newElementID(m *model.Model, id, prefix string) (string, error) {
	if id != "" {
		if err := checkText("id", id, maxIDLen); err != nil {
			return "", err
		}
		if strings.TrimSpace(id) == "" {
			return "", inputError("id %q is blank: give a visible id, or none for a generated one", id)
		}
		if _, taken := m.ElementByID(id); taken {
			return "", inputError("id %q is taken by %s: ids are unique among a model's vertices and edges", id, describeID(m, id))
		}
		return id, nil
	}
	for n := m.NumElements() + 1; ; n++ {
		id := prefix + strconv.Itoa(n)
		if _, taken := m.ElementByID(id); !taken {
			return id, nil
		}
	}
}

func describeID(m *model.Model, id string) string {
	el, _ := m.ElementByID(id)
	return m.Describe(el)
}

func findVertex(m *model.Model, id string) *model.Vertex {
	for _, v := range m.Vertices {
		if v.ID == id {
			return v
		}
	}
	return nil
}

func findEdge(m *model.Model, id string) *model.Edge {
	for _, e := range m.Edges {
		if e.ID == id {
			return e
		}
	}
	return nil
}

func noElement(d *draft, what, id string) error {
	return inputError("draft %s has no %s with id %q (describe_model with {\"draft_id\": %q} lists its elements)", d.id, what, id, d.id)
}

func checkText(what, s string, max int) error {
	if len(s) > max {
		return inputError("%s is %d bytes long; give at most %d", what, len(s), max)
	}
	if !utf8.ValidString(s) {
		return inputError("%s is not valid UTF-8", what)
	}
	return nil
}

func checkTexts(what string, ss []string) error {
	if len(ss) > maxListLen {
		return inputError("%s has %d entries; give at most %d", what, len(ss), maxListLen)
	}
	for i, s := range ss {
		if s == "" {
			return inputError("%s[%d] is empty", what, i)
		}
		if err := checkText(fmt.Sprintf("%s[%d]", what, i), s, maxNameLen); err != nil {
			return err
		}
	}
	return nil
}

// checkScripts compiles each script as the machine will (within the
// script size and nesting limits), so a syntax error is refused at the
// edit that makes it, with its position.
func (s *Server) checkScripts(what string, scripts []string) error {
	if len(scripts) > maxListLen {
		return inputError("%s has %d entries; give at most %d", what, len(scripts), maxListLen)
	}
	sb := script.NewSandbox(s.opts.Script)
	defer sb.Close()
	for i, src := range scripts {
		name := what
		if len(scripts) > 1 || what == "actions" || what == "init_actions" {
			name = fmt.Sprintf("%s[%d]", what, i)
		}
		if strings.TrimSpace(src) == "" {
			return inputError("%s is empty: give a JavaScript statement", name)
		}
		text := src
		if script.IsGlobal(src) {
			text = script.StripGlobal(src)
		}
		if _, err := sb.Compile(text); err != nil {
			return fmt.Errorf("%s %q does not compile: %w", name, clipText(src, 200), err)
		}
	}
	return nil
}

func checkGenerator(text string) error {
	if len(text) > maxNameLen {
		return inputError("generator is %d bytes long; give at most %d", len(text), maxNameLen)
	}
	gens, err := dsl.Parse(text)
	if err != nil {
		return fmt.Errorf("generator %q: %w (write e.g. random(edge_coverage(100)) or a_star(reached_vertex(v_Done)))", text, err)
	}
	// Build it for a stand-in model that has every element the stop
	// conditions name, so that unknown generators and conditions and bad
	// arguments are refused now, while the targets may still be added
	// later (check_model checks them).
	m := &model.Model{Name: "generator check", Generator: text}
	var visit func(c dsl.Cond)
	visit = func(c dsl.Cond) {
		switch c := c.(type) {
		case *dsl.Leaf:
			if c.HasArg {
				v := &model.Vertex{ID: "v" + strconv.Itoa(len(m.Vertices)), Name: c.Arg, SharedState: c.Arg}
				m.Vertices = append(m.Vertices, v)
				m.Edges = append(m.Edges, &model.Edge{ID: "e" + strconv.Itoa(len(m.Edges)), Name: c.Arg, Source: v, Target: v})
			}
		case *dsl.And:
			for _, x := range c.Children {
				visit(x)
			}
		case *dsl.Or:
			for _, x := range c.Children {
				visit(x)
			}
		}
	}
	for _, g := range gens {
		if g.Cond != nil {
			visit(g.Cond)
		}
	}
	if len(m.Vertices) == 0 {
		v := &model.Vertex{ID: "v", Name: "v"}
		m.Vertices = append(m.Vertices, v)
		m.Edges = append(m.Edges, &model.Edge{ID: "e", Name: "e", Source: v, Target: v})
	}
	m.PredefinedPath = m.Edges[:1]
	if err := m.Index(); err != nil {
		return err
	}
	if _, err := checker.Generator(m); err != nil {
		return fmt.Errorf("generator %q: %w", text, err)
	}
	return nil
}

// toProperties turns JSON properties into model properties, in key order.
func toProperties(m map[string]any) (model.Properties, error) {
	if len(m) > maxListLen {
		return nil, inputError("properties has %d keys; give at most %d", len(m), maxListLen)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		if k == "" {
			return nil, inputError("properties: a key is empty")
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var p model.Properties
	for _, k := range keys {
		p = append(p, model.Property{Key: k, Value: fromJSON(m[k])})
	}
	return p, nil
}

func fromJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		p, _ := toProperties(v)
		if p == nil {
			p = model.Properties{}
		}
		return p
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = fromJSON(x)
		}
		return out
	}
	return v
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
