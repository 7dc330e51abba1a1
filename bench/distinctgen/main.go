// Command distinctgen writes a kd capture whose handles all name distinct
// objects, a file per request, for measuring leakdiag's memory when a
// leak adds a new name with every handle (bench/distinct.sh).
//
// Usage:
//
//	distinctgen [-processes N] [-handles N] [-leaker] -o FILE
//
// The capture is `!process 0 0` and `!handle 0 3` for each process, as
// kdgen writes them (Windows 10 x64 layout), every handle a File handle
// to its own name. With -leaker, the first process holds every handle but
// 1,000 for each other process; without it, the processes hold as many
// each. The same flags write the same bytes.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("distinctgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	procs := fs.Int("processes", 200, "number of processes")
	handles := fs.Int("handles", 1_000_000, "handles in all")
	leaker := fs.Bool("leaker", false, "one process holds all handles but 1,000 per other process")
	out := fs.String("o", "", "output file (required)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *out == "" || *procs < 1 || *handles < *procs || (*leaker && *handles < 1000*(*procs-1)+1) {
		fmt.Fprintln(stderr, "usage: distinctgen [-processes N] [-handles N] [-leaker] -o FILE (handles at least the processes, and with -leaker 1,000 per other process and one)")
		return 2
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(stderr, "distinctgen:", err)
		return 1
	}
	w := bufio.NewWriterSize(f, 1<<20)
	write(w, *procs, *handles, *leaker)
	if err := w.Flush(); err != nil {
		fmt.Fprintln(stderr, "distinctgen:", err)
		return 1
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(stderr, "distinctgen:", err)
		return 1
	}
	return 0
}

// write writes the capture: procs processes holding handles in all.
func write(w io.Writer, procs, handles int, leaker bool) {
	per := func(i int) int {
		if !leaker {
			n := handles / procs
			if i < handles%procs {
				n++
			}
			return n
		}
		if i == 0 {
			return handles - (procs-1)*1000
		}
		return 1000
	}
	addr := func(i int) string { return fmt.Sprintf("ffffd7c0%08x", 0x10000000+i*0x1000) }
	header := func(i int) {
		fmt.Fprintf(w, "PROCESS %s\n    SessionId: 0  Cid: %04x    Peb: 00000000  ParentCid: 0004\n"+
			"    DirBase: 001ad002  ObjectTable: ffffbb55%08x  HandleCount: %d.\n    Image: app%d.exe\n\n",
			addr(i), 8+4*i, i, per(i), i)
	}
	fmt.Fprintf(w, "0: kd> !process 0 0\n**** NT ACTIVE PROCESS DUMP ****\n")
	for i := range procs {
		header(i)
	}
	n := 0
	for i := range procs {
		fmt.Fprintf(w, "0: kd> !handle 0 3 %s\n\n", addr(i))
		header(i)
		fmt.Fprintf(w, "Handle table at ffffbb55%08x with %d entries in use\n\n", i, per(i))
		for j := range per(i) {
			n++
			obj := 0xffffd7c200000000 + uint64(n)*0x40
			fmt.Fprintf(w, "%04x: Object: %x  GrantedAccess: 0012019f Entry: ffffbb57a5a3a010\n"+
				"Object: %x  Type: (ffffd7be2c4a3000) File\n    ObjectHeader: %x (new version)\n"+
				"        HandleCount: 1  PointerCount: 32768\n"+
				"        Directory Object: 00000000  Name: \\Device\\HarddiskVolume2\\ProgramData\\Agent\\spool\\req-%09d.tmp {HarddiskVolume2}\n\n",
				4*(j+1), obj, obj, obj-0x30, n)
		}
	}
}
