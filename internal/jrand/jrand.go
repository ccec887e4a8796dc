// Package jrand is a bit-exact clone of java.util.Random, so that a walk
// seeded with N draws the same numbers GraphWalker draws for seed N.
package jrand

const (
	multiplier = 0x5DEECE66D
	addend     = 0xB
	mask       = (1 << 48) - 1
)

// Rand is java.util.Random's 48-bit linear congruential generator.
// It is not safe for concurrent use.
type Rand struct{ seed int64 }

// New returns a generator seeded like `new java.util.Random(seed)`.
func New(seed int64) *Rand {
	r := &Rand{}
	r.SetSeed(seed)
	return r
}

// SetSeed reseeds like Random.setSeed.
func (r *Rand) SetSeed(seed int64) { r.seed = (seed ^ multiplier) & mask }

func (r *Rand) next(bits uint) int32 {
	r.seed = (r.seed*multiplier + addend) & mask
	return int32(r.seed >> (48 - bits))
}

// Int32 is Random.nextInt().
func (r *Rand) Int32() int32 { return r.next(32) }

// Intn is Random.nextInt(n); n must be positive.
func (r *Rand) Intn(n int) int {
	if n <= 0 {
		panic("jrand: Intn argument must be positive")
	}
	bound := int32(n)
	rv := r.next(31)
	m := bound - 1
	if bound&m == 0 { // power of two
		return int(int32((int64(bound) * int64(rv)) >> 31))
	}
	for u := rv; ; u = r.next(31) {
		rv = u % bound
		if u-rv+m >= 0 { // int32 wrap-around is the point
			return int(rv)
		}
	}
}

// Shuffle is Collections.shuffle(list, rnd) for a list of length n.
func (r *Rand) Shuffle(n int, swap func(i, j int)) {
	for i := n; i > 1; i-- {
		swap(i-1, r.Intn(i))
	}
}
