package httpguard

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var short = Timeouts{ReadHeader: 300 * time.Millisecond, Idle: 300 * time.Millisecond, BodyGrace: 300 * time.Millisecond, MinBodyRate: 1000}

// closedWithin asserts that the server closes c within d.
func closedWithin(t *testing.T, c net.Conn, d time.Duration) {
	t.Helper()
	start := time.Now()
	c.SetReadDeadline(time.Now().Add(d + 2*time.Second))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept the connection open for %v", time.Since(start))
	}
	if took := time.Since(start); took > d+time.Second {
		t.Errorf("closed after %v, want about %v", took, d)
	}
}

// TestSlowHeaders: a client that trickles its request line and headers
// (slowloris) is cut at ReadHeader.
func TestSlowHeaders(t *testing.T) {
	addr := serve(t, ok, nil, short)
	c := dialFrom(t, "", addr)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: local")
	closedWithin(t, c, short.ReadHeader)
}

// TestIdleKeepAlive: a keep-alive connection that sends no new request is
// closed at Idle.
func TestIdleKeepAlive(t *testing.T) {
	addr := serve(t, ok, nil, short)
	c := dialFrom(t, "", addr)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatal(resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	closedWithin(t, c, short.Idle)
}

// TestSkipBody: a request whose body the handler does not want is
// answered at once and its connection dropped, not held while the body
// trickles in.
func TestSkipBody(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		SkipBody(w, r)
		io.WriteString(w, "ok")
	})
	addr := serve(t, h, nil, Timeouts{})
	c := dialFrom(t, "", addr)
	start := time.Now()
	io.WriteString(c, "PUT /x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nx")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatal(resp, err)
	}
	closedWithin(t, c, 0)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %v", took)
	}
	// A small body that came with the headers does not cost the
	// connection.
	c = dialFrom(t, "", addr)
	br := bufio.NewReader(c)
	for range 2 {
		io.WriteString(c, "PUT /x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}")
		resp, err := http.ReadResponse(br, nil)
		if err != nil || resp.StatusCode != 200 || resp.Close {
			t.Fatalf("small body: %v %v", resp, err)
		}
		io.Copy(io.Discard, resp.Body)
	}
}

// TestBodyRate: a body read through BodyReader must arrive at
// MinBodyRate after BodyGrace; a trickle is cut, a slow but steady body
// passes.
func TestBodyRate(t *testing.T) {
	var got atomic.Value
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, BodyReader(w, r))
		got.Store([2]any{n, err})
		io.WriteString(w, "ok")
	})
	addr := serve(t, h, nil, short)

	// 1 byte every 100 ms: cut after the grace.
	c := dialFrom(t, "", addr)
	start := time.Now()
	io.WriteString(c, "PUT /x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n")
	go func(c net.Conn) {
		for range 50 {
			if _, err := io.WriteString(c, "x"); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}(c)
	closedWithin(t, c, short.BodyGrace)
	if r, _ := got.Load().([2]any); r[1] == nil {
		t.Errorf("the trickle was read whole: %v", r)
	}
	t.Logf("trickle cut after %v", time.Since(start))

	// 2,000 bytes in 4 parts 100 ms apart (5 times the minimum rate):
	// read whole.
	c = dialFrom(t, "", addr)
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "PUT /x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000\r\n\r\n")
	for range 4 {
		io.WriteString(c, strings.Repeat("y", 500))
		time.Sleep(100 * time.Millisecond)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatal(resp, err)
	}
	if r := got.Load().([2]any); r[0] != int64(2000) || r[1] != nil {
		t.Errorf("steady body: read %v", r)
	}
}
