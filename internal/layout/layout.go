package layout

import (
	"fmt"
	"math"
	"strings"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/model"
)

// Point is a position in the drawing.
type Point struct{ X, Y float64 }

// Rect is a box: its top-left corner and its size.
type Rect struct{ X, Y, W, H float64 }

// Center is the middle of r.
func (r Rect) Center() Point { return Point{r.X + r.W/2, r.Y + r.H/2} }

// Overlaps reports whether r and o share interior area.
func (r Rect) Overlaps(o Rect) bool {
	return r.X < o.X+o.W && o.X < r.X+r.W && r.Y < o.Y+o.H && o.Y < r.Y+r.H
}

// Engine names how vertices are placed.
type Engine string

// The engines; Auto picks one (see Options.Engine).
const (
	Auto        Engine = ""
	Coordinates Engine = "coordinates"
	Layered     Engine = "layered"
	Grid        Engine = "grid"
)

// ParseEngine reads an engine name as the CLI takes it ("auto" too).
func ParseEngine(s string) (Engine, error) {
	switch e := Engine(strings.ToLower(s)); e {
	case "auto":
		return Auto, nil
	case Coordinates, Layered, Grid:
		return e, nil
	}
	return Auto, fmt.Errorf("unknown layout %q (use auto, coordinates, layered or grid)", s)
}

// Defaults of Options.
const (
	DefaultMaxLayered  = 10_000
	DefaultMaxDummies  = 400_000
	DefaultMaxElements = 1_000_000
	DefaultFontSize    = 12.0
)

// Options tune Compute. The zero value is ready to use.
type Options struct {
	// Engine is Auto (Coordinates when every vertex has x and y
	// properties, else Layered, else Grid when Layered is over a limit),
	// or one engine, which fails rather than fall back.
	Engine Engine
	// MaxLayered is the most elements (vertices + edges) Layered lays out;
	// 0 means DefaultMaxLayered.
	MaxLayered int
	// MaxDummies is the most bend points (one per rank an edge crosses)
	// Layered creates; 0 means DefaultMaxDummies.
	MaxDummies int
	// MaxElements is the most elements any engine lays out; 0 means
	// DefaultMaxElements.
	MaxElements int
	// FontSize is the label font size in pixels; 0 means DefaultFontSize.
	FontSize float64
	// LayeredFlag and ElementsFlag name the flags that raise MaxLayered
	// and MaxElements, for error messages (the CLI's "--max-layered" and
	// "--max-draw-elements").
	LayeredFlag, ElementsFlag string
}

func (o Options) withDefaults() Options {
	if o.MaxLayered <= 0 {
		o.MaxLayered = DefaultMaxLayered
	}
	if o.MaxDummies <= 0 {
		o.MaxDummies = DefaultMaxDummies
	}
	if o.MaxElements <= 0 {
		o.MaxElements = DefaultMaxElements
	}
	if o.FontSize <= 0 || o.FontSize > 200 {
		o.FontSize = DefaultFontSize
	}
	return o
}

// Layout is the geometry of one model's drawing. Vertices and Edges are
// indexed like the model's Vertices and Edges.
type Layout struct {
	Engine        Engine // the engine that placed the vertices
	Note          string // why Auto fell back to a simpler engine; "" otherwise
	Width, Height float64
	Vertices      []Rect
	Edges         []Route
	// Labels are the label texts drawn in the boxes: the element's name,
	// shortened to MaxLabelRunes (the full name belongs in a tooltip).
	VertexLabels, EdgeLabels []string
}

// Route is how one edge is drawn.
type Route struct {
	// Path is a chain of cubic Bézier segments: Path[0] is on the border
	// of the source's box (or of StartDot), then each segment adds two
	// control points and its end point; the last point is on the border of
	// the target's box, where the arrowhead points (along the last control
	// point → end direction). Empty for an edge without a target.
	Path []Point
	// Label is the box of the edge's label; zero size when it has no name.
	Label Rect
	// StartDot is the small disc an edge without a source vertex (the out
	// edge of a yEd or DOT "Start" node) starts from; nil otherwise.
	StartDot *Rect
}

// MaxLabelRunes is the longest label drawn in a box; longer names are cut
// with an ellipsis.
const MaxLabelRunes = 60

// Label shortens name for drawing.
func Label(name string) string {
	n := 0
	for i := range name {
		if n == MaxLabelRunes {
			return name[:i] + "…"
		}
		n++
	}
	return name
}

// Compute lays out m, which must be indexed (model.Index). It fails only on
// a limit (a *limits.Error) or when an engine asked for explicitly cannot
// be used.
func Compute(m *model.Model, o Options) (*Layout, error) {
	o = o.withDefaults()
	n := m.NumElements()
	if n > o.MaxElements {
		return nil, &limits.Error{
			What:  fmt.Sprintf("model %q has %d elements", m.Name, n),
			Limit: fmt.Sprintf("gw draws models of up to %d elements", o.MaxElements),
			Flag:  o.ElementsFlag, Kind: limits.ErrSize,
		}
	}
	g := newGraph(m, o.FontSize)
	engine, note := o.Engine, ""
	if engine == Auto {
		engine = Layered
		if len(m.Vertices) > 0 && g.hasCoordinates() {
			engine = Coordinates
		}
	}
	if engine == Coordinates {
		if !g.hasCoordinates() {
			return nil, fmt.Errorf("model %q: not every vertex has x and y properties; use another layout", m.Name)
		}
		err := g.placeFromCoordinates()
		switch {
		case err == nil:
			g.routeFree()
		case o.Engine == Auto:
			note, engine = err.Error()+"; laid out in layers instead", Layered
			g.reset()
		default:
			return nil, err
		}
	}
	if engine == Layered {
		if err := g.layered(o, m.Name); err != nil {
			if o.Engine != Auto {
				return nil, err
			}
			if note != "" {
				note += "; "
			}
			note, engine = note+err.Error()+"; drawn on a grid instead", Grid
			g.reset()
		} else {
			g.routeLoops()
		}
	}
	switch engine {
	case Grid:
		g.placeGrid()
		g.routeFree()
	case Coordinates, Layered:
	default:
		return nil, fmt.Errorf("unknown layout engine %q", engine)
	}
	l := g.result()
	l.Engine, l.Note = engine, note
	return l, nil
}

// round keeps one decimal: output stays the same where floating point
// differs in the last bits (fused multiply-add on some architectures).
func round(f float64) float64 {
	r := math.Round(f*10) / 10
	if r == 0 {
		return 0 // no "-0"
	}
	return r
}
