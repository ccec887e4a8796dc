package ws

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"time"

	"github.com/coder/websocket"

	"github.com/gw-project/gw/internal/jsonx"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
)

// keepBuffer is the largest read buffer a session keeps between messages;
// a bigger one (a large model) is dropped so idle sessions stay small.
const keepBuffer = 64 << 10

// session is one connection: its machine, the models loaded with the 3.x
// loadModel, and reusable buffers. Only the session's goroutine touches it.
type session struct {
	srv  *Server
	conn *websocket.Conn // nil in tests that drive handle directly
	raw  net.Conn        // the hijacked connection under conn, if known
	id   uint64
	log  *slog.Logger

	m      *machine.Machine
	legacy []*model.Model // 3.x loadModel models, in load order

	// cur is the reply name of the command being handled (for the panic
	// reply), curLegacy whether it came in the 3.x dialect.
	cur       string
	curLegacy bool

	// write sends one text message; tests replace it.
	write func([]byte) error

	in   bytes.Buffer
	lr   io.LimitedReader
	out  []byte
	obj  jsonx.Object
	sub  jsonx.Object
	arr  jsonx.Array
	idle *time.Timer
}

func newSession(srv *Server, remote string) *session {
	s := &session{srv: srv, id: srv.nextID.Add(1)}
	s.log = srv.log.With("session", s.id, "remote", remote)
	return s
}

// attach gives the session its connection (and the TCP connection under
// it, which Shutdown may cut).
func (s *session) attach(conn *websocket.Conn, raw net.Conn) {
	s.conn, s.raw = conn, raw
	s.write = func(b []byte) error { return conn.Write(context.Background(), websocket.MessageText, b) }
	if s.srv.idle > 0 {
		s.idle = time.AfterFunc(s.srv.idle, func() {
			s.log.Info("closing idle connection", "idle", s.srv.idle)
			conn.Close(websocket.StatusNormalClosure, "idle timeout: no message for "+s.srv.idle.String())
		})
	}
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
		if s.in.Cap() > keepBuffer {
			s.in = bytes.Buffer{}
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
	s.in.Reset()
	var src io.Reader = r
	if s.srv.limit >= 0 {
		s.lr = io.LimitedReader{R: r, N: s.srv.limit + 1}
		src = &s.lr
	}
	_, err := s.in.ReadFrom(src)
	s.lr.R = nil
	if err != nil {
		return err
	}
	if s.srv.limit >= 0 && int64(s.in.Len()) > s.srv.limit {
		rest, err := io.Copy(io.Discard, r)
		if err != nil {
			return err
		}
		n := int64(s.in.Len()) + rest
		s.in = bytes.Buffer{}
		s.log.Info("message too big", "bytes", n, "limit", s.srv.limit)
		return s.sendError(errTooBig(n, s.srv.limit))
	}
	// A copy: parsed strings (scripts, ids) outlive the buffer.
	return s.handle(s.in.String())
}

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
		}
	}()
	if v, ok := root.Get("command"); ok {
		if v.Kind() != jsonx.KindString {
			s.log.Debug("ignored message: \"command\" is not a string (GraphWalker sends no reply)")
			return nil
		}
		return s.command(root, v.Str())
	}
	if v, ok := root.Get("type"); ok && v.Kind() == jsonx.KindString {
		return s.legacyCommand(root, v.Str())
	}
	return s.noCommand()
}

func (s *session) dropMachine() {
	if s.m != nil {
		s.m.Close()
		s.m = nil
	}
}

// send writes the object built in s.obj.
func (s *session) send() error {
	s.out = s.obj.AppendTo(s.out[:0])
	if s.log.Enabled(context.Background(), slog.LevelDebug) {
		s.log.Debug("sent", "message", clip(string(s.out)))
	}
	if err := s.write(s.out); err != nil {
		return err
	}
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
