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
	"github.com/leakdiag/leakdiag/internal/version"
	"github.com/leakdiag/leakdiag/reporters"
	"github.com/leakdiag/leakdiag/rules"
	"github.com/leakdiag/leakdiag/severity"
)

// errFindings marks a run whose findings reach --fail-on.
type errFindings struct{ n int }

func (e errFindings) Error() string { return "" }

func newAnalyzeCmd(ui *uiFlags) *cobra.Command {
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
		workers     int
		merge       bool
		explain     explainFlags
		series      seriesFlags
		shardFlag   string
	)
	cmd := &cobra.Command{
		Use:   "analyze [flags] FILE...",
		Short: "Run the rules over a capture and report ranked findings",
		Long: `Read a capture, run the default rules (and any --rules directories layered
on them) and report the findings, the top suspect first, each with the
component behind it and the evidence.

With several FILEs, or a directory (read recursively, hidden files
skipped), each capture is analysed on its own, --jobs at a time, and the
report has a section per capture and combined totals, in every format
(markdown: one document with a table of the captures, fit for a CI job
summary; html: one page with an index). --merge reads the FILEs as pieces of
one capture instead. A file found in a directory in which no format
leakdiag reads is recognized (a README, a .tsv of sources, notes) is
skipped, and the report names it; one that looks like a capture (a
minidump header, gzip, zip) but cannot be read fails as any capture does.
With --input-format every file is read as that format.

Captures of one machine over time form a series: when they all name the
same host, when --series says so, in a series file (collect --count), in
a counter log (typeperf, relog, Get-Counter: a capture per sample) or a
Prometheus query_range response (a series per host; several hosts are
reported as a batch), or when none names a host and they show the same
processes. That last is
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

"-" as a report's file (-o -, --format json=-) is standard output; at most
one report goes there. Report files (-o, FORMAT=FILE) are written under a
temporary name beside them and renamed into place once every report is
complete: a failed or interrupted run leaves earlier reports as they were.
A report file that is one of the inputs (a capture, --baseline,
--suppressions) is refused, and one whose directory cannot be written
fails before any capture is read.

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above
--fail-on; 2 bad usage, a capture that could not be read (in a batch,
after reporting the others), or a rule that failed to evaluate (a
division by zero, over its cost limit: its findings are unknown, so the
run is no pass whatever --fail-on says; the report names each failure,
SARIF with executionSuccessful false, JUnit with an error); 3 invalid
rules or suppressions.`,
		Example: `  # The suspect of a capture, its component and the evidence
  leakdiag analyze testdata/examples/registry-leak-contoso-agent.txt

  # A page for the vendor and SARIF for code scanning from one run; exit 0
  # whatever is found
  leakdiag analyze --fail-on never --format html=report.html --format sarif=leakdiag.sarif testdata/examples/registry-leak-contoso-agent.txt

  # A site's rules on the defaults; the component named from !htrace stacks
  leakdiag analyze --rules testdata/examples/contoso-rules testdata/examples/htrace-diff-contoso-hook-events.txt

  # Why LD0001 fired, or not, for one process
  leakdiag analyze --explain --rule LD0001 --pid 352 testdata/examples/registry-leak-contoso-agent.txt

  # A folder of captures in CI: only findings new since the last report
  leakdiag analyze --quiet --baseline last.json --format text --format json=now.json captures/

  # The second of four parts of a fleet's captures, for leakdiag merge (in a
  # Kubernetes Indexed Job, --shard /4 takes the part from JOB_COMPLETION_INDEX)
  leakdiag analyze --shard 1/4 --format json=shard-1.json testdata/fleet

  # Three captures of one machine over time: growth
  leakdiag analyze --series monday.txt tuesday.txt wednesday.txt`,
		Args: argsNeeded(1, -1, "a capture: a FILE, a directory of captures, or - for standard input"),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case top < 0:
				return fmt.Errorf("--top %d: want the number of findings to report, or 0 for all", top)
			case jobs < 1:
				return fmt.Errorf("--jobs %d: want 1 or more captures at once", jobs)
			}
			fail, err := severity.ParseFailOn(failOn)
			if err != nil {
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
			var shard *shardSpec
			if cmd.Flags().Changed("shard") {
				s, err := parseShard(shardFlag, os.Getenv)
				if err != nil {
					return err
				}
				switch {
				case merge:
					return fmt.Errorf("--shard splits captures between workers, and --merge reads the files as one capture: give one or the other")
				case series.on || len(series.at) > 0:
					return fmt.Errorf("--shard splits captures between workers, and a series is one machine over time, analysed whole: analyse it without --shard")
				}
				shard = &s
			}
			out := cmd.OutOrStdout()
			now := time.Now()
			// A file is no terminal: only --color always colours it.
			outs, err := parseOutputs(formats, output, reporters.Options{Color: ui.colorFor(out), FailOn: fail,
				Version: version.Get().String(), VersionNumber: version.Get().SemVer(), Quiet: ui.quiet, Time: now, Command: commandLine()}, ui.colorFor(io.Discard))
			if err != nil {
				return err
			}
			// The rules compile while the capture is read.
			ahead := rf.loadAhead()
			base, err := loadBaseline(baseline)
			if err != nil {
				return ahead.or(err)
			}
			sups, err := loadSuppressions(suppress)
			if err != nil {
				return ahead.or(err)
			}
			// Findings quote the captures this run reads, and no file a
			// snapshot's positions name.
			quoter := &dumpreader.Quoter{}
			opts := engine.Options{Top: top, Quote: quoter.Quote, Baseline: base, Suppressions: sups, Now: now}
			readOpts := dumpreader.Options{Format: dumpreader.Format(inputFormat), Stdin: cmd.InOrStdin(), Quoter: quoter, Context: cmd.Context(), Workers: workersOf(workers), ChunkSize: readChunk}
			var (
				captures [][]string
				skipped  []engine.SkippedFile
				batch    bool
				part     *shardPart
				inputs   []string
			)
			if shard != nil {
				_, rulesVer, err := ahead.wait()
				if err != nil {
					return err
				}
				if part, skipped, err = shardCaptures(args, inputFormat == "", *shard, rulesVer); err != nil {
					return err
				}
				captures, batch = part.captures, true
				// A worker sees its part only: whether all the captures
				// are one machine over time is not its to tell.
				series.off = true
				inputs = inputsOf([][]string{part.all}, baseline, suppress)
			} else {
				if captures, skipped, batch, err = capturesOf(args, merge, inputFormat == ""); err != nil {
					return ahead.or(err)
				}
				inputs = inputsOf(captures, baseline, suppress)
			}
			done, err := outs.open(inputs)
			defer done()
			if err != nil {
				return ahead.or(err)
			}
			seriesWith := func(set *rules.Set) func(*facts.Series) (*engine.Report, error) {
				return func(sr *facts.Series) (*engine.Report, error) { return engine.RunSeries(cmd.Context(), set, sr, opts) }
			}
			if batch {
				set, _, err := ahead.wait()
				if err != nil {
					return err
				}
				if jobs > 1 {
					// --jobs keeps the cores busy with other captures: a
					// capture's own parse and rule workers would only
					// contend with them (the parallel reader loses to the
					// serial one on a machine without a free core).
					opts.Workers = 1
					if readOpts.Workers == 0 {
						readOpts.Workers = 1
					}
				}
				return analyseBatch(cmd, captures, part, skipped, jobs, set, readOpts, opts, outs, fail, &series, seriesWith(set), ui.progress())
			}
			if series.on || len(series.at) > 0 {
				return ahead.or(fmt.Errorf("--series and --at need several captures (or a series file)"))
			}
			var snap *facts.Snapshot
			var snaps []*facts.Snapshot
			var stream *facts.Stream
			if len(captures[0]) == 1 {
				if stream, err = streamOf(captures[0][0], readOpts); err == nil && stream == nil {
					snaps, err = dumpreader.ReadSeries(captures[0], readOpts)
				}
			} else {
				snap, err = dumpreader.ReadFiles(captures[0], readOpts)
			}
			set, _, rerr := ahead.wait()
			switch {
			case rerr != nil:
				return rerr
			case err != nil:
				return err
			}
			runSeries := seriesWith(set)
			if len(snaps) > 1 {
				if hosts := seriesByHost(snaps); len(hosts) > 1 {
					// A query_range response of several hosts: a series
					// each, reported as a batch.
					runOne := func(s *facts.Snapshot) (*engine.Report, error) { return engine.Run(cmd.Context(), set, s, opts) }
					return analyseHosts(cmd, hosts, captures[0][0], skipped, runOne, runSeries, outs, fail)
				}
				// A series file, as collect --count writes, or a counter
				// log.
				names := make([]string, len(snaps))
				return analyseSeries(cmd, snaps, names, captures[0][0], seriesFileReason(snaps), skipped, &series, runSeries, outs, fail)
			}
			var report *engine.Report
			switch {
			case stream != nil:
				report, err = engine.RunStream(cmd.Context(), set, stream, opts)
			case len(snaps) == 1:
				report, err = engine.Run(cmd.Context(), set, snaps[0], opts)
			default:
				report, err = engine.Run(cmd.Context(), set, snap, opts)
			}
			if err != nil {
				return err
			}
			report.Summary.Skipped = skipped
			if err := outs.write(out, report); err != nil {
				return err
			}
			if err := ruleFailures(report); err != nil {
				return err
			}
			if n := failing(report, fail); n > 0 {
				return errFindings{n}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	rf.flags(cmd)
	fl.StringArrayVar(&formats, "format", []string{"text"}, "report format: "+reporters.FormatsText()+`; FORMAT=FILE writes that format to FILE, "-" standard output (repeatable: several reports from one run, at most one to standard output)`)
	fl.StringVarP(&output, "output", "o", "", `write the report given without =FILE to this file instead of standard output ("-": standard output)`)
	fl.StringVar(&failOn, "fail-on", "warning", "exit 1 when a finding is at least this severe: info, warning, error or never")
	fl.IntVar(&top, "top", 0, "report only the N best-ranked findings (0: all)")
	fl.StringVar(&baseline, "baseline", "", "an earlier JSON report (--format json): report only findings it does not have")
	fl.StringArrayVar(&suppress, "suppressions", nil, "a YAML file of accepted findings, each with a reason and an optional expiry (repeatable)")
	fl.IntVar(&jobs, "jobs", runtime.GOMAXPROCS(0), "with several captures, analyse this many at once; by default one per processor Go uses (a container's CPU limit where one is set)")
	fl.BoolVar(&merge, "merge", false, "the FILEs are pieces of one capture of one machine: read them as one")
	workersFlag(cmd, &workers)
	explain.flags(cmd)
	series.flags(cmd)
	fl.StringVar(&shardFlag, "shard", "", "K/N: analyse only the K-th (from 0) of N disjoint parts of the captures, split by a hash of their paths (/N: K from "+shardEnv+"); for leakdiag merge")
	fl.StringVar(&inputFormat, "input-format", "", "read the input as this format ("+inputFormatList()+") instead of detecting it from its content")
	cmd.RegisterFlagCompletionFunc("format", reportFormatCompletion)
	completeFlags(cmd, &rf)
	return cmd
}

// failing counts the findings that fail the run.
func failing(r *engine.Report, fail severity.FailOn) int {
	n := 0
	for _, f := range r.Findings {
		if fail.Fails(f.Severity) {
			n++
		}
	}
	return n
}
