package suite

import (
	"testing"
	"unicode"
)

// FuzzScriptWords: reading variables out of guards and actions never
// panics and yields identifiers only.
func FuzzScriptWords(f *testing.F) {
	for _, s := range []string{"x > 3", "global.n++", `s = "a\"b"; t = 'c'`, "typeof a.b === 'undefined'", "`", "\\", "n -= 1 // x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		vars := map[string]bool{}
		for _, id := range identifiers(src) {
			if id == "" {
				t.Fatal("empty identifier")
			}
			for i, r := range id {
				if !(r == '_' || r == '$' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r)) {
					t.Fatalf("%q is not an identifier", id)
				}
			}
			vars[id] = true
		}
		writesAny(src, vars)
	})
}
