package layout

import "unicode/utf8"

// helvetica holds the advance widths of ASCII 32..126 in Helvetica (the
// font metrics Arial shares), in thousandths of the font size. Drawings name
// "Helvetica, Arial, sans-serif", so boxes sized with these fit the text
// in every common browser without measuring fonts at run time.
var helvetica = [95]uint16{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space../
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0..9
	278, 278, 584, 584, 584, 556, 1015, // :..@
	667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A..M
	722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N..Z
	278, 278, 278, 469, 556, 333, // [..`
	556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a..m
	556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n..z
	334, 260, 334, 584, // {..~
}

// TextWidth estimates the width in pixels of s in a sans-serif font of
// size px. Characters outside ASCII count as wide as "M" (East Asian wide
// ones twice a normal width), which errs on the side of roomy boxes.
func TextWidth(s string, px float64) float64 {
	var w int
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		switch {
		case r >= 32 && r <= 126:
			w += int(helvetica[r-32])
		case r >= 0x1100 && isWide(r):
			w += 1000
		default:
			w += 833
		}
	}
	return float64(w) * px / 1000
}

func isWide(r rune) bool {
	return r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) ||
		(r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) ||
		(r >= 0xffe0 && r <= 0xffe6) || (r >= 0x1f300 && r <= 0x1faff) || (r >= 0x20000 && r <= 0x3fffd)
}
