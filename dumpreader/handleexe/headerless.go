package handleexe

import (
	"bytes"
	"fmt"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// headerlessSummaryLine starts a type summary at a row shown without the
// "Handle type summary:" line above it: the same command's output pasted
// again with its header left out ("after 999 connects:", then the rows).
// It is taken only after a summary of the capture, with no other
// program's command shown since, and from a row padded as Handle pads its
// type names ("Thread          : 1011") of a type the last summary
// counted (a Format-List record's "Handles : 101" is no such row); the
// new summary has the scope of the command line the last one had.
func (h *handleExeReader) headerlessSummaryLine(line []byte) (scan.LineKind, bool) {
	if h.lastSummary == 0 || h.foreign != "" || !isPaddedSummaryRow(line) || h.lastTypes[rowType(line)] == 0 {
		return 0, false
	}
	previous := h.lastSummary
	h.startSummary()
	kind, ok := h.summaryLine(line)
	if !ok {
		h.sum.active = false
		return 0, false
	}
	if h.headerless == 0 {
		h.headerlessLine, h.headerlessAfter = h.lineNo, previous
	}
	h.headerless++
	return kind, true
}

// reportHeaderless says once how summaries without their header were
// read, at the first of them.
func (h *handleExeReader) reportHeaderless() {
	if h.headerless == 0 {
		return
	}
	what := "type summary rows"
	if h.headerless > 1 {
		what = fmt.Sprintf("%d runs of type summary rows, the first here,", h.headerless)
	}
	h.log.Diag(h.headerlessLine, facts.SevInfo, CodeHeaderless,
		"%s without the \"Handle type summary:\" line above them, after the summary on line %d: read as another summary of the same command (its output pasted again without its header)", what, h.headerlessAfter)
}

// isPaddedSummaryRow recognizes a row of Handle's type summary by its
// shape: a type name of letters, digits and blanks (or "<Unknown type>")
// padded with blanks to the colon, or too long to pad, then a count.
func isPaddedSummaryRow(line []byte) bool {
	colon := bytes.LastIndexByte(line, ':')
	if colon < 1 {
		return false
	}
	n := scan.TrimSpace(line[colon+1:])
	if len(n) == 0 || !scan.AllDigits(n) {
		return false
	}
	typ := line[:colon]
	name := scan.TrimSpace(typ)
	const pad = 15 // Handle writes type names in 16 columns
	if len(name) == 0 || len(name) > 64 || (len(name) == len(typ) && len(name) < pad) {
		return false
	}
	if name[0] == '<' {
		return string(name) == "<Unknown type>"
	}
	if name[0] < 'A' || name[0] > 'Z' {
		return false
	}
	for _, c := range name {
		if !scan.IsAlnum(c) && c != ' ' {
			return false
		}
	}
	return true
}

// rowType returns the type name of a summary row, trimmed.
func rowType(line []byte) string {
	colon := bytes.LastIndexByte(line, ':')
	if colon < 0 {
		return ""
	}
	return string(scan.TrimSpace(line[:colon]))
}
