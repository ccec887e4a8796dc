package suite

import (
	"fmt"
	"strings"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/model"
)

// blockers are the guarded edges of from's model that are false with the
// data where a run stopped, that the walk can reach from there, and beyond
// which (guards ignored) one of the lost targets lies; per target too.
func (p *planner) blockers(from algorithm.Loc, lost []int, res *simRun) []model.Element {
	all, _ := p.blockersOf(from, lost, res)
	return all
}

func (p *planner) blockersOf(from algorithm.Loc, lost []int, res *simRun) ([]model.Element, map[int][]model.Element) {
	s := p.s
	k := from.Model
	m := s.Models[k]
	// Vertices of from's model the walk reaches with the guards as they are.
	live := make([]bool, len(m.Vertices))
	stack := []int{from.Element}
	if m.IsEdge(from.Element) {
		stack = []int{m.Edge(from.Element).Target.Index}
	}
	live[stack[0]] = true
	var closed []model.Element
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, j := range m.OutEdges(v) {
			e := m.Edges[j]
			ok := true
			if e.Guard != "" {
				var err error
				if ok, err = res.available(m.EdgeElement(e)); err != nil {
					ok = false
				}
				if !ok {
					closed = append(closed, m.EdgeElement(e))
				}
			}
			if ok && !live[e.Target.Index] {
				live[e.Target.Index] = true
				stack = append(stack, e.Target.Index)
			}
		}
	}
	var all []model.Element
	per := map[int][]model.Element{}
	for _, g := range closed {
		reach := p.staticReach(algorithm.Loc{Model: k, Element: m.Edge(g).Target.Index})
		used := false
		for _, t := range lost {
			elems := s.Targets[t].Elements
			if s.Options.Cover == EdgePairs {
				elems = elems[:1] // its second edge leaves where the first ends
			}
			for _, l := range elems {
				if l == (algorithm.Loc{Model: k, Element: g}) || reach[l] {
					per[t] = append(per[t], g)
					used = true
					break
				}
			}
		}
		if used {
			all = append(all, g)
		}
	}
	return all, per
}

// diagnose explains why targets cannot be reached from `from`, where a
// case stands: the guards that block them there (see blockers).
func (p *planner) diagnose(from algorithm.Loc, lost []int, res *simRun) {
	s := p.s
	m := s.Models[from.Model]
	_, per := p.blockersOf(from, lost, res)
	where := m.Describe(from.Element)
	if len(s.Models) > 1 {
		where += fmt.Sprintf(" in model %q", m.Name)
	}
	for _, t := range lost {
		var blockers []string
		for _, g := range per[t] {
			blockers = append(blockers, fmt.Sprintf("%s, guard [%s]", m.Describe(g), m.Edge(g).Guard))
		}
		if len(blockers) == 0 {
			p.diag[t] = fmt.Sprintf("no case reaches it: from %s, where a guard stopped a case, no open path leads there", where)
			continue
		}
		if len(blockers) > 5 {
			blockers = append(blockers[:5], fmt.Sprintf("and %d more", len(blockers)-5))
		}
		p.diag[t] = fmt.Sprintf("blocked by a guard that is false with the data at %s, where a case stood, and that no action on the way opens: %s", where, strings.Join(blockers, "; "))
	}
}

// jsKeywords are words of guards that are not the model's variables.
var jsKeywords = map[string]bool{
	"true": true, "false": true, "null": true, "undefined": true, "typeof": true, "instanceof": true, "new": true,
	"this": true, "var": true, "let": true, "const": true, "function": true, "return": true, "if": true, "else": true,
	"in": true, "of": true, "void": true, "delete": true, "NaN": true, "Infinity": true, "Math": true, "JSON": true,
	"Number": true, "String": true, "Boolean": true, "Array": true, "Object": true, "parseInt": true, "parseFloat": true,
	"isNaN": true, "global": true,
}

// jsToken is an identifier in a script: its text and byte span.
type jsToken struct {
	name       string
	start, end int
}

// identifiers lists the variables a script names (global.x counts as x;
// other property names and string contents do not).
func identifiers(src string) []string {
	var out []string
	for _, t := range jsIdentifiers(src) {
		out = append(out, t.name)
	}
	return out
}

func jsIdentifiers(src string) []jsToken {
	var out []jsToken
	isStart := func(c byte) bool { return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	isPart := func(c byte) bool { return isStart(c) || c >= '0' && c <= '9' }
	prevName := ""
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			i, prevName = j+1, ""
		case isStart(c):
			j := i
			for j < len(src) && isPart(src[j]) {
				j++
			}
			name := src[i:j]
			k := i - 1
			for k >= 0 && src[k] == ' ' {
				k--
			}
			property := k >= 0 && src[k] == '.'
			if (!property || prevName == "global") && !jsKeywords[name] {
				out = append(out, jsToken{name, i, j})
			}
			i, prevName = j, name
		default:
			if c != ' ' && c != '.' {
				prevName = ""
			}
			i++
		}
	}
	return out
}

// writesAny reports whether a script assigns, increments or decrements
// one of vars.
func writesAny(src string, vars map[string]bool) bool {
	for _, t := range jsIdentifiers(src) {
		if !vars[t.name] {
			continue
		}
		after := strings.TrimLeft(src[t.end:], " ")
		before := strings.TrimRight(src[:t.start], " ")
		before = strings.TrimSuffix(before, "global.")
		switch {
		case strings.HasPrefix(after, "++"), strings.HasPrefix(after, "--"),
			strings.HasSuffix(before, "++"), strings.HasSuffix(before, "--"):
			return true
		case strings.HasPrefix(after, "=") && !strings.HasPrefix(after, "=="):
			return true
		}
		for _, op := range []string{"+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^=", "&&=", "||=", "??="} {
			if strings.HasPrefix(after, op) {
				return true
			}
		}
	}
	return false
}

// staticReach marks the elements a walk from vertex `from` can step on,
// guards ignored, following edges and shared-state jumps (as gw check
// does).
func (p *planner) staticReach(from algorithm.Loc) map[algorithm.Loc]bool {
	models := p.s.Models
	seen := map[algorithm.Loc]bool{from: true}
	stack := []algorithm.Loc{from}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		m := models[x.Model]
		push := func(l algorithm.Loc) {
			if !seen[l] {
				seen[l] = true
				stack = append(stack, l)
			}
		}
		if m.IsEdge(x.Element) {
			if t := m.Edge(x.Element).Target; t != nil {
				push(algorithm.Loc{Model: x.Model, Element: t.Index})
			}
			continue
		}
		for _, j := range m.OutEdges(x.Element) {
			push(algorithm.Loc{Model: x.Model, Element: len(m.Vertices) + int(j)})
		}
		if name := m.Vertex(x.Element).SharedState; name != "" {
			for k2, m2 := range models {
				for _, v := range m2.Vertices {
					if k2 != x.Model && v.SharedState == name {
						push(algorithm.Loc{Model: k2, Element: v.Index})
					}
				}
			}
		}
	}
	return seen
}
