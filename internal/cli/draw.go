package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gw-project/gw/internal/draw"
	"github.com/gw-project/gw/internal/layout"
	"github.com/gw-project/gw/internal/model"
)

func init() {
	register(&command{
		name:    "draw",
		summary: "Draw model(s) as a standalone SVG picture, or as layout JSON for a web page; with --path, coloured by how often a path visited each element (gw only).",
		options: func() *optionSet {
			s := &optionSet{}
			s.add(&option{names: []string{"--model", "-m"}, kind: optValue, repeat: true, def: "[]",
				help: "A model file (JSON, GRAPHML or DOT); every model in it is drawn. This option can occur multiple times: one picture, a section per model. Required unless --record gives the models."})
			s.add(&option{names: []string{"--output", "-o"}, kind: optValue, def: "stdout",
				help: "The file to write; its extension (.svg or .json) picks the format when --format is not given."})
			s.add(&option{names: []string{"--format", "-f"}, kind: optValue, def: "svg",
				help: "svg: a standalone SVG picture; json: the layout as JSON (positions, sizes, edge paths, element ids, names and kinds) for a web page to draw."})
			s.add(&option{names: []string{"--path", "-p"}, kind: optValue, def: "<none>",
				help: "A path to colour by: the JSON lines of gw offline (- for stdin). Elements are found by currentElementID when the lines have it (gw offline --verbose), else by name; unvisited elements stand out and the last step is highlighted."})
			s.add(&option{names: []string{"--record"}, kind: optValue, def: "<none>",
				help: "A run record (written by --record) to colour by; without --model, the models it carries are drawn."})
			s.add(&option{names: []string{"--layout", "-l"}, kind: optValue, def: "auto",
				help: "auto: the models' own x/y vertex properties when every vertex has them, else layers (Graphviz dot style), else a grid for models over --max-layered; or one of coordinates, layered, grid."})
			s.add(&option{names: []string{"--blocked", "-b"}, kind: optValue, def: "false",
				help: "When \"-b true\" elements with the keyword BLOCKED are left out, as other commands do by default; by default they are drawn, marked BLOCKED."})
			s.add(&option{names: []string{"--max-layered"}, kind: optValue, def: fmt.Sprint(layout.DefaultMaxLayered),
				help: "The most elements (vertices + edges) a model may have to be laid out in layers; bigger models are drawn on a grid."})
			s.add(&option{names: []string{"--max-draw-elements"}, kind: optValue, def: fmt.Sprint(layout.DefaultMaxElements),
				help: "The most elements a model may have to be drawn at all."})
			s.add(&option{names: []string{"--max-path-line"}, kind: optValue, def: "64MiB",
				help: "The longest line of the --path file."})
			addFileSizeOption(s)
			return s
		},
		run: runDraw,
	})
}

func runDraw(env *Env, opts *optionSet) error {
	var lo layout.Options
	lo.LayeredFlag, lo.ElementsFlag = "--max-layered", "--max-draw-elements"
	if o := opts.lookup("--layout"); o.set {
		e, err := layout.ParseEngine(o.value())
		if err != nil {
			return usagef("--layout: %v", err)
		}
		lo.Engine = e
	}
	for _, f := range []struct {
		flag string
		dst  *int
	}{{"--max-layered", &lo.MaxLayered}, {"--max-draw-elements", &lo.MaxElements}} {
		if o := opts.lookup(f.flag); o.set {
			n, err := parseInt(f.flag, o.value())
			if err != nil {
				return err
			}
			if n < 1 {
				return usagef("%s must be at least 1", f.flag)
			}
			*f.dst = n
		}
	}
	po := draw.PathOptions{LineFlag: "--max-path-line"}
	if o := opts.lookup("--max-path-line"); o.set {
		n, err := parseSize("--max-path-line", o.value(), 1024)
		if err != nil {
			return err
		}
		po.MaxLine = int(min(n, 1<<40))
	}
	blocked := false
	if o := opts.lookup("--blocked"); o.set {
		b, err := parseBool("-b", o.value())
		if err != nil {
			return err
		}
		blocked = b
	}
	out := "-"
	if o := opts.lookup("--output"); o.set {
		out = o.value()
	}
	format := "svg"
	if o := opts.lookup("--format"); o.set {
		format = strings.ToLower(o.value())
	} else if strings.EqualFold(filepath.Ext(out), ".json") {
		format = "json"
	}
	if format != "svg" && format != "json" {
		return usagef("--format: unknown format %q (use svg or json)", format)
	}
	pathFile, recordFile := opts.lookup("--path").value(), opts.lookup("--record").value()
	if pathFile != "" && recordFile != "" {
		return usagef("--path and --record both give visit counts; use one")
	}
	max, err := maxFileSize(opts)
	if err != nil {
		return err
	}
	var models []*model.Model
	for _, v := range opts.lookup("--model").values {
		doc, err := readModels(v[0], max)
		if err != nil {
			return err
		}
		if len(doc.Models) == 0 {
			return fmt.Errorf("No valid models found in: '%s'.", v[0])
		}
		models = append(models, doc.Models...)
	}
	if len(models) == 0 && recordFile == "" {
		return usagef("The following option is required: [--model | -m]")
	}
	if len(models) == 0 {
		if models, err = modelsOfRecord(recordFile, max); err != nil {
			return err
		}
	}
	if blocked {
		models = filterAll(models)
	}
	var visits *draw.Visits
	switch {
	case pathFile != "":
		v, err := readPathFile(pathFile, models, po)
		if err != nil {
			return err
		}
		if v.Guessed > 0 {
			fmt.Fprintf(env.Stderr, "gw draw: %d of %d steps in %s name an element that several elements share; each went to the one next to the step before. For exact counts write the path with gw offline --verbose.\n", v.Guessed, v.Steps, pathFile)
		}
		visits = v
	case recordFile != "":
		v, err := visitsOfRecord(recordFile, models, max)
		if err != nil {
			return err
		}
		visits = v
	}
	scene, err := draw.NewScene(models, lo, visits)
	if err != nil {
		return err
	}
	for _, m := range scene.Models {
		if m.Note != "" {
			env.Log.Info("layout", "model", m.Name, "note", m.Note)
		}
	}
	return writeOutput(env, out, func(w io.Writer) error {
		if format == "json" {
			return scene.WriteJSON(w)
		}
		return scene.WriteSVG(w)
	})
}

func readPathFile(name string, models []*model.Model, po draw.PathOptions) (*draw.Visits, error) {
	if name == "-" {
		return draw.ReadPath(os.Stdin, "stdin", models, po)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("Could not read the path file: %s", pathError(name, err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("Could not read the path file: %s is a folder", name)
	}
	return draw.ReadPath(f, name, models, po)
}

// writeOutput writes to stdout for "-", else to the file, removed again if
// writing fails half way.
func writeOutput(env *Env, name string, write func(io.Writer) error) error {
	if name == "-" {
		return write(env.Stdout)
	}
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("Could not write the file: %s", pathError(name, err))
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if st, serr := os.Stat(name); serr == nil && st.Mode().IsRegular() {
			os.Remove(name)
		}
		return errors.Join(fmt.Errorf("Could not write the file %s", name), err)
	}
	return nil
}
