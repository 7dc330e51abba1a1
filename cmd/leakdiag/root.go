package main

import (
	"io"

	"github.com/spf13/cobra"
)

const rootHelp = `leakdiag reads what people capture from a Windows server that hangs because
something leaks handles (kd/WinDbg/cdb text such as !process 0 0 and !handle)
and turns it into facts about every process and its handles.

Exit codes:
  0  success; for analyze, no finding at or above --fail-on
  1  analyze: findings at or above --fail-on
  2  bad usage, unreadable input or unknown format; interrupted (SIGINT, SIGTERM)
  3  invalid rules or suppressions`

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "leakdiag",
		Short:         "Diagnose handle leaks from debugger captures",
		Long:          rootHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newFactsCmd(), newAnalyzeCmd(), newRulesCmd())
	root.AddCommand(newDiffCmd(), newCollectCmd())
	return root
}
