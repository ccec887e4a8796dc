package draw

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/report"
)

// Ref names one element of one model of a drawing: Model indexes the
// models drawn, Element is the model's element index (vertices first).
type Ref struct{ Model, Element int }

// NoRef refers to nothing.
var NoRef = Ref{-1, -1}

// Visits counts how often each element of the drawn models was visited,
// and which element is current. ReadPath fills one from `gw offline`
// output; a run record reader or a live run fills one with Visit.
type Visits struct {
	Counts  [][]int // [model][element index]
	Current Ref     // the last element visited; NoRef before any
	Steps   int
	// Guessed counts steps that named several elements (a name they
	// share, or an id repeated across models) where the steps before and
	// after did not tell which one the walk took; each went to the first
	// that fits.
	Guessed int
}

// NewVisits returns zero counts for models.
func NewVisits(models []*model.Model) *Visits {
	v := &Visits{Counts: make([][]int, len(models)), Current: NoRef}
	for i, m := range models {
		v.Counts[i] = make([]int, m.NumElements())
	}
	return v
}

// Visit counts one step on r and makes it current.
func (v *Visits) Visit(r Ref) {
	v.Counts[r.Model][r.Element]++
	v.Current = r
	v.Steps++
}

// DefaultMaxPathLine bounds one line of a path file.
const DefaultMaxPathLine = 64 << 20

// PathOptions bound ReadPath.
type PathOptions struct {
	MaxLine  int    // longest line; 0 means DefaultMaxPathLine
	LineFlag string // the flag that raises MaxLine, for the error
}

// step is what ReadPath needs of a `gw offline` line.
type step struct {
	Name      *string `json:"currentElementName"`
	ID        string  `json:"currentElementID"`
	ModelName string  `json:"modelName"`
}

// PathError is a line of a path file that cannot be counted.
type PathError struct {
	File string
	Line int
	Err  error // a *limits.Error for a line over the limit
}

func (e *PathError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }

func (e *PathError) Unwrap() error { return e.Err }

// ReadPath counts the steps of a path: the JSON lines `gw offline` prints
// (and GraphWalker's offline command), one step object per line, blank
// lines ignored. A step is found by currentElementID (within the model
// named by modelName, when given) — what `gw offline --verbose` prints —
// or else by currentElementName; a name several elements share goes to the
// one the steps before and after connect to (Visits.Guessed counts the
// steps that left a choice). A step naming no element of models is an
// error: the path is of other models.
func ReadPath(r io.Reader, file string, models []*model.Model, o PathOptions) (*Visits, error) {
	if o.MaxLine <= 0 {
		o.MaxLine = DefaultMaxPathLine
	}
	idx := newIndex(models)
	x := &lookahead{idx: idx}
	v := NewVisits(models)
	br := bufio.NewReaderSize(r, 64<<10)
	var line []byte
	for n := 1; ; n++ {
		line = line[:0]
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			line = append(line, chunk...)
			if len(line) > o.MaxLine {
				return nil, &PathError{file, n, &limits.Error{
					What:  "line too long",
					Limit: fmt.Sprintf("path lines are at most %s", limits.FormatSize(int64(o.MaxLine))),
					Flag:  o.LineFlag, Kind: limits.ErrSize,
				}}
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				break
			}
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if t := bytes.TrimSpace(line); len(t) > 0 {
			refs, msg := idx.resolve(t)
			if msg != "" {
				return nil, &PathError{file, n, errors.New(msg)}
			}
			x.settle(v, refs)
			if len(refs) > 1 && v.Current.Model >= 0 {
				if f := idx.following(v.Current, refs); len(f) > 0 {
					refs = f
				}
			}
			if len(refs) == 1 {
				v.Visit(refs[0])
			} else {
				x.pending = refs
			}
		}
		if err == io.EOF {
			x.settle(v, nil)
			return v, nil
		}
	}
}

type index struct {
	models []*model.Model
	base   []string         // report.BaseName of each model's name: the modelName of steps
	byID   map[string][]Ref // element id -> elements, in model then element order
	byName map[string][]Ref
}

