package record

import (
	"sync/atomic"

	"github.com/gw-project/gw/internal/model"
)

// PathOutput is gw offline's default output, a line per step, printed by
// a Run's writer goroutine rather than by the walker: the walker then
// hands each step over once, for the path and the record alike, and a
// step costs it an 8-byte slot instead of an encoded and written line.
type PathOutput struct {
	// Line appends element el's line, without its newline. It runs on
	// the writer goroutine during the walk, so it may read only the model.
	Line func(dst []byte, m *model.Model, el model.Element) []byte
	// Write writes whole lines, n of them. Its first error stops the
	// walk (the machine is aborted with it); later lines are dropped.
	Write func(lines []byte, n int) error
}

// pathPrinter is a PathOutput on the writer goroutine.
type pathPrinter struct {
	out    PathOutput
	models []*model.Model
	lines  [][][]byte // per model, per element: its line and newline, made on first use
	buf    []byte
	n      int
	err    atomic.Pointer[error]
}

func newPathPrinter(out *PathOutput, models []*model.Model) *pathPrinter {
	if out == nil {
		return nil
	}
	p := &pathPrinter{out: *out, models: models, lines: make([][][]byte, len(models))}
	for k, m := range models {
		p.lines[k] = make([][]byte, m.NumElements())
	}
	return p
}

// pathFlushAt is how much of the path the writer gathers before writing.
const pathFlushAt = 32 << 10

// step prints element el of model k.
func (p *pathPrinter) step(k, el int32) {
	l := p.lines[k][el]
	if l == nil {
		l = append(p.out.Line(nil, p.models[k], model.Element(el)), '\n')
		p.lines[k][el] = l
	}
	p.buf = append(p.buf, l...)
	p.n++
	if len(p.buf) >= pathFlushAt {
		p.flush()
	}
}

// flush writes the lines gathered, or drops them after an error.
func (p *pathPrinter) flush() {
	if len(p.buf) == 0 {
		return
	}
	if p.err.Load() == nil {
		if err := p.out.Write(p.buf, p.n); err != nil {
			p.err.Store(&err)
		}
	}
	p.buf, p.n = p.buf[:0], 0
}

// failed is the first write error, or nil; safe from any goroutine.
func (p *pathPrinter) failed() error {
	if p == nil {
		return nil
	}
	if err := p.err.Load(); err != nil {
		return *err
	}
	return nil
}
