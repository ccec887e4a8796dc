package script

import (
	"container/list"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/gw-project/gw/internal/limits"
)

// Program is a compiled script.
type Program struct {
	src   string
	prg   *goja.Program
	depth int   // nesting, as the source check measured it
	needs group // the built-ins it can reach that must be hardened
}

// Source is the script text.
func (p *Program) Source() string { return p.src }

// cache keeps compiled programs by source text, bounded in bytes: untrusted
// clients may send endless distinct scripts.
var cache = struct {
	sync.Mutex
	m     map[string]*list.Element
	lru   list.List
	bytes int64
}{m: map[string]*list.Element{}}

// cacheBytes bounds the cache; a program is charged its source size times
// cacheCharge (goja's compiled form is several times the text).
const (
	cacheBytes  = 64 << 20
	cacheCharge = 8
)

func cost(p *Program) int64 { return int64(len(p.src))*cacheCharge + 256 }

// Compile parses src as a sloppy-mode script with the default limits.
func Compile(src string) (*Program, error) { return compile(src, Limits{}.WithDefaults()) }

// Compile parses src within the sandbox's limits on size and nesting.
func (sb *Sandbox) Compile(src string) (*Program, error) { return compile(src, sb.l) }

func compile(src string, l Limits) (*Program, error) {
	if len(src) > l.MaxSource {
		return nil, &limits.Error{Limit: fmt.Sprintf("the script is %s, over the limit of %s", limits.FormatSize(int64(len(src))), limits.FormatSize(int64(l.MaxSource))), Flag: SourceFlag, Kind: limits.ErrSize}
	}
	cache.Lock()
	el, ok := cache.m[src]
	if ok {
		cache.lru.MoveToFront(el)
	}
	cache.Unlock()
	var p *Program
	if ok {
		p = el.Value.(*Program)
	} else {
		depth, at, needs := nesting(src)
		if depth > l.MaxDepth {
			return nil, depthError(src, depth, at, l.MaxDepth)
		}
		prg, err := goja.Compile("", src, false)
		if err != nil {
			return nil, cleanError(err)
		}
		p = &Program{src: src, prg: prg, depth: depth, needs: needs}
		if c := cost(p); c <= cacheBytes/16 {
			cache.Lock()
			if _, dup := cache.m[src]; !dup {
				cache.m[src] = cache.lru.PushFront(p)
				cache.bytes += c
				for cache.bytes > cacheBytes {
					old := cache.lru.Back()
					op := old.Value.(*Program)
					cache.lru.Remove(old)
					delete(cache.m, op.src)
					cache.bytes -= cost(op)
				}
			}
			cache.Unlock()
		}
	}
	if p.depth > l.MaxDepth {
		return nil, depthError(src, p.depth, -1, l.MaxDepth)
	}
	return p, nil
}

// CacheBytes is what the compiled-program cache holds, as charged.
func CacheBytes() int64 {
	cache.Lock()
	defer cache.Unlock()
	return cache.bytes
}

