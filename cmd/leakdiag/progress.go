package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress shows how far a batch is, on stderr, only for a person watching:
// stderr a terminal (isTerminal) and not in CI (CI set, as CI systems set
// it), and neither --quiet nor --no-progress. Its methods do nothing on a
// nil progress, and are safe for concurrent use:
//
//	analysing captures  3/10 [=======>                 ]  30%  2s, about 5s left
//
// It is drawn over itself with a carriage return, at most every
// progressEvery, and cleared when the batch is done.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	total int
	n     int
	start time.Time
	drawn time.Time // when it was last drawn; zero before
	width int       // the width of what is on the screen, to clear it
	now   func() time.Time
}

// progressEvery is how often the bar is drawn again at most: often enough
// to look alive, seldom enough to cost nothing.
const progressEvery = 100 * time.Millisecond

func newProgress(stderr io.Writer, captures int) *progress {
	if !isTerminal(stderr) || os.Getenv("CI") != "" || captures < 2 {
		return nil
	}
	return &progress{w: stderr, total: captures, start: time.Now(), now: time.Now}
}

// done counts one capture analysed.
func (p *progress) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if t := p.now(); p.n == p.total || t.Sub(p.drawn) >= progressEvery {
		p.drawn = t
		p.draw(t)
	}
}

// finish clears the bar before the report is written.
func (p *progress) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
		p.width = 0
	}
}

// progressBarWidth is the width of the bar between its brackets.
const progressBarWidth = 24

// draw writes the bar as of t.
func (p *progress) draw(t time.Time) {
	n := min(p.n, p.total)
	filled := progressBarWidth * n / p.total
	bar := strings.Repeat("=", filled)
	if filled < progressBarWidth {
		bar += ">" + strings.Repeat(" ", progressBarWidth-filled-1)
	}
	elapsed := t.Sub(p.start)
	line := fmt.Sprintf("analysing captures %*d/%d [%s] %3d%%  %s", len(fmt.Sprint(p.total)), n, p.total, bar, 100*n/p.total, roundDuration(elapsed))
	if n > 0 && n < p.total {
		left := time.Duration(float64(elapsed) / float64(n) * float64(p.total-n))
		line += ", about " + roundDuration(left) + " left"
	}
	pad := ""
	if len(line) < p.width {
		pad = strings.Repeat(" ", p.width-len(line))
	}
	fmt.Fprintf(p.w, "\r%s%s", line, pad)
	p.width = len(line) + len(pad)
}

// roundDuration writes d to the second (1m05s, 3s), or "0s".
func roundDuration(d time.Duration) string {
	d = d.Round(time.Second)
	if d >= time.Minute {
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	}
	return fmt.Sprintf("%ds", int(d/time.Second))
}
