package ws

import (
	"testing"
	"time"

	hubpkg "github.com/gw-project/gw/internal/session"
)

// counterStart starts a walk whose every step counts in n.
const counterStart = `{"command":"start","gw":{"models":[{"name":"Count","generator":"random(length(100))","startElementId":"e0",` +
	`"actions":["n=0;"],"vertices":[{"id":"v0","name":"v_Count"}],` +
	`"edges":[{"id":"e0","name":"e_Start","targetVertexId":"v0","actions":["n++;"]},` +
	`{"id":"e1","name":"e_Again","sourceVertexId":"v0","targetVertexId":"v0","actions":["n++;"]}]}]}}`

// Every connection is a session of the hub: listed with its dialect and
// steps, watched, paused (the client's getNext waits, Step releases
// exactly one), stopped by a JavaScript breakpoint, and gone when the
// client leaves. The client sees nothing but the wait.
func TestHubSessions(t *testing.T) {
	hub := hubpkg.NewHub()
	_, url := startServer(t, Options{Hub: hub})
	c := dial(t, url)
	if r := c.call(counterStart, 1); len(r) != 1 {
		t.Fatal(r)
	}
	waitFor(t, func() bool { return hub.Len() == 1 })
	sum := hub.List()[0]
	if sum.Service != "websocket" || sum.Dialect != "graphwalker4" || !sum.Started || sum.Models[0] != "Count" {
		t.Fatalf("summary %+v", sum)
	}
	hs := hub.Get(sum.ID)

	getNext := func() {
		t.Helper()
		r := c.call(`{"command":"getNext"}`, 2) // visitedElement, then the reply
		if str(mustParse(t, r[1]), "command") != "getNext" {
			t.Fatalf("getNext: %q", r)
		}
	}
	getNext()
	getNext()

	hs.Pause("test")
	done := make(chan []string, 1)
	go func() { done <- c.call(`{"command":"getNext"}`, 2) }()
	waitFor(t, func() bool { return hs.Summary().Waiting })
	select {
	case r := <-done:
		t.Fatalf("answered while paused: %q", r)
	case <-time.After(100 * time.Millisecond):
	}
	hs.Step()
	r := <-done
	if str(mustParse(t, r[1]), "command") != "getNext" || hs.Summary().Steps != 3 {
		t.Fatalf("Step: %q, steps %d", r, hs.Summary().Steps)
	}
	go func() { done <- c.call(`{"command":"getNext"}`, 2) }()
	waitFor(t, func() bool { return hs.Summary().Waiting })
	hs.SetBreakpoints([]hubpkg.Breakpoint{{ID: "b1", Condition: "n == 5"}})
	hs.Resume()
	<-done
	// n counts edges: e0, then e_Again every other step; n is 5 after
	// step 9.
	for i := 0; i < 20 && !hs.Summary().Paused; i++ {
		c.call(`{"command":"getNext"}`, 2)
	}
	if got := hs.Summary(); !got.Paused || got.Steps != 9 {
		t.Fatalf("breakpoint n == 5: %+v", got)
	}
	// getData still answers while paused: only steps are held.
	if d := c.call1(`{"command":"getData"}`); str(d, "command") != "getData" {
		t.Fatalf("getData while paused: %v", d)
	}
	c.close()
	waitFor(t, func() bool { return hub.Len() == 0 })
}

// A client that leaves while its getNext is held ends its session at
// once, though nobody reads its connection meanwhile.
func TestHeldClientLeaves(t *testing.T) {
	hub := hubpkg.NewHub()
	_, url := startServer(t, Options{Hub: hub})
	c := dialRaw(t, url)
	c.call(counterStart, 1)
	waitFor(t, func() bool { return hub.Len() == 1 })
	hs := hub.Get(hub.List()[0].ID)
	hs.Pause("test")
	c.send(`{"command":"getNext"}`)
	waitFor(t, func() bool { return hs.Summary().Waiting })
	start := time.Now()
	c.c.CloseNow()
	waitFor(t, func() bool { return hub.Len() == 0 })
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the session ended %v after its client left", d)
	}
}
