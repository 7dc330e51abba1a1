package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/reporters"
	"github.com/leakdiag/leakdiag/rules"
)

// errFindings marks a run whose findings reach --fail-on.
type errFindings struct{ n int }

func (e errFindings) Error() string { return "" }

func newAnalyzeCmd() *cobra.Command {
	var (
		rf          ruleFlags
		formats     []string
		output      string
		failOn      string
		top         int
		inputFormat string
		baseline    string
		suppress    []string
		jobs        int
		merge       bool
		explain     explainFlags
		series      seriesFlags
	)
	cmd := &cobra.Command{
		Use:   "analyze [flags] FILE...",
		Short: "Run the rules over a capture and report ranked findings",
		Long: `Read a capture, run the default rules (and any --rules directories layered
on them) and report the findings, the top suspect first, each with the
component behind it and the evidence.

With several FILEs, or a directory (read recursively, hidden files
skipped), each capture is analysed on its own, --jobs at a time, and the
report has a section per capture and combined totals; text, json, jsonl,
sarif and junit can report a batch. --merge reads the FILEs as pieces of
one capture instead. A file found in a directory in which no format
leakdiag reads is recognized (a README, a .tsv of sources, notes) is
skipped, and the report names it; one that looks like a capture (a
minidump header, gzip, zip) but cannot be read fails as any capture does.
With --input-format every file is read as that format.

Captures of one machine over time form a series: when they all name the
same host, when --series says so, in a series file (collect --count), or
when none names a host and they show the same processes. That last is
strict, so unrelated captures never merge: each capture shows at least 3
processes with an image; for every two captures, at least 80% of the
smaller one's processes are in the other with the same pid and image (and
create time where both give one); no pid is in two captures as different
processes (another image or create time); no two were taken at the same
time, and every two differ in some process's handle count (captures that
agree on every count are copies or pieces of one capture: --merge).
--series=false keeps any captures a batch. The report says why captures
were read as a series. Their times come from the captures themselves,
from --at FILE=TIME, or from their order; the rules then run over the
last capture with each process's growth known (growth_* facts), and
report it.

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above
--fail-on; 2 bad usage or a capture that could not be read (in a batch,
after reporting the others); 3 invalid rules or suppressions.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if rules.SeverityRank(failOn) == 0 && failOn != "never" {
				return fmt.Errorf("--fail-on %q: want info, warning, error or never", failOn)
			}
			if explain.on {
				return explain.run(cmd, args, rf, formats, output, inputFormat, merge)
			}
			if explain.ruleID != "" || cmd.Flags().Changed("pid") {
				return fmt.Errorf("--rule and --pid choose what --explain explains: add --explain")
			}
			if err := series.check(cmd); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			color := isTerminal(out) && os.Getenv("NO_COLOR") == "" && output == ""
			outs, err := parseOutputs(formats, output, reporters.Options{Color: color, FailOn: failOn, Version: rules.Version})
			if err != nil {
				return err
			}
			set, err := rf.load()
			if err != nil {
				return err
			}
			base, err := loadBaseline(baseline)
			if err != nil {
				return err
			}
			sups, err := loadSuppressions(suppress)
			if err != nil {
				return err
			}
			opts := engine.Options{Top: top, Quote: dumpreader.Quote, Baseline: base, Suppressions: sups, Now: time.Now()}
			readOpts := dumpreader.Options{Format: dumpreader.Format(inputFormat), Stdin: cmd.InOrStdin(), Context: cmd.Context()}
			captures, skipped, batch, err := capturesOf(args, merge, inputFormat == "")
			if err != nil {
				return err
			}
			runSeries := func(sr *facts.Series) (*engine.Report, error) { return engine.RunSeries(cmd.Context(), set, sr, opts) }
			if batch {
				return analyseBatch(cmd, captures, skipped, jobs, set, readOpts, opts, outs, failOn, &series, runSeries)
			}
			if series.on || len(series.at) > 0 {
				return fmt.Errorf("--series and --at need several captures (or a series file)")
			}
			var snap *facts.Snapshot
			if len(captures[0]) == 1 {
				snaps, err := dumpreader.ReadSeries(captures[0], readOpts)
				if err != nil {
					return err
				}
				if len(snaps) > 1 {
					// A series file, as collect --count writes.
					names := make([]string, len(snaps))
					return analyseSeries(cmd, snaps, names, captures[0][0], "they are one series file, as leakdiag collect --count writes", skipped, &series, runSeries, outs, failOn)
				}
				snap = snaps[0]
			} else if snap, err = dumpreader.ReadFiles(captures[0], readOpts); err != nil {
				return err
			}
			report, err := engine.Run(cmd.Context(), set, snap, opts)
			if err != nil {
				return err
			}
			report.Summary.Skipped = skipped
			for _, o := range outs {
				if err := o.write(out, report); err != nil {
					return err
				}
			}
			if n := failing(report, failOn); n > 0 {
				return errFindings{n}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&rf.dirs, "rules", nil, "a directory of rule files layered on the defaults (repeatable, in order)")
	fl.BoolVar(&rf.noDefault, "no-default-rules", false, "do not load the default rules")
	fl.StringArrayVar(&formats, "format", []string{"text"}, "report format: text, json, markdown, html, sarif or junit; FORMAT=FILE writes that format to FILE (repeatable: several reports from one run)")
	fl.StringVarP(&output, "output", "o", "", "write the report given without =FILE to this file instead of standard output")
	fl.StringVar(&failOn, "fail-on", "warning", "exit 1 when a finding is at least this severe: info, warning, error or never")
	fl.IntVar(&top, "top", 0, "report only the N best-ranked findings (0: all)")
	fl.StringVar(&baseline, "baseline", "", "an earlier JSON report (--format json): report only findings it does not have")
	fl.StringArrayVar(&suppress, "suppressions", nil, "a YAML file of accepted findings, each with a reason and an optional expiry (repeatable)")
	fl.IntVar(&jobs, "jobs", runtime.NumCPU(), "with several captures, analyse this many at once")
	fl.BoolVar(&merge, "merge", false, "the FILEs are pieces of one capture of one machine: read them as one")
	explain.flags(cmd)
	series.flags(cmd)
	fl.StringVar(&inputFormat, "input-format", "", "read the input as this format (kd, handle, lsof, minidump, snapshot) instead of detecting it from its content")
	return cmd
}

// failing counts the findings at or above failOn.
func failing(r *engine.Report, failOn string) int {
	if failOn == "never" {
		return 0
	}
	min := rules.SeverityRank(failOn)
	n := 0
	for _, f := range r.Findings {
		if rules.SeverityRank(f.Severity) >= min {
			n++
		}
	}
	return n
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