func newIndex(models []*model.Model) *index {
	x := &index{models: models, byID: map[string][]Ref{}, byName: map[string][]Ref{}}
	for mi, m := range models {
		x.base = append(x.base, report.BaseName(m.Name))
		for el := range m.NumElements() {
			r := Ref{mi, el}
			x.byID[m.ElementID(el)] = append(x.byID[m.ElementID(el)], r)
			x.byName[m.ElementName(el)] = append(x.byName[m.ElementName(el)], r)
		}
	}
	return x
}

func quote(b []byte) string {
	const max = 80
	if len(b) > max {
		return fmt.Sprintf("%q…", b[:max])
	}
	return fmt.Sprintf("%q", b)
}

// resolve finds the elements one step line may name: one for an id, or
// all those with the name.
func (x *index) resolve(line []byte) (refs []Ref, msg string) {
	var s step
	if err := json.Unmarshal(line, &s); err != nil {
		return nil, fmt.Sprintf("not a step of gw offline (a JSON object with currentElementName): %s", quote(line))
	}
	inModel := func(refs []Ref) []Ref {
		if s.ModelName == "" {
			return refs
		}
		var out []Ref
		for _, r := range refs {
			if x.base[r.Model] == s.ModelName {
				out = append(out, r)
			}
		}
		return out
	}
	if s.ID != "" {
		refs := inModel(x.byID[s.ID])
		if len(refs) == 0 {
			return nil, fmt.Sprintf("no element has id %q%s in the models drawn", s.ID, x.where(s.ModelName))
		}
		return refs, ""
	}
	if s.Name == nil {
		return nil, fmt.Sprintf("the step has neither currentElementID nor currentElementName: %s", quote(line))
	}
	refs = inModel(x.byName[*s.Name])
	if len(refs) == 0 {
		return nil, fmt.Sprintf("no element is named %q%s in the models drawn", *s.Name, x.where(s.ModelName))
	}
	return refs, ""
}

// lookahead holds a step that named several elements until the next step
// tells which of them the walk took.
type lookahead struct {
	idx     *index
	pending []Ref
}

// settle counts the pending step, choosing the candidate that next (the
// candidates of the following step; nil at the end) can follow.
func (x *lookahead) settle(v *Visits, next []Ref) {
	if len(x.pending) == 0 {
		return
	}
	choice, sure := x.pending[0], false
	var fit []Ref
	for _, p := range x.pending {
		if len(x.idx.following(p, next)) > 0 {
			fit = append(fit, p)
		}
	}
	if len(fit) > 0 {
		choice, sure = fit[0], len(fit) == 1
	}
	if !sure {
		v.Guessed++
	}
	v.Visit(choice)
	x.pending = nil
}

func (x *index) where(modelName string) string {
	if modelName == "" {
		return ""
	}
	return fmt.Sprintf(" (model %q)", modelName)
}

// following lists the candidates a walk can take right after prev.
func (x *index) following(prev Ref, refs []Ref) []Ref {
	var out []Ref
	for _, r := range refs {
		if x.follows(prev, r) {
			out = append(out, r)
		}
	}
	return out
}

// follows reports whether a walk can step from p to r: from a vertex to
// an edge out of it (or out of a vertex of its shared state in another
// model, where the walk changes model), from an edge to its target, from a
// vertex to another of its shared state, or to a start edge.
func (x *index) follows(p, r Ref) bool {
	pm, m := x.models[p.Model], x.models[r.Model]
	switch {
	case pm.IsVertex(p.Element) && m.IsEdge(r.Element):
		e, v := m.Edge(r.Element), pm.Vertex(p.Element)
		return e.Source != nil && (r.Model == p.Model && e.Source.Index == p.Element ||
			v.SharedState != "" && e.Source.SharedState == v.SharedState)
	case pm.IsEdge(p.Element) && m.IsVertex(r.Element):
		e := pm.Edge(p.Element)
		return r.Model == p.Model && e.Target != nil && e.Target.Index == r.Element
	case pm.IsVertex(p.Element) && m.IsVertex(r.Element):
		a, b := pm.Vertex(p.Element), m.Vertex(r.Element)
		return p != r && a.SharedState != "" && a.SharedState == b.SharedState
	}
	return m.IsEdge(r.Element) && m.Edge(r.Element).Source == nil
}
