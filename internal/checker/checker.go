package checker

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/generator"
	"github.com/gw-project/gw/internal/model"
)

// Issue is one problem found in the models.
type Issue struct {
	Model   string // name of the model concerned ("" when unnamed or not one model)
	Element string // the element concerned, e.g. `vertex "v1" (id n1)`; "" for the model
	Message string // what `gw check` prints: GraphWalker's text for GraphWalker's checks
	Own     bool   // found by gw's own checks, not by GraphWalker's
}

// String is the message, as `gw check` prints it.
func (i Issue) String() string { return i.Message }

// Where says which model and element the issue is about, e.g.
// `model "Login", vertex "v1" (id n1)`; "" when it is about no single one.
func (i Issue) Where() string {
	var parts []string
	if i.Model != "" {
		parts = append(parts, fmt.Sprintf("model %q", i.Model))
	}
	if i.Element != "" {
		parts = append(parts, i.Element)
	}
	return strings.Join(parts, ", ")
}

// GraphWalker's texts (graphwalker-model-checker 4.3), in check order.
const (
	MsgIDNull            = "Id cannot be null"
	MsgRequirementEmpty  = "Requirement cannot be an empty string"
	MsgScriptEmpty       = "Script statement cannot be an empty string"
	MsgVertexNameNull    = "Name of vertex cannot be null"
	MsgVertexNameEmpty   = "Name of vertex cannot be an empty string" // unused: gw cannot tell a missing name from an empty one
	MsgVertexNameSpace   = "Name of vertex cannot have any white spaces."
	MsgEdgeNoTarget      = "Edge must have a target vertex."
	MsgEdgeNameSpace     = "Name of edge cannot have any white spaces."
	MsgWeight            = "The weight must be a value between 0 and 1."
	MsgEdgeIDNotUnique   = "Id of the edge is not unique: "
	MsgVertexIDNotUnique = "Id of the vertex is not unique: "
	MsgSelfLoop          = ", have a unnamed self loop edge."
	MsgNoModel           = "No model found in context"
	MsgNoStart           = "The model has neither a start element or a defined shared state."
	MsgCulDeSacs         = "The model has multiple cul-de-sacs, and is requested to run using a random path generator and 100% edge coverage. That will not work."
	MsgCulDeSac          = "The model has one cul-de-sacs, and is requested to run using a random path generator and 100% edge coverage. That might not work."
	MsgModelIDNotUnique  = "Id of the model is not unique: "
	MsgModelNotUnique    = "Internal id of the model is not unique: "
	MsgElementNotUnique  = "Internal id of the element is not unique: "
	MsgNoIssues          = "No issues found with the model(s)."
)

// Check runs GraphWalker's checks, then gw's own (Reachability), over the
// models of one run (after BLOCKED filtering, with their generators set).
// The error is what GraphWalker reports while loading, before it checks:
// a generator that cannot be built.
func Check(models []*model.Model) ([]Issue, error) {
	issues, err := GraphWalker(models)
	if err != nil {
		return nil, err
	}
	return append(issues, Reachability(models)...), nil
}

// GraphWalker runs GraphWalker's ContextsChecker: every ContextChecker
// (model, vertices, edges, ids, self loops, start element, cul-de-sacs),
// then the ids across models. Java object strings in messages are
// replaced by readable descriptions.
func GraphWalker(models []*model.Model) ([]Issue, error) {
	gens := make([]generator.Generator, len(models))
	for i, m := range models {
		g, err := Generator(m)
		if err != nil {
			return nil, fmt.Errorf("model %q: %w", m.Name, err)
		}
		gens[i] = g
	}
	var out []Issue
	for i, m := range models {
		out = checkContext(out, m, gens[i])
	}
	// Ids of the models.
	seen := map[string]bool{}
	for _, m := range models {
		if m == nil {
			continue
		}
		if seen[m.ID] {
			out = append(out, Issue{Model: m.Name, Message: MsgModelIDNotUnique + m.ID})
		}
		seen[m.ID] = true
	}
	return checkInternalIDs(out, models), nil
}

