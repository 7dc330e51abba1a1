package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/reporters"
)

// explainFlags are analyze's --explain, --rule and --pid.
type explainFlags struct {
	on     bool
	ruleID string
	pid    uint64
}

func (e *explainFlags) flags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&e.on, "explain", false, "instead of findings, show for each rule and process the facts its condition read, whether it fired, and which part of the condition decided it")
	fl.StringVar(&e.ruleID, "rule", "", "with --explain, only this rule (even if disabled)")
	fl.Uint64Var(&e.pid, "pid", 0, "with --explain, only this process")
}

// run explains the rules over one capture, in text or JSON.
func (e *explainFlags) run(cmd *cobra.Command, args []string, rf ruleFlags, formats []string, output, inputFormat string, merge bool) error {
	write := reporters.ExplainText
	if len(formats) != 1 {
		return fmt.Errorf("--explain writes one report: give one --format, text or json")
	}
	format, path, hasPath := strings.Cut(formats[0], "=")
	switch {
	case format == "json":
		write = reporters.ExplainJSON
	case format != "text":
		return fmt.Errorf("--explain writes text or json, not --format %s", format)
	}
	flag := "-o " + output
	switch {
	case hasPath && output != "":
		return fmt.Errorf("--format %s and -o %s: give the file once", formats[0], output)
	case hasPath && path == "":
		return fmt.Errorf("--format %q: want FORMAT or FORMAT=FILE", formats[0])
	case hasPath:
		output, flag = path, "--format "+formats[0]
	}
	if output == stdout {
		output = ""
	}
	set, err := rf.load()
	if err != nil {
		return err
	}
	if e.ruleID != "" {
		if _, err := findRule(set, e.ruleID); err != nil {
			return fmt.Errorf("--rule %s: %w", e.ruleID, err)
		}
	}
	captures, _, batch, err := capturesOf(args, merge, inputFormat == "")
	if err != nil {
		return err
	}
	if batch {
		return fmt.Errorf("--explain explains one capture: give one FILE (or --merge for pieces of one)")
	}
	outs := outputs{{format: format, path: output, flag: flag}}
	done, err := outs.open(inputsOf(captures, "", nil))
	defer done()
	if err != nil {
		return err
	}
	readOpts := dumpreader.Options{Format: dumpreader.Format(inputFormat), Stdin: cmd.InOrStdin(), Context: cmd.Context(), Workers: workersOf(0), ChunkSize: readChunk}
	var snaps []*facts.Snapshot
	if len(captures[0]) == 1 {
		snaps, err = dumpreader.ReadSeries(captures[0], readOpts)
	} else {
		var snap *facts.Snapshot
		if snap, err = dumpreader.ReadFiles(captures[0], readOpts); err == nil {
			snaps = []*facts.Snapshot{snap}
		}
	}
	if err != nil {
		return err
	}
	opts := engine.ExplainOptions{RuleID: e.ruleID}
	if cmd.Flags().Changed("pid") {
		opts.PID = &e.pid
	}
	var xs []engine.Explained
	switch {
	case len(snaps) == 1:
		xs, err = engine.Explain(set, snaps[0], opts)
	case len(seriesByHost(snaps)) > 1:
		return fmt.Errorf("%s holds the series of %d hosts: --explain explains one (select one host in the query)", captures[0][0], len(seriesByHost(snaps)))
	default:
		// A file that is a series (a counter log, collect --count): the
		// last capture, growth known.
		var s *facts.Series
		if s, err = newSeries(snaps, nil, nil, captures[0][0]); err == nil {
			xs, err = engine.ExplainSeries(set, s, opts)
		}
	}
	if err != nil {
		return err
	}
	return outs.each(cmd.OutOrStdout(), func(_ reportOutput, w io.Writer) error { return write(w, xs) })
}
