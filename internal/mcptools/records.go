package mcptools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/mcp"
	"github.com/gw-project/gw/internal/record"
	"github.com/gw-project/gw/internal/runreport"
)

// RecordsOptions say where the run records are and how much of them a
// tool may read.
type RecordsOptions struct {
	// Dir is the folder gw writes records to (gw online --record DIR) or
	// that gw mcp --records names.
	Dir string
	// MaxLine bounds one line of a record (its header holds the models);
	// 0: the record reader's default. Flag names the flag that raises it.
	MaxLine int64
	Flag    string
}

// Records adds list_records and report_record: what an agent needs to
// see how the runs of this gw went, and why one failed.
func Records(o RecordsOptions) mcp.Extension {
	return func(r *mcp.Registry) {
		s := mcp.InputSchema[listIn]()
		one, most := 1.0, float64(maxListed)
		s.Properties["limit"].Minimum, s.Properties["limit"].Maximum = &one, &most
		mcp.AddTool(r, &sdk.Tool{
			Name: "list_records",
			Description: "List the run records of this gw, newest first: one per offline run with --record, per WebSocket session start and per REST load or restart of gw online --record. " +
				"Each entry gives the file name (for report_record), when the run started, the service and client, the models, the seed, the steps and the verdict (passed, failed, stopped, cut by a limit, or unfinished when gw was killed).",
			InputSchema: s,
			Annotations: mcp.ReadOnly("List run records"),
		}, func(ctx context.Context, in listIn) (listOut, error) { return listRecords(ctx, o, in) })
		mcp.AddTool(r, &sdk.Tool{
			Name: "report_record",
			Description: "Report one run record (a file name from list_records): its verdict, the statistics and requirements per model, and every failure with the steps and data before it. " +
				"The text content is the Markdown report gw report --markdown writes; replay the run with gw replay FILE, or find the shortest walk to its failure with gw shrink FILE.",
			Annotations: mcp.ReadOnly("Report a run record"),
		}, func(ctx context.Context, in reportIn) (reportOut, error) {
			return reportRecord(o, in, r.Options().MaxMessageBytes/4)
		})
	}
}

// maxListed is the most records list_records returns.
const maxListed = 200

type listIn struct {
	Limit int `json:"limit,omitempty" jsonschema:"the most records to list, newest first (default 20)"`
}

// RecordInfo is one record as list_records shows it.
type RecordInfo struct {
	File     string   `json:"file" jsonschema:"the record's file name in the records folder: give it to report_record"`
	Bytes    int64    `json:"bytes"`
	Start    string   `json:"start,omitempty" jsonschema:"when the run started (RFC 3339)"`
	Service  string   `json:"service,omitempty" jsonschema:"offline, websocket, rest or mcp"`
	Client   string   `json:"client,omitempty"`
	Seed     int64    `json:"seed"`
	Models   []string `json:"models"`
	Steps    int      `json:"steps"`
	Verdict  string   `json:"verdict" jsonschema:"passed, failed, stopped, limit, or unfinished (no end line: gw was killed or the run is still going)"`
	Reason   string   `json:"reason,omitempty"`
	Problems string   `json:"problem,omitempty" jsonschema:"why the record could not be read"`
}

type listOut struct {
	Dir     string       `json:"dir"`
	Total   int          `json:"total" jsonschema:"records in the folder"`
	Records []RecordInfo `json:"records"`
}

func listRecords(ctx context.Context, o RecordsOptions, in listIn) (listOut, error) {
	limit := in.Limit
	if limit <= 0 {
		limit = 20
	}
	entries, err := os.ReadDir(o.Dir)
	if err != nil {
		return listOut{}, fmt.Errorf("list_records: the records folder: %v", err)
	}
	type file struct {
		name string
		info os.FileInfo
	}
	var files []file
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".jsonl") {
			continue
		}
		if info, err := e.Info(); err == nil {
			files = append(files, file{e.Name(), info})
		}
	}
	slices.SortFunc(files, func(a, b file) int { return b.info.ModTime().Compare(a.info.ModTime()) })
	out := listOut{Dir: o.Dir, Total: len(files), Records: []RecordInfo{}}
	for _, f := range files[:min(limit, len(files))] {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		out.Records = append(out.Records, describeRecord(o, f.name, f.info.Size()))
	}
	return out, nil
}

// describeRecord reads a record's header and its end line (from the
// file's tail: a record may be gigabytes of steps).
func describeRecord(o RecordsOptions, name string, size int64) RecordInfo {
	ri := RecordInfo{File: name, Bytes: size, Verdict: runreport.Unfinished, Models: []string{}}
	path := filepath.Join(o.Dir, name)
	rd, err := record.OpenWith(path, record.ReadOptions{MaxLine: o.MaxLine, Flag: o.Flag})
	if err != nil {
		ri.Verdict, ri.Problems = "", err.Error()
		return ri
	}
	h := rd.Header
	rd.Close()
	ri.Start, ri.Service, ri.Seed = h.Start, h.Service, h.Seed
	ri.Client = h.Client
	for _, m := range h.Models {
		ri.Models = append(ri.Models, m.Name)
	}
	if end, n, ok := tailEnd(path); ok {
		ri.Verdict, ri.Reason, ri.Steps = end.Verdict, end.Reason, end.N
	} else {
		ri.Steps = n
	}
	return ri
}

