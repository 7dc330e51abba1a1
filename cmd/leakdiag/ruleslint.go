package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
)

// errLint marks a lint that found errors, or warnings under --strict.
type errLint struct{ errors, warnings int }

func (e errLint) Error() string {
	return fmt.Sprintf("%s, %s", facts.Plural(e.errors, "error"), facts.Plural(e.warnings, "warning"))
}

// newRulesLintCmd checks rule files as a load would, and reports what
// loads but is likely a mistake.
func newRulesLintCmd(ui *uiFlags) *cobra.Command {
	var rf ruleFlags
	var strict bool
	cmd := &cobra.Command{
		Use:   "lint [flags] [DIR|FILE...]",
		Short: "Check rule files: every error, and warnings for likely mistakes",
		Long: `Load the rule files as analyze would (the defaults, each --rules directory,
then each DIR or FILE given, in that order), type-check every condition,
score and message, and print every problem as file:line:col with its code
and a caret under the place. Warnings (the rules still load): params or
lists no rule uses, a rule a later file disables or whose condition it
replaces, owner patterns that can never match, costly conditions.

Exit 3 when there are errors (or, with --strict, warnings); 0 otherwise.`,
		Example: `  # A site's rule files, on the defaults
  leakdiag rules lint docs/examples/site-rules

  # The same in CI, where warnings fail too
  leakdiag rules lint --strict --rules docs/examples/site-rules

  # The default rules of a checkout, on their own
  leakdiag rules lint --no-default-rules rules.d`,
		RunE: func(cmd *cobra.Command, args []string) error {
			files, err := rf.read(args)
			if err != nil {
				return err
			}
			srcs := files.srcs
			set, err := files.load()
			out := cmd.OutOrStdout()
			var list rules.ErrorList
			if errors.As(err, &list) {
				printProblems(out, "error", list)
				if !ui.quiet {
					fmt.Fprintf(out, "%s: %s\n", facts.Plural(len(srcs), "file"), facts.Plural(len(list), "error"))
				}
				return errLint{errors: len(list)}
			}
			if err != nil {
				return err
			}
			printProblems(out, "warning", set.Warnings)
			if !ui.quiet {
				fmt.Fprintf(out, "%s, %s: 0 errors, %s\n", facts.Plural(len(srcs), "file"), facts.Plural(len(set.Rules), "rule"), facts.Plural(len(set.Warnings), "warning"))
			}
			if strict && len(set.Warnings) > 0 {
				return errLint{warnings: len(set.Warnings)}
			}
			return nil
		},
	}
	rf.flags(cmd)
	fl := cmd.Flags()
	fl.BoolVar(&strict, "strict", false, "exit 3 on warnings too")
	return cmd
}

// printProblems prints each problem as file:line:col: severity[code]:
// rule "id": message, then its caret snippet.
func printProblems(w io.Writer, severity string, list rules.ErrorList) {
	for _, e := range list {
		fmt.Fprintf(w, "%s: %s[%s]: ", e.Pos, severity, e.Code)
		if e.RuleID != "" {
			fmt.Fprintf(w, "rule %q: ", e.RuleID)
		}
		fmt.Fprintln(w, e.Msg)
		if e.Snippet != "" {
			fmt.Fprintln(w, e.Snippet)
		}
	}
}
