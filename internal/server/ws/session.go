package ws

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/gw-project/gw/internal/jsonx"
	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/server/httpguard"
	hubpkg "github.com/gw-project/gw/internal/session"
)

// keepBuffer is the largest read buffer a session keeps between messages;
// a bigger one (a large model) is dropped so idle sessions stay small. It
// is also what a message may take before it must reserve memory budget.
const keepBuffer = httpguard.FreeBytes

// reserveWait is how long a large message waits for memory budget held
// by others before it is refused.
const reserveWait = 30 * time.Second

// session is one connection: its machine, the models loaded with the 3.x
// loadModel, and reusable buffers. Only the session's goroutine touches it.
type session struct {
	srv  *Server
	conn *websocket.Conn // nil in tests that drive handle directly
	raw  net.Conn        // the hijacked connection under conn, if known
	id   uint64
	log  *slog.Logger

	// hs is the session in the hub: watchers see its steps, the studio
	// may pause it. The session's goroutine holds its lock while it
	// handles a message. ctx ends when the connection is closed.
	hs      *hubpkg.Session
	dialect string
	ctx     context.Context
	cancel  context.CancelFunc

	m      *machine.Machine
	legacy []*model.Model // 3.x loadModel models, in load order
	// mach is m for other goroutines: Shutdown aborts its scripts.
	mach atomic.Pointer[machine.Machine]

	// cur is the reply name of the command being handled (for the panic
	// reply), curLegacy whether it came in the 3.x dialect.
	cur       string
	curLegacy bool

	// write sends one text message; tests replace it.
	write func([]byte) error

	in    []byte                // the message being read
	res   httpguard.Reservation // memory budget the message holds
	paced httpguard.Paced       // r of a message, at a minimum rate
	wdl   atomic.Int64          // the write deadline set on raw, Unix ns
	wt    *httpguard.Timeouts   // the server's, for write deadlines
	out   []byte
	obj   jsonx.Object
	sub   jsonx.Object
	arr   jsonx.Array
	idle  *time.Timer
}

func newSession(srv *Server, remote string) *session {
	s := &session{srv: srv, id: srv.nextID.Add(1)}
	s.log = srv.log.With("session", s.id, "remote", remote)
	s.open(remote)
	return s
}

// open registers the session in the server's hub.
func (s *session) open(remote string) {
	s.ctx, s.cancel = context.WithCancel(s.srv.ctx)
	s.hs = s.srv.hub.Open(hubpkg.Info{Service: "websocket", Client: remote})
}

// attach gives the session its connection (and the TCP connection under
// it, which Shutdown may cut).
func (s *session) attach(conn *websocket.Conn, raw net.Conn, t *httpguard.Timeouts) {
	s.conn, s.raw, s.wt = conn, raw, t
	s.write = func(b []byte) error {
		s.writeDeadline(len(b))
		return conn.Write(context.Background(), websocket.MessageText, b)
	}
	if s.srv.idle > 0 {
		s.idle = time.AfterFunc(s.srv.idle, func() {
			s.log.Info("closing idle connection", "idle", s.srv.idle)
			s.close(websocket.StatusNormalClosure, "idle timeout: no message for "+s.srv.idle.String())
		})
	}
}

// writeDeadline bounds the time the client may take to read a message of
// n bytes (a client that stops reading would otherwise hold its session
// in a write for ever). The deadline is moved only when it comes near, so
// that most messages cost no timer update. Any goroutine that is about to
// write (a pong, a close frame) calls it.
func (s *session) writeDeadline(n int) {
	if s.raw == nil {
		return
	}
	now := time.Now()
	need := s.wt.WriteTime(n)
	if time.Duration(s.wdl.Load()-now.UnixNano()) < need-s.wt.WriteGrace/2 {
		dl := now.Add(need)
		s.wdl.Store(dl.UnixNano())
		s.raw.SetWriteDeadline(dl)
	}
}

// close closes the session's connection with a close handshake, from any
// goroutine.
func (s *session) close(code websocket.StatusCode, reason string) {
	if s.cancel != nil {
		s.cancel() // a getNext held by a pause gives up
	}
	s.writeDeadline(0)
	s.conn.Close(code, reason)
}

// touch restarts the idle timer.
func (s *session) touch() {
	if s.idle != nil {
		s.idle.Reset(s.srv.idle)
	}
}

