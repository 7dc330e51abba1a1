package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/reporters"
	"github.com/leakdiag/leakdiag/severity"
)

// newDiffCmd compares two captures of one machine.
func newDiffCmd() *cobra.Command {
	var (
		rf          ruleFlags
		format      string
		output      string
		failOn      string
		inputFormat string
		at          []string
	)
	cmd := &cobra.Command{
		Use:   "diff [flags] OLD NEW | SERIESFILE",
		Short: "Show what changed between two captures of one machine, and the findings on the growth",
		Long: `Compare two captures of one machine (or the first and last of a series
file): each process's handles and types before and after, ranked by
growth (grew, appeared, shrank, exited, unknown, unchanged), the
machine-wide change per type, and the findings of the rules on the newer
capture with the growth known (the growth_* facts: LD0013 steady growth
and the like).

A process is the same in both when its pid and image match (and its
create time, where the captures say); a pid reused by another image is a
process that exited and one that appeared. A count one capture does not
give (a handle -s summary cut before its total, <Data Not Accessible>)
is unknown, never 0: that process or type is "unknown" (? in text, -1 in
JSON), not "shrank". The time between the captures comes from the
captures themselves or from --at FILE=TIME.

Exit codes: 0, or 1 with findings at or above --fail-on (default never);
2 bad usage, unreadable captures, or a rule that failed to evaluate (its
findings are unknown); 3 invalid rules.`,
		Example: `  # What grew between two captures of one machine
  leakdiag diff monday.txt tuesday.txt

  # The first and last snapshots of a collect --count series, in Markdown
  leakdiag diff --format markdown -o changes.md series.json

  # Captures that do not say when they were taken
  leakdiag diff --at old.txt=2026-11-27T08:00:00Z --at new.txt=2026-11-27T14:00:00Z old.txt new.txt`,
		Args: argsNeeded(1, 2, "two captures of one machine, OLD and NEW, or one series file (collect --count)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			fail, err := severity.ParseFailOn(failOn)
			if err != nil {
				return fmt.Errorf("--fail-on %q: want info, warning, error or never", failOn)
			}
			if !slices.Contains(reporters.DiffFormats, format) {
				return fmt.Errorf("--format %q: diff writes %s", format, strings.Join(reporters.DiffFormats, ", "))
			}
			set, err := rf.load()
			if err != nil {
				return err
			}
			path := output
			if path == stdout {
				path = ""
			}
			outs := outputs{{format: format, path: path, flag: "-o " + output}}
			done, err := outs.open(args)
			defer done()
			if err != nil {
				return err
			}
			quoter := &dumpreader.Quoter{}
			readOpts := dumpreader.Options{Format: dumpreader.Format(inputFormat), Stdin: cmd.InOrStdin(), Quoter: quoter, Context: cmd.Context(), Workers: workersOf(0), ChunkSize: readChunk}
			var snaps []*facts.Snapshot
			names, from := args, ""
			if len(args) == 1 {
				from = args[0]
				all, err := dumpreader.ReadSeries(args, readOpts)
				if err != nil {
					return err
				}
				if len(all) < 2 {
					return fmt.Errorf("%s holds one capture: give two captures, or a series file", args[0])
				}
				if hosts := seriesByHost(all); len(hosts) > 1 {
					return fmt.Errorf("%s holds the series of %d hosts: a diff compares one host's captures (select one host in the query)", args[0], len(hosts))
				}
				snaps, names = []*facts.Snapshot{all[0], all[len(all)-1]}, []string{"", ""}
			} else {
				for _, a := range args {
					s, err := dumpreader.ReadFiles([]string{a}, readOpts)
					if err != nil {
						return err
					}
					snaps = append(snaps, s)
				}
			}
			sf := seriesFlags{at: at}
			times, err := sf.times(names)
			if err != nil {
				return err
			}
			s, err := newSeries(snaps, times, names, from)
			if err != nil {
				return err
			}
			d, err := engine.DiffOf(cmd.Context(), set, s, engine.Options{Quote: quoter.Quote, Now: time.Now()})
			if err != nil {
				return err
			}
			if err := outs.each(cmd.OutOrStdout(), func(_ reportOutput, w io.Writer) error { return reporters.WriteDiff(w, d, format) }); err != nil {
				return err
			}
			if err := ruleFailures(d.Report); err != nil {
				return err
			}
			if n := failing(d.Report, fail); n > 0 {
				return errFindings{n}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	rf.flags(cmd)
	fl.StringVar(&format, "format", "text", "text, json or markdown")
	fl.StringVarP(&output, "output", "o", "", `write to this file instead of standard output ("-": standard output)`)
	fl.StringVar(&failOn, "fail-on", "never", "exit 1 when a finding is at least this severe: info, warning, error or never")
	fl.StringVar(&inputFormat, "input-format", "", "read the captures as this format ("+inputFormatList()+") instead of detecting it")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions(reporters.DiffFormats...))
	completeFlags(cmd, &rf)
	fl.StringArrayVar(&at, "at", nil, "FILE=TIME: when FILE was captured (RFC 3339, or 2006-01-02 15:04 in UTC), where it does not say (repeatable)")
	return cmd
}
