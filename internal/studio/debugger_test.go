package studio

import (
	"flag"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/gwtest"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/session"
)

var debuggerSeed = flag.Int64("debuggerseed", 20261202, "seed of the walk of testdata/Debugger.json (0: random)")

// TestDebuggerModel walks testdata/Debugger.json, a model of the
// debugger's API (pause, step, resume, element and conditional
// breakpoints, bad and throwing conditions, watching), with gw's engine;
// every element drives the studio API over HTTP against a session whose
// client keeps asking for steps, and checks what the client got.
func TestDebuggerModel(t *testing.T) {
	walker, seed := gwtest.Walker(t, readFile(t, "testdata/Debugger.json"), "Debugger.json", *debuggerSeed)
	hub := session.NewHub()
	_, srv := newStudio(t, Options{Hub: hub})
	d := &debugger{t: t, srv: srv, hub: hub, walker: walker}
	handlers := map[string]func(){
		"e_Open": d.open, "v_Running": d.running, "v_Paused": d.paused, "e_ClientSteps": d.clientSteps,
		"e_Watch": d.watch, "e_BadCondition": d.badCondition, "e_ThrowingCondition": d.throwingCondition,
		"e_Pause": d.pause, "e_ClientWaits": d.clientWaits, "e_Step": d.step, "e_Resume": d.resume,
		"e_StepRunning": d.stepRunning, "e_ConditionBreakpoint": d.conditionBreakpoint, "e_ElementBreakpoint": d.elementBreakpoint,
	}
	gwtest.Walk(t, walker, seed, handlers)
}

type debugger struct {
	t      *testing.T
	srv    *httptest.Server
	hub    *session.Hub
	walker *machine.Machine
	c      *client
	asked  int64
}

func (d *debugger) url(action string) string {
	return d.srv.URL + "/studio/api/sessions/" + d.c.s.ID + "/" + action
}

func (d *debugger) post(action string) session.Control {
	var c session.Control
	if code, msg := call(d.t, "POST", d.url(action), nil, nil, &c); code != 200 {
		d.t.Fatalf("%s: %d %s", action, code, msg)
	}
	return c
}

func (d *debugger) setBreakpoints(body string) (int, string) {
	return call(d.t, "PUT", d.url("breakpoints"), strings.NewReader(body), nil, nil)
}

func (d *debugger) ask(n int) { d.asked += int64(n); d.c.ask(n) }

func (d *debugger) pending() int64 {
	kv, err := d.walker.Data()
	if err != nil {
		d.t.Fatal(err)
	}
	for _, e := range kv {
		if e.Key == "pending" {
			var n int64
			fmt.Sscan(e.Value, &n)
			return n
		}
	}
	return 0
}

func (d *debugger) setPending(n int64) {
	if err := d.walker.Execute(fmt.Sprintf("pending = %d;", n)); err != nil {
		d.t.Fatal(err)
	}
}

// settled waits until the client took every step it may take, then
// checks that it takes no more.
func (d *debugger) settled(want int64, held bool) {
	waitFor(d.t, fmt.Sprintf("%d steps (held %v)", want, held), func() bool {
		return d.c.done.Load() == want && (!held || d.c.s.Control().Waiting)
	})
	time.Sleep(20 * time.Millisecond)
	if got := d.c.done.Load(); got != want {
		d.t.Fatalf("the client took %d steps, want %d", got, want)
	}
}

func (d *debugger) open() { d.c = newClient(d.t, d.hub, "websocket") }

func (d *debugger) running() {
	d.settled(d.asked, false)
	if c := d.c.s.Control(); c.Paused || c.Waiting {
		d.t.Fatalf("the session should run: %+v", c)
	}
}

func (d *debugger) paused() {
	c := d.c.s.Control()
	if !c.Paused {
		d.t.Fatalf("the session should be paused: %+v", c)
	}
	p := d.pending()
	d.settled(d.asked-p, p > 0)
}

