package wmic_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/dumpreader/wmic"
)

// FuzzReadWMIC feeds the wmic reader arbitrary bytes and checks what
// proctest.Fuzz says, seeded also with the parse cases.
func FuzzReadWMIC(f *testing.F) {
	for _, c := range parseCases {
		f.Add([]byte(c.In))
	}
	proctest.Fuzz(f, dumpreader.FormatWMIC, wmic.Sniff, "")
}
