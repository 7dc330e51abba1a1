package taskmgr_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/dumpreader/taskmgr"
)

// FuzzReadTaskMgr feeds the Task Manager reader arbitrary bytes and checks what
// proctest.Fuzz says, seeded also with the parse cases.
func FuzzReadTaskMgr(f *testing.F) {
	for _, c := range parseCases {
		f.Add([]byte(c.In))
	}
	proctest.Fuzz(f, dumpreader.FormatTaskMgr, taskmgr.Sniff, "")
}