// checkElement is ElementChecker: the id, empty requirements, empty scripts.
func checkElement(out []Issue, at Issue, id string, reqs, actions []string) []Issue {
	if id == "" {
		out = append(out, at.with(MsgIDNull))
	}
	for _, r := range reqs {
		if r == "" {
			out = append(out, at.with(MsgRequirementEmpty))
		}
	}
	for _, a := range actions {
		if a == "" {
			out = append(out, at.with(MsgScriptEmpty))
		}
	}
	return out
}

func (i Issue) with(msg string) Issue { i.Message = msg; return i }

// checkVertex is VertexChecker. gw's models cannot tell a missing name from
// an empty one; both get GraphWalker's "null" message (readers leave the
// name empty when the file has none).
func checkVertex(out []Issue, m *model.Model, v *model.Vertex) []Issue {
	at := Issue{Model: m.Name, Element: describeVertex(v)}
	out = checkElement(out, at, v.ID, v.Requirements, v.Actions)
	switch {
	case v.Name == "":
		out = append(out, at.with(MsgVertexNameNull))
	case hasSpace(v.Name):
		out = append(out, at.with(MsgVertexNameSpace))
	}
	return out
}

// checkEdge is EdgeChecker.
func checkEdge(out []Issue, m *model.Model, e *model.Edge) []Issue {
	at := Issue{Model: m.Name, Element: describeEdge(e)}
	out = checkElement(out, at, e.ID, e.Requirements, e.Actions)
	if e.Target == nil {
		out = append(out, at.with(MsgEdgeNoTarget))
	}
	if e.Name != "" && hasSpace(e.Name) {
		out = append(out, at.with(MsgEdgeNameSpace))
	}
	if e.Weight < 0 || e.Weight > 1 {
		out = append(out, at.with(MsgWeight))
	}
	return out
}

// hasSpace is Guava's CharMatcher.whitespace().matchesAnyOf: the Unicode
// White_Space characters, which is Go's unicode.IsSpace.
func hasSpace(s string) bool { return strings.IndexFunc(s, unicode.IsSpace) >= 0 }

// checkModel is ModelChecker.
func checkModel(out []Issue, m *model.Model) []Issue {
	out = checkElement(out, Issue{Model: m.Name}, m.ID, m.Requirements, m.Actions)
	for _, v := range m.Vertices {
		out = checkVertex(out, m, v)
	}
	for _, e := range m.Edges {
		out = checkEdge(out, m, e)
	}
	ids := make(map[string]bool, m.NumElements())
	for _, v := range m.Vertices {
		if ids[v.ID] {
			out = append(out, Issue{Model: m.Name, Element: describeVertex(v), Message: MsgVertexIDNotUnique + v.ID})
		}
		ids[v.ID] = true
	}
	for _, e := range m.Edges {
		if ids[e.ID] {
			out = append(out, Issue{Model: m.Name, Element: describeEdge(e), Message: MsgEdgeIDNotUnique + e.ID})
		}
		ids[e.ID] = true
	}
	for _, e := range m.Edges {
		if e.Name == "" && e.Source != nil && e.Target != nil && model.SameVertex(e.Source, e.Target) {
			out = append(out, Issue{Model: m.Name, Element: describeEdge(e),
				Message: "Vertex: " + describeVertex(e.Source) + MsgSelfLoop})
		}
	}
	return out
}

// checkContext is ContextChecker.
func checkContext(out []Issue, m *model.Model, g generator.Generator) []Issue {
	if m == nil {
		return append(out, Issue{Message: MsgNoModel})
	}
	out = checkModel(out, m)
	if m.StartElement() == model.None && !hasSharedStates(m) {
		return append(out, Issue{Model: m.Name, Message: MsgNoStart})
	}
	if !isRandomFullEdgeCoverage(g) {
		return out
	}
	// Vertices without out-edges that are not shared states.
	hasOut := make(map[*model.Vertex]bool, len(m.Vertices))
	for _, e := range m.Edges {
		if e.Source != nil && e.Target != nil {
			hasOut[e.Source] = true
		}
	}
	var dead []string
	for _, v := range m.Vertices {
		if !hasOut[v] && v.SharedState == "" {
			dead = append(dead, describeVertex(v))
		}
	}
	// GraphWalker's sentence, then (gw) which vertices it means.
	switch {
	case len(dead) > 1:
		out = append(out, Issue{Model: m.Name, Message: MsgCulDeSacs + culDeSacs(m, dead)})
	case len(dead) == 1:
		out = append(out, Issue{Model: m.Name, Message: MsgCulDeSac + culDeSacs(m, dead)})
	}
	return out
}

