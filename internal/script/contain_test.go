package script

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/gw-project/gw/internal/limits"
)

// The reproductions of issue 9: each must end, quickly, with an error that
// names the limit, and leave the process's memory bounded.
func TestHostileScripts(t *testing.T) {
	deep := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	tests := []struct {
		name, src string
		want      string // substring of the error
		kind      error
	}{
		{"deep brackets", "var x=" + deep("[", "]", 300000) + ";", "--max-script-depth", limits.ErrSize},
		{"deep parens", "x=" + deep("(", ")", 450000), "--max-script-depth", limits.ErrSize},
		{"long operator chain", "var x=" + strings.Repeat("a+", 100000) + "1", "--max-script-depth", limits.ErrSize},
		{"deep unary", "var x=" + strings.Repeat("!", 300000) + "1", "--max-script-depth", limits.ErrSize},
		{"deep ifs", strings.Repeat("if(1)", 100000) + ";", "--max-script-depth", limits.ErrSize},
		{"deep templates", strings.Repeat("`${", 50000) + "1" + strings.Repeat("}`", 50000), "--max-script-depth", limits.ErrSize},
		{"deep eval", "eval('['.repeat(300000))", "--max-script-depth", limits.ErrSize},
		{"deep Function", "Function('return ' + '('.repeat(300000))", "--max-script-depth", limits.ErrSize},
		{"deep JSON.parse", "JSON.parse('['.repeat(300000))", "--max-script-depth", limits.ErrSize},
		{"huge script", "var s='" + strings.Repeat("x", 2<<20) + "'", "--max-script-size", limits.ErrSize},
		{"fill", "new Array(1e8).fill(0); 1", "--script-memory", limits.ErrSize},
		{"from", "Array.from({length:1e8}); 1", "--script-memory", limits.ErrSize},
		{"indexOf", "new Array(2e9).indexOf(1)", "--script-memory", limits.ErrSize},
		{"lastIndexOf", "new Array(2e9).lastIndexOf(1)", "--script-memory", limits.ErrSize},
		{"spread sparse", "var a=[]; a.length=4e9; [...a].length", "--script-memory", limits.ErrSize},
		{"spread call", "var a=[]; a.length=4e9; Math.max(...a)", "--script-memory", limits.ErrSize},
		{"join sparse", "var a=[]; a.length=4e9; a.join('x').length", "--script-memory", limits.ErrSize},
		{"toString sparse", "var a=[]; a.length=4e9; String(a).length", "--script-memory", limits.ErrSize},
		{"sort sparse", "var a=[]; a.length=4e9; a.sort(); 1", "--script-memory", limits.ErrSize},
		{"apply sparse", "var a=[]; a.length=1e9; String.fromCharCode.apply(null,a).length", "--script-memory", limits.ErrSize},
		{"redos", "/^(a+)+(?=b)/.test('" + strings.Repeat("a", 40) + "')", "--script-timeout", limits.ErrTime},
		{"redos caught", "try { /^(a+)+(?=b)/.test('" + strings.Repeat("a", 40) + "') } catch (e) {}; while(true){}", "--script-timeout", limits.ErrTime},
		{"doubling", "var s='x'; while(true) s=s+s", "", nil},
		{"repeat", "'x'.repeat(1e9).length", "--script-memory", limits.ErrSize},
		{"repeat split", "'x'.repeat(1e8).split('').length", "--script-memory", limits.ErrSize},
		{"padStart", "'ab'.padStart(1e9).length", "--script-memory", limits.ErrSize},
		{"replace amplifies", "var s='x'.repeat(1e6); s.replace(/x/g,'yy').length", "--script-memory", limits.ErrSize},
		{"dag stringify", "var o=[];for(var i=0;i<40;i++)o=[o,o]; JSON.stringify(o).length", "--script-memory", limits.ErrSize},
		{"dag flat", "var o=[1];for(var i=0;i<40;i++)o=[o,o]; o.flat(Infinity).length", "", nil},
		{"dag join", "var o=[1];for(var i=0;i<40;i++)o=[o,o]; String(o).length", "", nil},
		{"deep nest join", "var o=[1];for(var i=0;i<5000;i++)o=[o]; String(o).length", "--max-script-depth", limits.ErrSize},
		{"deep nest stringify", "var o=[1];for(var i=0;i<5000;i++)o=[o]; JSON.stringify(o).length", "--max-script-depth", limits.ErrSize},
		{"typed array", "new Uint8Array(4e9).length", "--script-memory", limits.ErrSize},
		{"array buffer", "new ArrayBuffer(4e9).byteLength", "--script-memory", limits.ErrSize},
		{"recursion", "function f(){return f()} f()", "recursed", limits.ErrSize},
		{"object keys of long string", "var s='x'.repeat(1e6); s=s+s; Object.keys(s).length", "--script-memory", limits.ErrSize},
		{"push loop", "var a=[]; while(true) a.push('x'.repeat(1000)+a.length)", "", nil},
		{"loop", "while(true){}", "--script-timeout", limits.ErrTime},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// A case that must hit a size limit gets a deadline far from it,
			// so a slow machine (or -race, 6x slower) still reaches the size
			// limit first.
			timeout := 500 * time.Millisecond
			if tc.kind == limits.ErrSize {
				timeout = 5 * time.Second
			}
			sb := NewSandbox(Limits{Timeout: timeout, Memory: 64 << 20})
			defer sb.Close()
			e := sb.NewEnv()
			start := time.Now()
			err := func() error {
				p, err := sb.Compile(tc.src)
				if err != nil {
					return err
				}
				return e.Exec(p)
			}()
			took := time.Since(start)
			if err == nil {
				t.Fatalf("no error")
			}
			if tc.want != "" && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %s", err, tc.want)
			}
			if tc.kind != nil && !errors.Is(err, tc.kind) {
				t.Errorf("error %q is not a %v", err, tc.kind)
			}
			if !errors.Is(err, limits.ErrTime) && !errors.Is(err, limits.ErrSize) && !errors.Is(err, limits.ErrMemory) {
				t.Errorf("error %q is not a limit", err)
			}
			if took > 10*time.Second { // the deadline is 0.5 s (5 s for size cases); the ReDoS match gives up after 2.1 s
				t.Errorf("took %v", took)
			}
			t.Logf("%v: %v", took.Round(time.Millisecond), err)
		})
	}
	runtime.GC()
	if h := limits.Heap(); h > 512<<20 {
		t.Errorf("heap after the attacks: %s", limits.FormatSize(h))
	}
}

