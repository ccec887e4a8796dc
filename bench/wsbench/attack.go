package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/script"
	"github.com/gw-project/gw/internal/server/ws"
	"github.com/gw-project/gw/internal/testmodel"
)

// The -attack mode measures what issue 9's attacks cost everyone else: a
// healthy session walks (hasNext + getNext) while attacker sessions replay
// one reproduction in a loop, each on a fresh session; the healthy
// session's latency is compared with a quiet run of the same length, in
// the same process.

type attackKind struct {
	name  string
	model string   // "" SmallModel; "guards" slow guards; "big" 3 MB model
	setup []string // setData scripts
	msg   string   // "" for a start of the model
	reply string   // the command whose reply ends the attack
}

func setDataMsg(src string) string {
	return `{"command":"setData","action":` + strconv.Quote(src) + `}`
}

func attackKinds() []attackKind {
	deep := strings.Repeat("[", 300000) + "1" + strings.Repeat("]", 300000)
	getter := "Object.defineProperty(this,'g',{get:function(){while(true){}},enumerable:true})"
	return []attackKind{
		{name: "loop: setData while(true)", msg: setDataMsg("while(true){}"), reply: "setData"},
		{name: "getter: getData, endless getter", setup: []string{getter}, msg: `{"command":"getData"}`, reply: "getData"},
		{name: "dag: getData, 2^40 shared array", setup: []string{"var o=[];for(var i=0;i<40;i++)o=[o,o];"}, msg: `{"command":"getData"}`, reply: "getData"},
		{name: "sparse: getData, new Array(2^32-1)", setup: []string{"var a=new Array(4294967295);"}, msg: `{"command":"getData"}`, reply: "getData"},
		{name: "redos: /^(a+)+(?=b)/", msg: setDataMsg("/^(a+)+(?=b)/.test('" + strings.Repeat("a", 40) + "')"), reply: "setData"},
		{name: "builtins: fill, from, indexOf, repeat", msg: setDataMsg("try{new Array(1e8).fill(0)}catch(e){} try{Array.from({length:1e8})}catch(e){} try{new Array(2e9).indexOf(1)}catch(e){} 'x'.repeat(1e8).split('')"), reply: "setData"},
		{name: "doubling: while(true) s=s+s", msg: setDataMsg("var s='x'; while(true) s=s+s"), reply: "setData"},
		{name: "deep: 300k nested brackets", msg: setDataMsg("var x=" + deep + ";"), reply: "setData"},
		{name: "guards: 20 guards of 100 ms", model: "guards", msg: `{"command":"getNext"}`, reply: "getNext"},
		{name: "bigstart: 3 MB model start", model: "big", reply: "start"},
	}
}

func guardsModel() string {
	var edges []string
	for i := range 20 {
		edges = append(edges, fmt.Sprintf(`{"id":"e%d","name":"e_%d","sourceVertexId":"v0","targetVertexId":"v1","guard":"(function(){var t=Date.now();while(Date.now()-t<100){}return false})()"}`, i, i))
	}
	return `{"models":[{"name":"Guards","id":"g","generator":"random(never)","startElementId":"v0",` +
		`"vertices":[{"id":"v0","name":"v_Start"},{"id":"v1","name":"v_End"}],"edges":[` + strings.Join(edges, ",") + `]}]}`
}

// exchange sends msg and reads up to the reply to command name.
func exchange(ctx context.Context, c *websocket.Conn, msg, name string) error {
	if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		return err
	}
	re := regexp.MustCompile(`"(?:command|type)":"` + regexp.QuoteMeta(name) + `"`)
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			return err
		}
		if re.Match(b) || !bytes.Contains(b, []byte(`"command"`)) {
			return nil
		}
	}
}

// attackOnce plays k on a fresh session.
func attackOnce(url string, k attackKind, models map[string]string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		return err
	}
	defer c.CloseNow()
	c.SetReadLimit(-1)
	if err := exchange(ctx, c, `{"command":"start","gw":`+models[k.model]+`}`, "start"); err != nil {
		return err
	}
	for _, s := range k.setup {
		if err := exchange(ctx, c, setDataMsg(s), "setData"); err != nil {
			return err
		}
	}
	if k.msg != "" {
		if k.model == "guards" {
			exchange(ctx, c, `{"command":"getNext"}`, "getNext") // the start vertex
		}
		if err := exchange(ctx, c, k.msg, k.reply); err != nil {
			return err
		}
	}
	c.Close(websocket.StatusNormalClosure, "")
	return nil
}

type phase struct {
	name     string
	steps    []time.Duration
	elapsed  time.Duration
	attacks  int64
	failures int64
}

