package script

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// join is Array.prototype.join done in Go with checks: the result may not
// exceed the length bound, nested arrays (joined through their toString)
// may not nest deeper than the script depth limit, and the deadline is
// checked as it goes. A cycle joins as "", as engines do.
func (h *hardened) join(c goja.FunctionCall) goja.Value {
	sep := ","
	if s := c.Argument(0); !goja.IsUndefined(s) {
		sep = s.String()
	}
	return h.joinWith(c.This, sep, false)
}

func (h *hardened) joinWith(this goja.Value, sep string, locale bool) goja.Value {
	vm := h.vm
	h.e.sb.check()
	o := this.ToObject(vm)
	for _, j := range h.joining {
		if j == o {
			return vm.ToValue("")
		}
	}
	if len(h.joining) >= h.e.sb.l.MaxDepth {
		panic(vm.NewGoError(depthError("", len(h.joining)+1, -1, h.e.sb.l.MaxDepth)))
	}
	n := h.lengthOf("Array.prototype.join", o)
	h.checkCount("Array.prototype.join", n, "elements")
	h.joining = append(h.joining, o)
	defer func() { h.joining = h.joining[:len(h.joining)-1] }()
	var b strings.Builder
	for i := int64(0); i < n; i++ {
		if i&255 == 255 {
			h.e.sb.check()
		}
		if i > 0 {
			b.WriteString(sep)
		}
		v := o.Get(strconv.FormatInt(i, 10))
		if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
			continue
		}
		if locale {
			if eo, ok := v.(*goja.Object); ok {
				if f, ok := goja.AssertFunction(eo.Get("toLocaleString")); ok {
					r, err := f(eo)
					if err != nil {
						panic(err)
					}
					v = r
				}
			}
		}
		b.WriteString(v.String())
		h.checkCount("Array.prototype.join", int64(b.Len()), "characters")
	}
	return vm.ToValue(b.String())
}

// flat is Array.prototype.flat with a bound on the elements it produces,
// so a shared structure (o = [o, o], forty times) cannot explode.
func (h *hardened) flat(c goja.FunctionCall) goja.Value {
	depth := 1.0
	if d := c.Argument(0); !goja.IsUndefined(d) {
		depth = d.ToFloat()
		if depth != depth {
			depth = 0
		}
	}
	var out []goja.Value
	h.flatten(&out, c.This.ToObject(h.vm), depth, nil)
	return h.vm.NewArray(anySlice(out)...)
}

// flatMap is Array.prototype.flatMap with the same bound.
func (h *hardened) flatMap(c goja.FunctionCall) goja.Value {
	f, ok := goja.AssertFunction(c.Argument(0))
	if !ok {
		panic(h.vm.NewTypeError("flatMap mapper function is not callable"))
	}
	var out []goja.Value
	h.flatten(&out, c.This.ToObject(h.vm), 1, func(v goja.Value, i int64, o *goja.Object) goja.Value {
		r, err := f(c.Argument(1), v, h.vm.ToValue(i), o)
		if err != nil {
			panic(err)
		}
		return r
	})
	return h.vm.NewArray(anySlice(out)...)
}

func (h *hardened) flatten(out *[]goja.Value, o *goja.Object, depth float64, mapper func(goja.Value, int64, *goja.Object) goja.Value) {
	h.e.sb.check()
	n := h.lengthOf("Array.prototype.flat", o)
	h.checkCount("Array.prototype.flat", n, "elements")
	for i := int64(0); i < n; i++ {
		if i&255 == 255 {
			h.e.sb.check()
		}
		key := strconv.FormatInt(i, 10)
		if !hasProperty(o, key) {
			continue
		}
		v := o.Get(key)
		if mapper != nil {
			v = mapper(v, i, o)
		}
		if eo, ok := v.(*goja.Object); ok && depth > 0 && eo.ClassName() == "Array" {
			h.flatten(out, eo, depth-1, nil)
			continue
		}
		*out = append(*out, v)
		h.checkCount("Array.prototype.flat", int64(len(*out)), "elements")
	}
}