func BenchmarkNewEnv(b *testing.B) {
	sb := NewSandbox(Limits{})
	defer sb.Close()
	b.ReportAllocs()
	for b.Loop() {
		sb.NewEnv()
	}
}

// A script that keeps what it allocates, in small pieces, is stopped by the
// memory sampler, not only by the deadline.
func TestMemoryLimitStopsGrowth(t *testing.T) {
	sb := NewSandbox(Limits{Timeout: 20 * time.Second, Memory: 32 << 20})
	defer sb.Close()
	e := sb.NewEnv()
	p, err := sb.Compile("var a=[]; while(true) a.push('x'.repeat(1000)+a.length)")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = e.Exec(p)
	if !errors.Is(err, limits.ErrMemory) || !strings.Contains(err.Error(), "--script-memory") {
		t.Fatalf("got %v, want the script memory limit", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("stopped after %v", d)
	}
	// Stopped for good: the session's JavaScript is gone.
	ok, _ := sb.Compile("1")
	if err := e.Exec(ok); !errors.Is(err, limits.ErrMemory) {
		t.Errorf("after the stop: %v", err)
	}
	if sb.Err() == nil {
		t.Error("Err() is nil after a memory stop")
	}
}

// One deadline covers everything an operation runs.
func TestDeadlinePerOperation(t *testing.T) {
	sb := NewSandbox(Limits{Timeout: 300 * time.Millisecond})
	defer sb.Close()
	e := sb.NewEnv()
	slow, _ := sb.Compile("var t=Date.now(); while(Date.now()-t < 200){}; true")
	sb.Begin()
	start := time.Now()
	var err error
	n := 0
	for ; n < 20 && err == nil; n++ {
		_, err = e.Bool(slow)
	}
	sb.End()
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("20 guards of 200 ms under a 300 ms deadline: %v after %d", err, n)
	}
	if d := time.Since(start); d > 3*time.Second { // 20 guards would take 4 s

		t.Errorf("the operation took %v", d)
	}
	// The next operation has a deadline of its own.
	if _, err := e.Bool(slow); err != nil {
		t.Errorf("next operation: %v", err)
	}
}

// The compiled-program cache is bounded in bytes, whatever clients send.
func TestCacheBoundedInBytes(t *testing.T) {
	big := strings.Repeat("x", 900<<10)
	for i := range 30 {
		if _, err := Compile(fmt.Sprintf("var s%d = '%s';", i, big)); err != nil {
			t.Fatal(err)
		}
	}
	if b := CacheBytes(); b > cacheBytes {
		t.Errorf("cache holds %s", limits.FormatSize(b))
	}
}

