package record

import (
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gw-project/gw/internal/model"
)

// async hands a walker's lines to a goroutine that encodes and writes
// them: the record's lines, gw offline's path (pathPrinter), or both from
// the one hand-over. Handing over must cost the walker next to nothing: a fast walk
// takes a step in under 100 ns, and every byte the walker writes for the
// writer is a cache line that moves between the cores. So a plain step
// is one 8-byte slot (its model and element); the writer derives the
// step number and the visit count, which it can because it sees every
// step in order. The time is a slot of its own, written only when the
// coarse millisecond clock moved. Anything else (a step with data, a
// setData, a fail, an error, the end) is a slot that stands for the next
// entry of full, a smaller ring of pointers. The slots live outside the Go
// heap (allocSlots), and full is small, so the recorder barely adds to
// what the collector paces and scans.
//
// The walker makes its slots visible with one release store per step
// (Run publishes at the end of each hook call), so that whatever holds a
// walk up afterwards (a long script, a blocked standard output) never
// holds back what was written before it; the writer drains the ring when
// it is half full and at least every flushEvery, so a killed process
// loses at most the steps of the last flushEvery.
//
// The cache lines of slots travel: the writer reads each one, and when the
// walker comes round to it again it must take the line back from the
// writer's core. A plain store to such a line stalls the walker for the
// whole trip (stores leave the core in order, and the next fence waits for
// them), so at the first slot of a line the walker asks for the line
// prefetchAhead slots on, where the trip overlaps its work.
type async struct {
	f     *file        // nil: the path alone is printed
	path  *pathPrinter // nil: no path
	enc   *encoder
	start time.Time

	slots     []slot // off the Go heap where possible (see allocSlots)
	freeSlots func()
	full      []*entry // the entries of slotFull slots, in order

	// The walker's own.
	_         [64]byte
	next      uint64 // next slot to fill
	published uint64 // slots before it are visible to the writer
	seen      uint64 // the writer's tail, read when the ring looks full
	fullNext  uint64 // next entry to fill
	fullSeen  uint64 // the writer's fullTail, read when full looks full
	marked    int64  // the clock value last written as a slot

	// The walker writes head and the writer tail: each on a cache line
	// of its own, so that they do not bounce between the cores.
	_    [40]byte
	head uint64 // published: storeRelease, atomic.LoadUint64
	_    [56]byte
	tail atomic.Uint64 // next slot the writer encodes
	// fullTail is the next entry the writer takes; it moves with tail.
	fullTail atomic.Uint64
	_        [48]byte
	clock    atomic.Int64 // milliseconds since start, to the millisecond
	_        [56]byte

	wake  chan struct{} // walker → writer: drain now
	space chan struct{} // writer → walker: slots were freed
	quit  chan struct{}
	done  chan struct{}

	// The writer's own.
	out    []byte
	steps  int64
	visits [][]visitCount // per model, per element
	t      float64
}

// slot is one line for the writer, packed in a word:
//
//	clock mark   slotClock | milliseconds
//	full entry   slotFull (the line is the next entry of full)
//	plain step   model<<32 | element, and slotDataSkipped if its data was not listed
type slot uint64

const (
	slotClock       slot = 1 << 63
	slotFull        slot = 1 << 62
	slotDataSkipped slot = 1 << 61
	slotModelShift       = 32
	slotMaxModel         = 1<<16 - 1
	slotMaxElement       = 1<<31 - 1 // entry.el is an int32
	slotIndexMask        = 1<<32 - 1
)

const (
	ringSize = 1 << 15
	ringMask = ringSize - 1
	// fullSize bounds the entries in flight (steps with data, setData,
	// fail, errors): few in a fast walk, and each costs microseconds.
	fullSize = 1 << 10
	fullMask = fullSize - 1
	// slotsPerLine is a cache line of slots (64 bytes).
	slotsPerLine  = 8
	prefetchAhead = 16 * slotsPerLine
	flushEvery    = 50 * time.Millisecond
	// freeEvery is how many slots the writer takes before it gives them
	// back, during a drain too: a drain that gave its slots back only at
	// its end let a fast walk fill the rest of the ring meanwhile and wait
	// (random-1000x5000: 2-21 ms a 2M-step run, recording +16 %).
	freeEvery = 4096
	clockTick = time.Millisecond
)

// startAsync starts the writer of f and of path (either may be nil). It
// writes the header first (header writes it to f) and makes its encoder
// and counters itself: marshalling a large model for the header takes
// milliseconds, which the walk need not wait for (its first steps wait in
// the ring). An error from header fails f, as a write error does.
func startAsync(f *file, path *pathPrinter, start time.Time, models []*model.Model, header func(*file) error) *async {
	a := &async{
		f: f, path: path, start: start,
		full: make([]*entry, fullSize),
		wake: make(chan struct{}, 1), space: make(chan struct{}, 1),
		quit: make(chan struct{}), done: make(chan struct{}),
		marked: -1,
	}
	a.slots, a.freeSlots = allocSlots(ringSize)
	a.clock.Store(int64(time.Since(start) / time.Millisecond))
	go a.loop(models, header)
	return a
}

