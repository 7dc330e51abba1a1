package lsof

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A command may pipe lsof's rows through awk or cut and uniq -c, a
// summary of them (internal/fdcount's Summarizes): its lines are counts
// of rows, accounted for and taken as no count of descriptors. A line
// that is a whole row after its count (the column cut out was the row
// itself) is still read as a row (uniqc.go).

// CodeLsofSummary: lines of a summary of lsof's rows (uniq -c of a column),
// not read as descriptors.
const CodeLsofSummary = fdcount.CodeSummary

// summaryLine reads line as a line of a summary of lsof's rows.
func (r *lsofReader) summaryLine(line []byte) (scan.LineKind, bool) {
	if !r.summary.Line(line, r.lineNo) {
		return 0, false
	}
	r.ev.counts++ // a capture of a summary alone is lsof's (SniffCount)
	return scan.Ignored, true
}

// summaryFinish says what the summaries of lsof's rows held.
func (r *lsofReader) summaryFinish() {
	if line, msg, ok := r.summary.Finish(); ok {
		r.log.Diag(line, facts.SevInfo, CodeLsofSummary, "%s", msg)
	}
}
