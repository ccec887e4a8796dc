package rest

import (
	"strings"
	"testing"
	"time"

	hubpkg "github.com/gw-project/gw/internal/session"
)

// The REST service's machine is one session of the hub: a pause holds the
// client's getNext (AltWalker notices only the wait), Step releases
// exactly one, a breakpoint pauses after the step it matches, and
// setData and fail are noted for watchers.
func TestHubSession(t *testing.T) {
	hub := hubpkg.NewHub()
	ts := newTestServer(t, Options{Hub: hub})
	if hub.Len() != 1 {
		t.Fatalf("%d sessions in the hub, want the service's one", hub.Len())
	}
	hs := hub.Get(hub.List()[0].ID)
	body := `{"models":[{"name":"Count","generator":"random(length(100))","startElementId":"e0","actions":["n=0;"],` +
		`"vertices":[{"id":"v0","name":"v_Count"}],"edges":[{"id":"e0","name":"e_Start","targetVertexId":"v0","actions":["n++;"]},` +
		`{"id":"e1","name":"e_Again","sourceVertexId":"v0","targetVertexId":"v0","actions":["n++;"]}]}]}`
	if _, got := ts.do("POST", "/graphwalker/load", body); !strings.Contains(got, `"ok"`) {
		t.Fatal(got)
	}
	if sum := hs.Summary(); !sum.Started || sum.Service != "rest" || sum.Models[0] != "Count" {
		t.Fatalf("summary %+v", sum)
	}
	w := hs.Watch(64)
	defer w.Close()
	ts.do("GET", "/graphwalker/getNext", "")

	hs.Pause("test")
	done := make(chan string, 1)
	go func() { _, got := ts.do("GET", "/graphwalker/getNext", ""); done <- got }()
	for end := time.Now().Add(5 * time.Second); !hs.Summary().Waiting; time.Sleep(2 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("getNext was not held")
		}
	}
	select {
	case got := <-done:
		t.Fatalf("answered while paused: %s", got)
	case <-time.After(100 * time.Millisecond):
	}
	hs.Step()
	if got := <-done; !strings.Contains(got, `"currentElementName":"v_Count"`) || hs.Summary().Steps != 2 {
		t.Fatalf("after Step: %s, steps %d", got, hs.Summary().Steps)
	}
	hs.SetBreakpoints([]hubpkg.Breakpoint{{ID: "b", Element: "e_Again"}})
	hs.Resume()
	ts.do("GET", "/graphwalker/getNext", "") // e_Again: the breakpoint
	if sum := hs.Summary(); !sum.Paused || sum.Steps != 3 {
		t.Fatalf("breakpoint: %+v", sum)
	}
	hs.Resume()
	ts.do("PUT", "/graphwalker/setData/n%3D40", "")
	ts.do("PUT", "/graphwalker/fail/broken", "")
	var kinds []string
	for len(w.C()) > 0 {
		if e := <-w.C(); e.Note != nil {
			kinds = append(kinds, e.Note.Kind)
		}
	}
	if strings.Join(kinds, ",") != "setData,fail" {
		t.Errorf("notes %q", kinds)
	}
}
