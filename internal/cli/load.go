package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gw-project/gw/internal/format/dot"
	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/format/yed"
	"github.com/gw-project/gw/internal/inputfile"
	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/model"
)

// readModels reads a model file (or every file of a folder, as GraphWalker
// does; subfolders are skipped) choosing the reader by extension. A file
// over max bytes, or anything but a regular file, is an error.
func readModels(path string, max int64) (*model.Document, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	if ext == "java" {
		return nil, errors.New("Creating a context from a java file is not supported.")
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("Could not read the file: %s", pathError(path, err))
	}
	if st.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, fmt.Errorf("Could not read the folder: %s", pathError(path, err))
		}
		doc := &model.Document{}
		for _, e := range entries {
			p := filepath.Join(path, e.Name())
			// Stat follows links: a link to a folder is skipped too, so a
			// link loop cannot make gw recurse.
			if st, err := os.Stat(p); e.IsDir() || err == nil && st.IsDir() {
				continue
			}
			d, err := readModels(p, max)
			if err != nil {
				return nil, err
			}
			doc.Models = append(doc.Models, d.Models...)
			if d.HasSeed && !doc.HasSeed {
				doc.Seed, doc.HasSeed = d.Seed, true
			}
		}
		return doc, nil
	}
	switch ext {
	case "json", "graphml", "dot":
	default:
		return nil, &exitError{code: 1, msg: fmt.Sprintf("File format for file: %s, is not supported (gw reads .json, .graphml and .dot)\n\n", path)}
	}
	data, err := inputfile.Read(path, max)
	if err != nil {
		return nil, fmt.Errorf("Could not read the file: %s", pathError(path, err))
	}
	doc, err := parseModels(data, path, ext)
	if err != nil {
		return nil, fmt.Errorf("The following syntax error occurred when parsing: '%s'.\nSyntax Error: %w", path, err)
	}
	return doc, nil
}

func parseModels(data []byte, path, ext string) (*model.Document, error) {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	switch ext {
	case "json":
		return gwjson.Parse(data, path)
	case "graphml":
		m, err := yed.ReadNamed(bytes.NewReader(data), base, path)
		if err != nil {
			return nil, err
		}
		return &model.Document{Models: []*model.Model{m}}, nil
	case "dot":
		ms, err := dot.ReadAll(bytes.NewReader(data), path)
		if err != nil {
			return nil, err
		}
		return &model.Document{Models: ms}, nil
	}
	return nil, fmt.Errorf("unsupported format %q", ext)
}

func pathError(path string, err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s: %v", path, pe.Err)
	}
	return err.Error()
}

// modelArgs is what --model, --start-element and --blocked ask for.
type modelArgs struct {
	pairs        [][]string // FILE GENERATOR
	startElement string
	blocked      bool
	maxFile      int64 // --max-file-size
}

// loadModels reads the --model files, applies each generator to the first
// model of its file, the start element to the first model of the first
// file, and the BLOCKED filter. The seed of a JSON file is returned too.
func loadModels(a modelArgs) ([]*model.Model, *model.Document, error) {
	var models []*model.Model
	seedDoc := &model.Document{}
	for i, p := range a.pairs {
		doc, err := readModels(p[0], a.maxFile)
		if err != nil {
			return nil, nil, err
		}
		if len(doc.Models) == 0 {
			return nil, nil, fmt.Errorf("No valid models found in: '%s'.", p[0])
		}
		if doc.HasSeed && !seedDoc.HasSeed {
			seedDoc.Seed, seedDoc.HasSeed = doc.Seed, true
		}
		doc.Models[0].Generator = p[1]
		if i == 0 && a.startElement != "" {
			m := doc.Models[0]
			els := m.ElementsNamed(a.startElement)
			switch {
			case len(els) == 0:
				return nil, nil, usagef("--start-element Did not find matching element in the model: '%s'. (no vertex or edge is named %q)", p[0], a.startElement)
			case len(els) > 1:
				return nil, nil, usagef("--start-element There are more than one matching element in the model: '%s'. (%d elements are named %q)", p[0], len(els), a.startElement)
			}
			m.StartElementID = m.ElementID(els[0])
		}
		models = append(models, doc.Models...)
	}
	if a.blocked {
		models = filterAll(models)
	}
	return models, seedDoc, nil
}

// addFileSizeOption adds --max-file-size to a command that reads files.
func addFileSizeOption(s *optionSet) {
	s.add(&option{names: []string{inputfile.Flag}, kind: optValue, def: limits.FormatSize(inputfile.DefaultMax),
		help: "Largest model, template or @argument file gw reads, e.g. 512MiB; only regular files are read, never a pipe or a device (gw only)."})
}

// maxFileSize reads --max-file-size.
func maxFileSize(opts *optionSet) (int64, error) {
	o := opts.lookup(inputfile.Flag)
	if o == nil || !o.set {
		return inputfile.DefaultMax, nil
	}
	return parseSize(inputfile.Flag, o.value(), 1024)
}
