package limits

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		bad  bool
	}{
		{"1048576", 1 << 20, false}, {"64MiB", 64 << 20, false}, {"64M", 64 << 20, false}, {"1.5GiB", 3 << 29, false},
		{"512k", 512 << 10, false}, {"2GB", 2e9, false}, {" 10 KiB ", 10 << 10, false}, {"0", 0, false},
		{"", 0, true}, {"-1", 0, true}, {"lots", 0, true}, {"1e99GiB", 0, true}, {"9999999999999999999", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseSize(tc.in)
		if tc.bad != (err != nil) || !tc.bad && got != tc.want {
			t.Errorf("ParseSize(%q) = %d, %v", tc.in, got, err)
		}
		if err != nil && !strings.Contains(err.Error(), "64MiB") {
			t.Errorf("error %q gives no example", err)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{900: "900 bytes", 1 << 10: "1 KiB", 64 << 20: "64 MiB", 3 << 29: "1.5 GiB"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestErrorNamesFlag(t *testing.T) {
	err := error(&Error{What: "script", Limit: "is over 1 MiB", Flag: "--max-script-size", Kind: ErrSize})
	if got := err.Error(); got != "script: is over 1 MiB (raise it with --max-script-size)" {
		t.Errorf("%q", got)
	}
	if !errors.Is(err, ErrSize) || errors.Is(err, ErrTime) || !Is(err, ErrSize) {
		t.Error("kinds")
	}
}

func TestReserve(t *testing.T) {
	SetBudget(1 << 30)
	defer SetBudget(0)
	if _, err := Reserve(context.Background(), 600<<20, "a model"); !Is(err, ErrSize) || !strings.Contains(err.Error(), BudgetFlag) {
		t.Fatalf("more than half: %v", err)
	}
	r1, err := Reserve(context.Background(), 300<<20, "a")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := Reserve(ctx, 300<<20, "b"); !Is(err, ErrBusy) {
		t.Fatalf("over half: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		r, err := Reserve(context.Background(), 300<<20, "c")
		if err == nil {
			r()
		}
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	r1()
	r1() // releasing twice is harmless
	if err := <-done; err != nil {
		t.Fatalf("after release: %v", err)
	}
	if Reserved() != 0 {
		t.Errorf("reserved %d", Reserved())
	}
}