func TestDisplay(t *testing.T) {
	tests := []struct{ src, want string }{
		{"v = 5", "5"}, {"v = 1.33", "1.33"}, {"v = 1e21", "1e+21"}, {"v = 'a\"b'", "a\"b"},
		{"v = [1,'x',null,undefined,function(){}]", `[1,"x",null,null,null]`},
		{"v = {a:1,b:undefined,c:'\\n'}", `{"a":1,"c":"\n"}`},
		{"v = {toJSON: function(){ return 'j' }}", `"j"`},
		{"v = new Date(0)", `"1970-01-01T00:00:00.000Z"`},
		{"v = [NaN, Infinity, -0]", `[null,null,0]`},
		{"v = {n: new Number(3), s: new String('s'), b: new Boolean(false)}", `{"n":3,"s":"s","b":false}`},
		{"v = {}; v.self = v", "[object Object]"},
		{"function v() {}", "function v()"},
	}
	for _, tc := range tests {
		e := NewEnv(0)
		p, err := Compile(tc.src)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Exec(p); err != nil {
			t.Fatal(err)
		}
		kvs, err := e.Data()
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		got := ""
		for _, kv := range kvs {
			if kv.Key == "v" {
				got = kv.Value
			}
		}
		if got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.src, got, tc.want)
		}
		e.Close()
	}
}

// JSON.stringify inside scripts agrees with goja's own on ordinary data.
func TestStringifyAgreesWithGoja(t *testing.T) {
	values := []string{`1`, `"s\u0001\t"`, `[1,[2,[3]]]`, `{"a":[{"b":null}],"c":true}`, `{a:undefined}`, `[function(){}]`,
		`{toJSON(){return {x:1}}}`, `new Date(86400000)`}
	for _, v := range values {
		for _, args := range []string{"", ", null, 2", ", ['a','c']", ", function(k,v){ return typeof v === 'number' ? v*2 : v }", ", null, '--'"} {
			src := "JSON.stringify(" + v + args + ")"
			ref := goja.New()
			want, err := ref.RunString(src)
			if err != nil {
				t.Fatal(err)
			}
			e := NewEnv(0)
			p, err := Compile("var JSONx = JSON; " + src) // names JSON: hardened
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Run(p)
			if err != nil {
				t.Fatalf("%s: %v", src, err)
			}
			if got.String() != want.String() || goja.IsUndefined(got) != goja.IsUndefined(want) {
				t.Errorf("%s: got %s, want %s", src, got, want)
			}
			e.Close()
		}
	}
}

// Ordinary uses of the bounded built-ins behave as before.
func TestHardenedBuiltinsStillWork(t *testing.T) {
	src := `
var a = [3,1,2]; a.sort(); var s = a.join('-') + '|' + [1,[2,[3,[4]]]].flat(Infinity).join() + '|' + [[1],[2]].flatMap(function(x){return x}).length;
s += '|' + 'ab'.repeat(3) + '|' + 'x'.padStart(3,'-') + '|' + 'a-b-c'.split('-').length + '|' + 'aaa'.replace(/a/g,'b');
s += '|' + Array.from('abc').length + '|' + [...[1,2]].length + '|' + Math.max.apply(null,[1,5,2]) + '|' + Object.keys({x:1,y:2}).join();
s += '|' + String([1,[2,3]]) + '|' + new Uint8Array(4).length + '|' + new Function('a','return a*2')(21) + '|' + eval('1+1');
s += '|' + (function*(){ yield 1 })().next().value + '|' + /b+/.exec('abbc')[0] + '|' + JSON.parse('{"k":[1]}').k[0] + '|' + new RegExp('c$').test('abc');
s += '|' + ([] instanceof Array) + ([].constructor === Array) + (/x/ instanceof RegExp) + ((function(){}) instanceof Function);
s`
	e := NewEnv(0)
	defer e.Close()
	p, err := Compile(src)
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.Run(p)
	if err != nil {
		t.Fatal(err)
	}
	want := "1-2-3|1,2,3,4|2|ababab|--x|3|bbb|3|2|5|x,y|1,2,3|4|42|2|1|bb|1|true|truetruetruetrue"
	if v.String() != want {
		t.Errorf("got  %s\nwant %s", v, want)
	}
}

// The data display of issue 9: getters and toJSON run under the deadline,
// and what cannot be shown within the data limit is an error naming it.
func TestHostileDisplay(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"sparse array", "var a=new Array(4294967295);", "--max-data-size"},
		{"getter loop", "Object.defineProperty(this,'g',{get:function(){while(true){}},enumerable:true})", "--script-timeout"},
		{"toJSON loop", "var o={toJSON:function(){while(true){}}}", "--script-timeout"},
		{"shared structure", "var o=[];for(var i=0;i<40;i++)o=[o,o];", "--max-data-size"},
		{"long string", "var s='x'.repeat(1<<20); s=s+s", "--max-data-size"},
		{"deep", "var o=[1];for(var i=0;i<5000;i++)o=[o];", "--max-script-depth"},
		{"throwing getter", "Object.defineProperty(this,'g',{get:function(){throw new TypeError('no')},enumerable:true})", "TypeError: no"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			timeout := 300 * time.Millisecond
			if tc.want != "--script-timeout" { // slow machines still reach the other limits first
				timeout = 3 * time.Second
			}
			sb := NewSandbox(Limits{Timeout: timeout})
			defer sb.Close()
			e := sb.NewEnv()
			p, err := sb.Compile(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.Exec(p); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = e.Data()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error naming %s", err, tc.want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}
