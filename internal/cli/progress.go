package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gw-project/gw/internal/machine"
)

// progress shows a long walk's progress on a terminal's stderr: one line,
// redrawn at most five times a second, and a summary at the end. stdout is
// untouched, so piped output stays exactly GraphWalker's.
type progress struct {
	w     io.Writer
	m     *machine.Machine
	start time.Time
	next  time.Time // when the line may be redrawn
	shown bool
	now   func() time.Time
}

// progressEvery is how often the line is redrawn (a variable for tests).
var progressEvery = 200 * time.Millisecond

func newProgress(w io.Writer, m *machine.Machine) *progress {
	p := &progress{w: w, m: m, now: time.Now}
	p.start = p.now()
	p.next = p.start.Add(progressEvery)
	return p
}

// step is called after every step.
func (p *progress) step() {
	if p == nil {
		return
	}
	if now := p.now(); !now.Before(p.next) {
		p.next = now.Add(progressEvery)
		fmt.Fprintf(p.w, "\r\x1b[K%s", p.status(now))
		p.shown = true
	}
}

// clear removes the progress line (before an error is printed).
func (p *progress) clear() {
	if p != nil && p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// done replaces the line by the summary.
func (p *progress) done() {
	if p == nil {
		return
	}
	p.clear()
	fmt.Fprintf(p.w, "%s.\n", p.status(p.now()))
}

func (p *progress) status(now time.Time) string {
	edges, visitedE, vertices, visitedV := 0, 0, 0, 0
	for _, c := range p.m.Contexts() {
		edges += len(c.Model().Edges)
		vertices += len(c.Model().Vertices)
		visitedE += c.VisitedEdges()
		visitedV += c.VisitedVertices()
	}
	return fmt.Sprintf("gw offline: %d steps, edges %s, vertices %s, %s",
		p.m.TotalSteps(), percent(visitedE, edges), percent(visitedV, vertices), now.Sub(p.start).Round(100*time.Millisecond))
}

func percent(part, total int) string {
	if total == 0 {
		return "-"
	}
	return fmt.Sprintf("%d%% (%d/%d)", 100*part/total, part, total)
}

// isTerminal reports whether f is a terminal (a character device: good
// enough to tell a console from a pipe or a file).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0 && st.Mode()&os.ModeNamedPipe == 0
}
