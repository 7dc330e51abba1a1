package main

import (
	"runtime/debug"
	"testing"
	"time"
)

// gcPercent reads the collector's GOGC without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestStartGCEnds checks the start-up collection: GOGC at startGCPercent
// under startGCLimit, then what was set before; and nothing changed when
// the environment sets GOGC.
func TestStartGCEnds(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before, beforeLimit := gcPercent(), debug.SetMemoryLimit(-1)
	afterLimit := beforeLimit // the container's, if lower
	if soft, ok := containerSoftLimit(); ok && soft < afterLimit {
		afterLimit = soft
	}
	defer debug.SetMemoryLimit(beforeLimit)
	startGC()
	if got := gcPercent(); got != startGCPercent {
		t.Errorf("GOGC during start-up = %d, want %d", got, startGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != startGCLimit {
		t.Errorf("memory limit during start-up = %d, want %d", got, startGCLimit)
	}
	deadline := time.Now().Add(100 * startGCPhase)
	for gcPercent() != before && time.Now().Before(deadline) {
		time.Sleep(startGCPhase / 10)
	}
	if got := gcPercent(); got != before {
		t.Errorf("GOGC after start-up = %d, want %d", got, before)
	}
	if got := debug.SetMemoryLimit(-1); got != afterLimit {
		t.Errorf("memory limit after start-up = %d, want %d", got, afterLimit)
	}

	t.Setenv("GOGC", "150")
	startGC()
	if got := gcPercent(); got != before {
		t.Errorf("GOGC with GOGC set = %d, want it left at %d", got, before)
	}
}
