package generator

import (
	"math"
	"slices"

	"github.com/gw-project/gw/internal/javastr"
	"github.com/gw-project/gw/internal/model"
)

// GraphWalker's a_star collects the targets of reached_vertex and
// reached_shared_state in a java.util.HashSet and, among targets at the
// same distance, heads for the first one that set yields. That order is
// deterministic for vertices: RuntimeVertex.hashCode combines the id,
// name, properties and shared state (plus actions and requirements, whose
// Java objects hash by identity: for vertices that have some, GraphWalker's
// own order changes from run to run, and any order is GraphWalker's).
// Edges hash their Guard object by identity (the JSON reader gives every
// edge one), so reached_edge ties are random in GraphWalker; gw keeps
// model order there.

// hashSetOrder returns the vertices vs (in model order, as GraphWalker's
// findVertices lists them) in the iteration order of a java.util.HashSet
// they were added to: by bucket of the spread hash in the table a default
// HashSet grows to, then in insertion order. (A bucket of more than eight
// colliding vertices, which Java would turn into a tree, is not modelled.)
func hashSetOrder(m *model.Model, vs []model.Element) []model.Element {
	if len(vs) < 2 {
		return vs
	}
	size := 16
	for len(vs) > size/4*3 {
		size *= 2
	}
	bucket := make(map[model.Element]int, len(vs))
	for _, el := range vs {
		h := uint32(javaVertexHash(m.Vertex(el)))
		bucket[el] = int((h ^ h>>16) & uint32(size-1))
	}
	out := slices.Clone(vs)
	slices.SortStableFunc(out, func(a, b model.Element) int { return bucket[a] - bucket[b] })
	return out
}

// javaVertexHash is GraphWalker's RuntimeVertex.hashCode for a vertex read
// from a model file: a missing name or shared state hashes as 0, as the
// empty string does; numbers are Doubles (Gson and the yEd reader make
// them so).
func javaVertexHash(v *model.Vertex) int32 {
	actions := int32(1) // an empty ArrayList
	for range v.Actions {
		actions *= 31 // Action hashes by identity: any value will do
	}
	h := int32(1)
	h = 31*h + actions
	h = 31*h + javastr.HashCode(v.ID)
	h = 31*h + javastr.HashCode(v.Name)
	h = 31*h + javaMapHash(v.Properties)
	h = 31*h + 0 // requirements: a HashSet, empty or hashed by identity
	return 31*h + javastr.HashCode(v.SharedState)
}

// javaMapHash is AbstractMap.hashCode: the sum of key^value hashes.
func javaMapHash(p model.Properties) int32 {
	var h int32
	for _, kv := range p {
		h += javastr.HashCode(kv.Key) ^ javaObjectHash(kv.Value)
	}
	return h
}

// javaObjectHash is hashCode of the Java object Gson makes of a JSON value.
func javaObjectHash(x any) int32 {
	switch x := x.(type) {
	case nil:
		return 0
	case string:
		return javastr.HashCode(x)
	case bool:
		if x {
			return 1231
		}
		return 1237
	case float64:
		bits := math.Float64bits(x)
		if x != x {
			bits = 0x7ff8000000000000 // doubleToLongBits folds every NaN
		}
		return int32(bits ^ bits>>32)
	case []any:
		h := int32(1)
		for _, e := range x {
			h = 31*h + javaObjectHash(e)
		}
		return h
	case model.Properties:
		return javaMapHash(x)
	}
	return 0
}
