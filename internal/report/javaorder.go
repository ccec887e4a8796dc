package report

import (
	"slices"
	"unicode/utf16"

	"github.com/gw-project/gw/internal/model"
)

// GraphWalker keeps element properties in a java.util.HashMap and prints
// them in its iteration order. That order is deterministic — bucket index of
// the spread String.hashCode, then insertion order — so gw reproduces it and
// verbose output matches GraphWalker's line for line.

func javaStringHash(s string) int32 {
	var h int32
	for _, u := range utf16.Encode([]rune(s)) {
		h = 31*h + int32(u)
	}
	return h
}

// javaHashMapOrder returns the properties in java.util.HashMap iteration
// order, assuming they were put in their current order.
func javaHashMapOrder(p model.Properties) model.Properties {
	if len(p) < 2 {
		return p
	}
	capacity := 16
	for float64(len(p)) > 0.75*float64(capacity) {
		capacity *= 2
	}
	bucket := func(k string) int {
		h := javaStringHash(k)
		h ^= int32(uint32(h) >> 16)
		return int(h) & (capacity - 1)
	}
	out := slices.Clone(p)
	slices.SortStableFunc(out, func(a, b model.Property) int { return bucket(a.Key) - bucket(b.Key) })
	return out
}
