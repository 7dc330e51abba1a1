package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/facts"
)

func newFactsCmd() *cobra.Command {
	var df dataFormat
	var format string
	cmd := &cobra.Command{
		Use:   "facts [flags] FILE...",
		Short: "Read captures and print the facts found in them",
		Long: `Read the captures of one machine (several files are merged into one snapshot;
FILE - reads standard input) and print a process table with the line accounting and diagnostics, or, with
--format json, the snapshot in leakdiag's own JSON form (schema_version 1),
which leakdiag reads back as a capture. A file that holds a series (a counter
log, a query_range response, a series file of collect --count) prints its
last capture, or with --format json every capture, one after another.`,
		Example: `  # The processes, handles and diagnostics read from a capture
  leakdiag facts testdata/examples/registry-leak-contoso-agent.txt

  # The same as a snapshot, which leakdiag reads back as a capture
  leakdiag facts --format json testdata/examples/registry-leak-contoso-agent.txt > snapshot.json

  # A !process log and a !handle log of one dump, read as one capture
  leakdiag facts process.txt handles.txt

  # Sysinternals Handle output from standard input, its format forced
  leakdiag facts --input-format handle - < handle.txt`,
		Args: argsNeeded(1, -1, "a capture: a FILE (several files of one machine are read as one), or - for standard input"),
		RunE: func(cmd *cobra.Command, args []string) error {
			asJSON, err := df.json(cmd)
			if err != nil {
				return err
			}
			opts := dumpreader.Options{Format: dumpreader.Format(format), Stdin: cmd.InOrStdin(), Context: cmd.Context(), Workers: workersOf(0), ChunkSize: readChunk}
			var snaps []*facts.Snapshot
			if len(args) == 1 {
				st, err := streamOf(args[0], opts)
				switch {
				case err != nil:
					return err
				case st != nil && asJSON:
					return st.WriteJSON(cmd.OutOrStdout())
				case st != nil:
					return st.WriteText(cmd.OutOrStdout())
				}
				if snaps, err = dumpreader.ReadSeries(args, opts); err != nil {
					return err
				}
			} else {
				snap, err := dumpreader.ReadFiles(args, opts)
				if err != nil {
					return err
				}
				snaps = []*facts.Snapshot{snap}
			}
			if asJSON {
				// A series (a counter log's samples, a series file): the
				// snapshots one after another, as collect --count writes.
				for _, s := range snaps {
					if err := s.WriteJSON(cmd.OutOrStdout()); err != nil {
						return err
					}
				}
				return nil
			}
			// A file of several hosts (a query_range response, a table with
			// PSComputerName) holds a series per host: each host's last.
			for i, snaps := range seriesByHost(snaps) {
				if i > 0 {
					fmt.Fprintln(cmd.OutOrStdout())
				}
				last := snaps[len(snaps)-1]
				if len(snaps) > 1 {
					fmt.Fprintf(cmd.OutOrStdout(), "%s; the last:\n\n", seriesHeading(len(snaps), snaps[0].CapturedAt, last.CapturedAt))
				}
				if err := last.WriteText(cmd.OutOrStdout()); err != nil {
					return err
				}
			}
			return nil
		},
	}
	df.flags(cmd)
	cmd.Flags().StringVar(&format, "input-format", "", "read the input as this format ("+inputFormatList()+") instead of detecting it from its content")
	completeFlags(cmd, nil)
	return cmd
}

// seriesHeading says how many captures a series holds and the times of
// its first and last, as far as the capture printed them: a Get-Process
// loop without Get-Date prints none, and a time left blank read as a
// range that ends nowhere.
func seriesHeading(n int, first, last string) string {
	switch {
	case first == "" && last == "":
		return fmt.Sprintf("a series of %d captures, their times not printed", n)
	case first == "":
		first = "a time not printed"
	case last == "":
		last = "a time not printed"
	}
	return fmt.Sprintf("a series of %d captures, %s to %s", n, first, last)
}
