package ws

import (
	"cmp"
	"slices"
	"unicode/utf16"

	"github.com/gw-project/gw/internal/script"
)

// GraphWalker builds every message with org.json, whose JSONObject is a
// java.util.HashMap: keys come out by bucket (String.hashCode spread as
// HashMap.hash does, masked by the table size) and, within a bucket, in
// insertion order. The fixed messages are written in that order by hand
// (checked by TestFixedKeyOrder); the variables of getData and
// visitedElement, whose key set varies, are ordered here.

// javaHash is HashMap.hash(key) for a Java String: hashCode over UTF-16
// units, high half folded into the low half.
func javaHash(s string) uint32 {
	var h int32
	for _, r := range s {
		if r >= 0x10000 {
			a, b := utf16.EncodeRune(r)
			h = 31*h + a
			h = 31*h + b
		} else {
			h = 31*h + r
		}
	}
	u := uint32(h)
	return u ^ u>>16
}

// javaTableSize is the table length of a default HashMap holding n keys
// (16, doubled whenever n exceeds three quarters of it).
func javaTableSize(n int) uint32 {
	c := uint32(16)
	for uint32(n) > c/4*3 {
		c *= 2
	}
	return c
}

type bucketed struct {
	b  uint32
	kv script.KV
}

// javaOrder sorts kvs (given in insertion order) into org.json's output
// order. Not modelled: HashMap turning a bucket of 8+ keys into a tree in
// tables of 64+ (needs dozens of colliding variable names).
func javaOrder(kvs []script.KV) {
	n := len(kvs)
	if n < 2 {
		return
	}
	mask := javaTableSize(n) - 1
	if n <= 16 {
		// Insertion sort with the buckets on the stack: the usual case,
		// once per step for visitedElement, without allocating.
		var bs [16]uint32
		for i, kv := range kvs {
			bs[i] = javaHash(kv.Key) & mask
		}
		for i := 1; i < n; i++ {
			for j := i; j > 0 && bs[j-1] > bs[j]; j-- {
				bs[j-1], bs[j] = bs[j], bs[j-1]
				kvs[j-1], kvs[j] = kvs[j], kvs[j-1]
			}
		}
		return
	}
	tmp := make([]bucketed, n)
	for i, kv := range kvs {
		tmp[i] = bucketed{javaHash(kv.Key) & mask, kv}
	}
	slices.SortStableFunc(tmp, func(a, b bucketed) int { return cmp.Compare(a.b, b.b) })
	for i := range tmp {
		kvs[i] = tmp[i].kv
	}
}

// javaOrderKeys is javaOrder for bare keys (tests).
func javaOrderKeys(keys []string) []string {
	kvs := make([]script.KV, len(keys))
	for i, k := range keys {
		kvs[i].Key = k
	}
	javaOrder(kvs)
	out := make([]string, len(kvs))
	for i, kv := range kvs {
		out[i] = kv.Key
	}
	return out
}
