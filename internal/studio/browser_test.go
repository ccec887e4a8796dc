package studio

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/gwtest"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/server/rest"
	"github.com/gw-project/gw/internal/server/ws"
	"github.com/gw-project/gw/internal/session"
)

// findBrowser returns Chromium's path; without one the test fails in CI
// (CI=true) and is skipped elsewhere.
func findBrowser(t *testing.T) string {
	t.Helper()
	return gwtest.Program(t, "chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
}

// browser starts a headless Chromium for the whole test.
func browser(t *testing.T) context.Context {
	path := findBrowser(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path),
		chromedp.NoSandbox, chromedp.WindowSize(1400, 1000), chromedp.DisableGPU)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}

// do runs actions in the page or fails the test.
func do(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates JavaScript in the page.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// until waits (5 s at most) for a JavaScript condition to hold in the page.
func until(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("waiting for %s: %v", js, err)
	}
}

// tab opens a new tab bounded by d.
func tab(t *testing.T, browser context.Context, d time.Duration) context.Context {
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	ctx, cancel2 := context.WithTimeout(ctx, d)
	t.Cleanup(cancel2)
	return ctx
}

// gwServer serves what gw online serves on one port: the studio, and the
// WebSocket (upgrades) or REST (/graphwalker/) service.
func gwServer(t *testing.T, service string, hub *session.Hub) *httptest.Server {
	t.Helper()
	st, err := New(Options{Hub: hub, Service: service, Host: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	var svc http.Handler
	if service == "rest" {
		r, err := rest.NewHandler(rest.Options{Host: "127.0.0.1", Hub: hub})
		if err != nil {
			t.Fatal(err)
		}
		svc = r
	} else {
		w := ws.NewHandler(ws.Options{Host: "127.0.0.1", Hub: hub})
		t.Cleanup(func() { w.Shutdown(context.Background()) })
		svc = w
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") || strings.HasPrefix(r.URL.Path, "/graphwalker/") {
			svc.ServeHTTP(w, r)
			return
		}
		st.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	dirs := []string{t.TempDir()}
	if d := os.Getenv("GW_STUDIO_SCREENSHOTS"); d != "" {
		os.MkdirAll(d, 0o755)
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		p := filepath.Join(d, name+".png")
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Error(err)
		}
	}
	t.Logf("screenshot %s.png in %v", name, dirs)
}

// expectedWalk is what a machine takes in n steps from the models the
// layout endpoint gives for file, with seed: the ids of the elements
// visited and the data after them.
func expectedWalk(t *testing.T, srvURL, file string, seed int64, n int) (visited []string, data map[string]string) {
	var a struct {
		GW json.RawMessage `json:"gw"`
	}
	if code, msg := call(t, "POST", srvURL+"/studio/api/layout?name="+filepath.Base(file), bytes.NewReader(readFile(t, file)), nil, &a); code != 200 {
		t.Fatal(code, msg)
	}
	doc, err := gwjson.Parse(a.GW, file)
	if err != nil {
		t.Fatal(err)
	}
	m, err := machine.New(doc.Models, machine.Options{Seed: seed, HasSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	seen := map[string]bool{}
	for range n {
		st, err := m.Next()
		if err != nil {
			t.Fatal(err)
		}
		seen[st.Model().ElementID(st.Element)] = true
	}
	for id := range seen {
		visited = append(visited, id)
	}
	slices.Sort(visited)
	kv, err := m.Data()
	if err != nil {
		t.Fatal(err)
	}
	data = map[string]string{}
	for _, e := range kv {
		data[e.Key] = e.Value
	}
	return visited, data
}

const (
	jsPathLen  = `document.querySelectorAll('#run-view ol.path li').length`
	jsVisited  = `[...document.querySelectorAll('#run-view svg g.visited')].map(g => g.dataset.id).sort()`
	jsGetNexts = `[...document.querySelectorAll('#log .frame.recv')].filter(f => f.textContent.includes('"command": "getNext"')).length`
	jsData     = `Object.fromEntries([...document.querySelectorAll('#run-view table.data tr')].map(r => [r.cells[0].textContent, r.cells[1] ? r.cells[1].textContent : '']))`
)

// loadAndStep loads file through the file input with seed, clicks Step n
// times and checks the page against a machine walking the same models.
func loadAndStep(t *testing.T, ctx context.Context, srvURL, file string, seed int64, n int) map[string]string {
	abs, _ := filepath.Abs(file)
	framesBefore := eval[int](t, ctx, jsGetNexts)
	do(t, ctx, "loading "+file,
		chromedp.SetValue(chromedp.CSS("#seed"), fmt.Sprint(seed)),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{abs}),
		chromedp.WaitEnabled(chromedp.CSS("#run-step")))
	until(t, ctx, fmt.Sprintf(`document.querySelector('#model-name').textContent.startsWith(%q)`, filepath.Base(file)))
	for i := 1; i <= n; i++ {
		do(t, ctx, "Step", chromedp.Click(chromedp.CSS("#run-step")))
		until(t, ctx, fmt.Sprintf("%s >= %d", jsPathLen, i))
		if got := eval[int](t, ctx, jsPathLen); got != i {
			t.Fatalf("step %d: %d steps listed", i, got)
		}
	}
	visited := eval[[]string](t, ctx, jsVisited)
	data := eval[map[string]string](t, ctx, jsData)
	frames := eval[int](t, ctx, jsGetNexts) - framesBefore
	wantVisited, wantData := expectedWalk(t, srvURL, file, seed, n)
	if !slices.Equal(visited, wantVisited) {
		t.Errorf("%s: the page shows %v visited, the machine visited %v", file, visited, wantVisited)
	}
	for k, v := range wantData {
		if data[k] != v {
			t.Errorf("%s: the data panel shows %s = %q, the machine has %q (panel: %v)", file, k, data[k], v, data)
		}
	}
	if frames != n {
		t.Errorf("the console logged %d getNext replies, want %d", frames, n)
	}
	return data
}

func TestBrowser(t *testing.T) {
	b := browser(t)
	t0 := time.Now()
	defer func() { t.Logf("browser tests took %v", time.Since(t0).Round(time.Millisecond)) }()

	t.Run("websocket console: file input, 20 steps, GraphML, bad file", func(t *testing.T) {
		srv := gwServer(t, "websocket", session.NewHub())
		ctx := tab(t, b, 30*time.Second)
		do(t, ctx, "opening the page", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
		data := loadAndStep(t, ctx, srv.URL, "testdata/Choice.json", 7, 20)
		if data["count"] == "" || data["stays"] == "" {
			t.Errorf("no data values shown: %v", data)
		}
		screenshot(t, ctx, "choice-20-steps")

		loadAndStep(t, ctx, srv.URL, "testdata/Login.graphml", 3, 12)
		tabs := eval[[]string](t, ctx, `[...document.querySelectorAll('#run-view .tabs button')].map(b => b.textContent)`)
		guards := eval[int](t, ctx, `[...document.querySelectorAll('#run-view svg g.edge title')].filter(t => t.textContent.includes('guard: ')).length`)
		starts := eval[int](t, ctx, `document.querySelectorAll('#run-view svg g.start').length`)
		vertices := eval[int](t, ctx, `document.querySelectorAll('#run-view svg g.vertex').length`)
		if !slices.Equal(tabs, []string{"Login"}) || guards != 2 || starts != 1 || vertices != 3 {
			t.Errorf("GraphML drawing: tabs %v, %d guards on hover, %d start elements, %d vertices", tabs, guards, starts, vertices)
		}
		screenshot(t, ctx, "login-graphml")

		// A broken file shows its error and leaves the drawing alone.
		abs, _ := filepath.Abs("testdata/Broken.json")
		do(t, ctx, "loading a broken file", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{abs}), chromedp.WaitVisible(chromedp.CSS("#error")))
		errText := eval[string](t, ctx, `document.querySelector('#error-text').textContent`)
		vertices = eval[int](t, ctx, `document.querySelectorAll('#run-view svg g.vertex').length`)
		if !strings.Contains(errText, "Broken.json") || vertices != 3 {
			t.Errorf("bad file: error %q, %d vertices still drawn", errText, vertices)
		}
		screenshot(t, ctx, "bad-file")

		// Drag and drop: a file dropped anywhere on the page is loaded.
		counter, _ := json.Marshal(string(readFile(t, "testdata/Counter.json")))
		eval[bool](t, ctx, `(() => {
			const dt = new DataTransfer();
			dt.items.add(new File([`+string(counter)+`], 'Dropped.json', { type: 'application/json' }));
			document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
			return true;
		})()`)
		until(t, ctx, `document.querySelector('#model-name').textContent.startsWith('Dropped.json: Counter')`)
		if n := eval[int](t, ctx, `document.querySelectorAll('#run-view svg g.vertex').length`); n != 2 {
			t.Errorf("the dropped model shows %d vertices, want 2", n)
		}
	})

	t.Run("REST console: load and step the service's own machine", func(t *testing.T) {
		srv := gwServer(t, "rest", session.NewHub())
		ctx := tab(t, b, 20*time.Second)
		abs, _ := filepath.Abs("testdata/Counter.json")
		do(t, ctx, "loading", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{abs}), chromedp.WaitEnabled(chromedp.CSS("#run-step")))
		for i := 1; i <= 6; i++ {
			do(t, ctx, "Step", chromedp.Click(chromedp.CSS("#run-step")))
			until(t, ctx, fmt.Sprintf(`[...document.querySelectorAll('#log .frame.recv')].filter(f => f.textContent.includes('currentElementName')).length >= %d`, i))
		}
		// The view follows the service's session through its watch stream.
		until(t, ctx, jsPathLen+" === 6")
		until(t, ctx, `[...document.querySelectorAll('#run-view table.data td.value')].some(td => td.textContent === '2')`)
		if v := eval[[]string](t, ctx, jsVisited); !slices.Equal(v, []string{"e0", "e1", "n0", "n1"}) {
			t.Errorf("visited %v", v)
		}
		screenshot(t, ctx, "rest-console")
	})

	t.Run("watch, pause, step and break a REST session driven as AltWalker drives it", func(t *testing.T) {
		hub := session.NewHub()
		srv := gwServer(t, "rest", hub)
		c := newRESTClient(t, srv.URL)
		c.ask(5)
		waitFor(t, "5 steps", func() bool { return c.done.Load() == 5 })
		ids := hub.List()
		if len(ids) != 1 || ids[0].Service != "rest" {
			t.Fatalf("sessions %+v", ids)
		}
		c.s = hub.Get(ids[0].ID)
		ctx := tab(t, b, 30*time.Second)
		row := fmt.Sprintf(`#sessions tr[data-id="%s"] button.watch`, c.s.ID)
		do(t, ctx, "watching", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
			chromedp.Click(chromedp.CSS(`header .tab[data-page="sessions"]`)),
			chromedp.WaitVisible(chromedp.CSS(row)), chromedp.Click(chromedp.CSS(row)),
			chromedp.WaitVisible(chromedp.CSS(`#watch-view svg g.vertex`)))
		until(t, ctx, `document.querySelector('#w-state').textContent === 'running'`)
		// Pause: the client's next step waits.
		do(t, ctx, "Pause", chromedp.Click(chromedp.CSS("#w-pause")))
		waitFor(t, "paused", func() bool { return c.s.Control().Paused })
		c.ask(10)
		until(t, ctx, `document.querySelector('#w-state').textContent.startsWith('held')`)
		time.Sleep(50 * time.Millisecond)
		if n := c.done.Load(); n != 5 {
			t.Fatalf("a paused session took %d steps", n-5)
		}
		// Step releases exactly one.
		do(t, ctx, "Step", chromedp.Click(chromedp.CSS("#w-step")))
		waitFor(t, "one step", func() bool { return c.done.Load() == 6 && c.s.Control().Waiting })
		time.Sleep(50 * time.Millisecond)
		if n := c.done.Load(); n != 6 {
			t.Fatalf("Step released %d steps", n-5)
		}
		// A broken condition is refused; one that throws shows its error;
		// count >= 3 stops the walk after step 10 (e_Inc).
		do(t, ctx, "a broken condition", chromedp.SetValue(chromedp.CSS("#bp-condition"), "count >"), chromedp.Click(chromedp.CSS("#bp-add")))
		until(t, ctx, `document.querySelector('#bp-errors').textContent.includes('not a JavaScript expression')`)
		// Clicking an element picks it for an element breakpoint.
		do(t, ctx, "picking an element", chromedp.Click(chromedp.CSS(`#watch-view svg g.vertex[data-name="v_Counted"] rect`)))
		if v := eval[string](t, ctx, `document.querySelector('#bp-element').value`); v != "v_Counted" {
			t.Errorf("clicking v_Counted put %q in the breakpoint's element", v)
		}
		eval[bool](t, ctx, `(document.querySelector('#bp-element').value = '') === ''`)
		do(t, ctx, "breakpoints",
			chromedp.SetValue(chromedp.CSS("#bp-condition"), "count >= 3"), chromedp.Click(chromedp.CSS("#bp-add")),
			chromedp.WaitVisible(chromedp.CSS(`#bp-list li[data-id="b1"]`)),
			chromedp.SetValue(chromedp.CSS("#bp-condition"), "nosuch.x > 1"), chromedp.Click(chromedp.CSS("#bp-add")),
			chromedp.WaitVisible(chromedp.CSS(`#bp-list li[data-id="b2"]`)),
			chromedp.Click(chromedp.CSS("#w-resume")))
		until(t, ctx, `document.querySelector('#w-state').textContent.includes('breakpoint b1')`)
		until(t, ctx, `document.querySelector('#bp-errors').textContent.includes('nosuch')`)
		if n := c.done.Load(); n != 10 {
			t.Errorf("the breakpoint count >= 3 stopped the walk after step %d, want 10", n)
		}
		until(t, ctx, `document.querySelectorAll('#watch-view ol.path li').length >= 5`)
		watchedSteps := eval[int](t, ctx, `document.querySelectorAll('#watch-view ol.path li').length`)
		unvisited := eval[int](t, ctx, `document.querySelectorAll('#watch-view svg g.unvisited').length`)
		if watchedSteps != 5 || unvisited != 0 {
			t.Errorf("the watch view lists %d steps since watching (want 5), %d elements unvisited (want 0)", watchedSteps, unvisited)
		}
		screenshot(t, ctx, "watch-breakpoint")
	})
}

// restClient drives the REST service as AltWalker does: it loads
// testdata/Counter.json with a seed, then, per ask, GET hasNext and GET
// getNext.
type restClient struct {
	s    *session.Session
	asks chan struct{}
	done atomic.Int64
}

func newRESTClient(t *testing.T, base string) *restClient {
	t.Helper()
	get := func(method, path string, body []byte) string {
		req, _ := http.NewRequest(method, base+"/graphwalker/"+path, bytes.NewReader(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err.Error()
		}
		defer res.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(res.Body)
		return b.String()
	}
	if r := get("POST", "load?seed=1", readFile(t, "testdata/Counter.json")); !strings.Contains(r, `"ok"`) {
		t.Fatalf("load: %s", r)
	}
	if r := get("PUT", "restart", nil); !strings.Contains(r, `"ok"`) {
		t.Fatalf("restart: %s", r)
	}
	c := &restClient{asks: make(chan struct{}, 100)}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for range c.asks {
			if r := get("GET", "hasNext", nil); !strings.Contains(r, `"hasNext":"true"`) {
				t.Errorf("hasNext: %s", r)
				return
			}
			if r := get("GET", "getNext", nil); !strings.Contains(r, `"currentElementName"`) {
				t.Errorf("getNext: %s", r)
				return
			}
			c.done.Add(1)
		}
	}()
	t.Cleanup(func() {
		close(c.asks)
		if c.s != nil {
			c.s.SetBreakpoints(nil)
			c.s.Resume()
		}
		<-stopped
	})
	return c
}

func (c *restClient) ask(n int) {
	for range n {
		c.asks <- struct{}{}
	}
}
