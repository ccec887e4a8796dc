package script

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"
)

// DefaultTimeout is how long one script may run before it is interrupted.
const DefaultTimeout = 2 * time.Second

// Program is a compiled script.
type Program struct {
	src string
	prg *goja.Program
}

// Source is the script text.
func (p *Program) Source() string { return p.src }

var cache struct {
	sync.Mutex
	m map[string]*goja.Program
}

const cacheLimit = 20000 // bounded: untrusted clients may send endless scripts

// Compile parses src as a sloppy-mode script. Compiled programs are shared
// (goja programs are immutable), so compiling the same text twice is cheap.
func Compile(src string) (*Program, error) {
	cache.Lock()
	p, ok := cache.m[src]
	cache.Unlock()
	if ok {
		return &Program{src, p}, nil
	}
	p, err := goja.Compile("", src, false)
	if err != nil {
		return nil, cleanError(err)
	}
	cache.Lock()
	if cache.m == nil {
		cache.m = make(map[string]*goja.Program)
	}
	if len(cache.m) < cacheLimit {
		cache.m[src] = p
	}
	cache.Unlock()
	return &Program{src, p}, nil
}

// IsGlobal reports whether GraphWalker routes src to the machine-wide
// scope: any occurrence of "global." does, and then every "global." is
// removed from the text (GraphWalker's rule, kept for compatibility).
func IsGlobal(src string) bool { return strings.Contains(src, "global.") }

// StripGlobal removes every "global." from src.
func StripGlobal(src string) string { return strings.ReplaceAll(src, "global.", "") }

// Env is one JavaScript global scope. It is not safe for concurrent use;
// only the watchdog touches it from another goroutine, under mu.
type Env struct {
	vm       *goja.Runtime
	deadline int64 // in watchdog ticks

	// keys caches the scope's variable names between script runs: listing
	// them makes goja walk every built-in global.
	keys      []string
	keysValid bool

	mu          sync.Mutex
	started     int64 // tick the running script started at; 0 when idle
	interrupted bool
	closed      bool
}

// NewEnv returns an empty scope whose scripts are interrupted after timeout
// (DefaultTimeout when timeout <= 0).
func NewEnv(timeout time.Duration) *Env {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	e := &Env{vm: goja.New(), deadline: int64(timeout/tick) + 1}
	watch.add(e)
	return e
}

// Close stops watching the scope; it must not be used afterwards.
func (e *Env) Close() {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	watch.remove(e)
}

// ErrTimeout is wrapped by errors from scripts that ran past the deadline.
var ErrTimeout = errors.New("script ran past its deadline and was interrupted")

// Run executes p and returns its completion value.
func (e *Env) Run(p *Program) (goja.Value, error) {
	e.keysValid = false
	e.mu.Lock()
	e.started = clock.Load()
	e.mu.Unlock()
	v, err := e.vm.RunProgram(p.prg)
	e.mu.Lock()
	e.started = 0
	if e.interrupted {
		e.vm.ClearInterrupt()
		e.interrupted = false
		if err != nil {
			err = ErrTimeout
		}
	}
	e.mu.Unlock()
	if err != nil {
		return nil, cleanError(err)
	}
	return v, nil
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
	if b, ok := v.Export().(bool); ok {
		return b, nil
	}
	return false, fmt.Errorf("guard returned %s, not a boolean", Display(v))
}

// Get reads a global variable; ok is false when it is not defined.
func (e *Env) Get(name string) (goja.Value, bool) {
	v := e.vm.GlobalObject().Get(name)
	if v == nil {
		return nil, false
	}
	return v, true
}

// KV is one variable of a scope, rendered as GraphWalker renders data.
type KV struct{ Key, Value string }

// Data lists the scope's global variables in definition order with their
// display strings (`5`, `1.33`, `true`, `abc`).
func (e *Env) Data() []KV {
	g := e.vm.GlobalObject()
	if !e.keysValid {
		e.keys, e.keysValid = g.Keys(), true
	}
	out := make([]KV, 0, len(e.keys))
	for _, k := range e.keys {
		out = append(out, KV{k, Display(g.Get(k))})
	}
	return out
}

// Display renders a value the way GraphWalker's data shows it: JavaScript
// string conversion for primitives, JSON for arrays and plain objects, and
// `function name()` for functions (their source is not data).
func Display(v goja.Value) string {
	if v == nil || goja.IsUndefined(v) {
		return "undefined"
	}
	if goja.IsNull(v) {
		return "null"
	}
	switch x := v.Export().(type) {
	case string:
		return x
	case bool, int64, float64:
		return v.String() // JavaScript's own number text: 5, 1.33, 1e+21
	}
	if o, ok := v.(*goja.Object); ok {
		if _, isFn := goja.AssertFunction(v); isFn {
			return "function " + o.Get("name").String() + "()"
		}
		if b, err := o.MarshalJSON(); err == nil {
			return string(b)
		}
	}
	return v.String()
}

// cleanError turns goja errors into one-line messages.
func cleanError(err error) error {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return errors.New(ex.Value().String())
	}
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		return ErrTimeout
	}
	var ce *goja.CompilerSyntaxError
	if errors.As(err, &ce) {
		return fmt.Errorf("SyntaxError: %s", ce.Message)
	}
	return err
}

// The watchdog keeps a coarse clock and interrupts overdue scripts; one
// goroutine serves every Env, and a script pays only two uncontended locks.
const tick = 10 * time.Millisecond

var (
	clock atomic.Int64 // coarse time in ticks since epoch, kept by the watchdog
	epoch = time.Now()
)

var watch = &watchdog{envs: map[*Env]struct{}{}}

type watchdog struct {
	mu      sync.Mutex
	envs    map[*Env]struct{}
	running bool
}

func (w *watchdog) add(e *Env) {
	w.mu.Lock()
	w.envs[e] = struct{}{}
	if !w.running {
		w.running = true
		clock.Store(int64(time.Since(epoch)/tick) + 1)
		go w.loop()
	}
	w.mu.Unlock()
}

func (w *watchdog) remove(e *Env) {
	w.mu.Lock()
	delete(w.envs, e)
	w.mu.Unlock()
}

func (w *watchdog) loop() {
	t := time.NewTicker(tick)
	defer t.Stop()
	for range t.C {
		// Wall-clock time, so that ticks lost on a busy machine do not
		// stretch deadlines.
		now := int64(time.Since(epoch)/tick) + 1
		clock.Store(now)
		w.mu.Lock()
		if len(w.envs) == 0 {
			w.running = false
			w.mu.Unlock()
			return
		}
		for e := range w.envs {
			e.mu.Lock()
			// started may be read from a clock up to a tick old, so wait
			// one tick more than the deadline: never interrupt early.
			if e.started != 0 && !e.interrupted && now-e.started > e.deadline+1 {
				e.interrupted = true
				e.vm.Interrupt(ErrTimeout)
			}
			e.mu.Unlock()
		}
		w.mu.Unlock()
	}
}
