package httpguard

import (
	"context"
	"io"
	"time"

	"github.com/gw-project/gw/internal/limits"
)

// CostFactor is what reading a message and building a model from it cost
// at their peak, per byte of the message: a 29 MB start of plain vertices
// and edges grows the heap by about 500 MB (×17.4) while it is parsed and
// its machine built (internal/server/ws BenchmarkStartPeak); one with a
// guard and an action on each edge ×15; a model of few, long strings ×2.
const CostFactor = 18

// FreeBytes of a message are read without a reservation: most messages
// are commands of a few hundred bytes.
const FreeBytes = 16 << 10

// Reservation holds the memory budget a message takes while it is read
// and handled. Grow it as the message grows; Release it when the message
// has been answered. The zero value holds nothing; it is not safe for
// concurrent use.
type Reservation struct {
	held     int64
	releases []func()
}

// Grow makes the reservation cover a message of n bytes (CostFactor × n
// once n is over FreeBytes), taking more of the budget in doublings; it
// waits while other reservations hold the budget, until ctx ends. The
// error names --memory-budget; what says what needs the memory.
func (r *Reservation) Grow(ctx context.Context, n int64, what string) error {
	if n <= FreeBytes || limits.Budget() <= 0 {
		return nil
	}
	need := n * CostFactor
	if need <= r.held {
		return nil
	}
	if err := limits.Over(); err != nil {
		return err
	}
	budget := limits.Budget()
	share := budget / 2
	if need > share {
		return &limits.Error{What: what, Limit: "needs about " + limits.FormatSize(need) + " to be read and built, more than half of the memory budget of " + limits.FormatSize(budget), Flag: limits.BudgetFlag, Kind: limits.ErrSize}
	}
	want := min(max(need, 2*r.held), share)
	release, err := limits.Reserve(done, want-r.held, what) // if free now
	if err != nil {
		// Wait holding nothing: two messages that each hold a part and
		// wait for more would wait for each other.
		r.Release()
		if release, err = limits.Reserve(ctx, want, what); err != nil {
			return err
		}
	}
	r.releases = append(r.releases, release)
	r.held = want
	return nil
}

// done is an ended context: Reserve with it takes budget only if it is
// free now.
var done = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// MaxMessage is the largest message the memory budget admits (half the
// budget is what reservations may hold together); 0 without a budget.
func MaxMessage() int64 { return limits.Budget() / 2 / CostFactor }

// Held is the number of bytes the reservation holds.
func (r *Reservation) Held() int64 { return r.held }

// Release gives the reservation back; after a large message it also asks
// for the memory its parsing left to be returned (Reclaim).
func (r *Reservation) Release() {
	for _, f := range r.releases {
		f()
	}
	if r.held >= reclaimFrom {
		Reclaim()
	}
	r.releases, r.held = r.releases[:0], 0
}

// reclaimFrom is the reservation from which a message is worth a Reclaim
// (a message of about 2 MB).
const reclaimFrom = 32 << 20

// ReadMessage reads a message from r into buf (reused; it grows as
// needed) and reserves memory budget as it grows, so that it holds
// CostFactor × its size. A reservation waits up to wait for budget that
// others hold (or until ctx ends). Past limit bytes (<0: none), or once a
// reservation is refused (refused says why, naming --memory-budget), the
// rest of r is drained, not kept; n counts every byte.
func ReadMessage(ctx context.Context, r io.Reader, buf []byte, limit int64, res *Reservation, wait time.Duration, what string) (b []byte, n int64, refused, err error) {
	b = buf[:0]
	drain := func() (int64, error) {
		rest, err := io.Copy(io.Discard, r)
		return int64(len(b)) + rest, err
	}
	for {
		if len(b) == cap(b) {
			if limit >= 0 && int64(len(b)) > limit {
				n, err := drain()
				return b[:0], n, nil, err
			}
			size := max(2*cap(b), 512)
			if limit >= 0 {
				size = int(min(int64(size), limit+1))
			}
			if m := MaxMessage(); m > 0 && int64(size) > m && int64(cap(b)) < m {
				size = int(m) // the largest message the budget admits, not a doubling past it
			}
			if size > FreeBytes {
				wctx, cancel := context.WithTimeout(ctx, wait)
				refused = res.Grow(wctx, int64(size), what)
				cancel()
				if refused != nil {
					n, err := drain()
					return b[:0], n, refused, err
				}
			}
			nb := make([]byte, len(b), size)
			copy(nb, b)
			b = nb
		}
		m, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		if err == io.EOF {
			return b, int64(len(b)), nil, nil
		}
		if err != nil {
			return b, int64(len(b)), nil, err
		}
	}
}
