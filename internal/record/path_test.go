package record

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/gwtest"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
)

// printed gathers what a PathOutput writes; the writer goroutine writes,
// the test reads after Finish.
type printed struct {
	mu     sync.Mutex
	text   strings.Builder
	lines  int
	writes int
	fail   error // returned from the first write on
}

func (p *printed) output() *PathOutput {
	return &PathOutput{
		Line: func(dst []byte, m *model.Model, el model.Element) []byte {
			return append(dst, m.Name+"/"+m.ElementName(el)...)
		},
		Write: func(b []byte, n int) error {
			p.mu.Lock()
			defer p.mu.Unlock()
			p.writes++
			if p.fail != nil {
				return p.fail
			}
			if !strings.HasSuffix(string(b), "\n") || strings.Count(string(b), "\n") != n {
				return errors.New("not " + strconv.Itoa(n) + " whole lines")
			}
			p.text.Write(b)
			p.lines += n
			return nil
		},
	}
}

// The path a Run prints is the walk's, step for step, with a record or
// without, across ring wrap-arounds, in several models, and up to the
// step that failed in its actions.
func TestPathOutput(t *testing.T) {
	petClinic := func(t *testing.T) []*model.Model { return gwtest.Models(t, "testdata/petClinic.json") }
	failing := func(t *testing.T) []*model.Model {
		m := login(t, "random(length(40))")
		m.Edges[1].Actions = []string{"if (n == 2) throw new Error('logout broken');"}
		return []*model.Model{m}
	}
	long := "random(length(" + strconv.Itoa(3*ringSize+17) + "))"
	for _, tc := range []struct {
		name    string
		models  func(*testing.T) []*model.Model
		gen     string
		wantErr string
	}{
		{"login", func(t *testing.T) []*model.Model { return []*model.Model{login(t, "")} }, "random(edge_coverage(100))", ""},
		{"long walk", func(t *testing.T) []*model.Model { return []*model.Model{login(t, "")} }, long, ""},
		{"models joined", petClinic, "", ""},
		{"failed in its actions", failing, "", "logout broken"},
	} {
		for _, recorded := range []bool{false, true} {
			t.Run(tc.name+"/record="+strconv.FormatBool(recorded), func(t *testing.T) {
				var want strings.Builder
				var p printed
				dir := ""
				if recorded {
					dir = t.TempDir()
				}
				file, err := walkWith(dir, Options{Path: p.output()}, 7, func(s machine.Step) {
					want.WriteString(s.Model().Name + "/" + s.Model().ElementName(s.Element) + "\n")
				}, tc.gen, tc.models(t)...)
				if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
					t.Fatalf("walk error %v, want %q", err, tc.wantErr)
				}
				if got := p.text.String(); got != want.String() {
					t.Fatalf("printed %d lines, want %d; last printed %q, want %q", p.lines, strings.Count(want.String(), "\n"),
						tail(got), tail(want.String()))
				}
				if recorded != (file != "") {
					t.Fatalf("record file %q", file)
				}
				if recorded {
					rec, err := ReadFile(file)
					if err != nil {
						t.Fatal(err)
					}
					n := len(rec.Steps)
					if tc.wantErr != "" {
						n++ // the entered step is the error line
					}
					if n != p.lines || rec.End == nil {
						t.Errorf("%d steps recorded (end %v), %d printed", n, rec.End, p.lines)
					}
				}
			})
		}
	}
}

func tail(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// A path that cannot be written stops the walk with the write error, and
// nothing more is written after it.
func TestPathWriteErrorStopsTheWalk(t *testing.T) {
	for _, recorded := range []bool{false, true} {
		t.Run("record="+strconv.FormatBool(recorded), func(t *testing.T) {
			p := printed{fail: errors.New("no space left on device")}
			dir := ""
			if recorded {
				dir = t.TempDir()
			}
			done := make(chan error, 1)
			go func() {
				_, err := walkWith(dir, Options{Path: p.output()}, 7, nil, "random(never)", login(t, ""))
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || err.Error() != "no space left on device" {
					t.Fatalf("walk error %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the walk did not stop")
			}
			if p.writes != 1 {
				t.Errorf("%d writes, want the failed one alone", p.writes)
			}
		})
	}
}

// A record that cannot be created (and is not required) leaves the path
// printed in full.
func TestPathWithoutItsRecord(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var p printed
	var want strings.Builder
	file, err := walkWith(filepath.Join(notADir, "records"), Options{Path: p.output(), Log: newTextLogger(&strings.Builder{})}, 7,
		func(s machine.Step) { want.WriteString("Login/" + s.Model().ElementName(s.Element) + "\n") },
		"random(length(500))", login(t, ""))
	if err != nil || file != "" {
		t.Fatalf("walk: %v, record %q", err, file)
	}
	if p.text.String() != want.String() || p.lines < 500 {
		t.Errorf("printed %d lines, want the walk's %d", p.lines, strings.Count(want.String(), "\n"))
	}
}
