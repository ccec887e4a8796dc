package javastr

import (
	"cmp"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// HashCode is Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over
// the UTF-16 code units, in int32 arithmetic.
func HashCode(s string) int32 {
	var h int32
	for _, r := range s {
		if r >= 0x10000 {
			a, b := utf16.EncodeRune(r)
			h = 31*(31*h+a) + b
		} else {
			h = 31*h + r
		}
	}
	return h
}

// Trim is Java's String.trim: it drops every char <= ' ' (ASCII controls
// and space) at both ends. Bytes of multi-byte UTF-8 sequences are >= 0x80
// and never dropped.
func Trim(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}

// SortedSet is Java's TreeSet<String> of s: sorted by UTF-16 code units (so
// U+E000..U+FFFF sort after supplementary characters), without duplicates.
// s is not modified.
func SortedSet(s []string) []string {
	s = slices.Clone(s)
	slices.SortFunc(s, Compare)
	return slices.CompactFunc(s, func(a, b string) bool { return Compare(a, b) == 0 })
}

// Compare is Java's String.compareTo (UTF-16 code unit order).
func Compare(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return cmp.Compare(utf16Key(ra), utf16Key(rb))
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

// utf16Key orders runes as their UTF-16 encodings compare: a BMP rune by
// its one code unit, a supplementary rune by its surrogate pair.
func utf16Key(r rune) uint32 {
	if r < 0x10000 {
		return uint32(r) << 16
	}
	r -= 0x10000
	return uint32(0xD800+(r>>10))<<16 | uint32(0xDC00+(r&0x3FF))
}
