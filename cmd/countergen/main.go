// Command countergen writes a synthetic performance counter log, as
// typeperf -f CSV writes it (\Process(*)\Handle Count and ID Process of
// every process, a row per sample), for testing and benchmarking
// leakdiag's counter log reader, and prints what it wrote to standard
// error.
//
// Usage:
//
//	countergen [-processes N] [-samples N] [-interval D] [-leakers N] [-leak-per-hour F]
//	           [-restarters N] [-noise N] [-no-pid] [-threads] [-seed S] -o FILE
//
// With -o - the log goes to standard output.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/leakdiag/leakdiag/internal/countergen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command, apart from the process's exit.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("countergen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		cfg countergen.Config
		out string
	)
	fs.StringVar(&cfg.Host, "host", "HOST01", "the machine the counter paths name")
	fs.IntVar(&cfg.Processes, "processes", 1000, "number of processes")
	fs.IntVar(&cfg.Samples, "samples", 1440, "number of samples (rows)")
	fs.DurationVar(&cfg.Interval, "interval", time.Minute, "time between samples")
	fs.Int64Var(&cfg.Seed, "seed", 1, "random seed: the same flags write the same bytes")
	fs.IntVar(&cfg.Leakers, "leakers", 1, "number of processes that leak steadily")
	fs.Float64Var(&cfg.LeakPerHour, "leak-per-hour", 600, "handles a leaker gains an hour")
	fs.IntVar(&cfg.Restarters, "restarters", 0, "number of processes that restart in the middle of the log")
	fs.Int64Var(&cfg.Noise, "noise", 0, "how far flat counts stray, up or down, at each sample")
	fs.BoolVar(&cfg.NoPID, "no-pid", false, "leave out the ID Process counters")
	fs.BoolVar(&cfg.Threads, "threads", false, "add the Thread Count counters")
	fs.StringVar(&out, "o", "", "output file, - for standard output (required)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: countergen [flags] -o FILE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if out == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	var w io.Writer = stdout
	closeOut := func() error { return nil }
	if out != "-" {
		f, err := os.Create(out)
		if err != nil {
			fmt.Fprintln(stderr, "countergen:", err)
			return 1
		}
		w, closeOut = f, f.Close
	}
	start := time.Now()
	st, err := countergen.Write(w, cfg)
	if cerr := closeOut(); err == nil && cerr != nil {
		err = fmt.Errorf("countergen: %w", cerr)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stderr, "bytes %d (%.1f MB), processes %d, samples %d\n", st.Bytes, float64(st.Bytes)/1e6, cfg.Processes, cfg.Samples)
	if len(st.Leakers) > 0 {
		fmt.Fprintf(stderr, "leakers: %s\n", strings.Join(st.Leakers, ", "))
	}
	if len(st.Restarters) > 0 {
		fmt.Fprintf(stderr, "restarters: %s\n", strings.Join(st.Restarters, ", "))
	}
	fmt.Fprintf(stderr, "took %.2fs\n", time.Since(start).Seconds())
	return 0
}