// culDeSacs names the vertices without a way out, at most ten.
func culDeSacs(m *model.Model, dead []string) string {
	const most = 10
	more := ""
	if len(dead) > most {
		more = fmt.Sprintf(" and %d more", len(dead)-most)
		dead = dead[:most]
	}
	return fmt.Sprintf(" Cul-de-sac(s) in model %q (no edge leaves them): %s%s.", m.Name, strings.Join(dead, ", "), more)
}

// isRandomFullEdgeCoverage is GraphWalker's test: the generator is a
// RandomPath and its stop condition an EdgeCoverage of exactly 100.
func isRandomFullEdgeCoverage(g generator.Generator) bool {
	r, ok := g.(*generator.Random)
	if !ok {
		return false
	}
	ec, ok := r.Stop.(*condition.EdgeCoverage)
	return ok && ec.Percent == 100
}

func hasSharedStates(m *model.Model) bool {
	for _, v := range m.Vertices {
		if v.SharedState != "" {
			return true
		}
	}
	return false
}

// checkInternalIDs is the last part of ContextsChecker: every model, vertex
// or edge equal (by GraphWalker's value equality) to one seen before.
func checkInternalIDs(out []Issue, models []*model.Model) []Issue {
	type key struct {
		kind     byte
		id, name string
	}
	// Equal elements have equal kind, id and name: compare within those
	// groups only.
	seen := map[key][]any{}
	add := func(k key, x any, eq func(any) bool) bool {
		for _, y := range seen[k] {
			if eq(y) {
				return false
			}
		}
		seen[k] = append(seen[k], x)
		return true
	}
	for _, m := range models {
		if m == nil {
			continue
		}
		if !add(key{'m', m.ID, m.Name}, m, func(y any) bool { return model.SameModel(m, y.(*model.Model)) }) {
			out = append(out, Issue{Model: m.Name, Message: MsgModelNotUnique + describeModel(m)})
		}
		for _, v := range m.Vertices {
			if !add(key{'v', v.ID, v.Name}, v, func(y any) bool { return model.SameVertex(v, y.(*model.Vertex)) }) {
				d := describeVertex(v)
				out = append(out, Issue{Model: m.Name, Element: d, Message: MsgElementNotUnique + d + " in model " + quoteName(m.Name)})
			}
		}
		for _, e := range m.Edges {
			if !add(key{'e', e.ID, e.Name}, e, func(y any) bool { return model.SameEdge(e, y.(*model.Edge)) }) {
				d := describeEdge(e)
				out = append(out, Issue{Model: m.Name, Element: d, Message: MsgElementNotUnique + d + " in model " + quoteName(m.Name)})
			}
		}
	}
	return out
}

func describeVertex(v *model.Vertex) string {
	if v.Name == "" {
		return fmt.Sprintf("unnamed vertex (id %s)", v.ID)
	}
	return fmt.Sprintf("vertex %q (id %s)", v.Name, v.ID)
}

func describeEdge(e *model.Edge) string {
	if e.Name == "" {
		return fmt.Sprintf("unnamed edge (id %s)", e.ID)
	}
	return fmt.Sprintf("edge %q (id %s)", e.Name, e.ID)
}

func describeModel(m *model.Model) string {
	if m.Name == "" {
		return fmt.Sprintf("unnamed model (id %s)", m.ID)
	}
	return fmt.Sprintf("model %q (id %s)", m.Name, m.ID)
}

func quoteName(s string) string { return fmt.Sprintf("%q", s) }
