package script

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

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
			sb := NewSandbox(Limits{Timeout: hostileTimeout, Memory: 64 << 20})
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
			if raceEnabled && errors.Is(err, limits.ErrTime) && !errors.Is(tc.kind, limits.ErrTime) {
				t.Skipf("under the race detector the deadline came first (%v): %v", took.Round(time.Millisecond), err)
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
			if took > hostileTimeout+2500*time.Millisecond {
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