// begin is the writer's start: the header, then what drain needs.
func (a *async) begin(models []*model.Model, header func(*file) error) {
	if a.f == nil {
		return
	}
	if err := header(a.f); err != nil {
		a.f.failWith(err) // a no-op for a write error: f failed already
	}
	a.enc = newEncoder(models)
	a.visits = make([][]visitCount, len(models))
	for i, m := range models {
		a.visits[i] = make([]visitCount, m.NumElements())
	}
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

// fits reports whether slot i can take a plain step at once: the ring
// has room, no clock mark is due, and i is not the first slot of its
// cache line (push asks for the line ahead then). Run's hook writes the
// slot itself when it does; otherwise it calls step.
func (a *async) fits(i uint64) bool {
	return i-a.seen < ringSize && a.clock.Load() == a.marked && i%slotsPerLine != 0
}

// step hands over a step without data.
func (a *async) step(k int, el model.Element, dataSkipped bool) {
	if k > slotMaxModel || uint64(el) > slotMaxElement {
		a.entry(&entry{kind: kStep, model: int32(k), el: int32(el), dataSkipped: dataSkipped})
		return
	}
	s := slot(k)<<slotModelShift | slot(el)
	if dataSkipped {
		s |= slotDataSkipped
	}
	a.mark()
	a.push(s)
}

// entry hands over any other line; its time is the clock's, and a step's
// number and visit count are the writer's.
func (a *async) entry(e *entry) {
	a.mark()
	if a.fullNext-a.fullSeen >= fullSize {
		a.waitFull()
	}
	a.full[a.fullNext&fullMask] = e
	a.fullNext++
	a.push(slotFull)
}

// mark writes the clock when it moved.
func (a *async) mark() {
	if c := a.clock.Load(); c != a.marked {
		a.marked = c
		a.push(slotClock | slot(c))
	}
}

func (a *async) push(s slot) {
	i := a.next
	if i-a.seen >= ringSize {
		a.waitSpace(i)
	}
	if i%slotsPerLine == 0 && canPrefetchWrite {
		prefetchWrite(unsafe.Pointer(&a.slots[(i+prefetchAhead)&ringMask]))
	}
	a.slots[i&ringMask] = s
	a.next = i + 1
}

// publish makes the slots filled so far visible to the writer.
func (a *async) publish() {
	if a.next != a.published {
		a.published = a.next
		storeRelease(&a.head, a.next)
	}
}

// waitSpace waits until slot i is free.
func (a *async) waitSpace(i uint64) {
	a.publish()
	for {
		if a.seen = a.tail.Load(); i-a.seen < ringSize {
			return
		}
		select {
		case a.wake <- struct{}{}:
		default:
		}
		<-a.space
	}
}

// waitFull waits until an entry of full is free.
func (a *async) waitFull() {
	a.publish()
	for {
		if a.fullSeen = a.fullTail.Load(); a.fullNext-a.fullSeen < fullSize {
			return
		}
		select {
		case a.wake <- struct{}{}:
		default:
		}
		<-a.space
	}
}

// close writes what is left and stops the writer.
func (a *async) close() {
	a.publish()
	close(a.quit)
	<-a.done
	a.freeSlots()
	a.slots = nil // a stray use after close panics rather than faults
}

func (a *async) loop(models []*model.Model, header func(*file) error) {
	defer close(a.done)
	a.begin(models, header)
	tick := time.NewTicker(clockTick)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case now := <-tick.C:
			a.advance(now)
			if now.Sub(last) < flushEvery && atomic.LoadUint64(&a.head)-a.tail.Load() < ringSize/2 {
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
	t, h := a.tail.Load(), atomic.LoadUint64(&a.head)
	if t == h {
		return
	}
	out := a.out[:0]
	ft := a.fullTail.Load()
	rec, p := a.f != nil, a.path
	for i := t; i != h; i++ {
		if i != t && (i-t)%freeEvery == 0 {
			a.free(i, ft)
		}
		s := a.slots[i&ringMask]
		switch {
		case s&slotClock != 0:
			a.t = float64(s &^ slotClock)
		case s&slotFull != 0:
			e := a.full[ft&fullMask]
			a.full[ft&fullMask] = nil
			ft++
			// A step that failed in its actions was entered: the path
			// shows it, as it shows every step when it begins.
			if p != nil && (e.kind == kStep || e.kind == kError && e.entered) {
				p.step(e.model, e.el)
			}
			if !rec {
				continue // a Run without a record has a path
			}
			if e.kind == kStep {
				a.steps++
				v := &a.visits[e.model][e.el]
				v.inc()
				e.n, e.visits = a.steps, v.n
			}
			if e.kind != kEnd {
				e.t = a.t
			}
			out = a.enc.append(out, e)
		default:
			k, el := int32(s>>slotModelShift&slotMaxModel), int32(s&slotIndexMask)
			if p != nil {
				p.step(k, el)
			}
			if !rec {
				continue
			}
			a.steps++
			v := &a.visits[k][el]
			v.inc()
			out = a.enc.plainStep(out, a.steps, k, el, v.text(), a.t, s&slotDataSkipped != 0)
		}
		if len(out) >= 64<<10 {
			a.f.write(out)
			out = out[:0]
		}
	}
	if rec {
		a.f.write(out)
	}
	if p != nil {
		p.flush()
	}
	a.out = out[:0]
	a.free(h, ft)
}

// free gives the walker back the slots before tail and the entries
// before fullTail.
func (a *async) free(tail, fullTail uint64) {
	a.fullTail.Store(fullTail)
	a.tail.Store(tail)
	select {
	case a.space <- struct{}{}:
	default:
	}
}