// run reads messages until the connection ends. Reads use a context
// without deadline (coder/websocket then sets up no timer per read); the
// idle timer and Shutdown end a session by closing its connection.
func (s *session) run() {
	defer s.end()
	for {
		typ, r, err := s.conn.Reader(context.Background())
		if err != nil {
			if st := websocket.CloseStatus(err); st == -1 && !errors.Is(err, io.EOF) {
				s.log.Debug("read failed", "error", err)
			}
			return
		}
		s.touch()
		if err := s.message(typ, r); err != nil {
			s.log.Debug("write failed", "error", err)
			return
		}
		if cap(s.in) > keepBuffer {
			s.in = nil
		}
		if cap(s.out) > keepBuffer {
			// The builders grew as large as the reply did.
			s.out, s.obj, s.sub, s.arr = nil, jsonx.Object{}, jsonx.Object{}, jsonx.Array{}
		}
	}
}

// kill drops the connection without a close handshake, even while a
// Close is waiting for the peer.
func (s *session) kill() {
	if s.cancel != nil {
		s.cancel()
	}
	if s.raw != nil {
		s.raw.Close()
	} else if s.conn != nil {
		go s.conn.CloseNow()
	}
}

func (s *session) end() {
	if s.idle != nil {
		s.idle.Stop()
	}
	if s.conn != nil {
		s.conn.CloseNow()
	}
	s.dropMachine()
	s.legacy = nil
	if s.hs != nil {
		s.cancel()
		s.hs.Close("the client disconnected")
	}
}

// message reads one message from r and answers it.
func (s *session) message(typ websocket.MessageType, r io.Reader) error {
	if typ != websocket.MessageText {
		n, err := io.Copy(io.Discard, r)
		if err != nil {
			return err
		}
		s.log.Debug("received a binary message", "bytes", n)
		return s.sendError("Binary messages are not supported: send each command as JSON in a text message")
	}
	defer s.res.Release()
	if s.raw != nil {
		// A large message must keep coming: it holds memory budget.
		s.paced.Reset(r, s.raw, s.wt, keepBuffer)
		r = &s.paced
		defer s.paced.Done()
	}
	var n int64
	var refused, err error
	s.in, n, refused, err = httpguard.ReadMessage(s.srv.ctx, r, s.in, s.srv.limit, &s.res, reserveWait, "this message")
	if errors.Is(err, os.ErrDeadlineExceeded) {
		s.log.Warn("closing: a message came too slowly", "bytes", n, "error", err)
	}
	if err != nil {
		return err
	}
	s.srv.opts.Events.OnMessage(true, int(n))
	switch {
	case refused != nil:
		s.in = nil
		s.srv.opts.Events.OnLimit()
		s.log.Warn("message refused", "bytes", n, "error", refused)
		return s.sendError(refused.Error())
	case s.srv.limit >= 0 && n > s.srv.limit:
		s.in = nil
		s.srv.opts.Events.OnLimit()
		s.log.Info("message too big", "bytes", n, "limit", s.srv.limit)
		return s.sendError(errTooBig(n, s.srv.limit))
	case !utf8.Valid(s.in):
		// RFC 6455 §8.1: a text message must be UTF-8, else the
		// connection fails with 1007.
		s.log.Info("closing: a text message is not UTF-8", "bytes", n)
		if s.conn != nil {
			s.close(websocket.StatusInvalidFramePayloadData, "invalid UTF-8 in a text message")
		}
		return errNotUTF8
	}
	// A copy: parsed strings (scripts, ids) outlive the buffer.
	return s.handle(string(s.in))
}

var errNotUTF8 = errors.New("a text message is not UTF-8")

// handle answers one text message. It returns an error only when a reply
// could not be sent (the connection is gone).
func (s *session) handle(text string) (err error) {
	if s.log.Enabled(context.Background(), slog.LevelDebug) {
		s.log.Debug("received", "message", clip(text))
	}
	defer func() {
		// A bug must cost one session its machine, never the process.
		if p := recover(); p != nil {
			s.log.Error("internal error", "panic", p, "message", clip(text), "stack", string(debug.Stack()))
			s.dropMachine()
			const msg = "internal error in gw (please report it); the machine was dropped, send start again"
			switch {
			case s.cur == "":
				err = s.sendError(msg)
			case s.curLegacy:
				err = s.legacyFail(s.cur, msg)
			default:
				err = s.sendIssue(msg, s.cur)
			}
		}
	}()
	s.cur, s.curLegacy = "", false
	if s.hs != nil {
		// Watchers and the studio use the machine under this lock.
		s.hs.Lock()
		defer s.hs.Unlock()
	}
	root, perr := jsonx.Parse(text)
	if perr != nil {
		return s.notJSON(perr)
	}
	// A machine stopped for good (a memory limit) is dropped after the
	// command that hit the limit, so its memory is freed; the reply named
	// the limit.
	defer func() {
		if s.m != nil && s.m.Err() != nil {
			s.log.Warn("machine stopped", "reason", s.m.Err())
			s.dropMachine()
			httpguard.Reclaim() // what its JavaScript grew to
		}
	}()
	if v, ok := root.Get("command"); ok {
		if v.Kind() != jsonx.KindString {
			s.log.Debug("ignored message: \"command\" is not a string (GraphWalker sends no reply)")
			return nil
		}
		s.setDialect("graphwalker4")
		return s.command(root, v.Str())
	}
	if v, ok := root.Get("type"); ok && v.Kind() == jsonx.KindString {
		s.setDialect("graphwalker3")
		return s.legacyCommand(root, v.Str())
	}
	return s.noCommand()
}

