// Command kdgen writes a large synthetic kernel debugger capture (`!process
// 0 0` and `!handle 0 3` for every process, Windows 10 x64 layout) for
// testing and benchmarking leakdiag's reader, and prints what it wrote to
// standard error.
//
// Usage:
//
//	kdgen [-processes N] [-handles N] [-seed S] [-leakers N] [-leak-share F] -o FILE
//
// With -o - the capture goes to standard output.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/leakdiag/leakdiag/internal/kdgen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command, apart from the process's exit, so that it can
// be driven with any arguments and writers.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kdgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		cfg     kdgen.Config
		out     string
		leakers int
		share   float64
		leak    kdgen.Leak
	)
	fs.IntVar(&cfg.Processes, "processes", 4000, "number of processes, System included")
	fs.Int64Var(&cfg.Handles, "handles", 3_900_000, "total number of handles across all processes")
	fs.Int64Var(&cfg.Seed, "seed", 1, "random seed: the same flags write the same bytes")
	fs.IntVar(&leakers, "leakers", 1, "number of leaking processes")
	fs.Float64Var(&share, "leak-share", 0.3, "fraction of all handles the leakers hold together")
	fs.StringVar(&leak.Image, "leak-image", "", "image of the (first) leaking process; default a vendor agent")
	fs.StringVar(&leak.Type, "leak-type", "", "object type it leaks; default Event")
	fs.StringVar(&leak.Name, "leak-name", "", "object name it leaks handles to; default anonymous objects")
	fs.BoolVar(&leak.Distinct, "leak-distinct", false, "give every leaked handle a name of its own (a file per request), numbered after -leak-name or a default name")
	fs.StringVar(&out, "o", "", "output file, - for standard output (required)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kdgen [flags] -o FILE")
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
	if leakers > 0 {
		cfg.Leaks = kdgen.DefaultLeaks(leakers, share)
		if leak.Image != "" || leak.Type != "" || leak.Name != "" || leak.Distinct {
			leak.Share = cfg.Leaks[0].Share
			cfg.Leaks[0] = leak
		}
	}

	w, closeOut, err := openOutput(out, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "kdgen:", err)
		return 1
	}
	start := time.Now()
	st, err := kdgen.Write(w, cfg)
	if cerr := closeOut(); err == nil && cerr != nil {
		err = fmt.Errorf("kdgen: %w", cerr)
	}
	if err != nil {
		// The package's errors say where they come from.
		fmt.Fprintln(stderr, err)
		return 1
	}
	printStats(stderr, st, time.Since(start))
	return 0
}

// openOutput opens the file kdgen writes, and returns how to finish it so
// that a failed close (a full disk) is an error, not a short file.
func openOutput(name string, stdout io.Writer) (io.Writer, func() error, error) {
	if name == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(name)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

func printStats(w io.Writer, st kdgen.Stats, took time.Duration) {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	mb := float64(st.Bytes) / 1e6
	fmt.Fprintf(bw, "bytes %d (%.1f MB), lines %d, processes %d, handles %d\n", st.Bytes, mb, st.Lines, st.Processes, st.Handles)
	fmt.Fprintf(bw, "named %d, unnamed %d, distinct names %d\n", st.Named, st.Unnamed, st.DistinctNames)
	types := make([]string, 0, len(st.ByType))
	for t := range st.ByType {
		types = append(types, t)
	}
	// Most held first, as a reader's report would list them.
	sort.Slice(types, func(i, j int) bool {
		if st.ByType[types[i]] != st.ByType[types[j]] {
			return st.ByType[types[i]] > st.ByType[types[j]]
		}
		return types[i] < types[j]
	})
	for _, t := range types {
		fmt.Fprintf(bw, "  %-22s %d\n", t, st.ByType[t])
	}
	for _, p := range st.PerProcess {
		if p.Leaked > 0 {
			fmt.Fprintf(bw, "leaker pid %#x %s: %d handles, %d leaked\n", p.PID, p.Image, p.Handles, p.Leaked)
		}
	}
	fmt.Fprintf(bw, "took %.2fs (%.0f MB/s)\n", took.Seconds(), mb/took.Seconds())
}
