package cli

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSplitTemplate: any template text splits without panic, and a match
// gives three non-empty parts found in the text in order.
func FuzzSplitTemplate(f *testing.F) {
	for _, p := range []string{"python", "perl"} {
		data, err := os.ReadFile(td("template/" + p + ".template"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("HEADER<{{a}}>HEADER b FOOTER<{{c}}>FOOTER")
	f.Add("HEADER<{{\r\n}}>HEADER\rFOOTER<{{}}>FOOTER")
	f.Fuzz(func(t *testing.T, text string) {
		h, b, ft, ok := splitTemplate(text)
		if !ok {
			if h != "" || b != "" || ft != "" {
				t.Fatalf("no match but parts %q %q %q", h, b, ft)
			}
			if templateProblem(text) == "" {
				t.Fatal("no match and no reason")
			}
			return
		}
		if h == "" || b == "" || ft == "" {
			t.Fatalf("partial match %q %q %q", h, b, ft)
		}
		norm := strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
		if !strings.Contains(norm, "HEADER<{{"+h+"}}>HEADER"+b+"FOOTER<{{"+ft+"}}>FOOTER") {
			t.Fatalf("parts not in the text: %q %q %q", h, b, ft)
		}
	})
}

var javaIdentRE = regexp.MustCompile(`^[\p{L}_$][\p{L}\p{Nd}_$]*$`)

// FuzzJavaNames: every name becomes a Java identifier that is no keyword,
// and every string a Java literal that reads back as the string.
func FuzzJavaNames(f *testing.F) {
	for _, s := range []string{"v_Start", "v 1", "class", "1st", "", "_", "has\"quote\\", "a\nb\u0001", "\\u000a", "Överblick"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id := javaIdent(s, "v_x")
		if !javaIdentRE.MatchString(id) || javaReserved[id] {
			t.Fatalf("javaIdent(%q) = %q", s, id)
		}
		lit := javaString(s)
		if strings.ContainsAny(lit, "\r\n") || strings.Contains(strings.ReplaceAll(lit, `\\`, ""), `\u`) {
			t.Fatalf("javaString(%q) = %q has a line break or a unicode escape", s, lit)
		}
		back, ok := unJava(lit)
		if !ok {
			t.Fatalf("javaString(%q) = %q is not a literal", s, lit)
		}
		if want := strings.ToValidUTF8(s, "\uFFFD"); back != want && utf8.ValidString(s) {
			t.Fatalf("javaString(%q) = %q reads back as %q", s, lit, back)
		}
	})
}

// unJava reads a Java string literal with the escapes javaString writes.
func unJava(lit string) (string, bool) {
	if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
		return "", false
	}
	s := lit[1 : len(lit)-1]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			return "", false
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", false
		}
		switch s[i] {
		case '"', '\\':
			b.WriteByte(s[i])
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		default:
			if i+3 > len(s) {
				return "", false
			}
			n, err := strconv.ParseUint(s[i:i+3], 8, 8)
			if err != nil {
				return "", false
			}
			b.WriteByte(byte(n))
			i += 2
		}
	}
	return b.String(), true
}
