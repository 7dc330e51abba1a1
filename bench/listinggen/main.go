// Command listinggen writes a large synthetic Handle or lsof listing
// (internal/listgen) for bench/listings.sh.
//
// Usage:
//
//	listinggen -format handle|handle-csv|lsof|lsof-F|lsof-F0 [-processes N] [-handles N] [-seed N] [-leak-share F] -o FILE
//
// It prints the bytes, lines and handles written to stderr. The same flags
// write the same bytes.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/leakdiag/leakdiag/internal/listgen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// writers are the listings listinggen writes, by -format.
var writers = map[string]func(io.Writer, listgen.Config) (listgen.Stats, error){
	"handle":     listgen.WriteHandle,
	"handle-csv": listgen.WriteHandleCSV,
	"lsof":       listgen.WriteLsof,
	"lsof-F": func(w io.Writer, cfg listgen.Config) (listgen.Stats, error) {
		return listgen.WriteLsofFields(w, cfg, false)
	},
	"lsof-F0": func(w io.Writer, cfg listgen.Config) (listgen.Stats, error) {
		return listgen.WriteLsofFields(w, cfg, true)
	},
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("listinggen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "handle", "handle, handle-csv, lsof, lsof-F or lsof-F0")
	var cfg listgen.Config
	fs.IntVar(&cfg.Processes, "processes", 1000, "number of processes")
	fs.Int64Var(&cfg.Handles, "handles", 1_000_000, "handles (descriptors) in all")
	fs.Int64Var(&cfg.Seed, "seed", 1, "seed")
	fs.Float64Var(&cfg.LeakShare, "leak-share", 0.2, "share of the handles the leaking process holds")
	out := fs.String("o", "", "output file (required)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	write := writers[*format]
	if *out == "" || write == nil {
		fmt.Fprintln(stderr, "usage: listinggen -format handle|handle-csv|lsof|lsof-F|lsof-F0 [-processes N] [-handles N] [-seed N] [-leak-share F] -o FILE")
		return 2
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(stderr, "listinggen:", err)
		return 1
	}
	st, err := write(f, cfg)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(stderr, "listinggen:", err)
		return 1
	}
	fmt.Fprintf(stderr, "listinggen: %s, %d bytes, %d lines, %d handles\n", *format, st.Bytes, st.Lines, st.Handles)
	return 0
}
