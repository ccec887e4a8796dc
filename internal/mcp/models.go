package mcp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"strings"
	"syscall"
	"unicode"

	"github.com/gw-project/gw/internal/format/dot"
	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/format/yed"
	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/model"
)

// ModelInput names the models of one source: a file under the server's
// models folder, the text of a model file, or a draft. Tools take a list
// of them, as `gw offline` takes several --model FILE GENERATOR pairs.
type ModelInput struct {
	Path      string `json:"path,omitempty" jsonschema:"a model file under the server's --models folder, relative to it (as the resources list them, e.g. login.graphml; a gw://models/... URI works too)"`
	Content   string `json:"content,omitempty" jsonschema:"the text of a model file: GraphWalker JSON, yEd GraphML or DOT"`
	Format    string `json:"format,omitempty" jsonschema:"the format of content or path: json, graphml or dot (default: the file extension, or guessed from the content)"`
	Name      string `json:"name,omitempty" jsonschema:"the model's name for GraphML content, which carries none (default: the file name, or Model)"`
	DraftID   string `json:"draft_id,omitempty" jsonschema:"a draft's id (create_draft); its current revision is used"`
	Generator string `json:"generator,omitempty" jsonschema:"generator with stop condition for the first model of this source, e.g. random(edge_coverage(100)); replaces the model's own, as gw offline -m FILE GENERATOR does"`
}

// maxSources bounds the entries of one "models" list.
const maxSources = 100

// ResourcePrefix starts the URI of every model file served as a resource.
const ResourcePrefix = "gw://models/"

// modelFormats are the extensions (and format names) gw reads.
var modelFormats = []string{"json", "graphml", "dot"}

// loadOptions say how the models of a call are prepared, as the CLI's
// --blocked and --start-element do.
type loadOptions struct {
	blocked      bool   // drop BLOCKED elements
	startElement string // name of the first model's start element; "" keeps the model's
}

// loadModels reads every source of a call, within the server's limits.
// The models are indexed and belong to the caller.
func (s *Server) loadModels(ctx context.Context, ins []ModelInput, lo loadOptions) ([]*model.Model, error) {
	if len(ins) == 0 {
		return nil, inputError(`"models" is empty: give at least one model source, e.g. {"path": "login.graphml"} (a file under --models), {"content": "<the model text>"} or {"draft_id": "d-…"}`)
	}
	if len(ins) > maxSources {
		return nil, inputError(`"models" has %d sources; give at most %d`, len(ins), maxSources)
	}
	if err := limits.Over(); err != nil {
		return nil, err
	}
	var out []*model.Model
	total := 0
	for i, in := range ins {
		ms, err := s.loadSource(ctx, in)
		if err != nil {
			if len(ins) > 1 {
				return nil, fmt.Errorf("models[%d]: %w", i, err)
			}
			return nil, err
		}
		if len(ms) == 0 {
			return nil, fmt.Errorf("models[%d] (%s) holds no model", i, in.describe())
		}
		if in.Generator != "" {
			ms[0].Generator = in.Generator
		}
		for _, m := range ms {
			total += m.NumElements()
		}
		if total > s.opts.MaxElements {
			return nil, limitError("", fmt.Sprintf("the models have more than %d vertices and edges, the limit", s.opts.MaxElements), FlagMaxElements, limits.ErrSize)
		}
		out = append(out, ms...)
	}
	if lo.startElement != "" {
		m := out[0]
		els := m.ElementsNamed(lo.startElement)
		switch {
		case len(els) == 0:
			return nil, inputError("start_element %q: no vertex or edge of model %q has that name", lo.startElement, m.Name)
		case len(els) > 1:
			return nil, inputError("start_element %q: %d elements of model %q have that name; rename them or set the start element by id in the model", lo.startElement, len(els), m.Name)
		}
		m.StartElementID = m.ElementID(els[0])
	}
	if lo.blocked {
		for i, m := range out {
			out[i] = model.FilterBlocked(m)
		}
	}
	return out, nil
}

func (in ModelInput) describe() string {
	switch {
	case in.Path != "":
		return "path " + in.Path
	case in.DraftID != "":
		return "draft " + in.DraftID
	}
	return "content"
}

// loadSource reads the models of one source.
func (s *Server) loadSource(ctx context.Context, in ModelInput) ([]*model.Model, error) {
	n := 0
	for _, set := range []bool{in.Path != "", in.Content != "", in.DraftID != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, inputError(`give exactly one of "path", "content" and "draft_id" in each model source (this one has %d)`, n)
	}
	if in.DraftID != "" {
		if in.Format != "" || in.Name != "" {
			return nil, inputError(`"format" and "name" do not apply to a draft`)
		}
		d, err := s.draft(in.DraftID)
		if err != nil {
			return nil, err
		}
		return []*model.Model{d.snapshot()}, nil
	}
	format := strings.ToLower(strings.TrimSpace(in.Format))
	if format != "" && !isModelFormat(format) {
		return nil, inputError("format %q: gw reads json, graphml and dot", in.Format)
	}
	var data []byte
	var name, base string
	if in.Path != "" {
		rel, err := s.modelPath(in.Path)
		if err != nil {
			return nil, err
		}
		data, err = s.readModelFile(rel)
		if err != nil {
			return nil, err
		}
		if format == "" {
			format = strings.ToLower(strings.TrimPrefix(path.Ext(rel), "."))
			if !isModelFormat(format) {
				return nil, inputError("path %q: gw reads .json, .graphml and .dot files (or give \"format\")", in.Path)
			}
		}
		name, base = rel, strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	} else {
		if int64(len(in.Content)) > s.opts.MaxModelBytes {
			return nil, limitError("content", fmt.Sprintf("is %s, over the model size limit of %s", limits.FormatSize(int64(len(in.Content))), limits.FormatSize(s.opts.MaxModelBytes)), FlagMaxModelSize, limits.ErrSize)
		}
		data = []byte(in.Content)
		if format == "" {
			format = guessFormat(data)
			if format == "" {
				return nil, inputError(`cannot tell the format of "content" (GraphWalker JSON starts with '{', GraphML with '<', DOT with "digraph"): give "format"`)
			}
		}
		name, base = "content", "Model"
	}
	if in.Name != "" {
		base = in.Name
	}
	// Parsing costs several times the text; many large reads at once wait
	// or fail instead of exhausting memory.
	release, err := limits.Reserve(ctx, int64(len(data))*8, "reading the model")
	if err != nil {
		return nil, err
	}
	defer release()
	ms, err := parseModels(data, format, name, base, in.Path == "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.describe(), &parseError{err})
	}
	return ms, nil
}

