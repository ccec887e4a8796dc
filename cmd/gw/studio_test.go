package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestOnlineStudio: the real binary serves gw studio next to both
// services, prints its address, and its debugger holds an unmodified
// REST client's getNext while the session is paused.
func TestOnlineStudio(t *testing.T) {
	page := func(t *testing.T, addr string) string {
		res, err := http.Get("http://" + addr + "/")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || !strings.Contains(string(b), "gw studio") {
			t.Fatalf("GET /: %d %.200s", res.StatusCode, b)
		}
		return string(b)
	}

	t.Run("websocket", func(t *testing.T) {
		o := startOnline(t)
		page(t, o.addr)
		if !o.logged("INFO: gw studio (console, model view, debugger) at http://" + o.addr + "/\n") {
			t.Errorf("the studio's address is not printed:\n%s", o.log())
		}
		// WebSocket clients still connect on / and on any path.
		for _, path := range []string{"/", "/studio/", "/any"} {
			c := mustDialWS(t, o.addr+path)
			if r, err := c.exchange(`{"command":"mode"}`, "mode"); err != nil || !strings.Contains(r, `"success":true`) {
				t.Errorf("%s: %s %v", path, r, err)
			}
			c.c.Close(websocket.StatusNormalClosure, "")
		}
	})

	t.Run("rest", func(t *testing.T) {
		o := startOnline(t, "-s", "RESTFUL")
		page(t, o.addr)
		model, err := os.ReadFile("../../internal/studio/testdata/Counter.json")
		if err != nil {
			t.Fatal(err)
		}
		if code, body := rest(t, "POST", o.addr, "load?seed=1", string(model), nil); code != 200 || !strings.Contains(body, `"ok"`) {
			t.Fatalf("load: %d %s", code, body)
		}
		res, err := http.Get("http://" + o.addr + "/studio/api/sessions")
		if err != nil {
			t.Fatal(err)
		}
		var rows []struct {
			ID      string `json:"id"`
			Service string `json:"service"`
		}
		json.NewDecoder(res.Body).Decode(&rows)
		res.Body.Close()
		if len(rows) != 1 || rows[0].Service != "rest" {
			t.Fatalf("sessions %+v", rows)
		}
		control := func(action string) {
			res, err := http.Post("http://"+o.addr+"/studio/api/sessions/"+rows[0].ID+"/"+action, "", nil)
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("%s: %v %v", action, res, err)
			}
			res.Body.Close()
		}
		control("pause")
		got := make(chan string, 2)
		go func() {
			for range 2 {
				_, body := rest(t, "GET", o.addr, "getNext", "", nil)
				got <- body
			}
		}()
		select {
		case b := <-got:
			t.Fatalf("a paused session answered getNext: %s", b)
		case <-time.After(300 * time.Millisecond):
		}
		control("step")
		if b := <-got; !strings.Contains(b, `"currentElementName":"v_Start"`) {
			t.Errorf("the released step: %s", b)
		}
		select {
		case b := <-got:
			t.Fatalf("Step released two steps: %s", b)
		case <-time.After(300 * time.Millisecond):
		}
		control("resume")
		if b := <-got; !strings.Contains(b, `"currentElementName":"e_Inc"`) {
			t.Errorf("after resume: %s", b)
		}
		// A page watching the session does not hold up the shutdown.
		res, err = http.Get("http://" + o.addr + "/studio/api/sessions/" + rows[0].ID + "/events")
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("watch: %v %v", res, err)
		}
		defer res.Body.Close()
		if code, took := o.stop(); code != 0 || took > 3*time.Second {
			t.Errorf("stopping with a page watching: exit %d after %v", code, took)
		}
	})
}
