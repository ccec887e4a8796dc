package javastr

import (
	"slices"
	"testing"
)

func TestSortedSet(t *testing.T) {
	in := []string{"b", "a", "B", "", "\uE000", "\U0001F600", "ab", "a", "Z", "é"}
	want := []string{"", "B", "Z", "a", "ab", "b", "é", "\U0001F600", "\uE000"}
	if got := SortedSet(in); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTrim(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{" \t\r\n\x00\x1f", ""},
		{"\x01 a b \x7f\x02", "a b \x7f"},
		{"\u00a0é\u00a0", "\u00a0é\u00a0"}, // Java's trim keeps NBSP
		{"\xff x \xff", "\xff x \xff"},
	} {
		if got := Trim(tt.in); got != tt.want {
			t.Errorf("Trim(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHashCode(t *testing.T) {
	// Values from Java's "...".hashCode().
	for _, tt := range []struct {
		in   string
		want int32
	}{
		{"", 0},
		{"a", 97},
		{"v_Node012", -983917018},
		{"hello world", 1794106052},
		{"é", 233},
		{"\U0001F600", 1772899}, // surrogate pair D83D DE00
	} {
		if got := HashCode(tt.in); got != tt.want {
			t.Errorf("HashCode(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
