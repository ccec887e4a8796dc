package script

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDataDisplay(t *testing.T) {
	e := NewEnv(0)
	defer e.Close()
	p, err := Compile(`n = 5; f = 1.33; b = true; s = "abc"; var arr = [1,2]; o = {a: 1}; function fn() {}; u = undefined; z = null;`)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Exec(p); err != nil {
		t.Fatal(err)
	}
	var got []string
	kvs, err := e.Data()
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range kvs {
		got = append(got, kv.Key+"="+kv.Value)
	}
	// Declarations are hoisted, as in any JavaScript engine.
	want := "fn=function fn() arr=[1,2] n=5 f=1.33 b=true s=abc o={\"a\":1} u=undefined z=null"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("data\n got %s\nwant %s", g, want)
	}
}

func TestGuardMustBeBoolean(t *testing.T) {
	e := NewEnv(0)
	defer e.Close()
	for src, want := range map[string]string{"1 > 0": "", "'yes'": "guard returned yes, not a boolean", "x > 1": "ReferenceError: x is not defined"} {
		p, err := Compile(src)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Bool(p)
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("%s: got %v, want %q", src, err, want)
		}
	}
}

func TestSyntaxErrorAtCompile(t *testing.T) {
	if _, err := Compile("x = ;"); err == nil || !strings.Contains(err.Error(), "SyntaxError") {
		t.Fatalf("got %v", err)
	}
}

func TestRunawayIsInterruptedAndEnvRecovers(t *testing.T) {
	e := NewEnv(50 * time.Millisecond)
	defer e.Close()
	loop, _ := Compile("while(true){}")
	start := time.Now()
	if err := e.Exec(loop); !errors.Is(err, ErrTimeout) {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("interrupt took %v", d)
	}
	ok, _ := Compile("x = 1")
	if err := e.Exec(ok); err != nil {
		t.Fatalf("env unusable after interrupt: %v", err)
	}
}

func TestGlobalRouting(t *testing.T) {
	if !IsGlobal("global.x = 1") || IsGlobal("x = 1") {
		t.Fatal("IsGlobal")
	}
	if got := StripGlobal("global.x = global.y + z"); got != "x = y + z" {
		t.Fatalf("StripGlobal: %q", got)
	}
}

func BenchmarkGuard(b *testing.B) {
	e := NewEnv(0)
	defer e.Close()
	init, _ := Compile("counter = 0")
	e.Exec(init)
	p, _ := Compile("counter >= 0")
	for b.Loop() {
		if _, err := e.Bool(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkData(b *testing.B) {
	e := NewEnv(0)
	defer e.Close()
	p, _ := Compile("a = 1; b = 'x'; c = true")
	e.Exec(p)
	b.ReportAllocs()
	for b.Loop() {
		e.Data()
	}
}

// TestDeadlineFromStaleClock: an operation's deadline counts from when it
// begins, even when the watchdog's coarse clock is behind (its goroutine
// was held up, e.g. by a collection in the memory sampler): a stale start
// made the next tick interrupt the script at once.
func TestDeadlineFromStaleClock(t *testing.T) {
	sb := NewSandbox(Limits{Timeout: 300 * time.Millisecond})
	defer sb.Close()
	e := sb.NewEnv()
	p, err := sb.Compile("while(true){}")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		clock.Add(-1000) // as if the watchdog had not ticked for 10 s
		start := time.Now()
		err := e.Exec(p)
		if took := time.Since(start); took < 300*time.Millisecond || err == nil {
			t.Fatalf("interrupted after %v (%v); the deadline is 300ms", took, err)
		}
	}
}
