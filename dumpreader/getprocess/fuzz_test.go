package getprocess_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/getprocess"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
)

// FuzzReadGetProcess feeds the Get-Process reader arbitrary bytes and checks what
// proctest.Fuzz says, seeded also with the parse cases.
func FuzzReadGetProcess(f *testing.F) {
	for _, c := range parseCases {
		f.Add([]byte(c.In))
	}
	proctest.Fuzz(f, dumpreader.FormatGetProcess, getprocess.Sniff, "")
}
