package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/engine"
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
	switch {
	case len(formats) != 1:
		return fmt.Errorf("--explain writes one report: give one --format, text or json")
	case formats[0] == "json":
		write = reporters.ExplainJSON
	case formats[0] != "text":
		return fmt.Errorf("--explain writes text or json, not --format %s", formats[0])
	}
	set, err := rf.load()
	if err != nil {
		return err
	}
	captures, _, batch, err := capturesOf(args, merge, inputFormat == "")
	if err != nil {
		return err
	}
	if batch {
		return fmt.Errorf("--explain explains one capture: give one FILE (or --merge for pieces of one)")
	}
	snap, err := dumpreader.ReadFiles(captures[0], dumpreader.Options{Format: dumpreader.Format(inputFormat), Stdin: cmd.InOrStdin(), Context: cmd.Context()})
	if err != nil {
		return err
	}
	opts := engine.ExplainOptions{RuleID: e.ruleID}
	if cmd.Flags().Changed("pid") {
		opts.PID = &e.pid
	}
	xs, err := engine.Explain(set, snap, opts)
	if err != nil {
		return err
	}
	var w io.Writer = cmd.OutOrStdout()
	if output != "" {
		f, err := os.Create(output)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
		if err := write(w, xs); err != nil {
			return err
		}
		return f.Close()
	}
	return write(w, xs)
}
