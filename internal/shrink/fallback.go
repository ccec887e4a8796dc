package shrink

import (
	"fmt"

	"github.com/gw-project/gw/internal/replay"
)

// chain makes the nodes of a walk.
func chain(path []replay.Loc, applies []int) *node {
	var n *node
	for i, l := range path {
		n = &node{parent: n, loc: l, depth: i + 1, applied: applies[i]}
	}
	return n
}

// fallback is the answer when the search could not finish: the failing
// walk with its loops cut out (a stretch that comes back to the same
// state — place, data, setData calls made — adds nothing).
func (s *search) fallback(states int, bound string) (*Result, error) {
	f := s.failure
	var orig []replay.Loc
	for i := 0; i < len(s.rec.Steps) && len(orig) < f.Steps; i++ {
		k, el := s.rec.Steps[i].Loc()
		orig = append(orig, replay.Loc{Model: k, Element: el})
	}
	if f.Entered {
		orig = append(orig[:min(len(orig), f.Steps-1)], f.Target)
	}
	applies := make([]int, len(orig))
	for i := range applies {
		applies[i] = -1
	}
	first := 0
	if len(s.groups) > 0 && s.groups[0].n == 0 {
		first = 1
	}
	for g := first; g < len(s.groups); g++ {
		if n := s.groups[g].n; n >= 1 && n <= len(orig) {
			applies[n-1] = g
		}
	}
	keys := s.walkKeys(orig, applies)
	last := map[string]int{}
	for i, k := range keys {
		if k != "" {
			last[k] = i
		}
	}
	var path []replay.Loc
	var cut []int
	made := first
	for i := 0; i < len(orig); {
		path = append(path, orig[i])
		cut = append(cut, applies[i])
		if applies[i] >= 0 {
			made = applies[i] + 1
		}
		if i == len(orig)-1 || keys[i] == "" {
			i++
			continue
		}
		i = last[keys[i]] + 1
	}
	why := bound + "; the walk is the failing walk with its loops cut out"
	n := chain(path, cut)
	n.setIdx = made
	if path[len(path)-1] != f.Target || !s.reproduces(n) {
		// Cutting changed what happens (the data hides some state): keep
		// the failing walk as it was.
		path, cut = orig, applies
		n = chain(path, cut)
		n.setIdx = len(s.groups)
		why = bound + "; no shorter walk was found"
	}
	res := &Result{Path: path, States: states, Why: why, Reproduced: f.Kind == "error" && f.Entered && s.reproduces(n)}
	s.fillSetData(res, cut, n.setIdx)
	return res, nil
}

// walkKeys plays the failing walk once and keys the state after each
// step ("" where it cannot: the failing step).
func (s *search) walkKeys(path []replay.Loc, applies []int) []string {
	keys := make([]string, len(path))
	m, _, err := s.machine(path)
	if err != nil {
		return keys
	}
	defer m.Close()
	setIdx := 0
	if len(s.groups) > 0 && s.groups[0].n == 0 {
		s.apply(m, 0)
		setIdx = 1
	}
	lastJump := replay.Loc{Model: -1, Element: -1}
	for i, l := range path {
		if _, err := m.HasNext(); err != nil {
			return keys
		}
		if _, err := m.Next(); err != nil {
			return keys
		}
		if applies[i] >= 0 {
			s.apply(m, applies[i])
			setIdx = applies[i] + 1
		}
		if i > 0 && path[i-1].Model != l.Model {
			lastJump = path[i-1]
		}
		keys[i] = fmt.Sprintf("%d/%d/%d/%d/%d\x00%s", l.Model, l.Element, setIdx, lastJump.Model, lastJump.Element, dataKey(m))
	}
	return keys
}
