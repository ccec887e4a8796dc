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
	// frags holds, per model, each element's `,"model":0,"id":"…","name":"…"`
	// followed by `,"visits":`, end to end; element el's is from offs[el]
	// to offs[el+1]. One buffer a model rather than slices an element:
	// fewer allocations when recording starts, and nothing for the
	// collector to scan during the walk.
	frags [][]byte
	offs  [][]uint32
	lastN int64
	head  []byte // stepHead followed by lastN in decimal
	lastT float64
	tail  []byte // `,"t":T}` and a newline, T being lastT as written
}

// stepHead begins a step line; the step number follows.
const stepHead = `{"type":"step","n":`

// number makes n the step number in head, counting up from the last one
// in place.
func (c *encoder) number(n int64) {
	switch {
	case len(c.head) <= len(stepHead) || n != c.lastN && n != c.lastN+1:
		c.head = strconv.AppendInt(append(c.head[:0], stepHead...), n, 10)
	case n == c.lastN+1:
		i := len(c.head) - 1
		for i >= len(stepHead) && c.head[i] == '9' {
			c.head[i] = '0'
			i--
		}
		if i < len(stepHead) {
			// 99 → 100: all digits are now 0.
			c.head[len(stepHead)] = '1'
			c.head = append(c.head, '0')
		} else {
			c.head[i]++
		}
	}
	c.lastN = n
}

// stepNumber appends n.
func (c *encoder) stepNumber(dst []byte, n int64) []byte {
	c.number(n)
	return append(dst, c.head[len(stepHead):]...)
}

// setTime makes t the time in tail.
func (c *encoder) setTime(t float64) {
	if t != c.lastT || len(c.tail) == 0 {
		c.tail = append(appendMillis(append(c.tail[:0], `,"t":`...), t), "}\n"...)
		c.lastT = t
	}
}

// time appends `,"t":T`.
func (c *encoder) time(dst []byte, t float64) []byte {
	c.setTime(t)
	return append(dst, c.tail[:len(c.tail)-2]...)
}

// plainStep appends the common line: a step without data. visits is the
// visit count in decimal.
func (c *encoder) plainStep(dst []byte, n int64, k, el int32, visits []byte, t float64, dataSkipped bool) []byte {
	c.number(n)
	c.setTime(t)
	dst = append(dst, c.head...)
	dst = append(dst, c.stepFrag(k, el)...)
	dst = append(dst, visits...)
	if dataSkipped {
		dst = append(dst, c.tail[:len(c.tail)-2]...)
		return append(dst, `,"dataSkipped":true}`+"\n"...)
	}
	return append(dst, c.tail...)
}

// visitCount is an element's visit count, kept in decimal too: the writer
// counts up by one, and formatting counts in the hundreds of thousands
// anew was a third of its time.
type visitCount struct {
	n int64
	w uint8    // digits in use, at the end of d
	d [20]byte // int64's 19 digits and room for a carry
}

// inc counts a visit.
func (v *visitCount) inc() {
	v.n++
	if v.w == 0 || v.n <= 0 {
		b := strconv.AppendInt(v.d[:0:len(v.d)], v.n, 10)
		v.w = uint8(len(b))
		copy(v.d[len(v.d)-len(b):], b)
		return
	}
	i := len(v.d) - 1
	for v.d[i] == '9' {
		v.d[i] = '0'
		i--
	}
	if i < len(v.d)-int(v.w) {
		v.w++
		v.d[i] = '1'
	} else {
		v.d[i]++
	}
}

// text is the count in decimal (after at least one inc).
func (v *visitCount) text() []byte { return v.d[len(v.d)-int(v.w):] }

func newEncoder(models []*model.Model) *encoder {
	e := &encoder{frags: make([][]byte, len(models)), offs: make([][]uint32, len(models))}
	for i, m := range models {
		n := m.NumElements()
		offs := make([]uint32, n+1)
		b := make([]byte, 0, n*64)
		for el := range n {
			b = append(b, `,"model":`...)
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, `,"id":`...)
			b = jsonx.AppendString(b, m.ElementID(el))
			b = append(b, `,"name":`...)
			b = jsonx.AppendString(b, m.ElementName(el))
			b = append(b, visitsKey...)
			offs[el+1] = uint32(len(b))
		}
		e.frags[i], e.offs[i] = b, offs
	}
	return e
}

const visitsKey = `,"visits":`

// stepFrag is element el's fragment followed by `,"visits":`.
func (c *encoder) stepFrag(k, el int32) []byte {
	offs := c.offs[k]
	return c.frags[k][offs[el]:offs[el+1]]
}

// frag is element el's fragment: `,"model":0,"id":"…","name":"…"`.
func (c *encoder) frag(k, el int32) []byte {
	f := c.stepFrag(k, el)
	return f[:len(f)-len(visitsKey)]
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
		var v [20]byte
		return c.plainStep(dst, e.n, e.model, e.el, strconv.AppendInt(v[:0], e.visits, 10), e.t, e.dataSkipped)
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
		dst = append(dst, c.frag(e.model, e.el)...)
	}
	if e.kind == kStep || e.kind == kError && e.entered {
		dst = append(dst, `,"visits":`...)
		dst = strconv.AppendInt(dst, e.visits, 10)
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
