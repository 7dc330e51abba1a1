package main

import (
	"os"
	"runtime/debug"
	"time"
)

// The start of a run (loading and compiling the rules, detecting the
// format, reading a small capture) allocates much and keeps little: with
// Go's default GOGC=100 and a heap of a few MB, the collector ran twice
// during a 180 KB capture's analysis (GODEBUG=gctrace=1), on cores that
// were compiling rules and reading; bench/perf.sh's start-up rows measure
// what a run takes. For its
// first startGCPhase, a run collects at startGCPercent, its heap held
// under startGCLimit whatever it reads meanwhile; then the defaults come
// back, so a large capture's read is collected as before (the peak RSS
// that bench/perf.sh measures is reached long after).
const (
	startGCPhase   = 50 * time.Millisecond
	startGCPercent = 400
	startGCLimit   = 32 << 20
)

// startGC sets the start-up collection; a timer ends it, and then gives
// the collector the container's memory limit (memlimit.go), off the path
// of a run that ends sooner (--help, a small capture). A GOGC or
// GOMEMLIMIT in the environment is the user's choice, and left alone.
func startGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		time.AfterFunc(startGCPhase, setContainerMemLimit)
		return
	}
	percent := debug.SetGCPercent(startGCPercent)
	limit := debug.SetMemoryLimit(startGCLimit)
	time.AfterFunc(startGCPhase, func() {
		debug.SetMemoryLimit(limit)
		setContainerMemLimit()
		debug.SetGCPercent(percent)
	})
}
