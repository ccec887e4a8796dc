package httpguard

import (
	"context"
	"io"
	"math"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/limits"
)

// withBudget sets the process's memory budget for one test.
func withBudget(t *testing.T, n int64) {
	limits.SetBudget(n)
	t.Cleanup(func() {
		limits.SetBudget(0)
		debug.SetMemoryLimit(math.MaxInt64)
	})
}

func TestReservation(t *testing.T) {
	withBudget(t, 64<<20) // reservations share 32 MiB
	ctx := context.Background()
	var a, b Reservation
	if err := a.Grow(ctx, FreeBytes, "x"); err != nil || a.Held() != 0 {
		t.Fatalf("a small message reserved %d (%v)", a.Held(), err)
	}
	if err := a.Grow(ctx, 1<<20, "x"); err != nil || a.Held() != CostFactor<<20 {
		t.Fatalf("1 MiB: held %d, %v", a.Held(), err)
	}
	// b must wait for a, and gives up when its context ends.
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	err := b.Grow(short, 1<<20, "the other message")
	if !limits.Is(err, limits.ErrBusy) || !strings.Contains(err.Error(), "--memory-budget") {
		t.Fatalf("b while a holds the budget: %v", err)
	}
	done := make(chan error)
	go func() { done <- b.Grow(ctx, 1<<20, "x") }()
	time.Sleep(50 * time.Millisecond)
	a.Release()
	if err := <-done; err != nil {
		t.Fatalf("b after a released: %v", err)
	}
	b.Release()
	if limits.Reserved() != 0 {
		t.Errorf("%d bytes still reserved", limits.Reserved())
	}
	// Too big for the budget at all: refused at once, naming the flag.
	err = a.Grow(ctx, 3<<20, "the load body")
	if !limits.Is(err, limits.ErrSize) || !strings.Contains(err.Error(), "the load body: needs about 54 MiB") || !strings.Contains(err.Error(), "--memory-budget") {
		t.Errorf("3 MiB: %v", err)
	}
}

// chunks returns n bytes, at most 10 KiB at a time.
type chunks struct{ n int }

func (c *chunks) Read(p []byte) (int, error) {
	if c.n == 0 {
		return 0, io.EOF
	}
	k := min(10<<10, len(p), c.n)
	for i := range k {
		p[i] = 'x'
	}
	c.n -= k
	return k, nil
}

func TestReadMessage(t *testing.T) {
	withBudget(t, 64<<20)
	ctx := context.Background()
	var res Reservation
	// Under the size limit: read whole, reserved as it grew.
	b, n, refused, err := ReadMessage(ctx, &chunks{1000 << 10}, nil, 2<<20, &res, time.Second, "m")
	if err != nil || refused != nil || n != 1000<<10 || len(b) != 1000<<10 || res.Held() < CostFactor*1000<<10 {
		t.Fatalf("n %d len %d held %d refused %v err %v", n, len(b), res.Held(), refused, err)
	}
	res.Release()
	// Over the size limit: drained and counted, not kept.
	b, n, refused, err = ReadMessage(ctx, &chunks{3000 << 10}, b, 1<<20, &res, time.Second, "m")
	if err != nil || refused != nil || n != 3000<<10 || len(b) != 0 {
		t.Fatalf("over the limit: n %d len %d refused %v err %v", n, len(b), refused, err)
	}
	res.Release()
	// Over what the budget can give: refused, drained.
	_, n, refused, err = ReadMessage(ctx, &chunks{4000 << 10}, nil, -1, &res, time.Second, "this message")
	if err != nil || n != 4000<<10 || !limits.Is(refused, limits.ErrSize) {
		t.Fatalf("over the budget: n %d refused %v err %v", n, refused, err)
	}
	res.Release()
	if limits.Reserved() != 0 {
		t.Errorf("%d bytes still reserved", limits.Reserved())
	}
}

// TestReadMessageLargest: a message just under the largest the budget
// admits is read although doubling its buffer would pass that size.
func TestReadMessageLargest(t *testing.T) {
	withBudget(t, 64<<20)
	m := int(MaxMessage()) // 32 MiB / 18
	var res Reservation
	b, n, refused, err := ReadMessage(context.Background(), &chunks{m - 10}, nil, -1, &res, time.Second, "m")
	if err != nil || refused != nil || n != int64(m-10) || len(b) != m-10 {
		t.Fatalf("n %d len %d refused %v err %v", n, len(b), refused, err)
	}
	res.Release()
	_, n, refused, _ = ReadMessage(context.Background(), &chunks{m + 1}, nil, -1, &res, time.Second, "m")
	if n != int64(m+1) || !limits.Is(refused, limits.ErrSize) {
		t.Fatalf("one byte more: n %d refused %v", n, refused)
	}
	res.Release()
}

// TestReservationsDoNotWaitForEachOther: two growing messages that each
// hold part of the budget and need more do not wait for each other.
func TestReservationsDoNotWaitForEachOther(t *testing.T) {
	withBudget(t, 64<<20) // 32 MiB for reservations
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var a, b Reservation
	part, whole := int64(12<<20)/CostFactor, int64(24<<20)/CostFactor
	if a.Grow(ctx, part, "a") != nil || b.Grow(ctx, part, "b") != nil {
		t.Fatal("parts refused")
	}
	done := make(chan error)
	go func() {
		err := a.Grow(ctx, whole, "a")
		a.Release() // a message is released once answered
		done <- err
	}()
	if err := b.Grow(ctx, whole, "b"); err != nil {
		t.Fatalf("b: %v", err)
	}
	b.Release()
	if err := <-done; err != nil {
		t.Fatalf("a: %v", err)
	}
}
