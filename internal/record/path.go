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
	// The lines made so far, each with its newline, end to end in text;
	// at[k][el] is where element el's line is (its offset<<32 | its
	// length), 0 until it is made. No pointer per element: a large model's
	// table adds nothing for the collector to scan.
	text []byte
	at   [][]uint64
	buf  []byte
	n    int
	err  atomic.Pointer[error]
}

func newPathPrinter(out *PathOutput, models []*model.Model) *pathPrinter {
	if out == nil {
		return nil
	}
	p := &pathPrinter{out: *out, models: models, at: make([][]uint64, len(models))}
	for k, m := range models {
		p.at[k] = make([]uint64, m.NumElements())
	}
	return p
}

// pathFlushAt is how much of the path the writer gathers before writing:
// more than gw offline's 64 KB output buffer holds, so that the buffer
// passes a batch straight to the file instead of copying it once more.
const pathFlushAt = 64 << 10

// step prints element el of model k.
func (p *pathPrinter) step(k, el int32) {
	at := p.at[k][el]
	if at == 0 {
		start := len(p.text)
		p.text = append(p.out.Line(p.text, p.models[k], model.Element(el)), '\n')
		at = uint64(start)<<32 | uint64(len(p.text)-start)
		p.at[k][el] = at
	}
	start := at >> 32
	p.buf = append(p.buf, p.text[start:start+at&(1<<32-1)]...)
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