func isModelFormat(f string) bool {
	for _, x := range modelFormats {
		if f == x {
			return true
		}
	}
	return false
}

// guessFormat tells a model text's format from how it starts.
func guessFormat(data []byte) string {
	t := bytes.TrimLeftFunc(bytes.TrimPrefix(data, []byte("\ufeff")), unicode.IsSpace)
	switch {
	case len(t) == 0:
		return ""
	case t[0] == '<':
		return "graphml"
	case t[0] == '{':
		return "json"
	}
	for _, kw := range []string{"digraph", "graph", "strict"} {
		if len(t) >= len(kw) && strings.EqualFold(string(t[:len(kw)]), kw) {
			return "dot"
		}
	}
	return ""
}

// parseModels reads models in one of gw's formats; message tells whether
// the text came in a message (raw line breaks in JSON strings are kept)
// or from a file (they are dropped, as GraphWalker reads files).
func parseModels(data []byte, format, name, base string, message bool) ([]*model.Model, error) {
	switch format {
	case "json":
		var doc *model.Document
		var err error
		if message {
			doc, err = gwjson.ParseMessage(data, name)
		} else {
			doc, err = gwjson.Parse(data, name)
		}
		if err != nil {
			return nil, err
		}
		return doc.Models, nil
	case "graphml":
		m, err := yed.Read(bytes.NewReader(data), base)
		if err != nil {
			return nil, err
		}
		return []*model.Model{m}, nil
	case "dot":
		return dot.ReadAll(bytes.NewReader(data), name)
	}
	return nil, fmt.Errorf("unsupported format %q", format)
}

// modelPath turns a "path" input (or a resource URI) into a clean path
// relative to the models folder.
func (s *Server) modelPath(p string) (string, error) {
	if s.root == nil {
		return "", inputError(`"path" %q: this gw MCP server was started without %s, so it reads no files; send the model's text as "content" instead`, p, FlagModels)
	}
	if rest, ok := strings.CutPrefix(p, ResourcePrefix); ok {
		u, err := url.PathUnescape(rest)
		if err != nil {
			return "", inputError("path %q: bad percent-encoding: %v", p, err)
		}
		p = u
	}
	clean := path.Clean(strings.ReplaceAll(p, `\`, "/"))
	if clean == "." || path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || strings.ContainsRune(clean, 0) {
		return "", inputError("path %q: give a path relative to the models folder, inside it (e.g. login.graphml or sub/model.json)", p)
	}
	return clean, nil
}

// readModelFile reads a regular file under the models folder: never
// outside it (os.Root refuses symbolic links that leave it), never a
// device or a FIFO, never more than MaxModelBytes.
func (s *Server) readModelFile(rel string) ([]byte, error) {
	st, err := s.root.Stat(rel)
	if err != nil {
		return nil, fileError(rel, err)
	}
	if st.IsDir() {
		return nil, inputError("path %q is a folder; give one of the model files in it (see the resources)", rel)
	}
	if !st.Mode().IsRegular() {
		return nil, inputError("path %q is not a regular file (gw reads model files only)", rel)
	}
	if st.Size() > s.opts.MaxModelBytes {
		return nil, limitError("path "+rel, fmt.Sprintf("is %s, over the model size limit of %s", limits.FormatSize(st.Size()), limits.FormatSize(s.opts.MaxModelBytes)), FlagMaxModelSize, limits.ErrSize)
	}
	// O_NONBLOCK: a file swapped for a FIFO after Stat cannot hang the open.
	f, err := s.root.OpenFile(rel, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fileError(rel, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, inputError("path %q is not a regular file (gw reads model files only)", rel)
	}
	data, err := io.ReadAll(io.LimitReader(f, s.opts.MaxModelBytes+1))
	if err != nil {
		return nil, fileError(rel, err)
	}
	if int64(len(data)) > s.opts.MaxModelBytes {
		return nil, limitError("path "+rel, "grew over the model size limit of "+limits.FormatSize(s.opts.MaxModelBytes)+" while it was read", FlagMaxModelSize, limits.ErrSize)
	}
	return data, nil
}

// noFileError is a path that names no file of the models folder.
type noFileError struct{ rel string }

func (e *noFileError) Error() string {
	return fmt.Sprintf("path %q: no such file in the models folder (the resources list its model files)", e.rel)
}

func fileError(rel string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return &noFileError{rel}
	}
	return fmt.Errorf("path %q: %v", rel, unwrapPath(err))
}
