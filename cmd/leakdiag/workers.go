package main

import (
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// readWorkers and readChunk, when tests set them, say how many goroutines
// parse a capture and the size of the pieces they are given
// (dumpreader.Options.Workers and ChunkSize); 0 leaves the choice to the
// flag --read-workers, then to dumpreader. Reports must not depend
// on them.
var readWorkers, readChunk int

// workersFlag adds the flag --read-workers to cmd: how many goroutines
// parse a kd capture, a Handle or an lsof listing beside the one that
// reads it, 1 none, 0 the default (see workersOf). The benchmarks
// (bench/perf.sh, bench/listings.sh) compare 1 with the default.
func workersFlag(cmd *cobra.Command, n *int) {
	cmd.Flags().IntVar(n, "read-workers", 0, "goroutines that parse a kd capture, a Handle or lsof listing beside the reader (0: one per core but one, none when the load average shows every core busy; 1: none)")
}

// workersOf returns the workers a read gets: the tests', else the flag's,
// else one (a serial read) when other work already keeps every processor
// busy, where the parallel reader only contends with it and reads up to a
// fifth slower (bench/README.md), else 0, dumpreader's default.
func workersOf(flag int) int {
	if readWorkers != 0 {
		return readWorkers
	}
	if flag != 0 {
		return flag
	}
	if busy(loadAverage(), runtime.NumCPU()) {
		return 1
	}
	return 0
}

// busy reports whether a one-minute load average of load keeps all cpus
// processors busy. The processors are those the machine shows, not the
// share a container's quota gives: the load average counts the machine's.
func busy(load float64, cpus int) bool {
	return cpus > 1 && load >= float64(cpus)
}

// loadAverage returns the machine's one-minute load average, 0 where it
// cannot be read (not Linux).
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	first, _, _ := strings.Cut(string(b), " ")
	load, err := strconv.ParseFloat(first, 64)
	if err != nil || load < 0 {
		return 0
	}
	return load
}
