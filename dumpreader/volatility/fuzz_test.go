package volatility_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/dumpreader/volatility"
)

// FuzzReadVolatility feeds the reader arbitrary bytes, seeded with the
// goldens' captures and the parse cases: no panic, a snapshot that holds
// together.
func FuzzReadVolatility(f *testing.F) {
	for _, c := range parseCases {
		f.Add([]byte(c.in))
	}
	proctest.Fuzz(f, dumpreader.FormatVolatility, volatility.Sniff, "")
}
