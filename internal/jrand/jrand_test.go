package jrand

import "testing"

func TestJavaValues(t *testing.T) {
	tests := []struct {
		seed int64
		want []int32
	}{
		{123, []int32{-1188957731, 1018954901, -39088943}},
		{12345, []int32{1553932502, -2090749135, -287790814}},
	}
	for _, tt := range tests {
		r := New(tt.seed)
		for i, w := range tt.want {
			if got := r.Int32(); got != w {
				t.Errorf("seed %d draw %d: got %d, want %d", tt.seed, i, got, w)
			}
		}
	}
}

func TestIntn(t *testing.T) {
	r := New(123)
	for _, c := range []struct{ n, want int }{{1, 0}, {99, 86}, {999, 245}} {
		if got := r.Intn(c.n); got != c.want {
			t.Errorf("Intn(%d) = %d, want %d", c.n, got, c.want)
		}
	}
}

func BenchmarkIntn(b *testing.B) {
	r := New(1)
	for b.Loop() {
		r.Intn(7)
	}
}
