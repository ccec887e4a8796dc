package cli

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/gw-project/gw/internal/checker"
	"github.com/gw-project/gw/internal/format/dot"
	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/format/yed"
	"github.com/gw-project/gw/internal/model"
)

func init() {
	register(&command{
		name:    "convert",
		summary: "Convert a graph from one format, to some other format.",
		options: func() *optionSet {
			s := &optionSet{}
			s.add(blockedOption())
			s.add(&option{names: []string{"--format", "-f"}, kind: optValue, def: "JSON",
				help: "Which format to convert into. Valid key words are: JSON [default], GRAPHML, DOT or JAVA."})
			s.add(&option{names: []string{"--input", "-i"}, kind: optValue, required: true, def: "<empty string>",
				help: "The input model file."})
			addFileSizeOption(s)
			return s
		},
		run: runConvert,
	})
}

const syntaxErrorPrefix = "The following syntax error occurred when parsing: "

func runConvert(env *Env, opts *optionSet) error {
	blocked, err := blockedFrom(opts)
	if err != nil {
		return err
	}
	max, err := maxFileSize(opts)
	if err != nil {
		return err
	}
	in := opts.lookup("--input").value()
	doc, err := readModels(in, max)
	if err != nil {
		// GraphWalker's convert ends this one message with an extra newline.
		if strings.HasPrefix(err.Error(), syntaxErrorPrefix) {
			return fmt.Errorf("%w\n", err)
		}
		return err
	}
	models, err := asLoaded(doc.Models)
	if err != nil {
		return err
	}
	if blocked {
		models = filterAll(models)
	}
	format := "JSON"
	if o := opts.lookup("--format"); o.set {
		format = o.value()
	}
	// GraphWalker picks the writer as it picks a reader: by the extension
	// of the file name "foo.<format>".
	var b bytes.Buffer
	switch strings.ToLower(extension("foo." + format)) {
	case "json":
		err = gwjson.Write(&b, models, gwjson.WriteOptions{})
	case "graphml":
		err = yed.Write(&b, models)
	case "dot":
		err = dot.Write(&b, models)
	case "java":
		err = writeJava(&b, models)
	default:
		// GraphWalker names an invented file, "foo.<format>".
		return &exitError{code: 1, msg: fmt.Sprintf("Format %s is not supported: convert writes JSON, GRAPHML, DOT or JAVA (--format JSON, the default).\n", format)}
	}
	if err != nil {
		return err
	}
	b.WriteByte('\n')
	_, err = env.Stdout.Write(b.Bytes())
	return err
}

// asLoaded gives models what GraphWalker's contexts hold after loading: the
// generator in its toString form (RandomPath(EdgeCoverage(100))), written
// so by the JSON writer, and a start element only when it names an element
// of the model. The models themselves are not modified.
func asLoaded(models []*model.Model) ([]*model.Model, error) {
	out := make([]*model.Model, len(models))
	for i, m := range models {
		c := *m
		g, err := checker.Generator(m)
		if err != nil {
			return nil, fmt.Errorf("model %q: %w", m.Name, err)
		}
		if g != nil {
			c.Generator = g.String()
		}
		if m.StartElement() == model.None {
			c.StartElementID = ""
		}
		out[i] = &c
	}
	return out, nil
}

// extension is commons-io FilenameUtils.getExtension: the text after the
// last dot of the last path element.
func extension(name string) string {
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 || strings.LastIndexAny(name, `/\`) > dot {
		return ""
	}
	return name[dot+1:]
}