func depthError(src string, depth, at, max int) error {
	where := ""
	if at >= 0 {
		line, col := 1, 1
		for _, r := range src[:at] {
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		where = fmt.Sprintf(" at line %d, column %d", line, col)
	}
	return &limits.Error{Limit: fmt.Sprintf("the script nests brackets, operators or statements %d levels deep%s, over the limit of %d", depth, where, max), Flag: DepthFlag, Kind: limits.ErrSize}
}

// IsGlobal reports whether GraphWalker routes src to the machine-wide
// scope: any occurrence of "global." does, and then every "global." is
// removed from the text (GraphWalker's rule, kept for compatibility).
func IsGlobal(src string) bool { return strings.Contains(src, "global.") }

// StripGlobal removes every "global." from src.
func StripGlobal(src string) string { return strings.ReplaceAll(src, "global.", "") }

// Env is one JavaScript global scope of a sandbox. It is not safe for
// concurrent use.
type Env struct {
	sb *Sandbox
	vm *goja.Runtime
	h  *hardened

	// keys caches the scope's variable names between script runs: listing
	// them makes goja walk every built-in global.
	keys      []string
	keysValid bool

	own bool // NewEnv's: Close closes the sandbox too
}

// NewEnv returns a scope in the sandbox.
func (sb *Sandbox) NewEnv() *Env {
	e := &Env{sb: sb, vm: goja.New()}
	e.vm.SetMaxCallStackSize(maxCallStack)
	e.h = newHardened(e)
	return e
}

// maxCallStack bounds JavaScript recursion (goja keeps its call stack on
// the heap, so without it `function f(){f()}` grows until memory ends).
const maxCallStack = 2000

// NewEnv returns a scope in a sandbox of its own whose operations time out
// after timeout (DefaultTimeout if <= 0), with the other limits at their
// defaults.
func NewEnv(timeout time.Duration) *Env {
	e := NewSandbox(Limits{Timeout: timeout}).NewEnv()
	e.own = true
	return e
}

// Sandbox is the sandbox the scope belongs to.
func (e *Env) Sandbox() *Sandbox { return e.sb }

// Close releases the scope (and its sandbox, for NewEnv's scopes).
func (e *Env) Close() {
	if e.own {
		e.sb.Close()
	}
}

// Run executes p and returns its completion value.
func (e *Env) Run(p *Program) (v goja.Value, err error) {
	e.keysValid = false
	sb := e.sb
	sb.Begin()
	defer sb.End()
	if err := sb.enter(e); err != nil {
		return nil, err
	}
	e.h.ensure(p.needs)
	defer func() {
		if r := recover(); r != nil {
			// A goja bug must cost the session, not the process.
			err = fmt.Errorf("internal error in the JavaScript engine: %v", r)
			sb.Abort(err)
		}
		err = sb.leave(e, err)
		if err != nil {
			v, err = nil, cleanError(err)
		}
	}()
	v, err = e.vm.RunProgram(p.prg)
	if err != nil {
		err = e.describe(err)
	}
	return v, err
}

// describe turns a thrown value into a Go error while the script still
// counts as running: reading an exception's name and message may run its
// getters, which must stay under the deadline.
func (e *Env) describe(err error) error {
	var ex *goja.Exception
	if !errors.As(err, &ex) {
		return err
	}
	var out error
	if _, cerr := e.h.callDisplay(func() { out = exceptionError(ex) }); cerr != nil {
		return cerr
	}
	return out
}

// Exec runs p for its side effects.
func (e *Env) Exec(p *Program) error {
	_, err := e.Run(p)
	return err
}

// Bool runs p and requires a JavaScript boolean result, as GraphWalker
// does for guards.
func (e *Env) Bool(p *Program) (bool, error) {
	v, err := e.Run(p)
	if err != nil {
		return false, err
	}
	if _, isObj := v.(*goja.Object); !isObj {
		if b, ok := v.Export().(bool); ok {
			return b, nil
		}
	}
	return false, fmt.Errorf("guard returned %s, not a boolean", clip(primitiveText(v)))
}

// KV is one variable of a scope, rendered as GraphWalker renders data.
type KV struct{ Key, Value string }

// Data lists the scope's global variables in definition order with their
// display strings (`5`, `1.33`, `true`, `abc`, JSON for arrays and
// objects). Getters and toJSON methods run under the operation's deadline;
// a value whose display is over the MaxData limit is an error.
func (e *Env) Data() (kvs []KV, err error) {
	sb := e.sb
	sb.Begin()
	defer sb.End()
	if err := sb.enter(e); err != nil {
		return nil, err
	}
	var shown error
	_, err = e.h.callDisplay(func() {
		g := e.vm.GlobalObject()
		if !e.keysValid {
			e.keys, e.keysValid = g.Keys(), true
		}
		kvs = make([]KV, 0, len(e.keys))
		for _, k := range e.keys {
			s, err := e.display(k, g.Get(k))
			if err != nil {
				shown = err
				return
			}
			kvs = append(kvs, KV{k, s})
		}
	})
	if err != nil {
		err = e.describe(err)
	} else {
		err = shown
	}
	err = sb.leave(e, err)
	if err != nil {
		e.keysValid = false
		return nil, cleanError(err)
	}
	return kvs, nil
}

// Display renders v the way GraphWalker's data shows it, within the
// limits of e's sandbox.
func (e *Env) Display(v goja.Value) (s string, err error) {
	sb := e.sb
	sb.Begin()
	defer sb.End()
	if err := sb.enter(e); err != nil {
		return "", err
	}
	var shown error
	_, err = e.h.callDisplay(func() { s, shown = e.display("value", v) })
	if err != nil {
		err = e.describe(err)
	} else {
		err = shown
	}
	if err = sb.leave(e, err); err != nil {
		return "", cleanError(err)
	}
	return s, nil
}

// display is Display without the operation bookkeeping; it runs inside a
// goja call, so getters and toJSON can be interrupted. name is the
// variable, for errors. A value that cannot be written as JSON (a cycle,
// a throwing toJSON) shows as its class, "[object Object]"; a limit is an
// error.
func (e *Env) display(name string, v goja.Value) (string, error) {
	if v == nil || goja.IsUndefined(v) {
		return "undefined", nil
	}
	if goja.IsNull(v) {
		return "null", nil
	}
	o, ok := v.(*goja.Object)
	if !ok {
		s := primitiveText(v)
		if len(s) > e.sb.l.MaxData {
			return "", dataError(name, e.sb.l.MaxData)
		}
		return s, nil
	}
	if _, isFn := goja.AssertFunction(v); isFn {
		return "function " + primitiveText(o.Get("name")) + "()", nil
	}
	var s *string
	var err error
	if ex := e.vm.Try(func() { s, err = e.h.stringify(v, nil, "", int64(e.sb.l.MaxData), name) }); ex != nil {
		var le *limits.Error
		if errors.As(exceptionError(ex), &le) {
			return "", le
		}
		return primitiveText(o), nil
	}
	if err != nil {
		return "", err
	}
	if s == nil {
		return "undefined", nil
	}
	return *s, nil
}

func dataError(name string, max int) error {
	return &limits.Error{What: fmt.Sprintf("data variable %q", name), Limit: "its display is over the limit of " + limits.FormatSize(int64(max)), Flag: DataFlag, Kind: limits.ErrSize}
}

// primitiveText is JavaScript's string conversion without running any
// script: numbers as JavaScript writes them (5, 1.33, 1e+21).
func primitiveText(v goja.Value) string {
	if v == nil {
		return "undefined"
	}
	if o, ok := v.(*goja.Object); ok {
		return "[object " + o.ClassName() + "]"
	}
	return v.String()
}

// cleanError turns goja errors into one-line messages, keeping limit
// errors as they are.
func cleanError(err error) error {
	var le *limits.Error
	if errors.As(err, &le) {
		return le
	}
	var ex *goja.Exception
	if errors.As(err, &ex) {
		// Not described while running (compile errors): no script code
		// may run now, so only primitives are shown.
		return errors.New(clip(primitiveText(ex.Value())))
	}
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		if le, ok := ie.Value().(*limits.Error); ok {
			return le
		}
		return Limits{}.WithDefaults().timeoutError()
	}
	var so *goja.StackOverflowError
	if errors.As(err, &so) {
		return &limits.Error{Limit: fmt.Sprintf("RangeError: the script recursed more than %d calls deep", maxCallStack), Kind: limits.ErrSize}
	}
	var ce *goja.CompilerSyntaxError
	if errors.As(err, &ce) {
		return fmt.Errorf("SyntaxError: %s", ce.Message)
	}
	return err
}

// exceptionError is the Go error for a thrown value: the limit error a
// built-in threw as a GoError, or "Name: message". It may run getters, so
// it must run inside a goja call.
func exceptionError(ex *goja.Exception) error {
	v := ex.Value()
	o, ok := v.(*goja.Object)
	if !ok {
		return errors.New(clip(primitiveText(v)))
	}
	if gv, ok := o.Get("value").(*goja.Object); ok {
		if t := gv.ExportType(); t != nil && t.Implements(errorType) {
			var le *limits.Error
			if e, ok := gv.Export().(error); ok && errors.As(e, &le) {
				return le
			}
		}
	}
	name, msg := o.Get("name"), o.Get("message")
	if name != nil && msg != nil && !goja.IsUndefined(name) {
		n, m := primitiveText(name), primitiveText(msg)
		if m == "" {
			return errors.New(clip(n))
		}
		return errors.New(clip(n + ": " + m))
	}
	return errors.New(clip(primitiveText(v)))
}

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// clip shortens what a script chose to say to what an error message can
// carry.
func clip(s string) string {
	const max = 4096
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
