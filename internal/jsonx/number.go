package jsonx

import (
	"math"
	"strconv"
)

// JavaDouble returns Java's Double.toString(f) (JDK 19+, shortest digits
// that round-trip): 1.0, 0.5, 100.0, 241.875, 1.0E10, 1.0E-5, 4.9E-324,
// NaN, Infinity, -0.0.
func JavaDouble(f float64) string {
	var buf [32]byte
	return string(AppendJavaDouble(buf[:0], f))
}

// AppendJavaDouble appends JavaDouble(f) to dst.
func AppendJavaDouble(dst []byte, f float64) []byte {
	return appendJava(dst, f, 64)
}

// AppendFloat appends f as org.json writes a Double: Java's text with a
// trailing ".0" (and any trailing zeros) removed when there is no exponent:
// 1.0 -> 1, 0.5 -> 0.5, 1.0E-5 -> 1.0E-5. NaN and ±Infinity, which org.json
// refuses to store, are written as null.
func AppendFloat(dst []byte, f float64) []byte {
	return appendOrgNumber(dst, f, 64)
}

func appendOrgNumber(dst []byte, f float64, bits int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	start := len(dst)
	dst = appendJava(dst, f, bits)
	return stripZeros(dst, start)
}

// stripZeros is org.json's numberToString clean-up of dst[start:].
func stripZeros(dst []byte, start int) []byte {
	dot := -1
	for i := start; i < len(dst); i++ {
		switch dst[i] {
		case '.':
			dot = i
		case 'e', 'E':
			return dst
		}
	}
	if dot <= start {
		return dst
	}
	for dst[len(dst)-1] == '0' {
		dst = dst[:len(dst)-1]
	}
	if dst[len(dst)-1] == '.' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// appendJava formats like Java's Double.toString (bits 64) or
// Float.toString (bits 32).
func appendJava(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	var ebuf [40]byte
	var digits [32]byte
	nd, exp := splitExp(strconv.AppendFloat(ebuf[:0], f, 'e', -1, bits), &digits)
	if nd == 1 {
		// Java picks, among decimals of length 1 or 2 that round to f, the
		// closest one: 4.9E-324 where Go's shortest is 5e-324.
		var buf2 [40]byte
		e2 := strconv.AppendFloat(buf2[:0], f, 'e', 1, bits)
		var d2 [32]byte
		n2, x2 := splitExp(e2, &d2)
		if n2 == 2 && d2[1] != '0' {
			if g, err := strconv.ParseFloat(string(e2), bits); err == nil && g == f {
				digits, nd, exp = d2, n2, x2
			}
		}
	}
	d := digits[:nd]
	if exp >= -3 && exp < 7 {
		if exp < 0 {
			dst = append(dst, '0', '.')
			for i := -1; i > exp; i-- {
				dst = append(dst, '0')
			}
			return append(dst, d...)
		}
		if nd <= exp+1 {
			dst = append(dst, d...)
			for i := nd; i <= exp; i++ {
				dst = append(dst, '0')
			}
			return append(dst, '.', '0')
		}
		dst = append(dst, d[:exp+1]...)
		dst = append(dst, '.')
		return append(dst, d[exp+1:]...)
	}
	dst = append(dst, d[0], '.')
	if nd > 1 {
		dst = append(dst, d[1:]...)
	} else {
		dst = append(dst, '0')
	}
	dst = append(dst, 'E')
	return strconv.AppendInt(dst, int64(exp), 10)
}

// splitExp takes Go's "d.ddde±XX" and returns the digits (in *digits) and
// the decimal exponent of the first digit.
func splitExp(e []byte, digits *[32]byte) (n, exp int) {
	i := 0
	for ; i < len(e) && e[i] != 'e'; i++ {
		if e[i] != '.' && n < len(digits) {
			digits[n] = e[i]
			n++
		}
	}
	neg := false
	for i++; i < len(e); i++ {
		switch c := e[i]; {
		case c == '-':
			neg = true
		case c >= '0' && c <= '9':
			exp = exp*10 + int(c-'0')
		}
	}
	if neg {
		exp = -exp
	}
	return n, exp
}
