package model

import (
	"math"
)

// GraphWalker compares runtime elements by value (RuntimeBase.equals and
// its subclasses), except that actions, guards and requirements compare by
// identity: two elements that have any of them are never equal unless they
// are the same object.

func baseEqual(id1, id2, n1, n2 string, a1, a2, r1, r2 []string, p1, p2 Properties) bool {
	return id1 == id2 && n1 == n2 && len(a1) == 0 && len(a2) == 0 &&
		len(r1) == 0 && len(r2) == 0 && propsEqual(p1, p2)
}

// SameVertex is GraphWalker's RuntimeVertex.equals.
func SameVertex(a, b *Vertex) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil {
		return false
	}
	return a.SharedState == b.SharedState &&
		baseEqual(a.ID, b.ID, a.Name, b.Name, a.Actions, b.Actions, a.Requirements, b.Requirements, a.Properties, b.Properties)
}

// SameEdge is GraphWalker's RuntimeEdge.equals.
func SameEdge(a, b *Edge) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil {
		return false
	}
	return a.Guard == "" && b.Guard == "" && a.Weight == b.Weight && a.Dependency == b.Dependency &&
		SameVertex(a.Source, b.Source) && SameVertex(a.Target, b.Target) &&
		baseEqual(a.ID, b.ID, a.Name, b.Name, a.Actions, b.Actions, a.Requirements, b.Requirements, a.Properties, b.Properties)
}

// SameModel is GraphWalker's RuntimeModel.equals.
func SameModel(a, b *Model) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || len(a.Vertices) != len(b.Vertices) || len(a.Edges) != len(b.Edges) {
		return false
	}
	if !baseEqual(a.ID, b.ID, a.Name, b.Name, a.Actions, b.Actions, a.Requirements, b.Requirements, a.Properties, b.Properties) {
		return false
	}
	for i := range a.Vertices {
		if !SameVertex(a.Vertices[i], b.Vertices[i]) {
			return false
		}
	}
	for i := range a.Edges {
		if !SameEdge(a.Edges[i], b.Edges[i]) {
			return false
		}
	}
	return true
}

// propsEqual is Java Map.equals: same keys, equal values, order ignored.
func propsEqual(a, b Properties) bool {
	if len(a) != len(b) {
		return false
	}
	for _, kv := range a {
		v, ok := b.Get(kv.Key)
		if !ok || !valueEqual(kv.Value, v) {
			return false
		}
	}
	return true
}

func valueEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case float64:
		y, ok := b.(float64)
		// Double.equals: NaN equals NaN, 0.0 differs from -0.0.
		return ok && math.Float64bits(x) == math.Float64bits(y) || ok && math.IsNaN(x) && math.IsNaN(y)
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !valueEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case Properties:
		y, ok := b.(Properties)
		return ok && propsEqual(x, y)
	}
	return false
}
