package httpguard

import (
	"context"
	"io"
	"net"
	"net/http"
	"time"
)

// Timeouts of the services' HTTP connections. A WebSocket session, once
// upgraded, has none of these: its connection is the session's, closed by
// --idle-timeout (and its writes bounded like Write's).
type Timeouts struct {
	// ReadHeader bounds the time a client may take to send a request's
	// line and headers.
	ReadHeader time.Duration
	// Idle closes a keep-alive connection that sends no new request for
	// that long.
	Idle time.Duration
	// BodyGrace plus one second per MinBodyRate bytes is how long a
	// request body may take: a 32 MiB model may come slowly, but a
	// client that trickles a byte every few seconds is cut off.
	BodyGrace   time.Duration
	MinBodyRate int64 // bytes per second
	// WriteGrace plus one second per MinWriteRate bytes is how long a
	// client may take to read one response or message.
	WriteGrace   time.Duration
	MinWriteRate int64
	// Plain bounds reading and answering a request that carries no body
	// the service wants (on the WebSocket port: the upgrade request, a
	// request for a page).
	Plain time.Duration
}

// DefaultTimeouts are the timeouts of gw online.
var DefaultTimeouts = Timeouts{
	ReadHeader: 10 * time.Second,
	Idle:       60 * time.Second,
	BodyGrace:  10 * time.Second, MinBodyRate: 64 << 10,
	WriteGrace: 30 * time.Second, MinWriteRate: 64 << 10,
	Plain: 30 * time.Second,
}

type timeoutsKey struct{}

// TimeoutsOf are the Timeouts of the server whose request or connection
// ctx belongs to (the defaults for a server NewServer did not make).
func TimeoutsOf(ctx context.Context) *Timeouts {
	if t, ok := ctx.Value(timeoutsKey{}).(*Timeouts); ok {
		return t
	}
	return &DefaultTimeouts
}

// NewServer returns an http.Server for h with timeouts t (zero fields:
// the defaults). Handlers that read a body must bound it with BodyReader
// and skip unwanted ones with SkipBody; those that write must set their
// write deadline with WriteDeadline (REST answers may wait for a script),
// unless plain is set: then the server bounds the whole request and its
// answer by t.Plain.
func NewServer(h http.Handler, plain bool, t Timeouts) *http.Server {
	d := DefaultTimeouts
	for _, f := range []struct{ dst, def *time.Duration }{
		{&t.ReadHeader, &d.ReadHeader}, {&t.Idle, &d.Idle}, {&t.BodyGrace, &d.BodyGrace},
		{&t.WriteGrace, &d.WriteGrace}, {&t.Plain, &d.Plain},
	} {
		if *f.dst <= 0 {
			*f.dst = *f.def
		}
	}
	if t.MinBodyRate <= 0 {
		t.MinBodyRate = d.MinBodyRate
	}
	if t.MinWriteRate <= 0 {
		t.MinWriteRate = d.MinWriteRate
	}
	s := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    1 << 20, // the REST setData script is in the path
		ConnContext: func(ctx context.Context, _ net.Conn) context.Context {
			return context.WithValue(ctx, timeoutsKey{}, &t)
		},
	}
	if plain {
		s.ReadTimeout, s.WriteTimeout = t.Plain, t.Plain
	}
	return s
}

// SkipBody makes the server drop the connection rather than wait for a
// body the handler does not read: after the answer, net/http would read
// up to 256 KiB of it to reuse the connection, at whatever pace the
// client sends. A body already buffered is still consumed.
func SkipBody(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength != 0 {
		http.NewResponseController(w).SetReadDeadline(time.Now())
	}
}

// WriteDeadline gives the response to r about to be written, n bytes
// long, its deadline: WriteGrace plus the time MinWriteRate needs for n
// bytes.
func WriteDeadline(w http.ResponseWriter, r *http.Request, n int) {
	t := TimeoutsOf(r.Context())
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(t.WriteTime(n)))
}

// WriteTime is how long a client may take to read n bytes.
func (t *Timeouts) WriteTime(n int) time.Duration {
	return t.WriteGrace + rateTime(int64(n), t.MinWriteRate)
}

// rateTime is how long n bytes take at rate bytes per second.
func rateTime(n, rate int64) time.Duration {
	return time.Duration(float64(n) / float64(rate) * float64(time.Second))
}

// ClearWriteDeadline lifts the deadline a previous response on the same
// connection left (before the handler waits for anything).
func ClearWriteDeadline(w http.ResponseWriter) {
	http.NewResponseController(w).SetWriteDeadline(time.Time{})
}

// BodyReader returns r's body, to be read within BodyGrace plus one
// second per MinBodyRate bytes read so far: the read deadline moves as
// the body arrives.
func BodyReader(w http.ResponseWriter, r *http.Request) io.Reader {
	p := &Paced{}
	p.Reset(r.Body, http.NewResponseController(w), TimeoutsOf(r.Context()), 0)
	return p
}

// Paced is a reader that must deliver its bytes at a minimum rate once
// Free bytes have come: from then on, each read sets the connection's
// read deadline to BodyGrace plus one second per MinBodyRate bytes after
// the start. A client that trickles a large message then loses its
// connection instead of holding the budget the message reserved.
type Paced struct {
	r     io.Reader
	conn  interface{ SetReadDeadline(time.Time) error }
	t     *Timeouts
	free  int64
	start time.Time
	n     int64
	until time.Time // the deadline set; zero: none
}

// Reset starts pacing r, whose connection conn is, from now.
func (p *Paced) Reset(r io.Reader, conn interface{ SetReadDeadline(time.Time) error }, t *Timeouts, free int64) {
	*p = Paced{r: r, conn: conn, t: t, free: free, start: time.Now()}
}

func (p *Paced) Read(b []byte) (int, error) {
	if p.n >= p.free {
		want := p.start.Add(p.t.BodyGrace + rateTime(p.n, p.t.MinBodyRate))
		if !want.Equal(p.until) {
			p.conn.SetReadDeadline(want)
			p.until = want
		}
	}
	n, err := p.r.Read(b)
	p.n += int64(n)
	return n, err
}

// Done lifts the deadline pacing set, if any (the connection goes on).
func (p *Paced) Done() {
	if !p.until.IsZero() {
		p.conn.SetReadDeadline(time.Time{})
	}
	p.r, p.conn = nil, nil
}
