package studio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gw-project/gw/internal/session"
)

// TestPageSmoothness measures (does not assert) how smoothly the page
// lights SuperLarge (787 vertices, 1,550 edges) at 1,000 steps a second:
// for 5 s it visits 10 random elements every 10 ms, as watch updates do,
// and records the intervals between animation frames. Run with
// GW_STUDIO_BENCH=1 (BENCHMARKS.md has the figures).
func TestPageSmoothness(t *testing.T) {
	if os.Getenv("GW_STUDIO_BENCH") == "" {
		t.Skip("a measurement, not a test: set GW_STUDIO_BENCH=1 to run it")
	}
	b := browser(t)
	srv := gwServer(t, "websocket", session.NewHub())
	{
		var a struct {
			Scene json.RawMessage `json:"scene"`
		}
		body := readFile(t, "../layout/testdata/SuperLarge.json")
		if code, msg := call(t, "POST", srv.URL+"/studio/api/layout?name=SuperLarge.json", bytes.NewReader(body), nil, &a); code != 200 {
			t.Fatal(code, msg)
		}
		ctx := tab(t, b, 60*time.Second)
		do(t, ctx, "opening the page", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
		t0 := time.Now()
		eval[bool](t, ctx, `run.view.load(`+string(a.Scene)+`), true`)
		loadTime := time.Since(t0)
		for _, rate := range []int{0, 1000} {
			type result struct {
				Steps  int       `json:"steps"`
				Frames int       `json:"frames"`
				P50    float64   `json:"p50"`
				P95    float64   `json:"p95"`
				Max    float64   `json:"max"`
				Worst  []float64 `json:"worst"`
			}
			r, err := chromedp.Run(ctx, chromedp.Evaluate[result](fmt.Sprintf(`new Promise(done => {
			const v = run.view, n = v.counts[0].length, gaps = [];
			let steps = 0, last = performance.now(), end = last + 5000;
			const start = last, RATE = %d / 1000;
			const timer = setInterval(() => { // RATE steps a millisecond, whatever the timer's pace
				const due = Math.floor(performance.now() - start);
				for (; steps < due * RATE; steps++) v.visit(0, Math.floor(Math.random() * n));
			}, 10);
			const frame = now => {
				gaps.push(now - last); last = now;
				if (now < end) { requestAnimationFrame(frame); return; }
				clearInterval(timer);
				gaps.sort((a, b) => a - b);
				done({ steps, frames: gaps.length, p50: gaps[gaps.length >> 1], p95: gaps[Math.floor(gaps.length * 0.95)], max: gaps[gaps.length - 1], worst: gaps.slice(-5) });
			};
			requestAnimationFrame(frame);
		})`, rate), chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("SuperLarge (its own coordinates; the page draws it in %v), %d steps/s: %d steps in 5 s, %d frames, frame interval p50 %.1f ms, p95 %.1f ms, max %.1f ms (worst %v)",
				loadTime.Round(time.Millisecond), rate, r.Steps, r.Frames, r.P50, r.P95, r.Max, r.Worst)
		}
	}
}
