package handleexe

import (
	"fmt"

	"github.com/leakdiag/leakdiag/facts"
)

// keepProcessSummary notes a summary of s's process (`handle -s -p PID`
// run again, before and after a test).
func (h *handleExeReader) keepProcessSummary(s *handleExeSummary) {
	if h.processSumIdx == nil {
		h.processSumIdx = map[*facts.ProcessBuilder]int{}
	}
	i, ok := h.processSumIdx[s.pb]
	if !ok {
		i = len(h.processSums)
		h.processSumIdx[s.pb] = i
		h.processSums = append(h.processSums, processRun{pb: s.pb, run: &summaryRun{}})
	}
	h.processSums[i].run.add(s)
}

// readProcessSummaries gives each process summarized its last summary,
// and says, for each of several, that the capture is a series of them
// and how the last differs from the first.
func (h *handleExeReader) readProcessSummaries() []processRun {
	for _, ps := range h.processSums {
		r := ps.run
		r.last().reportTo(ps.pb)
		if r.n < 2 {
			continue
		}
		h.log.Diag(r.last().line, facts.SevWarning, CodeSummaries,
			"the capture holds %d type summaries of %s, the last one here: read on its own, it is a series of them%s", r.n, processLabel(ps.pb), summaryGrowth(r.first(), r.last(), true))
	}
	return h.processSums
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
