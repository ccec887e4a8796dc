package record

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/model"
)

// DefaultMaxLine bounds one line of a record (a header carries whole
// models) unless ReadOptions say otherwise; it is gw's --max-file-size
// default.
const DefaultMaxLine = 256 << 20

// ReadOptions bound a reader.
type ReadOptions struct {
	MaxLine int64  // longest line; 0 means DefaultMaxLine
	Flag    string // the flag that raises MaxLine, for the error; may be ""
}

// Line is one line of a record after the header: a step, setData, fail,
// error or end.
type Line struct {
	Type string // "step", "setData", "fail", "error", "end"
	N    int
	// Model and Element locate the line's element; Element is model.None
	// when the line names none.
	Model   int
	Element model.Element
	Visits  int
	Entered bool
	Text    string
	// Error is a setData script's error.
	Error string
	T     float64 // milliseconds since start
	// Data is the model's data after the line (HasData), or unknown
	// (DataSkipped, DataError).
	Data        Data
	HasData     bool
	DataSkipped bool
	DataError   string
	End         *End // the end line
}

// Reader reads a record line by line, so that records larger than memory
// can be summarised.
type Reader struct {
	Path   string
	Header Header
	// Models are the header's models, parsed and indexed.
	Models []*model.Model
	// Torn reports, once Next returned io.EOF, that the last line was
	// cut short (the writer was killed mid-line) and was skipped.
	Torn bool

	br    *bufio.Reader
	c     io.Closer
	line  int
	ids   []map[string]model.Element
	buf   []byte
	raw   rawLine
	limit ReadOptions
}

type rawLine struct {
	Type        string  `json:"type"`
	N           *int    `json:"n"`
	Model       *int    `json:"model"`
	ID          *string `json:"id"`
	Visits      int     `json:"visits"`
	Entered     bool    `json:"entered"`
	Text        string  `json:"text"`
	Error       string  `json:"error"`
	T           float64 `json:"t"`
	Data        *Data   `json:"data"`
	DataSkipped bool    `json:"dataSkipped"`
	DataError   string  `json:"dataError"`
	// end
	Verdict string     `json:"verdict"`
	Reason  string     `json:"reason"`
	Models  []ModelEnd `json:"models"`
}

// Open opens a record file and reads its header.
func Open(path string) (*Reader, error) { return OpenWith(path, ReadOptions{}) }

// OpenWith is Open with limits.
func OpenWith(path string, o ReadOptions) (*Reader, error) {
	// Stat first: opening a FIFO for reading waits for a writer, and
	// opening some devices has effects.
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (a record is a .jsonl file written by --record)", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	r, err := NewReaderWith(f, path, o)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.c = f
	return r, nil
}

// NewReader reads a record's header from rd; name is for messages.
func NewReader(rd io.Reader, name string) (*Reader, error) {
	return NewReaderWith(rd, name, ReadOptions{})
}

// NewReaderWith is NewReader with limits.
func NewReaderWith(rd io.Reader, name string, o ReadOptions) (*Reader, error) {
	if o.MaxLine <= 0 {
		o.MaxLine = DefaultMaxLine
	}
	r := &Reader{Path: name, br: bufio.NewReaderSize(rd, 1<<16), limit: o}
	line, complete, err := r.next()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: the record is empty (no header line)", name)
	}
	if err != nil {
		return nil, err
	}
	if !complete {
		return nil, fmt.Errorf("%s: the record's header line is cut short (the writer was killed before the header was written)", name)
	}
	var probe struct {
		Type          string `json:"type"`
		RecordVersion int    `json:"recordVersion"`
	}
	if err := json.Unmarshal(line, &probe); err != nil || probe.Type != "header" {
		return nil, fmt.Errorf("%s: not a gw run record (its first line is not a record header)", name)
	}
	if probe.RecordVersion > Version {
		return nil, fmt.Errorf("%s: the record has version %d, written by a newer gw; this gw reads record versions up to %d: upgrade gw to read it", name, probe.RecordVersion, Version)
	}
	if probe.RecordVersion < 1 {
		return nil, fmt.Errorf("%s: the record header has no valid recordVersion", name)
	}
	if err := json.Unmarshal(line, &r.Header); err != nil {
		return nil, fmt.Errorf("%s: line 1 (header): %v", name, err)
	}
	for i, me := range r.Header.Models {
		doc, err := gwjson.ParseMessage(append(append([]byte(`{"models":[`), me.Model...), "]}"...), name)
		if err != nil {
			return nil, fmt.Errorf("%s: header: model %d (%q): %v", name, i, me.Name, err)
		}
		if len(doc.Models) != 1 {
			return nil, fmt.Errorf("%s: header: model %d (%q) holds %d models", name, i, me.Name, len(doc.Models))
		}
		m := doc.Models[0]
		m.Generator = me.Generator
		r.Models = append(r.Models, m)
		ids := make(map[string]model.Element, m.NumElements())
		for el := m.NumElements() - 1; el >= 0; el-- { // the first of equal ids wins
			ids[m.ElementID(el)] = el
		}
		r.ids = append(r.ids, ids)
	}
	if len(r.Models) == 0 {
		return nil, fmt.Errorf("%s: the record header lists no model", name)
	}
	return r, nil
}

// Close closes the file Open opened.
func (r *Reader) Close() error {
	if r.c != nil {
		return r.c.Close()
	}
	return nil
}

