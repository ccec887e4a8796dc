package mcp

import (
	"context"
	"errors"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// Bounds on what the resources list shows of the models folder.
const (
	maxResourceFiles = 1000
	maxResourceDepth = 8
)

var mimeTypes = map[string]string{
	"json":    "application/json",
	"graphml": "application/graphml+xml",
	"dot":     "text/vnd.graphviz",
}

// addResources serves the models folder: every model file is a resource
// (gw://models/<path>), listed fresh on each resources/list, and any
// model file under the folder can be read through the URI template.
func (s *Server) addResources() {
	s.sdk.AddResourceTemplate(&sdk.ResourceTemplate{
		Name:        "model",
		Title:       "A model file of the models folder",
		Description: "A GraphWalker JSON, yEd GraphML or DOT model file under the server's --models folder, read-only. Tools read it with {\"path\": \"<path>\"}.",
		URITemplate: ResourcePrefix + "{+path}",
	}, s.readResource)
	s.refreshResources()
	s.sdk.AddReceivingMiddleware(func(next sdk.MethodHandler) sdk.MethodHandler {
		return func(ctx context.Context, method string, req sdk.Request) (sdk.Result, error) {
			if method == "resources/list" {
				s.refreshResources()
			}
			return next(ctx, method, req)
		}
	})
}

// refreshResources makes the listed resources the folder's model files
// now (at most maxResourceFiles of them, maxResourceDepth folders deep,
// hidden folders and node_modules skipped).
func (s *Server) refreshResources() {
	files := s.modelFiles()
	s.resMu.Lock()
	defer s.resMu.Unlock()
	now := make(map[string]bool, len(files))
	var add []*sdk.Resource
	for _, f := range files {
		uri := resourceURI(f)
		now[uri] = true
		if !s.resources[uri] {
			ext := strings.TrimPrefix(path.Ext(f), ".")
			add = append(add, &sdk.Resource{URI: uri, Name: f, Title: path.Base(f), MIMEType: mimeTypes[ext],
				Description: "Model file " + f + " (" + ext + ")"})
		}
	}
	var remove []string
	for uri := range s.resources {
		if !now[uri] {
			remove = append(remove, uri)
		}
	}
	if len(remove) > 0 {
		s.sdk.RemoveResources(remove...)
	}
	for _, r := range add {
		s.sdk.AddResource(r, s.readResource)
	}
	s.resources = now
}

// modelFiles lists the model files under the models folder, sorted.
func (s *Server) modelFiles() []string {
	var out []string
	errFull := errors.New("full")
	_ = fs.WalkDir(s.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable: left out
		}
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || strings.Count(p, "/") >= maxResourceDepth) {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !isModelFormat(strings.ToLower(strings.TrimPrefix(path.Ext(p), "."))) {
			return nil
		}
		out = append(out, p)
		if len(out) >= maxResourceFiles {
			return errFull
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func resourceURI(rel string) string {
	parts := strings.Split(rel, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return ResourcePrefix + strings.Join(parts, "/")
}

func (s *Server) readResource(ctx context.Context, req *sdk.ReadResourceRequest) (*sdk.ReadResourceResult, error) {
	uri := req.Params.URI
	rel, err := s.modelPath(uri)
	if err != nil {
		return nil, sdk.ResourceNotFoundError(uri)
	}
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(rel), "."))
	if !isModelFormat(ext) {
		return nil, sdk.ResourceNotFoundError(uri)
	}
	data, err := s.readModelFile(rel)
	if err != nil {
		var nf *noFileError
		if errors.As(err, &nf) {
			return nil, sdk.ResourceNotFoundError(uri)
		}
		return nil, err
	}
	return &sdk.ReadResourceResult{Contents: []*sdk.ResourceContents{{URI: uri, MIMEType: mimeTypes[ext], Text: string(data)}}}, nil
}
