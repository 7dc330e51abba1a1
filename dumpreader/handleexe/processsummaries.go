package handleexe

import (
	"fmt"

	"github.com/leakdiag/leakdiag/facts"
)

// processSummaries are the type summaries a capture holds of one process
// (`handle -s -p PID` run again, before and after a test): each is that
// process's table in turn, so the last is the one read.
type processSummaries struct {
	pb          *facts.ProcessBuilder
	n           int
	first, last *handleExeSummary
}

// keepProcessSummary notes a summary of s's process.
func (h *handleExeReader) keepProcessSummary(s *handleExeSummary) {
	saved := *s
	if h.processSumIdx == nil {
		h.processSumIdx = map[*facts.ProcessBuilder]int{}
	}
	i, ok := h.processSumIdx[s.pb]
	if !ok {
		i = len(h.processSums)
		h.processSumIdx[s.pb] = i
		h.processSums = append(h.processSums, processSummaries{pb: s.pb, first: &saved})
	}
	ps := &h.processSums[i]
	ps.n++
	ps.last = &saved
}

// reportProcessSummaries says, for each process of several summaries,
// that only the last is read and how it differs from the first.
func (h *handleExeReader) reportProcessSummaries() {
	for _, ps := range h.processSums {
		if ps.n < 2 {
			continue
		}
		h.log.Diag(ps.last.line, facts.SevWarning, CodeSummaries,
			"the capture holds %d type summaries of %s; only the last one, here, is read%s", ps.n, processLabel(ps.pb), summaryGrowth(ps.first, ps.last, true))
	}
}

// processLabel names a process in a diagnostic: its image and pid, as
// the capture shows them.
func processLabel(pb *facts.ProcessBuilder) string {
	p := pb.P
	switch {
	case p.Image != "" && p.PID != 0:
		return fmt.Sprintf("%s (pid %d)", p.Image, p.PID)
	case p.Image != "":
		return p.Image
	default:
		return fmt.Sprintf("pid %d", p.PID)
	}
}