// next reads one line; complete is false for a last line without its
// newline.
func (r *Reader) next() (line []byte, complete bool, err error) {
	r.buf = r.buf[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		r.buf = append(r.buf, chunk...)
		if int64(len(r.buf)) > r.limit.MaxLine {
			return nil, false, &limits.Error{What: fmt.Sprintf("%s: line %d", r.Path, r.line+1),
				Limit: "the line is longer than the limit of " + limits.FormatSize(r.limit.MaxLine), Flag: r.limit.Flag, Kind: limits.ErrSize}
		}
		switch {
		case err == nil:
			r.line++
			return bytes.TrimRight(r.buf, "\r\n"), true, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF:
			if len(r.buf) == 0 {
				return nil, false, io.EOF
			}
			r.line++
			return r.buf, false, nil
		default:
			return nil, false, err
		}
	}
}

// Next returns the next line, or io.EOF after the last. A malformed line
// is an error, unless it is the last line and cut short (Torn).
func (r *Reader) Next() (Line, error) {
	for {
		b, complete, err := r.next()
		if err != nil {
			return Line{}, err
		}
		if len(bytes.TrimSpace(b)) == 0 {
			if !complete {
				return Line{}, io.EOF
			}
			continue
		}
		l, err := r.parse(b)
		if err != nil {
			if !complete {
				r.Torn = true
				return Line{}, io.EOF
			}
			return Line{}, fmt.Errorf("%s: line %d: %v", r.Path, r.line, err)
		}
		return l, nil
	}
}

func (r *Reader) parse(b []byte) (Line, error) {
	if l, ok := r.parseStep(b); ok {
		return l, nil
	}
	return r.parseFull(b)
}

// parseFull parses any line with encoding/json.
func (r *Reader) parseFull(b []byte) (Line, error) {
	raw := &r.raw
	*raw = rawLine{}
	if err := json.Unmarshal(b, raw); err != nil {
		return Line{}, err
	}
	l := Line{Type: raw.Type, Model: -1, Element: model.None, Visits: raw.Visits, Entered: raw.Entered, Text: raw.Text, Error: raw.Error, T: raw.T,
		DataSkipped: raw.DataSkipped, DataError: raw.DataError}
	if raw.N != nil {
		l.N = *raw.N
	}
	if raw.Data != nil {
		l.Data, l.HasData = *raw.Data, true
	}
	switch raw.Type {
	case "step", "setData", "fail", "error":
		if raw.N == nil {
			return Line{}, fmt.Errorf("a %s line without its step number (n)", raw.Type)
		}
	case "end":
		l.N = 0
		if raw.N != nil {
			l.N = *raw.N
		}
		l.End = &End{Type: "end", N: l.N, Verdict: raw.Verdict, Reason: raw.Reason, T: raw.T, Models: raw.Models}
		return l, nil
	case "header":
		return Line{}, errors.New("a second header")
	default:
		// A newer minor writer may add line types; skip them.
		return Line{Type: raw.Type, Model: -1, Element: model.None}, nil
	}
	if raw.Model != nil {
		k := *raw.Model
		if k < 0 || k >= len(r.Models) {
			return Line{}, fmt.Errorf("model %d does not exist (the header lists %d)", k, len(r.Models))
		}
		l.Model = k
		if raw.ID == nil {
			return Line{}, errors.New("an element without its id")
		}
		el, ok := r.ids[k][*raw.ID]
		if !ok {
			return Line{}, fmt.Errorf("element id %q is not in model %d (%q)", *raw.ID, k, r.Models[k].Name)
		}
		l.Element = el
	} else if raw.Type == "step" {
		return Line{}, errors.New("a step without its model")
	}
	return l, nil
}

// Step is a step line, kept compact: records hold millions.
type Step struct {
	N           int
	Model       int32
	Element     int32
	Visits      int32
	HasData     bool
	DataSkipped bool
	T           float64
	Data        Data
	DataError   string
}

// Loc is where the step was.
func (s *Step) Loc() (modelIndex int, el model.Element) {
	return int(s.Model), model.Element(s.Element)
}

// Record is a whole record in memory.
type Record struct {
	Path   string
	Header Header
	Models []*model.Model
	Steps  []Step // step lines, in order
	Events []Line // setData, fail and error lines, in order
	End    *End   // nil when the run did not finish (killed, crashed)
	Torn   bool   // the last line was cut short and skipped
}

// ReadFile reads a whole record.
func ReadFile(path string) (*Record, error) { return ReadFileWith(path, ReadOptions{}) }

// ReadFileWith is ReadFile with limits.
func ReadFileWith(path string, o ReadOptions) (*Record, error) {
	r, err := OpenWith(path, o)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return readAll(r)
}

// Read reads a whole record from rd.
func Read(rd io.Reader, name string) (*Record, error) {
	r, err := NewReader(rd, name)
	if err != nil {
		return nil, err
	}
	return readAll(r)
}

func readAll(r *Reader) (*Record, error) {
	rec := &Record{Path: r.Path, Header: r.Header, Models: r.Models}
	for {
		l, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch l.Type {
		case "step":
			rec.Steps = append(rec.Steps, Step{N: l.N, Model: int32(l.Model), Element: int32(l.Element), Visits: int32(min(l.Visits, 1<<31-1)),
				HasData: l.HasData, DataSkipped: l.DataSkipped, T: l.T, Data: l.Data, DataError: l.DataError})
		case "setData", "fail", "error":
			rec.Events = append(rec.Events, l)
		case "end":
			rec.End = l.End
		}
	}
	rec.Torn = r.Torn
	return rec, nil
}
