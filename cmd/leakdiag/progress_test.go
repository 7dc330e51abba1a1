package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestProgressDraws: the bar counts, estimates what is left, is drawn at
// most every progressEvery (and at the last capture), over itself, and
// finish clears it.
func TestProgressDraws(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	p := &progress{w: &out, total: 4, start: clock, now: func() time.Time { return clock }}
	clock = clock.Add(2 * time.Second)
	p.done()
	want := "\ranalysing captures 1/4 [======>                 ]  25%  2s, about 6s left"
	if out.String() != want {
		t.Fatalf("after one of four:\n%q\nwant\n%q", out.String(), want)
	}
	out.Reset()
	clock = clock.Add(10 * time.Millisecond)
	p.done() // too soon to draw again
	if out.Len() != 0 {
		t.Errorf("drawn again after 10ms: %q", out.String())
	}
	clock = clock.Add(70 * time.Second)
	p.done()
	p.done() // the last is drawn however soon
	draws := strings.Split(out.String(), "\r")[1:]
	third := "analysing captures 3/4 [==================>     ]  75%  1m12s, about 24s left"
	end := "analysing captures 4/4 [========================] 100%  1m12s"
	if len(draws) != 2 || draws[0] != third || draws[1] != end+strings.Repeat(" ", len(third)-len(end)) {
		t.Errorf("the last draws: %q\nwant %q and %q padded over it", draws, third, end)
	}
	out.Reset()
	p.finish()
	if got := out.String(); got != "\r"+strings.Repeat(" ", len(third))+"\r" {
		t.Errorf("finish wrote %q, want the widest line blanked", got)
	}
}

// TestProgressConcurrent: captures finish on several goroutines.
func TestProgressConcurrent(t *testing.T) {
	var out bytes.Buffer
	p := &progress{w: &out, total: 100, start: time.Now(), now: time.Now}
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(p.done)
	}
	wg.Wait()
	if p.n != 100 || !strings.Contains(out.String(), "100/100") {
		t.Errorf("counted %d, output ends %q", p.n, out.String()[max(0, out.Len()-80):])
	}
	var nilBar *progress
	nilBar.done()
	nilBar.finish()
}
