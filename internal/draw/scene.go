package draw

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/gw-project/gw/internal/layout"
	"github.com/gw-project/gw/internal/model"
)

// SceneVersion is the version of the JSON shape below; it changes only
// when a field changes meaning or goes away.
const SceneVersion = 1

// Scene is everything a picture of some models shows. Its JSON form is
// what a browser page gets to draw and recolour models itself:
//
//	{
//	  "version": 1,
//	  "fontSize": 12,                  // px; labels use "Helvetica, Arial, sans-serif"
//	  "models": [{
//	    "name": "Login", "id": "…",
//	    "layout": "layered",           // or "coordinates", "grid"
//	    "note": "…",                   // why a simpler layout was used; omitted if none
//	    "width": 812.5, "height": 640, // px, origin top-left, y down
//	    "start": 3,                    // element index of the start element, -1 for none
//	    "vertices": [{                 // element index = position in this list
//	      "id": "n1", "name": "v_Start", "label": "v_Start",  // label: the name cut to 60 characters
//	      "x": 10, "y": 10, "w": 80, "h": 26,                   // the box, top-left corner and size
//	      "shared": "LOGIN",           // shared state name; omitted if none
//	      "blocked": true,             // omitted if false
//	      "actions": ["…"], "requirements": ["…"]               // omitted if empty
//	    }],
//	    "edges": [{                    // element index = len(vertices) + position in this list
//	      "id": "e1", "name": "e_Login", "label": "e_Login",
//	      "source": 0, "target": 1,    // vertex positions, -1 for none: a source -1 starts
//	                                   // at "dot"; a target -1 is not drawn (empty path)
//	      "guard": "…", "actions": ["…"], "requirements": ["…"], "blocked": true,  // omitted if empty
//	      "path": [x0, y0, c1x, c1y, c2x, c2y, x1, y1, …],  // cubic Bézier chain from the source's
//	                                   // box to the target's; the arrowhead points at the last
//	                                   // point along the last control point → last point
//	      "labelBox": {"x":…, "y":…, "w":…, "h":…},  // omitted for an unnamed edge
//	      "dot": {"x":…, "y":…, "w":…, "h":…}        // the start disc of a source-less edge
//	    }],
//	    "visits": [0, 3, …],           // per element index; omitted without visit counts
//	    "maxVisits": 3,                // the largest count (the top of the colour scale)
//	    "current": 7                   // element index of the current element, -1 for none
//	  }]
//	}
//
// To recolour at thousands of steps a second, a page keeps its own counts
// per element index and restyles only the elements whose count changed;
// VisitColour gives the colour scale of the SVG.
type Scene struct {
	Version  int          `json:"version"`
	FontSize float64      `json:"fontSize"`
	Models   []SceneModel `json:"models"`
}

// SceneModel is one model's drawing.
type SceneModel struct {
	Name      string        `json:"name"`
	ID        string        `json:"id"`
	Layout    layout.Engine `json:"layout"`
	Note      string        `json:"note,omitempty"`
	Width     float64       `json:"width"`
	Height    float64       `json:"height"`
	Start     int           `json:"start"`
	Vertices  []Vertex      `json:"vertices"`
	Edges     []Edge        `json:"edges"`
	Visits    []int         `json:"visits,omitempty"`
	MaxVisits int           `json:"maxVisits,omitempty"`
	Current   int           `json:"current"`
}

// Vertex is a vertex as drawn.
type Vertex struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Label        string   `json:"label"`
	X            float64  `json:"x"`
	Y            float64  `json:"y"`
	W            float64  `json:"w"`
	H            float64  `json:"h"`
	Shared       string   `json:"shared,omitempty"`
	Blocked      bool     `json:"blocked,omitempty"`
	Actions      []string `json:"actions,omitempty"`
	Requirements []string `json:"requirements,omitempty"`
}

// Edge is an edge as drawn.
type Edge struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Label        string    `json:"label"`
	Source       int       `json:"source"`
	Target       int       `json:"target"`
	Guard        string    `json:"guard,omitempty"`
	Actions      []string  `json:"actions,omitempty"`
	Requirements []string  `json:"requirements,omitempty"`
	Blocked      bool      `json:"blocked,omitempty"`
	Path         []float64 `json:"path"`
	LabelBox     *Box      `json:"labelBox,omitempty"`
	Dot          *Box      `json:"dot,omitempty"`
}

// Box is a rectangle: top-left corner and size.
type Box struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// NewScene lays out each model (indexed, as readers return them) and
// gathers what its picture shows; visits, when not nil, must come from
// NewVisits on the same models. It fails on a layout limit.
func NewScene(models []*model.Model, o layout.Options, visits *Visits) (*Scene, error) {
	if visits != nil && len(visits.Counts) != len(models) {
		return nil, fmt.Errorf("visit counts for %d models, drawing %d", len(visits.Counts), len(models))
	}
	font := o.FontSize
	if font <= 0 || font > 200 {
		font = layout.DefaultFontSize
	}
	s := &Scene{Version: SceneVersion, FontSize: font, Models: make([]SceneModel, 0, len(models))}
	for mi, m := range models {
		l, err := layout.Compute(m, o)
		if err != nil {
			return nil, err
		}
		sm := SceneModel{
			Name: m.Name, ID: m.ID, Layout: l.Engine, Note: l.Note,
			Width: l.Width, Height: l.Height, Start: m.StartElement(), Current: -1,
			Vertices: make([]Vertex, len(m.Vertices)), Edges: make([]Edge, len(m.Edges)),
		}
		for i, v := range m.Vertices {
			b := l.Vertices[i]
			sm.Vertices[i] = Vertex{
				ID: v.ID, Name: v.Name, Label: l.VertexLabels[i], X: b.X, Y: b.Y, W: b.W, H: b.H,
				Shared: v.SharedState, Blocked: v.Properties.IsBlocked(),
				Actions: nonEmpty(v.Actions), Requirements: nonEmpty(v.Requirements),
			}
		}
		for j, e := range m.Edges {
			r := l.Edges[j]
			se := Edge{
				ID: e.ID, Name: e.Name, Label: l.EdgeLabels[j], Source: -1, Target: -1,
				Guard: e.Guard, Actions: nonEmpty(e.Actions), Requirements: nonEmpty(e.Requirements),
				Blocked: e.Properties.IsBlocked(), Path: make([]float64, 0, 2*len(r.Path)),
			}
			if e.Source != nil {
				se.Source = e.Source.Index
			}
			if e.Target != nil {
				se.Target = e.Target.Index
			}
			for _, p := range r.Path {
				se.Path = append(se.Path, p.X, p.Y)
			}
			if r.Label.W > 0 {
				se.LabelBox = &Box{r.Label.X, r.Label.Y, r.Label.W, r.Label.H}
			}
			if r.StartDot != nil {
				se.Dot = &Box{r.StartDot.X, r.StartDot.Y, r.StartDot.W, r.StartDot.H}
			}
			sm.Edges[j] = se
		}
		if visits != nil {
			sm.Visits = visits.Counts[mi]
			for _, c := range sm.Visits {
				sm.MaxVisits = max(sm.MaxVisits, c)
			}
			if visits.Current.Model == mi {
				sm.Current = visits.Current.Element
			}
		}
		s.Models = append(s.Models, sm)
	}
	return s, nil
}

// nonEmpty is nil for an empty list, so that a scene read back from its
// JSON equals it.
func nonEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// WriteJSON writes the scene's JSON form (see Scene), one line.
func (s *Scene) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}