// attackRun measures the healthy session for dur while attackers replay
// kinds (none: the quiet baseline).
func attackRun(url string, kinds []attackKind, attackers int, dur time.Duration, models map[string]string) (phase, error) {
	ctx := context.Background()
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	c, _, err := websocket.Dial(dctx, url, nil)
	cancel()
	if err != nil {
		return phase{}, err
	}
	defer c.CloseNow()
	h := &conn{c, ctx}
	if err := h.call(`{"command":"start","seed":1,"gw":`+model+`}`, 1); err != nil {
		return phase{}, err
	}
	var stop atomic.Bool
	var done, failed atomic.Int64
	var wg sync.WaitGroup
	if len(kinds) > 0 {
		for i := range attackers {
			wg.Go(func() {
				for j := i; !stop.Load(); j++ {
					if err := attackOnce(url, kinds[j%len(kinds)], models); err != nil {
						failed.Add(1)
						time.Sleep(10 * time.Millisecond)
						continue
					}
					done.Add(1)
				}
			})
		}
	}
	var lat []time.Duration
	start := time.Now()
	for time.Since(start) < dur {
		t := time.Now()
		if err := h.call(`{"command":"hasNext"}`, 1); err != nil {
			return phase{}, err
		}
		if err := h.call(`{"command":"getNext"}`, 2); err != nil {
			return phase{}, err
		}
		lat = append(lat, time.Since(t))
	}
	elapsed := time.Since(start)
	stop.Store(true)
	wg.Wait()
	c.Close(websocket.StatusNormalClosure, "")
	slices.Sort(lat)
	return phase{steps: lat, elapsed: elapsed, attacks: done.Load(), failures: failed.Load()}, nil
}

func quantile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

// runAttacks prints the healthy session's latency, quiet and under each
// attack (and all of them mixed).
func runAttacks(url string, attackers int, dur time.Duration, only string, inProcess bool) error {
	models := map[string]string{"": model, "guards": guardsModel(), "big": testmodel.Plain(3 << 20)}
	kinds := attackKinds()
	if only != "" && only != "all" {
		kinds = slices.DeleteFunc(kinds, func(k attackKind) bool { return !strings.HasPrefix(k.name, only) })
		if len(kinds) == 0 {
			return fmt.Errorf("no attack named %q", only)
		}
	}
	fmt.Printf("healthy session (hasNext + getNext) while %d attacker sessions replay each attack, %s per run\n", attackers, dur)
	fmt.Printf("%-40s %9s %9s %9s %9s %8s %8s\n", "attack", "steps/s", "p50", "p99", "max", "p99 ×", "attacks")
	quiet, err := attackRun(url, nil, 0, dur, models)
	if err != nil {
		return err
	}
	print := func(name string, p phase) {
		ratio := float64(quantile(p.steps, 0.99)) / float64(quantile(quiet.steps, 0.99))
		att := strconv.FormatInt(p.attacks, 10)
		if p.failures > 0 {
			att += fmt.Sprintf(" (%d failed)", p.failures)
		}
		fmt.Printf("%-40s %9.0f %9s %9s %9s %8.1f %8s\n", name, float64(len(p.steps))/p.elapsed.Seconds(),
			round(quantile(p.steps, 0.5)), round(quantile(p.steps, 0.99)), round(p.steps[len(p.steps)-1]), ratio, att)
	}
	print("none (quiet)", quiet)
	if inProcess {
		// What any CPU-bound work costs the others on this machine: as
		// many Go busy loops as attackers, no script at all.
		var stop atomic.Bool
		for range attackers {
			go func() {
				for x := 0; !stop.Load(); x++ {
				}
			}()
		}
		p, err := attackRun(url, nil, 0, dur, models)
		stop.Store(true)
		if err != nil {
			return err
		}
		print(fmt.Sprintf("reference: %d Go busy loops, no script", attackers), p)
	}
	for _, k := range kinds {
		p, err := attackRun(url, []attackKind{k}, attackers, dur, models)
		if err != nil {
			return fmt.Errorf("%s: %w", k.name, err)
		}
		print(k.name, p)
	}
	if len(kinds) > 1 {
		p, err := attackRun(url, kinds, attackers, dur, models)
		if err != nil {
			return err
		}
		print("all of them, mixed", p)
	}
	return nil
}

// attackMain runs -attack against url, or against an in-process server
// with gw online's defaults.
func attackMain(url, only string, attackers int, dur time.Duration) error {
	inProcess := url == ""
	if inProcess {
		limits.SetBudget(limits.DefaultBudget())
		srv := ws.NewHandler(ws.Options{})
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		hs := &http.Server{Handler: srv}
		go hs.Serve(l)
		defer hs.Close()
		url = "ws://" + l.Addr().String()
		fmt.Printf("in-process server: defaults (script timeout %v, script memory %s, memory budget %s), GOMAXPROCS=%d\n",
			script.DefaultTimeout, limits.FormatSize(script.DefaultMemory), limits.FormatSize(limits.Budget()), runtime.GOMAXPROCS(0))
	}
	return runAttacks(url, attackers, dur, only, inProcess)
}
