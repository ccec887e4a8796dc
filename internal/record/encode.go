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
// once per run.
type encoder struct {
	frags [][][]byte // per model, per element: `,"model":0,"id":"…","name":"…"`
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
	dst = strconv.AppendInt(dst, e.n, 10)
	if e.kind == kStep || e.hasElement {
		dst = append(dst, c.frags[e.model][e.el]...)
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
	dst = append(dst, `,"t":`...)
	dst = appendMillis(dst, e.t)
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
