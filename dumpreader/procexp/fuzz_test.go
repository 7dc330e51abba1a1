package procexp_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/dumpreader/procexp"
)

// FuzzReadProcexp feeds the Process Explorer reader arbitrary bytes and checks what
// proctest.Fuzz says, seeded also with a process list and a handle pane.
func FuzzReadProcexp(f *testing.F) {
	f.Add([]byte("Process\tPID\tHandles\nx.exe\t12\t1,234\nProcess: x.exe Pid: 12\nType\tName\tHandle\nEvent\t\t0x4\n"))
	proctest.Fuzz(f, dumpreader.FormatProcexp, procexp.Sniff, "")
}
