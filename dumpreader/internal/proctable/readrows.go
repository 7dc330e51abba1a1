package proctable

import (
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// ReadRows reads r a line at a time as scan.ReadLines does, for a reader
// of a tool's tables (Process Explorer, System Informer). Where the
// capture ends without a line break on a line it parsed while inTable
// says a table is open, it notes that the last row may be cut.
func ReadRows(r io.Reader, log *facts.SourceLog, lineNo *int64, clean *scan.Cleaner, line func([]byte) scan.LineKind, inTable func() bool) error {
	last, unterminated, err := scan.ReadLines(r, log, lineNo, clean, line)
	if unterminated && last == scan.Parsed && inTable() {
		log.Diag(*lineNo, facts.SevInfo, facts.CodeTruncated,
			"the capture ends without a line break: its last row may be cut")
	}
	return err
}
