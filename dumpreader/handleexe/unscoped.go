package handleexe

import (
	"fmt"

	"github.com/leakdiag/leakdiag/facts"
)

// machineFloor is fewer handles than any whole Windows machine holds:
// System alone holds a thousand or more and each service hundreds (an
// idle Windows XP some 5,000, Windows 10 and Server 30,000 to 100,000).
// A type summary whose command line the capture does not show, and whose
// total is below it, counts one process (`handle -s -p PID`), not the
// machine; so do the others of the capture without theirs, which are the
// same command run again (a paste of before and after).
const machineFloor = 3000

// keepSystem keeps a summary that counts no process the capture names:
// the machine's, or, without its command line, perhaps one process's,
// which readSystem tells once the capture is read.
func (h *handleExeReader) keepSystem(s *handleExeSummary) {
	h.systems.add(s)
	if !s.unscoped {
		h.scopedSystem = true
		return
	}
	if h.unscoped == 0 {
		h.unscopedLine = s.line
	}
	h.unscoped++
	if s.total && (!h.unscopedTotal || s.handles < h.leastUnscoped) {
		h.unscopedTotal, h.leastUnscoped, h.leastLine = true, s.handles, s.line
	}
}

// oneProcess reports whether the summaries kept count one process the
// capture does not name: none of them shown run without -p, and one of
// them totalling fewer handles than a whole machine holds.
func (h *handleExeReader) oneProcess() bool {
	return !h.scopedSystem && h.unscopedTotal && h.leastUnscoped < machineFloor
}

// readSystem reads the last summary kept, as the machine's or as the one
// process's, with a diagnostic at the first summary without its command
// line saying which; the one process's summaries are returned, for the
// series they make.
func (h *handleExeReader) readSystem() (processRun, bool) {
	if h.systems.n == 0 {
		return processRun{}, false
	}
	s := h.systems.last()
	one := h.oneProcess()
	what := "the summary"
	if h.unscoped > 1 {
		what = fmt.Sprintf("its %d summaries", h.unscoped)
	}
	switch {
	case h.unscoped == 0:
	case one:
		h.log.Diag(h.unscopedLine, facts.SevInfo, CodeSummaryScope,
			"the capture does not show Handle's command line, and %s count fewer handles than a whole machine holds (%d on line %d): read as one process's (`handle -s -p`), which the capture does not name", what, h.leastUnscoped, h.leastLine)
	default:
		h.log.Diag(h.unscopedLine, facts.SevInfo, CodeSummaryScope,
			"the capture does not show Handle's command line: %s read as system-wide (with `-s -p`, it would count one process)", what)
	}
	if one {
		if h.systems.n > 1 {
			h.log.Diag(s.line, facts.SevWarning, CodeSummaries,
				"the capture holds %d type summaries of the process, the last one here: read on its own, it is a series of them%s", h.systems.n, summaryGrowth(h.systems.first(), s, true))
		}
		pb := h.b.ProcessByImage("", facts.Position{Path: h.log.Path, Line: s.line})
		s.reportTo(pb)
		return processRun{pb: pb, run: &h.systems}, true
	}
	if h.systems.n > 1 {
		h.log.Diag(s.line, facts.SevWarning, CodeSummaries,
			"the capture holds %d system-wide type summaries; only the last one, here, is read%s", h.systems.n, summaryGrowth(h.systems.first(), s, false))
	}
	for _, t := range s.order {
		h.b.ReportTypeTotal(t, s.counts[t])
	}
	if !s.total {
		h.b.ReportTypeTotalsPartial()
	}
	return processRun{}, false
}
