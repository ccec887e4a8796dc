package script

import (
	"math"
	"reflect"
	"strings"
	"time"

	"github.com/dlclark/regexp2/v2"
	"github.com/dop251/goja"
)

// goja interrupts scripts between instructions, never inside a built-in
// function written in Go, and it has no heap limit. So the built-ins whose
// cost grows with a length the script chooses — `new Array(2e9).indexOf(1)`,
// `'x'.repeat(1e9)`, `Array.from({length: 1e8})`, a spread of a sparse
// array, JSON of a shared structure — are replaced, per scope, by versions
// that refuse lengths over the sandbox's bound (Limits.maxLen: one call is
// then bounded in time and memory) or that do their work in Go with
// deadline checks (join, JSON.stringify, flat). What the script can still
// grow step by step (s = s + s; pushing in a loop) is interruptible and is
// watched by the sandbox's memory sampler.

// regexTimeout bounds one regular-expression match of goja's backtracking
// engine (regexp2). goja reports a timed-out match as "no match", so the
// bound is kept above every operation's deadline: by the time a match times
// out the operation has been stopped, and its false result is never seen.
var regexTimeout = DefaultTimeout + 10*tick

func init() { regexp2.DefaultMatchTimeout = regexTimeout }

// SetMaxTimeout must be called, before any script compiles a regular
// expression, with the longest operation deadline the process will use
// when it is longer than DefaultTimeout (gw does it when it reads
// --script-timeout).
func SetMaxTimeout(d time.Duration) {
	if d+10*tick > regexp2.DefaultMatchTimeout {
		regexp2.DefaultMatchTimeout = d + 10*tick
	}
}

var proxyType = reflect.TypeOf(goja.Proxy{})

// hardened is one scope's replaced built-ins.
type hardened struct {
	e      *Env
	vm     *goja.Runtime
	maxLen int64

	display goja.Callable
	pending func()
	joining []*goja.Object // arrays being joined, for cycles

	done        group
	sourceCtors map[string]*goja.Object // the wrapped Function constructors

	getOwnPropertyDescriptor native
	typedLength              *goja.Object // %TypedArray%.prototype's length getter
}

type native = func(goja.FunctionCall) goja.Value

// Groups of built-ins hardened together. goja builds its built-ins lazily
// and a scope that never runs a script needs none of this, so a scope is
// hardened at its first script, and then only in the groups that script
// can reach: base (what literals reach: arrays, strings, functions,
// Object's statics) always, the others when the script names them (JSON,
// Uint8Array, …), has a regular expression, or could reach the global
// object by other means (this, globalThis, eval, Function: then all).
type group uint16

const (
	groupBase group = 1 << iota
	groupRegExp
	groupJSON
	groupReflect
	groupTyped
	groupGlobalFunctions
	groupEval
	groupGenerators
	groupAll = 1<<iota - 1
)

func newHardened(e *Env) *hardened {
	vm := e.vm
	h := &hardened{e: e, vm: vm, maxLen: e.sb.maxLen}
	h.display, _ = goja.AssertFunction(vm.ToValue(func(goja.FunctionCall) goja.Value {
		f := h.pending
		h.pending = nil
		f()
		return goja.Undefined()
	}))
	return h
}

// ensure hardens the groups in need that are not hardened yet.
func (h *hardened) ensure(need group) {
	need |= groupBase
	if h.done&need == need {
		return
	}
	todo := need &^ h.done
	h.done |= todo
	if todo&groupBase != 0 {
		h.hardenArray()
		h.hardenString()
		h.hardenObject()
		h.hardenApply()
		h.wrapSourceConstructor("Function", false)
	}
	if todo&groupRegExp != 0 {
		h.hardenRegExp()
	}
	if todo&groupJSON != 0 {
		h.hardenJSON()
	}
	if todo&groupReflect != 0 {
		h.hardenReflect()
	}
	if todo&groupTyped != 0 {
		h.hardenTyped()
	}
	if todo&groupGlobalFunctions != 0 {
		h.hardenGlobalFunctions()
	}
	if todo&groupEval != 0 {
		h.hardenEval()
	}
	if todo&groupGenerators != 0 {
		h.wrapSourceConstructor("GeneratorFunction", false)
		h.wrapSourceConstructor("AsyncFunction", false)
	}
}

