package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/facts"
)

// usageError is a command given the wrong arguments: what it needs, then
// its usage line and examples (cobra's bare "requires at least 1 arg(s)"
// says neither what nor how).
type usageError struct {
	cmd *cobra.Command
	msg string
}

func (e usageError) Error() string { return e.cmd.CommandPath() + ": " + e.msg }

// print writes the message, the usage line, the examples and where the
// flags are told.
func (e usageError) print(w io.Writer) {
	fmt.Fprintf(w, "%s\n\nUsage:\n  %s\n", e.Error(), e.cmd.UseLine())
	if e.cmd.Example != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", strings.TrimRight(e.cmd.Example, "\n"))
	}
	fmt.Fprintf(w, "\nRun '%s --help' for every flag.\n", e.cmd.CommandPath())
}

// argsNeeded accepts min to max arguments (max < 0: no limit); with
// fewer or more it says what the command needs: what, in words ("a
// capture: a FILE, a directory of captures, or - for standard input").
func argsNeeded(min, max int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) == 0 && min > 0:
			return usageError{cmd, "needs " + what}
		case len(args) < min:
			return usageError{cmd, fmt.Sprintf("needs %s; got %s", what, facts.Plural(len(args), "argument"))}
		case max >= 0 && len(args) > max:
			return usageError{cmd, fmt.Sprintf("takes %s; got %s: %s", what, facts.Plural(len(args), "argument"), strings.Join(args, " "))}
		}
		return nil
	}
}
