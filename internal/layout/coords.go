package layout

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

const (
	coordGap      = 8.0        // the least room between two boxes placed from coordinates
	maxSpread     = 4.0        // how far coordinates may be stretched to part boxes
	overlapBudget = 20_000_000 // box comparisons allowed while parting boxes
)

// placeFromCoordinates puts each box's top-left corner at the vertex's x/y
// properties. Boxes sized to our labels may be wider than those of the
// editor that saved the coordinates, so the coordinates are first
// stretched (up to maxSpread times) until boxes part, then any box still on
// another is nudged right. It fails when the coordinates are too crowded
// for that (for example every vertex at 0,0), so that Auto can lay the
// model out instead.
func (g *graph) placeFromCoordinates() error {
	n := len(g.vsize)
	for v, vx := range g.m.Vertices {
		x, _ := coordinate(vx.Properties, "x")
		y, _ := coordinate(vx.Properties, "y")
		g.box[v] = Rect{x, y, g.vsize[v].X, g.vsize[v].Y}
	}
	gap := coordGap * g.scale
	// Self-loops need room on the right of their box.
	reach := func(v int) Rect {
		b := g.box[v]
		lw, lh := g.loopReach(v)
		if lh > b.H {
			b.Y -= (lh - b.H) / 2
			b.H = lh
		}
		b.W += lw
		return b
	}
	spread := 1.0
	work := 0
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(g.box[a].X, g.box[b].X), cmp.Compare(a, b))
	})
	for i, a := range order {
		ra := reach(a)
		for _, b := range order[i+1:] {
			rb := reach(b)
			if rb.X >= ra.X+ra.W+gap {
				break
			}
			if work++; work > overlapBudget {
				return fmt.Errorf("the x/y properties of model %q crowd too many vertices together", g.m.Name)
			}
			if !grow(ra, gap).Overlaps(rb) {
				continue
			}
			need := math.Inf(1)
			if dx := rb.X - ra.X; dx > 0 {
				need = (ra.W + gap) / dx
			}
			if dy := rb.Y - ra.Y; dy > 0 {
				need = math.Min(need, (ra.H+gap)/dy)
			} else if dy < 0 {
				need = math.Min(need, (rb.H+gap)/-dy)
			}
			spread = math.Max(spread, math.Min(need, maxSpread))
		}
	}
	if spread > 1 {
		for v := range g.box {
			g.box[v].X *= spread
			g.box[v].Y *= spread
		}
	}
	return g.nudge(reach, gap)
}

func grow(r Rect, by float64) Rect { return Rect{r.X - by, r.Y - by, r.W + 2*by, r.H + 2*by} }

// nudge moves boxes that still overlap to the right of what they overlap,
// placing them top to bottom, left to right. A spatial hash keeps it near
// linear; more than a tenth of the vertices moved means the coordinates
// are not a drawing.
func (g *graph) nudge(reach func(int) Rect, gap float64) error {
	n := len(g.box)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(g.box[a].Y, g.box[b].Y), cmp.Compare(g.box[a].X, g.box[b].X), cmp.Compare(a, b))
	})
	var cw, ch float64
	for v := range g.box {
		r := reach(v)
		cw, ch = math.Max(cw, r.W+gap), math.Max(ch, r.H+gap)
	}
	type cell struct{ x, y int64 }
	hash := map[cell][]int{}
	cellsOf := func(r Rect, f func(cell) bool) bool {
		x0, x1 := int64(math.Floor(r.X/cw)), int64(math.Floor((r.X+r.W)/cw))
		y0, y1 := int64(math.Floor(r.Y/ch)), int64(math.Floor((r.Y+r.H)/ch))
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				if !f(cell{x, y}) {
					return false
				}
			}
		}
		return true
	}
	moved, work := 0, 0
	for _, v := range order {
		for {
			r := grow(reach(v), gap/2)
			hit := -1
			cellsOf(r, func(c cell) bool {
				for _, o := range hash[c] {
					work++
					if grow(reach(o), gap/2).Overlaps(r) {
						hit = o
						return false
					}
				}
				return true
			})
			if work > overlapBudget || moved > n/10+1 {
				return fmt.Errorf("the x/y properties of model %q put vertices on top of each other", g.m.Name)
			}
			if hit < 0 {
				break
			}
			o := reach(hit)
			g.box[v].X = o.X + o.W + gap + 0.01
			moved++
		}
		cellsOf(reach(v), func(c cell) bool { hash[c] = append(hash[c], v); return true })
	}
	return nil
}
