package main

import "github.com/spf13/cobra"

// readWorkers and readChunk, when tests set them, say how many goroutines
// parse a capture and the size of the pieces they are given
// (dumpreader.Options.Workers and ChunkSize); 0 leaves the choice to the
// flag --read-workers, then to dumpreader. Reports must not depend
// on them.
var readWorkers, readChunk int

// workersFlag adds the flag --read-workers to cmd: how many goroutines
// parse a kd capture, a Handle or an lsof listing beside the one that
// reads it, 1 none, 0 the default (one per core but one). On a machine
// whose cores other work keeps busy, 1 reads faster; the benchmarks
// (bench/perf.sh, bench/listings.sh) compare the two.
func workersFlag(cmd *cobra.Command, n *int) {
	cmd.Flags().IntVar(n, "read-workers", 0, "goroutines that parse a kd capture, a Handle or lsof listing beside the reader (0: one per core but one; 1: none, faster when other work keeps every core busy)")
}

// workersOf returns the workers a read gets: the tests', else the flag's.
func workersOf(flag int) int {
	if readWorkers != 0 {
		return readWorkers
	}
	return flag
}