func (d *debugger) clientSteps() { d.ask(3); d.settled(d.asked, false) }

func (d *debugger) watch() {
	st := openSSE(d.t, d.url("events"))
	defer st.res.Body.Close()
	var snap snapshot
	st.nextOf(d.t, "snapshot", &snap)
	if int64(snap.Steps) != d.c.done.Load() || snap.Control.Paused != d.c.s.Control().Paused || snap.Scene == nil {
		d.t.Fatalf("snapshot: %d steps, paused %v; the session: %d, %+v", snap.Steps, snap.Control.Paused, d.c.done.Load(), d.c.s.Control())
	}
}

func (d *debugger) badCondition() {
	before := d.c.s.Control()
	code, msg := d.setBreakpoints(`[{"id":"bad","condition":"count >"}]`)
	if code != 400 || !strings.Contains(msg, "not a JavaScript expression") {
		d.t.Fatalf("a broken condition: %d %q", code, msg)
	}
	if after := d.c.s.Control(); after.Paused != before.Paused || len(after.Breakpoints) != 0 {
		d.t.Fatalf("a broken condition changed the session: %+v", after)
	}
}

func (d *debugger) throwingCondition() {
	if code, msg := d.setBreakpoints(`[{"id":"t","condition":"nosuch.deep > 1"}]`); code != 200 {
		d.t.Fatal(code, msg)
	}
	d.ask(2)
	d.settled(d.asked, false)
	c := d.c.s.Control()
	if c.Paused || !strings.Contains(c.Errors["t"], "nosuch") {
		d.t.Fatalf("a throwing condition: %+v", c)
	}
	d.setBreakpoints(`[]`)
}

func (d *debugger) pause() {
	if c := d.post("pause"); !c.Paused {
		d.t.Fatalf("pause: %+v", c)
	}
}

func (d *debugger) clientWaits() { d.ask(1) }

func (d *debugger) step() {
	before := d.c.done.Load()
	d.post("step")
	held := d.pending() > 0 // the walker's action already counted this step off
	d.settled(before+1, held)
}

func (d *debugger) resume() {
	if c := d.post("resume"); c.Paused {
		d.t.Fatalf("resume: %+v", c)
	}
}

// stepRunning: Step on a running session lets one more step through and
// pauses after it.
func (d *debugger) stepRunning() {
	d.post("step")
	d.ask(2)
	d.settled(d.asked-1, true)
	d.setPending(1)
}

// Counter's steps cycle v_Start, e_Inc (count+1), v_Counted, e_Back: after
// s steps count is (s+2)/4.
func (d *debugger) conditionBreakpoint() {
	done := d.c.done.Load()
	target := (done+2)/4 + 1
	hit := 4*target - 2 // the step whose e_Inc makes count reach target
	if code, msg := d.setBreakpoints(fmt.Sprintf(`[{"id":"c","condition":"count >= %d"}]`, target)); code != 200 {
		d.t.Fatal(code, msg)
	}
	d.ask(8)
	d.settled(hit, true)
	if r := d.c.s.Control().Reason; !strings.Contains(r, "breakpoint c") || !strings.Contains(r, "e_Inc") {
		d.t.Fatalf("reason %q", r)
	}
	d.setBreakpoints(`[]`)
	d.setPending(d.asked - hit)
}

func (d *debugger) elementBreakpoint() {
	done := d.c.done.Load()
	hit := done + 1
	for hit%4 != 3 { // v_Counted
		hit++
	}
	if code, msg := d.setBreakpoints(`[{"id":"v","element":"v_Counted"}]`); code != 200 {
		d.t.Fatal(code, msg)
	}
	d.ask(8)
	d.settled(hit, true)
	if r := d.c.s.Control().Reason; !strings.Contains(r, "breakpoint v") {
		d.t.Fatalf("reason %q", r)
	}
	d.setBreakpoints(`[]`)
	d.setPending(d.asked - hit)
}