// groupWords are the global names that reach a group.
var groupWords = map[string]group{
	"RegExp": groupRegExp, "JSON": groupJSON, "Reflect": groupReflect,
	"ArrayBuffer": groupTyped, "SharedArrayBuffer": groupTyped, "DataView": groupTyped, "Int8Array": groupTyped,
	"Uint8Array": groupTyped, "Uint8ClampedArray": groupTyped, "Int16Array": groupTyped, "Uint16Array": groupTyped,
	"Int32Array": groupTyped, "Uint32Array": groupTyped, "Float32Array": groupTyped, "Float64Array": groupTyped,
	"BigInt64Array": groupTyped, "BigUint64Array": groupTyped, "Float16Array": groupTyped,
	"escape": groupGlobalFunctions, "unescape": groupGlobalFunctions, "encodeURI": groupGlobalFunctions,
	"encodeURIComponent": groupGlobalFunctions, "decodeURI": groupGlobalFunctions, "decodeURIComponent": groupGlobalFunctions,
	"async": groupGenerators, "await": groupGenerators,
	"this": groupAll, "globalThis": groupAll, "eval": groupAll, "Function": groupAll, "global": groupAll,
}

func (h *hardened) hardenArray() {
	vm := h.vm
	arrayProto := h.proto("Array")
	for _, name := range []string{"at", "copyWithin", "entries", "every", "fill", "filter", "find", "findIndex",
		"findLast", "findLastIndex", "forEach", "includes", "indexOf", "keys", "lastIndexOf", "map", "pop",
		"reduce", "reduceRight", "reverse", "shift", "slice", "some", "sort", "splice", "toReversed",
		"toSorted", "toSpliced", "values", "with"} {
		h.wrap(arrayProto, name, "Array.prototype."+name, h.thisLen("Array.prototype."+name))
	}
	h.wrap(arrayProto, "push", "Array.prototype.push", func(c goja.FunctionCall) {
		h.checkCount("Array.prototype.push", h.lengthOf("Array.prototype.push", c.This)+int64(len(c.Arguments)), "elements")
	})
	h.wrap(arrayProto, "unshift", "Array.prototype.unshift", func(c goja.FunctionCall) {
		h.checkCount("Array.prototype.unshift", h.lengthOf("Array.prototype.unshift", c.This)+int64(len(c.Arguments)), "elements")
	})
	h.wrap(arrayProto, "concat", "Array.prototype.concat", func(c goja.FunctionCall) {
		n := h.lengthOf("Array.prototype.concat", c.This)
		for _, a := range c.Arguments {
			if o, ok := a.(*goja.Object); ok && o.ClassName() == "Array" {
				n += h.lengthOf("Array.prototype.concat", a)
			} else {
				n++
			}
			h.checkCount("Array.prototype.concat", n, "elements")
		}
	})
	// The iterator behind spreads, for…of and Array.from of an array.
	if values := arrayProto.Get("values"); values != nil {
		arrayProto.DefineDataPropertySymbol(goja.SymIterator, values, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	h.set(arrayProto, "join", "join", 1, h.join)
	h.set(arrayProto, "toString", "toString", 0, func(c goja.FunctionCall) goja.Value {
		o := c.This.ToObject(vm)
		if j, ok := goja.AssertFunction(o.Get("join")); ok {
			v, err := j(o)
			if err != nil {
				panic(err)
			}
			return v
		}
		return vm.ToValue("[object " + o.ClassName() + "]")
	})
	h.set(arrayProto, "toLocaleString", "toLocaleString", 0, func(c goja.FunctionCall) goja.Value {
		return h.joinWith(c.This, ",", true)
	})
	h.set(arrayProto, "flat", "flat", 0, h.flat)
	h.set(arrayProto, "flatMap", "flatMap", 1, h.flatMap)

	array := vm.Get("Array").ToObject(vm)
	h.wrap(array, "from", "Array.from", func(c goja.FunctionCall) {
		if len(c.Arguments) > 0 {
			if o, ok := c.Arguments[0].(*goja.Object); ok {
				if _, iterable := goja.AssertFunction(o.GetSymbol(goja.SymIterator)); !iterable {
					h.checkLen("Array.from", o)
				}
			} else if s, ok := c.Arguments[0].(goja.String); ok {
				h.checkCount("Array.from", int64(s.Length()), "characters")
			}
		}
	})

}

func (h *hardened) hardenString() {
	stringProto := h.proto("String")
	thisStr := func(name string) func(goja.FunctionCall) {
		return func(c goja.FunctionCall) { h.checkCount(name, h.strLen(c.This), "characters") }
	}
	for _, name := range []string{"normalize", "localeCompare", "toLocaleLowerCase", "toLocaleUpperCase"} {
		h.wrap(stringProto, name, "String.prototype."+name, thisStr("String.prototype."+name))
	}
	// These may build a RegExp from a string, or call one's methods.
	for _, name := range []string{"split", "match", "matchAll", "search"} {
		check := thisStr("String.prototype." + name)
		h.wrap(stringProto, name, "String.prototype."+name, func(c goja.FunctionCall) {
			check(c)
			h.ensure(groupRegExp)
		})
	}
	h.wrap(stringProto, "repeat", "String.prototype.repeat", func(c goja.FunctionCall) {
		n := h.strLen(c.This)
		count := c.Argument(0).ToFloat()
		if n > 0 && count > 0 && !math.IsInf(count, 1) {
			h.checkCount("String.prototype.repeat", int64(min(float64(n)*count, math.MaxInt64/2)), "characters")
		}
	})
	pad := func(name string) func(goja.FunctionCall) {
		return func(c goja.FunctionCall) {
			if f := c.Argument(0).ToFloat(); f > 0 {
				h.checkCount(name, int64(min(f, math.MaxInt64/2)), "characters")
			}
		}
	}
	h.wrap(stringProto, "padStart", "String.prototype.padStart", pad("String.prototype.padStart"))
	h.wrap(stringProto, "padEnd", "String.prototype.padEnd", pad("String.prototype.padEnd"))
	h.wrap(stringProto, "concat", "String.prototype.concat", func(c goja.FunctionCall) {
		n := h.strLen(c.This)
		for _, a := range c.Arguments {
			if s, ok := a.(goja.String); ok {
				n += int64(s.Length())
			}
		}
		h.checkCount("String.prototype.concat", n, "characters")
	})
	replace := func(name string) func(goja.FunctionCall) {
		return func(c goja.FunctionCall) {
			h.ensure(groupRegExp)
			n := h.strLen(c.This)
			h.checkCount(name, n, "characters")
			if s, ok := c.Argument(1).(goja.String); ok {
				// Every position may match: n+1 copies of the replacement.
				h.checkCount(name, (n+1)*int64(max(s.Length(), 1)), "characters")
			}
		}
	}
	h.wrap(stringProto, "replace", "String.prototype.replace", replace("String.prototype.replace"))
	h.wrap(stringProto, "replaceAll", "String.prototype.replaceAll", replace("String.prototype.replaceAll"))
	if it := stringProto.GetSymbol(goja.SymIterator); it != nil {
		h.wrapSymbol(stringProto, goja.SymIterator, "[Symbol.iterator]", thisStr("String.prototype[Symbol.iterator]"))
	}

}

func (h *hardened) hardenGlobalFunctions() {
	vm := h.vm
	global := vm.GlobalObject()
	for _, name := range []string{"escape", "unescape", "encodeURI", "encodeURIComponent", "decodeURI", "decodeURIComponent", "parseInt", "parseFloat"} {
		h.wrap(global, name, name, func(c goja.FunctionCall) {
			h.checkCount(name, h.strLen(c.Argument(0)), "characters")
		})
	}

}

func (h *hardened) hardenApply() {
	fnProto := h.proto("Function")
	h.wrap(fnProto, "apply", "Function.prototype.apply", func(c goja.FunctionCall) {
		if a := c.Argument(1); !goja.IsUndefined(a) && !goja.IsNull(a) {
			h.checkLen("Function.prototype.apply", a)
		}
	})
}

func (h *hardened) hardenReflect() {
	if reflect := h.object("Reflect"); reflect != nil {
		h.wrap(reflect, "apply", "Reflect.apply", func(c goja.FunctionCall) { h.checkLen("Reflect.apply", c.Argument(2)) })
		h.wrap(reflect, "construct", "Reflect.construct", func(c goja.FunctionCall) { h.checkLen("Reflect.construct", c.Argument(1)) })
		h.wrap(reflect, "ownKeys", "Reflect.ownKeys", func(c goja.FunctionCall) { h.checkKeys("Reflect.ownKeys", c.Argument(0)) })
	}
}

func (h *hardened) hardenObject() {
	vm := h.vm
	object := vm.Get("Object").ToObject(vm)
	for _, name := range []string{"keys", "values", "entries", "getOwnPropertyNames", "getOwnPropertyDescriptors", "fromEntries"} {
		h.wrap(object, name, "Object."+name, func(c goja.FunctionCall) { h.checkKeys("Object."+name, c.Argument(0)) })
	}
	h.wrap(object, "assign", "Object.assign", func(c goja.FunctionCall) {
		for _, a := range c.Arguments {
			h.checkKeys("Object.assign", a)
		}
	})

}

func (h *hardened) hardenJSON() {
	vm := h.vm
	json := h.object("JSON")
	h.set(json, "stringify", "stringify", 3, func(c goja.FunctionCall) goja.Value {
		gap := ""
		switch sp := c.Argument(2).(type) {
		case goja.String:
			gap = sp.String()
			if len(gap) > 10 {
				gap = gap[:10]
			}
		default:
			if o, ok := sp.(*goja.Object); ok {
				switch o.ClassName() {
				case "Number":
					sp = vm.ToValue(o.ToNumber())
				case "String":
					gap = o.String()
					if len(gap) > 10 {
						gap = gap[:10]
					}
				}
			}
			if !goja.IsUndefined(sp) && !goja.IsNull(sp) && gap == "" {
				if f := sp.ToFloat(); f >= 1 {
					gap = strings.Repeat(" ", int(min(f, 10)))
				}
			}
		}
		s, err := h.stringify(c.Argument(0), c.Argument(1), gap, h.maxLen, "")
		if err != nil {
			panic(vm.NewGoError(err))
		}
		if s == nil {
			return goja.Undefined()
		}
		return vm.ToValue(*s)
	})
	h.wrap(json, "parse", "JSON.parse", func(c goja.FunctionCall) {
		text := c.Argument(0)
		h.checkCount("JSON.parse", h.strLen(text), "characters")
		if s, ok := text.(goja.String); ok {
			if d := jsonDepth(s.String()); d > h.e.sb.l.MaxDepth {
				panic(vm.NewGoError(depthError("", d, -1, h.e.sb.l.MaxDepth)))
			}
		}
	})

}

// checkSource refuses code built at run time (eval, new Function) that a
// model's script would be refused for, and hardens what it can reach.
func (h *hardened) checkSource(src string) {
	p, err := compile(src, h.e.sb.l)
	if err != nil {
		if _, isLimit := err.(interface{ Unwrap() error }); isLimit {
			panic(h.vm.NewGoError(err))
		}
		return // a syntax error: the original reports it
	}
	h.ensure(p.needs)
}

func (h *hardened) hardenEval() {
	vm := h.vm
	h.wrap(vm.GlobalObject(), "eval", "eval", func(c goja.FunctionCall) {
		if s, ok := c.Argument(0).(goja.String); ok {
			h.checkSource(s.String())
		}
	})
	h.wrapSourceConstructor("Function", true)
}

// hardenTyped bounds what the ArrayBuffer and typed array constructors
// allocate; every other typed array operation is then bounded by the
// array's length.
func (h *hardened) hardenTyped() {
	for _, name := range []string{"ArrayBuffer", "SharedArrayBuffer", "Int8Array", "Uint8Array", "Uint8ClampedArray",
		"Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array",
		"BigInt64Array", "BigUint64Array", "Float16Array"} {
		h.wrapBufferConstructor(name)
	}
	if ta := h.typedArrayProto(); ta != nil {
		if d := h.descriptor(ta, "length"); d != nil {
			h.typedLength, _ = d.Get("get").(*goja.Object)
		}
		h.set(ta, "join", "join", 1, h.join)
	}
}

func (h *hardened) hardenRegExp() {
	if re := h.object("RegExp"); re != nil {
		h.wrapRegExp(re)
	}
}

// thisLen is a wrap check: the receiver's length is within the bound.
func (h *hardened) thisLen(name string) func(goja.FunctionCall) {
	return func(c goja.FunctionCall) { h.checkLen(name, c.This) }
}

// callDisplay runs f inside a native call, so that getters and toJSON
// methods it runs can be interrupted and their exceptions come back as
// errors.
func (h *hardened) callDisplay(f func()) (goja.Value, error) {
	h.pending = f
	return h.display(goja.Undefined())
}

func (h *hardened) object(name string) *goja.Object {
	v := h.vm.Get(name)
	if v == nil || goja.IsUndefined(v) {
		return nil
	}
	return v.ToObject(h.vm)
}

func (h *hardened) proto(ctor string) *goja.Object {
	return h.vm.Get(ctor).ToObject(h.vm).Get("prototype").ToObject(h.vm)
}

func (h *hardened) typedArrayProto() *goja.Object {
	u8 := h.object("Uint8Array")
	if u8 == nil {
		return nil
	}
	p := u8.Get("prototype").ToObject(h.vm).Prototype()
	return p
}

// wrap replaces obj[name] with a function that runs pre, then the
// original. pre throws to refuse the call.
func (h *hardened) wrap(obj *goja.Object, name, full string, pre func(goja.FunctionCall)) {
	orig, length, ok := h.original(obj.Get(name))
	if !ok {
		return
	}
	h.set(obj, name, name, length, func(c goja.FunctionCall) goja.Value {
		pre(c)
		return orig(c)
	})
}

func (h *hardened) wrapSymbol(obj *goja.Object, sym *goja.Symbol, name string, pre func(goja.FunctionCall)) {
	orig, length, ok := h.original(obj.GetSymbol(sym))
	if !ok {
		return
	}
	f := h.fn(name, length, func(c goja.FunctionCall) goja.Value {
		pre(c)
		return orig(c)
	})
	obj.DefineDataPropertySymbol(sym, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// original returns a built-in's Go implementation, called directly so that
// its exceptions and interrupts travel as goja expects.
func (h *hardened) original(v goja.Value) (native, int64, bool) {
	o, ok := v.(*goja.Object)
	if !ok {
		return nil, 0, false
	}
	f, ok := o.Export().(func(goja.FunctionCall) goja.Value)
	if !ok {
		return nil, 0, false
	}
	return f, o.Get("length").ToInteger(), true
}

func (h *hardened) set(obj *goja.Object, key, name string, length int64, f native) {
	obj.DefineDataProperty(key, h.fn(name, length, f), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// fn makes a native function with a proper name and length, as the
// built-in it replaces had.
func (h *hardened) fn(name string, length int64, f native) *goja.Object {
	o := h.vm.ToValue(f).ToObject(h.vm)
	o.DefineDataProperty("name", h.vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	o.DefineDataProperty("length", h.vm.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return o
}

// lengthOf is LengthOfArrayLike, refusing array-likes whose length a
// getter or a Proxy computes: the original would read it again and could
// get another, larger answer.
func (h *hardened) lengthOf(name string, v goja.Value) int64 {
	o, ok := v.(*goja.Object)
	if !ok {
		if s, ok := v.(goja.String); ok {
			return int64(s.Length())
		}
		return 0
	}
	switch o.ClassName() {
	case "Array", "String", "Arguments":
	default:
		if !h.plainLength(o) {
			panic(h.vm.NewTypeError(name + " was called on an object whose length is computed by a getter or a Proxy; gw's sandbox refuses it (convert it to an array first)"))
		}
	}
	l := o.Get("length")
	if l == nil {
		return 0
	}
	f := l.ToFloat()
	if f != f || f <= 0 {
		return 0
	}
	return int64(min(f, 1<<53))
}

// plainLength reports whether o's length is a data property (or absent)
// along its prototype chain, and o is not a Proxy.
func (h *hardened) plainLength(o *goja.Object) bool {
	for p, hops := o, 0; p != nil && hops < 64; p, hops = p.Prototype(), hops+1 {
		if p.ExportType() == proxyType {
			return false
		}
		desc := h.descriptor(p, "length")
		if desc == nil {
			continue
		}
		get, _ := desc.Get("get").(*goja.Object)
		return get == nil || get == h.typedLength
	}
	return true
}

func (h *hardened) descriptor(o *goja.Object, key string) *goja.Object {
	if h.getOwnPropertyDescriptor == nil {
		h.getOwnPropertyDescriptor, _, _ = h.original(h.vm.Get("Object").ToObject(h.vm).Get("getOwnPropertyDescriptor"))
	}
	d := h.getOwnPropertyDescriptor(goja.FunctionCall{Arguments: []goja.Value{o, h.vm.ToValue(key)}})
	if dd, ok := d.(*goja.Object); ok {
		return dd
	}
	return nil
}

func (h *hardened) checkLen(name string, v goja.Value) {
	h.checkCount(name, h.lengthOf(name, v), "elements")
}

func (h *hardened) checkCount(name string, n int64, unit string) {
	if n > h.maxLen {
		panic(h.vm.NewGoError(h.e.sb.l.sizeError(name, n, h.maxLen, unit)))
	}
}

// checkKeys refuses to list the keys of a string longer than the bound (a
// string has one key per character).
func (h *hardened) checkKeys(name string, v goja.Value) {
	if n := h.strLen(v); n > h.maxLen {
		h.checkCount(name, n, "keys")
	}
	if o, ok := v.(*goja.Object); ok && o.ClassName() == "String" {
		h.checkCount(name, int64(len(o.String())), "keys")
	}
}

func (h *hardened) strLen(v goja.Value) int64 {
	if s, ok := v.(goja.String); ok {
		return int64(s.Length())
	}
	return 0
}
