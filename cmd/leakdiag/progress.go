package main

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows how far a batch is, on stderr, only for a person watching:
// stderr a terminal (isTerminal) and not in CI (CI set, as CI systems set
// it), and neither --quiet nor --no-progress. Its methods do nothing on a
// nil progress.
type progress struct{ bar *progressbar.ProgressBar }

func newProgress(stderr io.Writer, captures int) *progress {
	if !isTerminal(stderr) || os.Getenv("CI") != "" || captures < 2 {
		return nil
	}
	return &progress{bar: progressbar.NewOptions(captures,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("analysing captures"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// done counts one capture analysed (the bar is safe for concurrent use).
func (p *progress) done() {
	if p != nil {
		p.bar.Add(1)
	}
}

// finish clears the bar before the report is written.
func (p *progress) finish() {
	if p != nil {
		p.bar.Finish()
	}
}