// hasProperty is HasProperty: goja's Get answers nil for a missing
// property (and a value, possibly undefined, for a present one).
func hasProperty(o *goja.Object, key string) bool { return o.Get(key) != nil }

func anySlice(vs []goja.Value) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// wrapSourceConstructor makes Function (or the generator or async
// function constructor) check the source it is given as scripts are
// checked. The wrapper replaces the constructor its prototype points to;
// asGlobal also puts it in the global object (which costs materializing
// every global, so it waits until a script names Function).
func (h *hardened) wrapSourceConstructor(name string, asGlobal bool) {
	vm := h.vm
	var proto *goja.Object
	if name == "Function" {
		proto = h.proto("Function")
	} else {
		proto = sourceProtos(vm)[name]
	}
	if proto == nil {
		return
	}
	w := h.sourceCtors[name]
	if w == nil {
		orig, _ := proto.Get("constructor").(*goja.Object)
		if orig == nil {
			return
		}
		w = h.constructor(orig, func(args []goja.Value) {
			var b strings.Builder
			for i, a := range args {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(a.String())
				h.checkCount("new "+name, int64(b.Len()), "characters of source")
			}
			h.checkSource(b.String())
		})
		if w == nil {
			return
		}
		if h.sourceCtors == nil {
			h.sourceCtors = map[string]*goja.Object{}
		}
		h.sourceCtors[name] = w
		proto.DefineDataProperty("constructor", w, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	if asGlobal {
		vm.GlobalObject().DefineDataProperty(name, w, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
}

// constructor makes a constructor that checks its arguments and then
// builds with orig, and takes orig's place: same prototype object (so
// instanceof holds), same static properties.
func (h *hardened) constructor(orig *goja.Object, pre func([]goja.Value)) *goja.Object {
	vm := h.vm
	if orig == nil {
		return nil
	}
	w := vm.ToValue(func(call goja.ConstructorCall) *goja.Object {
		pre(call.Arguments)
		o, err := vm.New(orig, call.Arguments...)
		if err != nil {
			panic(err)
		}
		return o
	}).ToObject(vm)
	w.Set("prototype", orig.Get("prototype"))
	for _, k := range orig.GetOwnPropertyNames() {
		switch k {
		case "prototype", "length", "name":
			continue
		}
		w.DefineDataProperty(k, orig.Get(k), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	w.DefineDataProperty("name", orig.Get("name"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	w.DefineDataProperty("length", orig.Get("length"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	if p := orig.Prototype(); p != nil {
		w.SetPrototype(p)
	}
	return w
}

// wrapBufferConstructor bounds the bytes an ArrayBuffer or typed array
// constructor allocates at once.
func (h *hardened) wrapBufferConstructor(name string) {
	vm := h.vm
	orig := h.object(name)
	if orig == nil {
		return
	}
	per := int64(1)
	if b := orig.Get("BYTES_PER_ELEMENT"); b != nil && !goja.IsUndefined(b) {
		per = b.ToInteger()
	}
	maxBytes := max(h.e.sb.l.Memory/4, 1<<16)
	full := "new " + name
	w := h.constructor(orig, func(args []goja.Value) {
		if len(args) == 0 {
			return
		}
		switch a := args[0].(type) {
		case *goja.Object:
			if a.ExportType() != arrayBufferType {
				if _, iterable := goja.AssertFunction(a.GetSymbol(goja.SymIterator)); !iterable {
					h.checkLen(full, a)
				}
			}
		default:
			f := a.ToFloat()
			if f*float64(per) > float64(maxBytes) {
				panic(vm.NewGoError(h.e.sb.l.sizeError(full, int64(min(f*float64(per), 1<<62)), maxBytes, "bytes")))
			}
			if per > 1 || name != "ArrayBuffer" && name != "SharedArrayBuffer" {
				h.checkCount(full, int64(min(f, 1<<62)), "elements")
			}
		}
	})
	if w == nil {
		return
	}
	orig.Get("prototype").ToObject(vm).DefineDataProperty("constructor", w, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	vm.GlobalObject().DefineDataProperty(name, w, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

var arrayBufferType = reflect.TypeOf(goja.ArrayBuffer{})

// maxPattern bounds a regular expression's source: compiling one is not
// interruptible.
const maxPattern = 1 << 16

// wrapRegExp bounds patterns and the strings matched against them.
func (h *hardened) wrapRegExp(orig *goja.Object) {
	vm := h.vm
	check := func(args []goja.Value) {
		if len(args) == 0 {
			return
		}
		src := args[0]
		if o, ok := src.(*goja.Object); ok && o.ClassName() == "RegExp" {
			src = o.Get("source")
		}
		s := src.String()
		if len(s) > maxPattern {
			panic(vm.NewGoError(h.e.sb.l.sizeError("RegExp", int64(len(s)), maxPattern, "characters of pattern")))
		}
		if d := patternDepth(s); d > h.e.sb.l.MaxDepth {
			panic(vm.NewGoError(depthError("", d, -1, h.e.sb.l.MaxDepth)))
		}
	}
	w := h.constructor(orig, check)
	if w == nil {
		return
	}
	proto := orig.Get("prototype").ToObject(vm)
	proto.DefineDataProperty("constructor", w, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	vm.GlobalObject().DefineDataProperty("RegExp", w, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	h.wrap(proto, "compile", "RegExp.prototype.compile", func(c goja.FunctionCall) { check(c.Arguments) })
	arg := func(name string) func(goja.FunctionCall) {
		return func(c goja.FunctionCall) { h.checkCount(name, h.strLen(c.Argument(0)), "characters") }
	}
	h.wrap(proto, "exec", "RegExp.prototype.exec", arg("RegExp.prototype.exec"))
	h.wrap(proto, "test", "RegExp.prototype.test", arg("RegExp.prototype.test"))
	for _, sym := range []*goja.Symbol{goja.SymMatch, goja.SymMatchAll, goja.SymSearch, goja.SymSplit} {
		h.wrapSymbol(proto, sym, "["+sym.String()+"]", arg("RegExp.prototype["+sym.String()+"]"))
	}
	h.wrapSymbol(proto, goja.SymReplace, "[Symbol.replace]", func(c goja.FunctionCall) {
		n := h.strLen(c.Argument(0))
		h.checkCount("RegExp.prototype[Symbol.replace]", n, "characters")
		if s, ok := c.Argument(1).(goja.String); ok {
			h.checkCount("RegExp.prototype[Symbol.replace]", (n+1)*int64(max(s.Length(), 1)), "characters")
		}
	})
}

// patternDepth is the nesting of groups in a regular expression.
func patternDepth(s string) int {
	depth, maxDepth, inClass := 0, 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '[':
			inClass = true
		case ']':
			inClass = false
		case '(':
			if !inClass {
				depth++
				maxDepth = max(maxDepth, depth)
			}
		case ')':
			if !inClass && depth > 0 {
				depth--
			}
		}
	}
	return maxDepth
}

// jsonDepth is the nesting of arrays and objects in JSON text; strings are
// skipped exactly, so the bound is tight.
func jsonDepth(s string) int {
	depth, maxDepth := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			depth++
			maxDepth = max(maxDepth, depth)
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return maxDepth
}

// goja has no async generators.
var sourceProtoProgram = goja.MustCompile("", `[Object.getPrototypeOf(function*(){}), Object.getPrototypeOf(async function(){})]`, false)

// sourceProtos finds the prototypes of generator and async functions,
// which only literals reach.
func sourceProtos(vm *goja.Runtime) map[string]*goja.Object {
	v, err := vm.RunProgram(sourceProtoProgram)
	if err != nil {
		return nil
	}
	a := v.ToObject(vm)
	out := map[string]*goja.Object{}
	for i, name := range []string{"GeneratorFunction", "AsyncFunction"} {
		if o, ok := a.Get(strconv.Itoa(i)).(*goja.Object); ok {
			out[name] = o
		}
	}
	return out
}
