package main

import (
	"os"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/facts"
)

// streamAbove is the size of a snapshot JSON file past which analyze and
// facts read it as a stream, a process at a time, instead of holding it
// (a snapshot of 500,000 processes is a 1.2 GB file: held, analyze
// peaked at 1.7 GB; streamed, 150 MB); tests lower it. A stream reads
// the file twice (facts' text table three times), so it takes about
// twice as long: below this size (some 50,000 processes of bench/mem.sh's,
// 2,485 bytes of JSON each; held, analyze peaks near 1.4 times the
// file's size) holding it is the better trade.
var streamAbove int64 = 128 << 20

// streamOf returns the capture at path as a stream when it is a snapshot
// JSON file of more than streamAbove bytes, nil otherwise (or with
// --input-format naming another format).
func streamOf(path string, opts dumpreader.Options) (*facts.Stream, error) {
	if path == "-" {
		return nil, nil
	}
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() || st.Size() <= streamAbove {
		return nil, nil // an error is the reader's to tell
	}
	return dumpreader.StreamSnapshot(path, opts)
}