// setDialect tells the hub which dialect the client speaks.
func (s *session) setDialect(d string) {
	if s.dialect != d && s.hs != nil {
		s.dialect = d
		s.hs.SetDialect(d)
	}
}

// beforeStep holds a step while the session is paused from the studio;
// its error (the client left, the service shuts down) fails the step.
func (s *session) beforeStep() error {
	if s.hs == nil {
		return nil
	}
	if !s.hs.Paused() || s.raw == nil {
		return s.hs.BeforeStep(s.ctx)
	}
	// Nobody reads the connection while the step is held: watch the
	// socket, so that a client that leaves ends its session at once.
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	go func() {
		t := time.NewTicker(peerPoll)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if peerClosed(s.raw) {
					s.log.Info("the client left while its step was held")
					cancel()
					return
				}
			}
		}
	}()
	return s.hs.BeforeStep(ctx)
}

// peerPoll is how often a held session looks whether its client left.
const peerPoll = 250 * time.Millisecond

// afterStep tells the hub about a step.
func (s *session) afterStep(m *machine.Machine, step machine.Step, err error, took time.Duration) {
	if s.hs != nil {
		s.hs.AfterStep(m, step, err, took)
	}
}

// note tells the hub about setData and errors.
func (s *session) note(kind, text string, err error) {
	if s.hs != nil {
		s.hs.Note(s.m, kind, text, err)
	}
}

func (s *session) dropMachine() {
	if s.m != nil {
		if s.hs != nil {
			s.hs.SetMachine(nil, hubpkg.Start{})
		}
		s.mach.Store(nil)
		s.m.Close()
		n := 0
		for _, c := range s.m.Contexts() {
			n += c.Model().NumElements()
		}
		if n >= httpguard.LargeModel {
			httpguard.Reclaim() // give a large model's memory back soon
		}
		s.m = nil
	}
}

// setMachine makes m the session's machine, closing the one it had.
func (s *session) setMachine(m *machine.Machine, st hubpkg.Start) {
	s.dropMachine()
	s.m = m
	s.mach.Store(m)
	if s.hs != nil {
		s.hs.SetMachine(m, st)
	}
}

// abort stops the session's JavaScript for good, from any goroutine.
func (s *session) abort(err error) {
	if m := s.mach.Load(); m != nil {
		m.Abort(err)
	}
}

// admit refuses new models while the process is over its memory budget
// (the error names --memory-budget).
func (s *session) admit() error { return limits.Over() }

// send writes the object built in s.obj.
func (s *session) send() error {
	s.out = s.obj.AppendTo(s.out[:0])
	if s.log.Enabled(context.Background(), slog.LevelDebug) {
		s.log.Debug("sent", "message", clip(string(s.out)))
	}
	if err := s.write(s.out); err != nil {
		return err
	}
	s.srv.opts.Events.OnMessage(false, len(s.out))
	return nil
}

// sendError sends {"success":false,"message":msg}, the reply GraphWalker
// gives to messages it cannot attribute to a command.
func (s *session) sendError(msg string) error {
	s.obj.Reset()
	s.obj.Bool("success", false).Str("message", msg)
	return s.send()
}

// sendIssue pushes {"issues":[msg],"command":"issues"} and, when cmd is
// set, the failed reply {"success":false,"message":msg,"command":cmd}
// (GraphWalker's reply has no message).
func (s *session) sendIssue(msg, cmd string) error {
	s.arr.Reset()
	s.arr.Str(msg)
	s.obj.Reset()
	s.obj.Arr("issues", &s.arr).Str("command", "issues")
	if err := s.send(); err != nil || cmd == "" {
		return err
	}
	s.obj.Reset()
	s.obj.Bool("success", false).Str("message", msg).Str("command", cmd)
	return s.send()
}

// clip shortens logged messages (models can be megabytes).
func clip(s string) string {
	const max = 2000
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
