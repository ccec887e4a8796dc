package record

import (
	"github.com/gw-project/gw/internal/model"
	"strconv"
	"testing"
)

// The writer counts visits and step numbers up in decimal, in place; it
// must agree with strconv across every carry.
func TestVisitCount(t *testing.T) {
	for _, start := range []int64{0, 8, 98, 9998, 99_999, 999_999_998, 1<<62 - 1} {
		v := visitCount{n: start}
		for range 3000 {
			v.inc()
			if got, want := string(v.text()), strconv.FormatInt(v.n, 10); got != want {
				t.Fatalf("from %d: count %d written %q, want %q", start, v.n, got, want)
			}
		}
	}
}

func TestStepNumber(t *testing.T) {
	var c encoder
	// Steps count up; a setData or fail line repeats its step's number;
	// an online session's lines may jump.
	seq := []int64{1, 2, 3, 3, 4, 9, 10, 10, 11, 99, 100, 7, 8, 999, 1000, 1001}
	for n := int64(99_990); n < 100_010; n++ {
		seq = append(seq, n)
	}
	for _, n := range seq {
		if got, want := string(c.stepNumber(nil, n)), strconv.FormatInt(n, 10); got != want {
			t.Fatalf("step number %d written %q", n, got)
		}
		if got, want := string(c.head), stepHead+strconv.FormatInt(n, 10); got != want {
			t.Fatalf("after %d the step head is %q, want %q", n, got, want)
		}
	}
}

func TestPlainStepLine(t *testing.T) {
	models := []*model.Model{login(t, "")}
	c := newEncoder(models)
	for _, tc := range []struct {
		n       int64
		visits  string
		t       float64
		skipped bool
		want    string
	}{
		{1, "1", 0, false, `{"type":"step","n":1,"model":0,"id":"v0","name":"v_Start","visits":1,"t":0}`},
		{2, "10", 1.5, true, `{"type":"step","n":2,"model":0,"id":"v0","name":"v_Start","visits":10,"t":1.500,"dataSkipped":true}`},
		{3, "11", 1.5, false, `{"type":"step","n":3,"model":0,"id":"v0","name":"v_Start","visits":11,"t":1.500}`},
		{10, "250000", 12, false, `{"type":"step","n":10,"model":0,"id":"v0","name":"v_Start","visits":250000,"t":12}`},
	} {
		got := string(c.plainStep(nil, tc.n, 0, 0, []byte(tc.visits), tc.t, tc.skipped))
		if got != tc.want+"\n" {
			t.Errorf("step %d: %s, want %s", tc.n, got, tc.want)
		}
	}
}
