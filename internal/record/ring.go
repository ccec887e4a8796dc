package record

import (
	"sync/atomic"
	"time"
)

// async hands a walker's entries to a goroutine that encodes and writes
// them: the walker fills a slot of a ring and publishes it with one
// atomic store; the writer drains the ring when it is half full and at
// least every flushEvery, so a killed process loses at most that much.
// It also keeps a coarse clock (the walker cannot afford time.Now per
// step).
type async struct {
	f     *file
	enc   *encoder
	start time.Time

	buf  []entry
	mask uint64

	// The walker writes head and the writer tail: each on a cache line
	// of its own, so that they do not bounce between the cores.
	_     [64]byte
	head  atomic.Uint64 // next slot the walker fills
	seen  uint64        // the walker's copy of tail, refreshed when the ring looks full
	_     [48]byte
	tail  atomic.Uint64 // next slot the writer encodes
	_     [56]byte
	clock atomic.Int64 // milliseconds since start, to the millisecond
	_     [56]byte

	wake  chan struct{} // walker → writer: drain now
	space chan struct{} // writer → walker: slots were freed
	quit  chan struct{}
	done  chan struct{}
	out   []byte
}

const (
	ringSize   = 1 << 12
	flushEvery = 50 * time.Millisecond
	clockTick  = time.Millisecond
)

func startAsync(f *file, enc *encoder, start time.Time) *async {
	a := &async{
		f: f, enc: enc, start: start,
		buf: make([]entry, ringSize), mask: ringSize - 1,
		wake: make(chan struct{}, 1), space: make(chan struct{}, 1),
		quit: make(chan struct{}), done: make(chan struct{}),
	}
	a.clock.Store(int64(time.Since(start) / time.Millisecond))
	go a.loop()
	return a
}

// now is the time since start in milliseconds, to the millisecond.
func (a *async) now() float64 { return float64(a.clock.Load()) }

// tick sets the clock from the real time.
func (a *async) tick() { a.advance(time.Now()) }

// advance moves the clock forward to now (never back: the walker and the
// writer both set it).
func (a *async) advance(now time.Time) {
	v := int64(now.Sub(a.start) / time.Millisecond)
	for {
		old := a.clock.Load()
		if v <= old || a.clock.CompareAndSwap(old, v) {
			return
		}
	}
}

// slot returns the next free slot, waiting while the ring is full.
func (a *async) slot() *entry {
	h := a.head.Load()
	for h-a.seen >= uint64(len(a.buf)) {
		if a.seen = a.tail.Load(); h-a.seen < uint64(len(a.buf)) {
			break
		}
		select {
		case a.wake <- struct{}{}:
		default:
		}
		<-a.space
	}
	return &a.buf[h&a.mask]
}

// publish hands the slot slot returned to the writer.
func (a *async) publish() {
	h := a.head.Add(1)
	if h&(ringSize/2-1) == 0 {
		select {
		case a.wake <- struct{}{}:
		default:
		}
	}
}

// close writes what is left and stops the writer.
func (a *async) close() {
	close(a.quit)
	<-a.done
}

func (a *async) loop() {
	defer close(a.done)
	tick := time.NewTicker(clockTick)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case now := <-tick.C:
			a.advance(now)
			if now.Sub(last) < flushEvery {
				continue
			}
		case <-a.wake:
		case <-a.quit:
			a.drain()
			return
		}
		last = time.Now()
		a.drain()
	}
}

func (a *async) drain() {
	t, h := a.tail.Load(), a.head.Load()
	if t == h {
		return
	}
	out := a.out[:0]
	for i := t; i != h; i++ {
		e := &a.buf[i&a.mask]
		out = a.enc.append(out, e)
		e.x = nil
		if len(out) >= 1<<20 {
			a.f.write(out)
			out = out[:0]
		}
	}
	a.f.write(out)
	a.out = out[:0]
	a.tail.Store(h)
	select {
	case a.space <- struct{}{}:
	default:
	}
}
