package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/leakdiag/leakdiag/engine/ruletest"
	"github.com/leakdiag/leakdiag/reporters"
	"github.com/leakdiag/leakdiag/rules"
)

// printCoverage lists, for each rule under test, whether some case fired
// it and some case kept it quiet, and returns the percent that have both.
// The rules under test are the enabled rules the directories define or
// override (a site's own), or with none, every enabled rule.
func printCoverage(w io.Writer, set *rules.Set, results []ruletest.Result, dirs []string) float64 {
	fired, quiet := map[string]int{}, map[string]int{}
	for _, r := range results {
		for _, id := range r.Fired {
			fired[id]++
		}
		for _, id := range r.Quiet {
			quiet[id]++
		}
	}
	enabled := underTest(set.Enabled(), dirs)
	both := 0
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tFIRED IN\tQUIET IN\t")
	for _, r := range enabled {
		mark := ""
		switch {
		case fired[r.ID] == 0 && quiet[r.ID] == 0:
			mark = "untested"
		case fired[r.ID] == 0:
			mark = "no case fires it"
		case quiet[r.ID] == 0:
			mark = "no case keeps it quiet"
		default:
			both++
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", r.ID, fired[r.ID], quiet[r.ID], mark)
	}
	tw.Flush()
	pct := 100.0
	if len(enabled) > 0 {
		pct = 100 * float64(both) / float64(len(enabled))
	}
	fmt.Fprintf(w, "coverage: %d of %d rules under test fired and kept quiet by some case (%.1f%%)\n", both, len(enabled), pct)
	return pct
}

// underTest keeps the rules defined or overridden in a file under one of
// dirs; if none is, all of them.
func underTest(rs []*rules.Rule, dirs []string) []*rules.Rule {
	in := func(p rules.Pos) bool {
		for _, d := range dirs {
			if rel, err := filepath.Rel(d, p.File); err == nil && !strings.HasPrefix(rel, "..") {
				return true
			}
		}
		return false
	}
	var out []*rules.Rule
	for _, r := range rs {
		if in(r.Defined) || slices.ContainsFunc(r.Overridden, in) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return rs
	}
	return out
}

// writeRuleTestsJUnit writes the results as JUnit XML to path (or, when
// it is "-", to stdout): a suite per test file, a case per test case.
func writeRuleTestsJUnit(stdoutW io.Writer, path string, results []ruletest.Result) error {
	cases := make([]reporters.RuleTestCase, len(results))
	for i, r := range results {
		cases[i] = reporters.RuleTestCase{File: r.File, Line: r.Line, Name: r.Name, Rules: r.Rules,
			Passed: r.Passed, Diff: r.Diff, Err: r.Err}
	}
	if path == stdout {
		return reporters.RuleTestsJUnit(stdoutW, cases)
	}
	var b bytes.Buffer
	if err := reporters.RuleTestsJUnit(&b, cases); err != nil {
		return err
	}
	return writeFileAtomic(path, b.Bytes())
}
