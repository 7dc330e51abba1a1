package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/engine/ruletest"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
)

// errTests marks failed rule tests: exit 1, like findings.
type errTests struct{ failed int }

func (e errTests) Error() string {
	if e.failed == 0 {
		return "rule test coverage too low"
	}
	return facts.Plural(e.failed, "test") + " failed"
}

// newRulesTestCmd runs rule test files (NAME_test.yaml).
func newRulesTestCmd(ui *uiFlags) *cobra.Command {
	var rf ruleFlags
	var junit string
	var coverage bool
	var minCoverage float64
	cmd := &cobra.Command{
		Use:   "test [flags] DIR|FILE...",
		Short: "Run rule test files (NAME_test.yaml) against the loaded rules",
		Long: `Load the rules (the defaults, each --rules directory, and every DIR given
or holding a FILE given: rule files sit next to their tests) and run each
test file found (NAME_test.yaml, in the DIRs and below, or the FILEs
named). A directory holding the default rule files themselves (rules.d in
a checkout) loads in their place. A case names a
capture, or describes processes inline, and the findings it expects or the
rules that must stay quiet; a failure shows expected (-) against got (+).

--coverage lists the rules under test (those the DIRs define or override,
or every enabled rule when they define none) with how many cases fire them
and keep them quiet.

Exit 0 when every case passes, 1 when one fails, 2 when a test file or a
capture cannot be read, 3 when the rules are invalid.`,
		Example: `  # A site's rules and their tests (NAME_test.yaml beside them)
  leakdiag rules test docs/examples/site-rules

  # In CI: JUnit XML for the test report, and every rule both fired and
  # kept quiet by some case
  leakdiag rules test --junit rule-tests.xml --min-coverage 100 docs/examples/site-rules

  # One test file, with the rule files beside it
  leakdiag rules test rules.d/defaults_test.yaml`,
		Args: argsNeeded(1, -1, "a directory of rule files and their tests (NAME_test.yaml), or test files"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if minCoverage < 0 || minCoverage > 100 {
				return fmt.Errorf("--min-coverage %v: want a percent, 0 to 100", minCoverage)
			}
			var ruleDirs, testFiles []string
			// A test file's rules are the rule files beside it, as
			// for the tests in a directory named; each directory
			// loads once.
			loaded := map[string]bool{}
			for _, d := range rf.dirs {
				loaded[filepath.Clean(d)] = true
			}
			addDir := func(dir string) {
				if !loaded[filepath.Clean(dir)] {
					loaded[filepath.Clean(dir)] = true
					ruleDirs = append(ruleDirs, dir)
				}
			}
			for _, a := range args {
				st, err := os.Stat(a)
				if err != nil {
					return fmt.Errorf("%s: %w", a, pathErr(err))
				}
				if !st.IsDir() {
					testFiles = append(testFiles, a)
					addDir(filepath.Dir(a))
					continue
				}
				addDir(a)
				err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
					if err == nil && !d.IsDir() && rules.IsTestFile(d.Name()) {
						testFiles = append(testFiles, p)
					}
					return err
				})
				if err != nil {
					return err
				}
			}
			sort.Strings(testFiles)
			if len(testFiles) == 0 {
				return fmt.Errorf("no test files (NAME_test.yaml) in %s", strings.Join(args, ", "))
			}
			rf.dirs = append(rf.dirs, ruleDirs...)
			set, err := rf.load()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if junit == stdout {
				// Standard output is the XML's: the results as
				// text go to standard error.
				out = cmd.ErrOrStderr()
			}
			passed, failed := 0, 0
			var all []ruletest.Result
			for _, tf := range testFiles {
				results, err := ruletest.RunFile(cmd.Context(), set, tf)
				if err != nil {
					return err
				}
				all = append(all, results...)
				for _, r := range results {
					switch {
					case r.Err != nil:
						failed++
						fmt.Fprintf(out, "FAIL %s:%d: %s: %v\n", r.File, r.Line, r.Name, r.Err)
					case !r.Passed:
						failed++
						fmt.Fprintf(out, "FAIL %s:%d: %s\n  findings of %s, expected (-) and got (+):\n", r.File, r.Line, r.Name, strings.Join(r.Rules, ", "))
						for _, l := range strings.SplitAfter(r.Diff, "\n") {
							if l != "" {
								fmt.Fprint(out, "    "+l)
							}
						}
					default:
						passed++
						if !ui.quiet {
							fmt.Fprintf(out, "ok   %s:%d: %s\n", r.File, r.Line, r.Name)
						}
					}
				}
			}
			if !ui.quiet {
				fmt.Fprintf(out, "%s: %d passed, %d failed\n", facts.Plural(passed+failed, "test"), passed, failed)
			}
			if junit != "" {
				if err := writeRuleTestsJUnit(cmd.OutOrStdout(), junit, all); err != nil {
					return err
				}
			}
			if failed > 0 {
				return errTests{failed}
			}
			if coverage || minCoverage > 0 {
				pct := printCoverage(out, set, all, ruleDirs)
				if pct < minCoverage {
					fmt.Fprintf(out, "coverage %.1f%% is under --min-coverage %.1f%%\n", pct, minCoverage)
					return errTests{0}
				}
			}
			return nil
		},
	}
	rf.flags(cmd)
	cmd.Flags().StringVar(&junit, "junit", "", `also write the results as JUnit XML to this file ("-": standard output, and the results as text to standard error)`)
	cmd.Flags().BoolVar(&coverage, "coverage", false, "report which rules under test (those the DIRs define or override) no case fires and which no case keeps quiet")
	cmd.Flags().Float64Var(&minCoverage, "min-coverage", 0, "fail (exit 1) when fewer than this percent of the rules under test have both a firing and a quiet case")
	return cmd
}
