package script

import (
	"math"
	"strconv"

	"github.com/dop251/goja"
)

// stringify is JSON.stringify (ECMA-262, SerializeJSONProperty and its
// helpers) with bounds: the text may not grow past max bytes, nesting past
// the script depth limit, and the deadline is checked as it goes. It runs
// inside a goja call, so the toJSON methods, getters and replacer it calls
// are interruptible. It returns nil for undefined. name, when not "",
// names the data variable in limit errors.
func (h *hardened) stringify(v, replacer goja.Value, gap string, max int64, name string) (*string, error) {
	s := &jsonState{h: h, max: max, gap: gap, name: name}
	if r, ok := replacer.(*goja.Object); ok {
		if f, ok := goja.AssertFunction(r); ok {
			s.replacerFn = f
		} else if r.ClassName() == "Array" {
			s.keys = []string{}
			seen := map[string]bool{}
			n := h.lengthOf("JSON.stringify", r)
			h.checkCount("JSON.stringify", n, "elements")
			for i := int64(0); i < n; i++ {
				e := r.Get(strconv.FormatInt(i, 10))
				var k string
				switch x := e.(type) {
				case goja.String:
					k = x.String()
				case *goja.Object:
					if c := x.ClassName(); c != "String" && c != "Number" {
						continue
					}
					k = x.String()
				default:
					if e == nil || goja.IsUndefined(e) || goja.IsNull(e) {
						continue
					}
					if _, isNum := e.Export().(bool); isNum {
						continue
					}
					k = e.String()
				}
				if !seen[k] {
					seen[k] = true
					s.keys = append(s.keys, k)
				}
			}
		}
	}
	wrapper := h.vm.NewObject()
	wrapper.Set("", v)
	if !s.property(wrapper, "", v) {
		return nil, nil
	}
	if s.err != nil {
		return nil, s.err
	}
	out := string(s.b)
	return &out, nil
}

type jsonState struct {
	h          *hardened
	b          []byte
	max        int64
	gap        string
	indent     string
	name       string
	replacerFn goja.Callable
	keys       []string // the replacer's property list; nil without one
	stack      []*goja.Object
	items      int
	err        error
}

func (s *jsonState) tooBig() {
	if int64(len(s.b)) <= s.max {
		return
	}
	var err error
	if s.name != "" {
		err = dataError(s.name, int(s.max))
	} else {
		err = s.h.e.sb.l.sizeError("JSON.stringify", int64(len(s.b)), s.max, "characters")
	}
	panic(s.h.vm.NewGoError(err))
}

func (s *jsonState) call(f goja.Callable, this goja.Value, args ...goja.Value) goja.Value {
	v, err := f(this, args...)
	if err != nil {
		panic(err)
	}
	return v
}

// property serializes holder[key] = v; it writes nothing and returns false
// when the value is undefined, a function or a symbol.
func (s *jsonState) property(holder *goja.Object, key string, v goja.Value) bool {
	s.items++
	if s.items&127 == 0 {
		s.h.e.sb.check()
	}
	vm := s.h.vm
	if o, ok := v.(*goja.Object); ok {
		if f, ok := goja.AssertFunction(o.Get("toJSON")); ok {
			v = s.call(f, o, vm.ToValue(key))
		}
	}
	if s.replacerFn != nil {
		v = s.call(s.replacerFn, holder, vm.ToValue(key), v)
	}
	if o, ok := v.(*goja.Object); ok {
		switch o.ClassName() {
		case "Number":
			v = vm.ToValue(o.ToNumber())
		case "String":
			v = vm.ToValue(o.String())
		case "Boolean":
			v = vm.ToValue(o.ToBoolean() && o.String() == "true")
		}
	}
	switch {
	case v == nil || goja.IsUndefined(v):
		return false
	case goja.IsNull(v):
		s.b = append(s.b, "null"...)
		return true
	}
	var prim any
	if _, isObj := v.(*goja.Object); !isObj {
		prim = v.Export()
	}
	switch x := prim.(type) {
	case bool:
		if x {
			s.b = append(s.b, "true"...)
		} else {
			s.b = append(s.b, "false"...)
		}
		return true
	case string:
		if _, isStr := v.(goja.String); isStr {
			s.b = quote(s.b, x)
			s.tooBig()
			return true
		}
	case int64:
		s.b = append(s.b, strconv.FormatInt(x, 10)...)
		return true
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			s.b = append(s.b, "null"...)
		} else {
			s.b = append(s.b, v.String()...)
		}
		return true
	}
	o, ok := v.(*goja.Object)
	if !ok {
		if _, isSym := v.(*goja.Symbol); isSym {
			return false
		}
		if v.ExportType() != nil && v.ExportType().String() == "*big.Int" {
			panic(vm.NewTypeError("Do not know how to serialize a BigInt"))
		}
		s.b = append(s.b, v.String()...)
		return true
	}
	if _, isFn := goja.AssertFunction(o); isFn {
		return false
	}
	for _, p := range s.stack {
		if p == o {
			panic(vm.NewTypeError("Converting circular structure to JSON"))
		}
	}
	if len(s.stack) >= s.h.e.sb.l.MaxDepth {
		panic(vm.NewGoError(depthError("", len(s.stack)+1, -1, s.h.e.sb.l.MaxDepth)))
	}
	s.stack = append(s.stack, o)
	stepback := s.indent
	s.indent += s.gap
	if o.ClassName() == "Array" {
		s.array(o)
	} else {
		s.object(o)
	}
	s.indent = stepback
	s.stack = s.stack[:len(s.stack)-1]
	return true
}

func (s *jsonState) newline() {
	if s.gap != "" {
		s.b = append(s.b, '\n')
		s.b = append(s.b, s.indent...)
	}
}

func (s *jsonState) object(o *goja.Object) {
	keys := s.keys
	if keys == nil {
		keys = o.Keys()
	}
	s.b = append(s.b, '{')
	any := false
	for _, k := range keys {
		mark := len(s.b)
		if any {
			s.b = append(s.b, ',')
		}
		s.newline()
		s.b = quote(s.b, k)
		s.b = append(s.b, ':')
		if s.gap != "" {
			s.b = append(s.b, ' ')
		}
		if s.property(o, k, o.Get(k)) {
			any = true
			s.tooBig()
		} else {
			s.b = s.b[:mark]
		}
	}
	if any && s.gap != "" {
		s.b = append(s.b, '\n')
		s.b = append(s.b, s.indent[:len(s.indent)-len(s.gap)]...)
	}
	s.b = append(s.b, '}')
}

func (s *jsonState) array(o *goja.Object) {
	n := s.h.lengthOf("JSON.stringify", o)
	s.b = append(s.b, '[')
	for i := int64(0); i < n; i++ {
		if i > 0 {
			s.b = append(s.b, ',')
		}
		s.newline()
		if !s.property(o, strconv.FormatInt(i, 10), o.Get(strconv.FormatInt(i, 10))) {
			s.b = append(s.b, "null"...)
		}
		s.tooBig()
	}
	if n > 0 && s.gap != "" {
		s.b = append(s.b, '\n')
		s.b = append(s.b, s.indent[:len(s.indent)-len(s.gap)]...)
	}
	s.b = append(s.b, ']')
}

// quote appends s as a JSON string (QuoteJSONString).
func quote(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			} else {
				b = append(b, c)
			}
		}
	}
	return append(b, '"')
}
