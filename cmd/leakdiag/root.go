package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/internal/version"
)

const rootHelp = `leakdiag reads what people capture from a server that hangs because something
leaks handles or file descriptors: on Windows kd/WinDbg/cdb text (!process 0 0,
!handle, !htrace, !vm, !poolused, dx), minidumps and Sysinternals Handle output,
and what admins capture before a debugger (Get-Process, wmic, Task Manager,
Process Explorer, System Informer, osquery, FindZombieHandles, counter logs, the
System event log's pool exhaustion events); on Linux leakdiag collect's
snapshots of /proc, lsof output and ls -l listings of /proc/PID/fd. It turns a capture into facts about every process and its handles,
runs rules over the facts, and reports ranked findings that name the suspect
process and the component behind the leak.

Exit codes:
  0  success; for analyze, no finding at or above --fail-on
  1  analyze: findings at or above --fail-on
  2  bad usage, unreadable input or unknown format; interrupted (SIGINT,
     SIGTERM); for analyze and diff, also a rule that failed to evaluate
     (its findings are unknown)
  3  invalid rules or suppressions`

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "leakdiag",
		Short:         "Diagnose handle leaks from debugger captures",
		Long:          rootHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version.Get().String(),
		Example: `  leakdiag analyze testdata/examples/registry-leak-contoso-agent.txt
  leakdiag facts testdata/examples/registry-leak-contoso-agent.txt
  leakdiag rules list
  leakdiag help analyze`,
	}
	addVersionTextFunc()
	root.SetVersionTemplate(versionTemplate)
	ui := &uiFlags{}
	ui.flags(root)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newFactsCmd(), newAnalyzeCmd(ui), newMergeCmd(ui), newRulesCmd(ui))
	root.AddCommand(newDiffCmd(), newCollectCmd(ui), newVersionCmd())
	exampleBuiltins(root)
	return root
}
