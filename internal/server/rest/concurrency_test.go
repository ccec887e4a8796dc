package rest

import (
	"fmt"
	"github.com/gw-project/gw/internal/script"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestConcurrentClients: many clients at once on one machine, every
// endpoint mixed, loads and restarts included. Run with -race; every reply
// must be a 200 with result ok or nok (fail always answers nok).
func TestConcurrentClients(t *testing.T) {
	ts := newTestServer(t, Options{Verbose: true, Unvisited: true, Blocked: true, Script: script.Limits{Timeout: time.Second}})
	uc01 := string(readFile(t, "UC01.json"))
	login := string(readFile(t, "Login.json"))
	ts.must("POST", "/graphwalker/load?seed=1", uc01, `{"result":"ok","seed":"1"}`)
	clients, rounds := 8, 150
	if testing.Short() {
		rounds = 30
	}
	var wg sync.WaitGroup
	errs := make(chan string, clients*rounds)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(c), 1))
			for range rounds {
				var method, path, body string
				switch x := rnd.IntN(100); {
				case x < 25:
					method, path = "GET", "hasNext"
				case x < 50:
					method, path = "GET", "getNext"
				case x < 70:
					method, path = "GET", "getData"
				case x < 80:
					method, path = "PUT", fmt.Sprintf("setData/%s=%d", quote(fmt.Sprintf("client%d", c)), rnd.IntN(100))
				case x < 88:
					method, path = "GET", "getStatistics"
				case x < 92:
					method, path = "PUT", "fail/"+quote("client failure")
				case x < 96:
					method, path = "PUT", "restart"
				case x < 98:
					method, path, body = "POST", fmt.Sprintf("load?seed=%d", rnd.IntN(1000)), uc01
				default:
					method, path, body = "POST", "load", login
				}
				status, reply := ts.do(method, "/graphwalker/"+path, body)
				r := decode(t, reply)
				if status != 200 || (r["result"] != "ok" && r["result"] != "nok") {
					errs <- fmt.Sprintf("%s %s: %d %s", method, path, status, reply)
				}
				if r["result"] == "nok" && !strings.HasPrefix(path, "fail/") && !strings.HasPrefix(path, "getNext") && !strings.HasPrefix(path, "setData") {
					errs <- fmt.Sprintf("%s %s: %s", method, path, reply)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestEndlessScripts: scripts that never end are cut at the script
// deadline; a request that finds the machine busy waits at most for that
// script, and an endless INIT action in a load blocks nobody.
func TestEndlessScripts(t *testing.T) {
	const timeout = 500 * time.Millisecond
	ts := newTestServer(t, Options{Script: script.Limits{Timeout: timeout}})
	ts.must("POST", "/graphwalker/load?seed=1", string(readFile(t, "UC01.json")), `{"result":"ok","seed":"1"}`)

	// An endless INIT action: the load is built outside the lock.
	endlessInit := `{"models":[{"name":"M","generator":"random(never)","startElementId":"v","vertices":[{"id":"v"}],"actions":["while(true){}"]}]}`
	var loadDone, otherDone time.Time
	var loadReply string
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, loadReply = ts.do("POST", "/graphwalker/load", endlessInit)
		loadDone = time.Now()
	}()
	time.Sleep(timeout / 5)
	ts.must("GET", "/graphwalker/hasNext", "", `{"result":"ok","hasNext":"true"}`)
	otherDone = time.Now()
	wg.Wait()
	if !strings.Contains(loadReply, "deadline") {
		t.Errorf("load with an endless INIT action: %s", loadReply)
	}
	if !otherDone.Before(loadDone) {
		t.Errorf("hasNext waited for a load whose INIT action never ends")
	}

	// An endless edge action runs under the lock: it is cut, the model
	// fails, and a concurrent request waits only for the cut.
	endlessAction := `{"models":[{"name":"M","generator":"random(never)","startElementId":"e0",
		"vertices":[{"id":"v0","name":"v_A"}],
		"edges":[{"id":"e0","name":"e_Start","targetVertexId":"v0","actions":["while(true){}"]},{"id":"e1","name":"e_Loop","sourceVertexId":"v0","targetVertexId":"v0"}]}]}`
	ts.must("POST", "/graphwalker/load?seed=2", endlessAction, `{"result":"ok","seed":"2"}`)
	var stepTook, otherTook time.Duration
	var stepReply string
	wg.Add(1)
	go func() {
		defer wg.Done()
		t0 := time.Now()
		_, stepReply = ts.do("GET", "/graphwalker/getNext", "")
		stepTook = time.Since(t0)
	}()
	time.Sleep(timeout / 5)
	t0 := time.Now()
	_, stats := ts.do("GET", "/graphwalker/getStatistics", "")
	otherTook = time.Since(t0)
	wg.Wait()
	if !strings.Contains(stepReply, "deadline") || !strings.Contains(stepReply, `"result":"nok"`) {
		t.Errorf("getNext with an endless action: %s", stepReply)
	}
	if otherTook > stepTook+time.Second {
		t.Errorf("getStatistics took %v while the endless action took %v", otherTook, stepTook)
	}
	if s := decode(t, stats); s["result"] != "ok" {
		t.Errorf("getStatistics: %s", stats)
	}
	if s := decode(t, func() string { _, b := ts.do("GET", "/graphwalker/getStatistics", ""); return b }()); s["totalFailedNumberOfModels"] != 1.0 {
		t.Errorf("after the endless action the model is not FAILED: %v", s)
	}
	ts.must("GET", "/graphwalker/hasNext", "", `{"result":"ok","hasNext":"false"}`)
}