// tailEnd finds the end line in the last 64 KiB of a record; without one
// it returns the number of the last step seen there.
func tailEnd(path string) (end record.End, lastStep int, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return end, 0, false
	}
	defer f.Close()
	const tail = 64 << 10
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return end, 0, false
	}
	off := max(0, st.Size()-tail)
	buf := make([]byte, st.Size()-off)
	if _, err := f.ReadAt(buf, off); err != nil && !errors.Is(err, io.EOF) {
		return end, 0, false
	}
	lines := bytes.Split(bytes.TrimRight(buf, "\n"), []byte("\n"))
	for i := len(lines) - 1; i >= 0; i-- {
		var l struct {
			Type string `json:"type"`
			N    int    `json:"n"`
		}
		if json.Unmarshal(lines[i], &l) != nil {
			continue // the torn last line, or the first, cut by the tail
		}
		if l.Type == "end" {
			return end, l.N, json.Unmarshal(lines[i], &end) == nil
		}
		if l.Type == "step" && lastStep == 0 {
			lastStep = l.N
		}
	}
	return end, lastStep, false
}

type reportIn struct {
	File string `json:"file" jsonschema:"a record's file name, as list_records gives it"`
}

// ModelReport is one model of a reported run.
type ModelReport struct {
	Name            string               `json:"name"`
	Status          string               `json:"status,omitempty"`
	Steps           int                  `json:"steps"`
	Vertices        int                  `json:"vertices"`
	VisitedVertices int                  `json:"visited_vertices"`
	Edges           int                  `json:"edges"`
	VisitedEdges    int                  `json:"visited_edges"`
	Requirements    []record.Requirement `json:"requirements,omitempty"`
}

// FailureReport is one failure of a reported run.
type FailureReport struct {
	Kind    string `json:"kind" jsonschema:"fail (the test failed the step) or error (a script error or a limit)"`
	Step    int    `json:"step"`
	Element string `json:"element,omitempty"`
	Text    string `json:"text"`
}

type reportOut struct {
	File     string          `json:"file"`
	Verdict  string          `json:"verdict"`
	Reason   string          `json:"reason,omitempty"`
	Steps    int             `json:"steps"`
	Seconds  float64         `json:"seconds"`
	Models   []ModelReport   `json:"models"`
	Failures []FailureReport `json:"failures"`
	Replay   string          `json:"replay" jsonschema:"the command that walks the run again (gw replay, or gw online --replay for a session of gw online)"`

	markdown string
}

// ToolContent makes the Markdown report the text the agent reads.
func (r reportOut) ToolContent() []sdk.Content {
	return []sdk.Content{&sdk.TextContent{Text: r.markdown}}
}

func reportRecord(o RecordsOptions, in reportIn, maxText int64) (reportOut, error) {
	name := in.File
	if name == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") {
		return reportOut{}, fmt.Errorf("report_record: %q is not a record's file name; give one that list_records returned (a name, not a path)", in.File)
	}
	path := filepath.Join(o.Dir, name)
	run, err := runreport.SummarizeWith(path, record.ReadOptions{MaxLine: o.MaxLine, Flag: o.Flag})
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return reportOut{}, fmt.Errorf("report_record: no record %q in the records folder; list_records lists them", name)
		}
		return reportOut{}, fmt.Errorf("report_record: %v", err)
	}
	var md bytes.Buffer
	if err := runreport.Markdown(&md, []*runreport.Run{run}); err != nil {
		return reportOut{}, fmt.Errorf("report_record: %v", err)
	}
	if maxText > 0 && int64(md.Len()) > maxText {
		// The structured result still has every failure.
		md.Truncate(int(maxText))
		md.WriteString("\n\n… (cut: the report is longer than a quarter of --max-message; gw report --markdown writes all of it)\n")
	}
	out := reportOut{
		File: name, Verdict: run.Verdict, Reason: run.Reason, Steps: run.Steps, Seconds: run.Millis / 1000,
		Models: []ModelReport{}, Failures: []FailureReport{}, Replay: run.ReplayCommand(), markdown: md.String(),
	}
	for _, m := range run.Models {
		out.Models = append(out.Models, ModelReport{
			Name: m.Model.Name, Status: m.Status, Steps: m.Steps,
			Vertices: len(m.Model.Vertices), VisitedVertices: m.VisitedVertices(),
			Edges: len(m.Model.Edges), VisitedEdges: m.VisitedEdges(), Requirements: m.Requirements,
		})
	}
	for _, f := range run.Failures {
		fr := FailureReport{Kind: f.Kind, Step: f.N, Text: f.Text}
		if f.Model >= 0 && f.Model < len(run.Models) {
			fr.Element = run.Models[f.Model].Model.Describe(f.Element)
		}
		out.Failures = append(out.Failures, fr)
	}
	return out, nil
}
