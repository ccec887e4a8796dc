package yed

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// charsetReader decodes the single-byte encodings GraphML files declare
// besides UTF-8: GraphWalker itself writes encoding="ISO-8859-1".
func charsetReader(charset string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819", "iso-ir-100", "csisolatin1",
		"us-ascii", "ascii":
		return &byteDecoder{r: in}, nil
	case "windows-1252", "cp1252", "x-cp1252":
		return &byteDecoder{r: in, table: &cp1252}, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q; save the file as UTF-8 (yEd's default) or ISO-8859-1", charset)
}

// byteDecoder turns a single-byte encoding into UTF-8. Bytes below 0x80 are
// ASCII; others map through table (0x80..0x9F) or to U+0080..U+00FF.
type byteDecoder struct {
	r     io.Reader
	table *[32]rune
	buf   []byte
	dec   []byte // decoding buffer
	out   []byte // decoded, not yet returned (a window on dec)
}

func (d *byteDecoder) Read(p []byte) (int, error) {
	if len(d.out) == 0 {
		if cap(d.buf) == 0 {
			d.buf = make([]byte, 16<<10)
		}
		n, err := d.r.Read(d.buf[:cap(d.buf)])
		if n == 0 {
			return 0, err
		}
		out := d.dec[:0]
		for _, b := range d.buf[:n] {
			switch {
			case b < 0x80:
				out = append(out, b)
			case d.table != nil && b < 0xA0:
				out = utf8.AppendRune(out, d.table[b-0x80])
			default:
				out = utf8.AppendRune(out, rune(b))
			}
		}
		d.dec, d.out = out, out
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	return n, nil
}

// cp1252 maps windows-1252 bytes 0x80..0x9F; the five undefined ones
// decode to U+FFFD, as in Java.
var cp1252 = [32]rune{
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
}
