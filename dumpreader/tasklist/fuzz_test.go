package tasklist_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/dumpreader/tasklist"
)

// FuzzReadTaskList feeds the tasklist reader arbitrary bytes and checks
// what proctest.Fuzz says, seeded also with the parse cases.
func FuzzReadTaskList(f *testing.F) {
	for _, c := range parseCases {
		f.Add([]byte(c.In))
	}
	proctest.Fuzz(f, dumpreader.FormatTaskList, tasklist.Sniff, "")
}
