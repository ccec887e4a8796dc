package cli

import (
	"bufio"
	"strings"
	"testing"
)

// chunks records each write that reaches the underlying writer.
type chunks []string

func (c *chunks) Write(p []byte) (int, error) { *c = append(*c, string(p)); return len(p), nil }

// TestLineWriterFlushesWholeLines: whatever the line lengths, every write
// that leaves the buffer ends with a newline, lines written one by one or
// in batches.
func TestLineWriterFlushesWholeLines(t *testing.T) {
	var got chunks
	w := newLineWriter(bufio.NewWriterSize(&got, 64))
	var want strings.Builder
	n := 0
	for i := range 200 {
		line := strings.Repeat("x", i%150) + "\n"
		want.WriteString(line)
		n++
		if err := w.line([]byte(line)); err != nil {
			t.Fatal(err)
		}
		// Batches of whole lines too (gw offline's default output).
		batch := strings.Repeat(strings.Repeat("y", i%40)+"\n", i%5)
		want.WriteString(batch)
		n += i % 5
		if err := w.lines([]byte(batch), i%5); err != nil {
			t.Fatal(err)
		}
	}
	w.close()
	if err := w.line([]byte("after close\n")); err != nil || w.count() != n {
		t.Errorf("after close: %v, %d lines", err, w.count())
	}
	if w.flush() != nil || strings.Join(got, "") != want.String() {
		t.Fatal("output differs")
	}
	for i, c := range got {
		if !strings.HasSuffix(c, "\n") {
			t.Fatalf("write %d ends mid-line: %q", i, c)
		}
	}
}
