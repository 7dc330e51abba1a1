// Command leakdiag diagnoses handle leaks from captures of Windows machines:
// kd/WinDbg/cdb text such as `!process 0 0` and `!handle`, and its own
// snapshot JSON.
package main

import (
	"context"

	"github.com/leakdiag/leakdiag/internal/inert"

	"errors"
	"fmt"
	"io"
	"os"
)

func main() {
	startGC()
	ctx, stop := interruptible()
	code := runContext(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1 // findings at or above --fail-on (analyze)
	exitInput    = 2 // bad usage, unreadable input, unknown format, interrupted
	exitFailed   = 2 // a rule failed to evaluate (analyze, diff): its findings are unknown
	exitRules    = 3 // invalid rules
)

// run is the whole program; main only exits with its result.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// runContext is run stopped when ctx is done (an interrupt).
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil && interrupted(ctx, err) {
		fmt.Fprintln(stderr, "leakdiag: interrupted")
		return exitInput
	}
	var findings errFindings
	var invalid errRules
	var lint errLint
	var tests errTests
	var failed errRulesFailed
	var usage usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &findings):
		return exitFindings
	case errors.As(err, &tests):
		return exitFindings // the failures are printed already
	case errors.As(err, &lint):
		return exitRules // the problems are printed already
	case errors.As(err, &invalid):
		what := invalid.what
		if what == "" {
			what = "rules"
		}
		fmt.Fprintf(stderr, "leakdiag: invalid %s:\n%s\n", what, inert.Lines(invalid.err.Error()))
		return exitRules
	case errors.As(err, &usage):
		usage.print(stderr)
		return exitInput
	case errors.As(err, &failed):
		fmt.Fprintf(stderr, "leakdiag: %s\n", inert.Lines(err.Error()))
		return exitFailed
	}
	fmt.Fprintf(stderr, "leakdiag: %s\n", inert.Lines(err.Error()))
	return exitInput
}
