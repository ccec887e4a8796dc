package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// lineWriter writes whole lines through a buffer that it flushes only
// between lines, so that however the process ends (a signal, a crash of
// the reader) stdout never ends with a torn line. Safe for concurrent use.
type lineWriter struct {
	mu     sync.Mutex
	w      *bufio.Writer
	closed bool
	n      int // lines written
}

func newLineWriter(w io.Writer) *lineWriter {
	bw, ok := w.(*bufio.Writer)
	if !ok {
		bw = bufio.NewWriterSize(w, 64<<10)
	}
	return &lineWriter{w: bw}
}

// line writes b, which ends with a newline.
func (l *lineWriter) line(b []byte) error { return l.lines(b, 1) }

// lines writes b, n whole lines (one from line; gw offline's path in
// batches, from the record package's writer goroutine).
func (l *lineWriter) lines(b []byte, n int) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	if len(b) > l.w.Available() && l.w.Buffered() > 0 {
		if err := l.w.Flush(); err != nil {
			return err
		}
	}
	l.n += n
	_, err := l.w.Write(b) // more than the buffer holds goes out in one write, whole lines still
	return err
}

// flush writes what is buffered (whole lines only).
func (l *lineWriter) flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Flush()
}

// close flushes and drops later lines: the process is about to exit.
func (l *lineWriter) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.Flush()
	l.closed = true
}

// count is the number of lines written so far.
func (l *lineWriter) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

// interruptGrace is how long a walk may take to notice an interrupt before
// gw flushes and exits without it.
var interruptGrace = 3 * time.Second

// interrupter turns SIGINT and SIGTERM into a clean end of a walk: the walk
// is asked to stop (abort interrupts a running script; stopped is checked
// between steps and after loading), and its complete lines are flushed. If the walk does
// not stop within interruptGrace, or a second signal comes, the lines are
// flushed from here and the process exits.
type interrupter struct {
	sig    chan os.Signal
	got    atomic.Pointer[os.Signal]
	done   chan struct{}
	wg     sync.WaitGroup
	out    *lineWriter
	stderr io.Writer
	abort  atomic.Pointer[func(error)]
}

// startInterrupter watches for signals from now on; setAbort says how to
// interrupt the walk once there is one.
func startInterrupter(out *lineWriter, stderr io.Writer) *interrupter {
	in := &interrupter{sig: make(chan os.Signal, 2), done: make(chan struct{}), out: out, stderr: stderr}
	signal.Notify(in.sig, os.Interrupt, syscall.SIGTERM)
	in.wg.Add(1)
	go in.watch()
	return in
}

func (in *interrupter) watch() {
	defer in.wg.Done()
	var s os.Signal
	select {
	case s = <-in.sig:
	case <-in.done:
		return
	}
	in.got.Store(&s)
	if abort := in.abort.Load(); abort != nil {
		(*abort)(in.err())
	}
	select {
	case <-in.sig:
	case <-time.After(interruptGrace):
	case <-in.done:
		return
	}
	in.out.close()
	err := in.err()
	fmt.Fprint(in.stderr, err.msg)
	os.Exit(err.code)
}

// setAbort sets the function that interrupts a running script.
func (in *interrupter) setAbort(abort func(error)) {
	in.abort.Store(&abort)
	if in.got.Load() != nil {
		abort(in.err())
	}
}

// stopped is the error to end the walk with once a signal came, else nil.
func (in *interrupter) stopped() *exitError {
	if in.got.Load() == nil {
		return nil
	}
	return in.err()
}

func (in *interrupter) err() *exitError {
	s := *in.got.Load()
	code := 130
	if s == syscall.SIGTERM {
		code = 143
	}
	return &exitError{code: code, msg: fmt.Sprintf("%s after %d steps; the output ends with the last complete step.\n", in.reason(), in.out.count())}
}

// reason says which signal stopped the walk; call it once stopped.
func (in *interrupter) reason() string {
	return fmt.Sprintf("gw offline: interrupted (%s)", sigName(*in.got.Load()))
}

// stop ends the watch; after it returns no signal is handled here.
func (in *interrupter) stop() {
	signal.Stop(in.sig)
	close(in.done)
	in.wg.Wait()
}

func sigName(s os.Signal) string {
	switch s {
	case syscall.SIGTERM:
		return "SIGTERM"
	case os.Interrupt:
		return "SIGINT"
	}
	return s.String()
}
