package golden

import "testing"

func TestFirstDifference(t *testing.T) {
	for _, tt := range []struct {
		got, want string
		line      int
		g, w      string
	}{
		{"a\nb\nc", "a\nx\nc", 2, `"b"`, `"x"`},
		{"a\nb", "a\nb\nc", 3, "end of file", `"c"`},
		{"a\nb\n", "a\nb", 3, `""`, "end of file"}, // only the final newline differs
		{"x", "y", 1, `"x"`, `"y"`},
		{"same\n", "same\n", 0, "", ""},
	} {
		line, g, w := firstDifference([]byte(tt.got), []byte(tt.want))
		if line != tt.line || g != tt.g || w != tt.w {
			t.Errorf("firstDifference(%q, %q) = %d, %q, %q; want %d, %q, %q", tt.got, tt.want, line, g, w, tt.line, tt.g, tt.w)
		}
	}
}
