package main

import (
	"github.com/leakdiag/leakdiag/internal/inert"

	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/dumpreader/procfs"
	"github.com/leakdiag/leakdiag/facts"
)

// collectShown is how many problems of each snapshot collect prints
// (those not printed for an earlier one); the rest are counted, and all
// are in the snapshot's diagnostics.
const collectShown = 3

// collectFlags are the flags of collect.
type collectFlags struct {
	pids     []string
	interval time.Duration
	count    int
	output   string
	root     string
}

func newCollectCmd(ui *uiFlags) *cobra.Command {
	var cf collectFlags
	cmd := &cobra.Command{
		Use:   "collect [--pid N]... [--interval D --count K] -o FILE",
		Short: "Snapshot Linux processes' file descriptors from /proc",
		Long: `Read the processes of this Linux machine from /proc, with their file
descriptors (their kinds and names), TCP socket states and descriptor
limits, and write the snapshot to FILE ("-": standard output) in leakdiag's
own JSON form, which facts and analyze read.

--pid (repeatable, or comma-separated) collects only those processes; a pid
that does not exist is an error. --count K with --interval D takes K
snapshots D apart and writes them one after another to FILE, a series in
one file: a leak is growth between them. An existing FILE is replaced only
once the first snapshot is taken: a collection that fails before then
leaves it as it was.

Processes that exit during a scan, or that another user owns (collect as
root to see every process), are reported on standard error and in the
snapshot's diagnostics; they do not stop the collection.`,
		Example: `  # This machine's processes and their file descriptors, now
  leakdiag collect -o snapshot.json

  # One process every 5 minutes for an hour: a series for analyze and diff
  leakdiag collect --pid 1234 --interval 5m --count 13 -o series.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := cf.options()
			if err != nil {
				return err
			}
			if runtime.GOOS != "linux" {
				return fmt.Errorf("collect reads Linux's /proc, and this is %s: capture a Windows machine with a debugger or Sysinternals Handle and read that with facts or analyze", runtime.GOOS)
			}
			notes := cmd.ErrOrStderr()
			if ui.quiet {
				notes = io.Discard
			}
			return cf.run(cmd.Context(), opts, cmd.OutOrStdout(), notes)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&cf.pids, "pid", nil, "collect only this process (repeatable, or comma-separated)")
	fl.DurationVar(&cf.interval, "interval", 0, "with --count, the time between snapshots (such as 30s or 5m)")
	fl.IntVar(&cf.count, "count", 1, "how many snapshots to take, --interval apart")
	fl.StringVarP(&cf.output, "output", "o", "", `write the snapshots to this file ("-": standard output)`)
	fl.StringVar(&cf.root, "proc", procfs.DefaultRoot, "where procfs is mounted (a host's /proc mounted into a container)")
	return cmd
}

// options checks the flags and turns them into the collector's options.
func (cf *collectFlags) options() (procfs.Options, error) {
	opts := procfs.Options{Root: cf.root}
	switch {
	case cf.output == "":
		return opts, fmt.Errorf(`collect needs -o FILE ("-" writes to standard output)`)
	case cf.count < 1:
		return opts, fmt.Errorf("--count %d: want 1 or more", cf.count)
	case cf.interval < 0:
		return opts, fmt.Errorf("--interval %v: want a positive duration", cf.interval)
	case cf.count > 1 && cf.interval == 0:
		return opts, fmt.Errorf("--count %d needs --interval, the time between snapshots", cf.count)
	case cf.count == 1 && cf.interval > 0:
		return opts, fmt.Errorf("--interval needs --count 2 or more: one snapshot has no interval")
	}
	for _, s := range cf.pids {
		pid, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
		if err != nil || pid == 0 {
			return opts, fmt.Errorf("--pid %q: want a process id", s)
		}
		opts.PIDs = append(opts.PIDs, pid)
	}
	return opts, nil
}

// run takes the snapshots and writes each as soon as it is taken, so an
// interrupted series keeps those before the interruption. The file is
// written aside and put in place with its first snapshot: until there is
// one to write, an earlier file of that name stays as it was, and a
// directory that cannot be written fails before the first scan.
//
// notes (standard error, unless --quiet) has a line per snapshot.
func (cf *collectFlags) run(ctx context.Context, opts procfs.Options, stdout, notes io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	out, name := stdout, "standard output"
	var file *outFile
	if cf.output != "-" {
		f, err := createOut(cf.output)
		if err != nil {
			return fmt.Errorf("-o %s: %w", cf.output, err)
		}
		defer f.discard() // once placed, only closes it
		file, out, name = f, f, cf.output
	}
	shown := map[string]bool{}
	start := time.Now()
	for i := range cf.count {
		if i > 0 {
			wait := time.Until(start.Add(time.Duration(i) * cf.interval))
			select {
			case <-ctx.Done():
				return fmt.Errorf("interrupted: %s holds %d of the %d snapshots", name, i, cf.count)
			case <-time.After(wait):
			}
		}
		snap, err := procfs.Collect(opts)
		if err != nil {
			if i > 0 {
				return fmt.Errorf("snapshot %d of %d: %w (%s holds the %d before it)", i+1, cf.count, err, name, i)
			}
			return err
		}
		if err := snap.WriteJSON(out); err != nil {
			return fmt.Errorf("writing to %s: %w", name, err)
		}
		if i == 0 && file != nil {
			if err := file.place(); err != nil {
				return err
			}
		}
		reportSnapshot(notes, snap, i, cf.count, shown)
	}
	if file != nil {
		if err := file.commit(); err != nil {
			return err
		}
	}
	if cf.count > 1 {
		fmt.Fprintf(notes, "leakdiag: wrote %d snapshots to %s\n", cf.count, name)
	}
	return nil
}

// reportSnapshot prints one line about snapshot i, the problems it met by
// code, and the first few of them not printed before.
func reportSnapshot(w io.Writer, snap *facts.Snapshot, i, count int, shown map[string]bool) {
	var fds int64
	for _, p := range snap.Processes {
		fds += p.HandlesParsed
	}
	fmt.Fprintf(w, "leakdiag: snapshot %d/%d: %s, %s", i+1, count,
		countOf(int64(len(snap.Processes)), "process", "processes"), countOf(fds, "descriptor", "descriptors"))
	if len(snap.Diagnostics) == 0 {
		fmt.Fprintln(w)
		return
	}
	byCode := map[string]int{}
	for _, d := range snap.Diagnostics {
		byCode[d.Code]++
	}
	codes := make([]string, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	parts := make([]string, len(codes))
	for j, c := range codes {
		parts[j] = fmt.Sprintf("%s %d", c, byCode[c])
	}
	fmt.Fprintf(w, "; %s (%s)\n", countOf(int64(len(snap.Diagnostics)), "problem", "problems"), strings.Join(parts, ", "))
	n := 0
	for _, d := range snap.Diagnostics {
		if n == collectShown {
			break
		}
		if !shown[d.Message] {
			shown[d.Message] = true
			fmt.Fprintf(w, "  %s: %s\n", d.Severity, inert.Text(d.Message))
			n++
		}
	}
}

// countOf writes n with the noun's singular or plural form (batch.go's
// plural adds an s, and "processs" will not do).
func countOf(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
