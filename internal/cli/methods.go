package cli

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gw-project/gw/internal/model"
)

func init() {
	register(&command{
		name:    "methods",
		summary: "Generates a list of unique names of vertices and edges in the model.",
		options: listOptions,
		run: func(env *Env, opts *optionSet) error {
			models, err := readModelFiles(opts)
			if err != nil {
				return err
			}
			var names []string
			for _, m := range models {
				for _, v := range m.Vertices {
					if v.Name != "" {
						names = append(names, v.Name)
					}
				}
				for _, e := range m.Edges {
					if e.Name != "" {
						names = append(names, e.Name)
					}
				}
			}
			return printLines(env, javaSortedSet(names))
		},
	})
}

// listOptions are the options of methods and requirements: --model takes
// one value there (a file, no generator).
func listOptions() *optionSet {
	s := &optionSet{}
	s.add(&option{names: []string{"--model", "-m"}, kind: optValue, repeat: true, required: true, def: "[]",
		help: "The model(s), as a GRAPHML, JSON or DOT file. This option can occur multiple times."})
	s.add(blockedOption())
	return s
}

func blockedOption() *option {
	return &option{names: []string{"--blocked", "-b"}, kind: optValue, def: "true",
		help: "This option enables or disables the BLOCKED feature. When \"-b true\" gw will filter out any elements with the keyword BLOCKED. When \"-b false\" gw will not filter out elements with the keyword BLOCKED."}
}

// blockedFrom reads --blocked (default true).
func blockedFrom(opts *optionSet) (bool, error) {
	o := opts.lookup("--blocked")
	if o == nil || !o.set {
		return true, nil
	}
	return parseBool("-b", o.value())
}

// readModelFiles reads every --model file as GraphWalker's methods and
// requirements do: no generator, no start element, files without models
// are fine; then the BLOCKED filter.
func readModelFiles(opts *optionSet) ([]*model.Model, error) {
	blocked, err := blockedFrom(opts)
	if err != nil {
		return nil, err
	}
	var models []*model.Model
	for _, v := range opts.lookup("--model").values {
		doc, err := readModels(v[0])
		if err != nil {
			return nil, err
		}
		models = append(models, doc.Models...)
	}
	if blocked {
		models = filterAll(models)
	}
	return models, nil
}

func printLines(env *Env, lines []string) error {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	_, err := env.Stdout.Write([]byte(b.String()))
	return err
}

// javaSortedSet is Java's TreeSet<String> of s: sorted by UTF-16 code
// units (so U+E000..U+FFFF sort after supplementary characters), without
// duplicates.
func javaSortedSet(s []string) []string {
	s = slices.Clone(s)
	slices.SortFunc(s, javaCompare)
	return slices.CompactFunc(s, func(a, b string) bool { return javaCompare(a, b) == 0 })
}

// javaCompare is Java's String.compareTo (UTF-16 code unit order).
func javaCompare(a, b string) int {
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
