package record

import (
	"encoding/json"
	"strconv"

	"github.com/gw-project/gw/internal/jsonx"
	"github.com/gw-project/gw/internal/model"
)

// kind is what a line is.
type kind uint8

const (
	kStep kind = iota
	kSetData
	kFail
	kError
	kEnd
)

var kindNames = [...]string{kStep: "step", kSetData: "setData", kFail: "fail", kError: "error", kEnd: "end"}

// entry is one line before it is encoded; the walker fills it, the
// writer encodes it.
type entry struct {
	kind        kind
	hasData     bool
	dataSkipped bool
	entered     bool // error lines: the machine had entered the element
	hasElement  bool // fail and error lines name an element
	model       int32
	el          int32
	n           int64
	visits      int64
	t           float64 // milliseconds since start
	x           *extra  // what most steps do not have; keeps the ring's slots small
}

type extra struct {
	data    Data
	dataErr string
	text    string
	err     string // a setData script's error
	end     *End
}

// ext returns e's extra fields, allocating them.
func (e *entry) ext() *extra {
	if e.x == nil {
		e.x = &extra{}
	}
	return e.x
}

var noExtra extra

// encoder turns entries into lines. Element names and ids are escaped
// once per run, and the numbers that change little from line to line (the
// step number, the time) are not formatted again each time: the writer
// must keep up with a walk of ten million steps a second.
type encoder struct {
	frags [][][]byte // per model, per element: `,"model":0,"id":"…","name":"…"`
	steps [][][]byte // the same followed by `,"visits":`, for step lines
	lastN int64
	nDec  []byte // lastN in decimal
	lastT float64
	tDec  []byte // lastT as written
}

// small holds the decimal forms of 0..9999 (visit counts, mostly).
var small = func() []string {
	out := make([]string, 10000)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}()

func appendCount(dst []byte, v int64) []byte {
	if v >= 0 && v < int64(len(small)) {
		return append(dst, small[v]...)
	}
	return strconv.AppendInt(dst, v, 10)
}

// stepNumber appends n, counting up from the last one in place.
func (c *encoder) stepNumber(dst []byte, n int64) []byte {
	if n == c.lastN+1 && len(c.nDec) > 0 {
		i := len(c.nDec) - 1
		for i >= 0 && c.nDec[i] == '9' {
			c.nDec[i] = '0'
			i--
		}
		if i < 0 {
			c.nDec = append([]byte{'1'}, c.nDec...)
		} else {
			c.nDec[i]++
		}
	} else {
		c.nDec = strconv.AppendInt(c.nDec[:0], n, 10)
	}
	c.lastN = n
	return append(dst, c.nDec...)
}

// time appends `,"t":T`.
func (c *encoder) time(dst []byte, t float64) []byte {
	if t != c.lastT || len(c.tDec) == 0 {
		c.tDec, c.lastT = appendMillis(append(c.tDec[:0], `,"t":`...), t), t
	}
	return append(dst, c.tDec...)
}

// plainStep appends the common line: a step without data.
func (c *encoder) plainStep(dst []byte, n int64, k, el int32, visits int64, t float64, dataSkipped bool) []byte {
	dst = append(dst, `{"type":"step","n":`...)
	dst = c.stepNumber(dst, n)
	dst = append(dst, c.steps[k][el]...)
	dst = appendCount(dst, visits)
	dst = c.time(dst, t)
	if dataSkipped {
		dst = append(dst, `,"dataSkipped":true`...)
	}
	return append(dst, "}\n"...)
}

func newEncoder(models []*model.Model) *encoder {
	e := &encoder{frags: make([][][]byte, len(models))}
	for i, m := range models {
		fs := make([][]byte, m.NumElements())
		for el := range fs {
			b := append([]byte(`,"model":`), strconv.Itoa(i)...)
			b = append(b, `,"id":`...)
			b = jsonx.AppendString(b, m.ElementID(el))
			b = append(b, `,"name":`...)
			b = jsonx.AppendString(b, m.ElementName(el))
			fs[el] = b
		}
		e.frags[i] = fs
		ss := make([][]byte, len(fs))
		for el, f := range fs {
			ss[el] = append(append([]byte(nil), f...), `,"visits":`...)
		}
		e.steps = append(e.steps, ss)
	}
	return e
}

func appendData(dst []byte, d Data) []byte {
	dst = append(dst, '{')
	for i, kv := range d {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonx.AppendString(dst, kv.Key)
		dst = append(dst, ':')
		dst = jsonx.AppendString(dst, kv.Value)
	}
	return append(dst, '}')
}

func appendMillis(dst []byte, t float64) []byte {
	if t == float64(int64(t)) {
		return strconv.AppendInt(dst, int64(t), 10)
	}
	return strconv.AppendFloat(dst, t, 'f', 3, 64)
}

// append encodes e as one line, newline included.
func (c *encoder) append(dst []byte, e *entry) []byte {
	if e.kind == kStep && e.x == nil {
		return c.plainStep(dst, e.n, e.model, e.el, e.visits, e.t, e.dataSkipped)
	}
	x := e.x
	if x == nil {
		x = &noExtra
	}
	if e.kind == kEnd {
		b, err := json.Marshal(x.end)
		if err != nil { // cannot happen: plain strings and numbers
			b = []byte(`{"type":"end","verdict":"` + x.end.Verdict + `"}`)
		}
		dst = append(dst, b...)
		return append(dst, '\n')
	}
	dst = append(dst, `{"type":"`...)
	dst = append(dst, kindNames[e.kind]...)
	dst = append(dst, `","n":`...)
	dst = c.stepNumber(dst, e.n)
	if e.kind == kStep || e.hasElement {
		dst = append(dst, c.frags[e.model][e.el]...)
	}
	if e.kind == kStep || e.kind == kError && e.entered {
		dst = append(dst, `,"visits":`...)
		dst = appendCount(dst, e.visits)
	}
	if e.entered {
		dst = append(dst, `,"entered":true`...)
	}
	if e.kind != kStep {
		dst = append(dst, `,"text":`...)
		dst = jsonx.AppendString(dst, x.text)
	}
	if x.err != "" {
		dst = append(dst, `,"error":`...)
		dst = jsonx.AppendString(dst, x.err)
	}
	dst = c.time(dst, e.t)
	if e.hasData {
		dst = append(dst, `,"data":`...)
		dst = appendData(dst, x.data)
	}
	if e.dataSkipped {
		dst = append(dst, `,"dataSkipped":true`...)
	}
	if x.dataErr != "" {
		dst = append(dst, `,"dataError":`...)
		dst = jsonx.AppendString(dst, x.dataErr)
	}
	return append(dst, "}\n"...)
}
