package handleexe

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// handleExeSummary is a type summary (`handle -s`) being read:
//
//	Handle type summary:
//	  ALPC Port       : 2
//	  <Unknown type>  : 166
//	  WaitCompletionPacket: 25
//	Total handles: 238
//
// Its scope comes from the command line shown before it: one process
// with `-p PID`, the processes whose names start with NAME with `-p NAME`
// (summaryProcessNamed), else the whole system.
type handleExeSummary struct {
	active bool
	line   int64
	// pb is the process the summary counts, nil for a system-wide one
	// or one whose command line the capture does not show (unscoped).
	pb       *facts.ProcessBuilder
	unscoped bool
	counts   map[string]int64
	order    []string
	first    map[string]int64 // the line of each type's first row
	sum      int64
	rows     int
	// total: the summary ended with its "Total handles" line; without
	// it the paste was cut, and the types after its last row are unknown.
	total bool
	// handles is the total the summary states, where it does.
	handles int64
	// lastLine, lastType and lastN are its latest row, which a capture
	// ending without a line break may have cut in the middle of its count.
	lastLine int64
	lastType string
	lastN    int64
}

// startSummary starts a type summary at its header line.
func (h *handleExeReader) startSummary() {
	h.endSummary()
	h.endCSV()
	h.endSection()
	h.ev.summary++
	s := handleExeSummary{active: true, line: h.lineNo, counts: map[string]int64{}, first: map[string]int64{}}
	h.lastSummary = h.lineNo
	switch {
	case h.cmd.hasPID:
		s.pb = h.b.ProcessByPID(h.cmd.pid, h.pos())
	case h.cmd.process != "":
		s.pb = h.summaryProcessNamed(h.cmd.process)
	case h.cmd.line == 0:
		// Its scope is told once the capture is read (unscoped.go).
		s.unscoped = true
	}
	h.sum = s
}

// summaryProcessNamed returns the process a `-s -p NAME` summary counts.
// Handle adds up the handles of every process whose image starts with
// NAME: the one the capture shows by that name, or, when it shows none
// or several, one process known by NAME alone, said so.
func (h *handleExeReader) summaryProcessNamed(name string) *facts.ProcessBuilder {
	pids := h.processesNamed(name)
	if len(pids) == 1 {
		return h.b.ProcessByPID(pids[0], h.pos())
	}
	if h.namedScope == nil {
		h.namedScope = map[string]bool{}
	}
	if h.namedScope[name] && len(pids) == 0 {
		return h.b.ProcessByImage(name, h.pos()) // said at its first summary
	}
	h.namedScope[name] = true
	if len(pids) == 0 {
		h.log.Diag(h.lineNo, facts.SevInfo, CodeSummaryScope,
			"the summary counts the processes whose names start with %q (-p), of which the capture shows no pid: read as one process known by that name (several that match would be added up in it)", name)
	} else {
		const shown = 5
		list := fmt.Sprint(pids[:min(len(pids), shown)])
		if len(pids) > shown {
			list = fmt.Sprintf("%s and %d more", list, len(pids)-shown)
		}
		h.log.Diag(h.lineNo, facts.SevWarning, CodeSummaryScope,
			"the summary adds up the %d processes the capture shows whose names start with %q (-p), pids %s: read as one process known by that name, its counts theirs together", len(pids), name, list)
	}
	return h.b.ProcessByImage(name, h.pos())
}

// processesNamed returns the pids of the processes shown whose images
// start with name, as `-p NAME` selects them, in order.
func (h *handleExeReader) processesNamed(name string) []uint64 {
	var pids []uint64
	for pid, image := range h.images {
		if len(image) >= len(name) && strings.EqualFold(image[:len(name)], name) {
			pids = append(pids, pid)
		}
	}
	slices.Sort(pids)
	return pids
}

// summaryLine reads a row of the summary being read, or its total.
func (h *handleExeReader) summaryLine(line []byte) (scan.LineKind, bool) {
	s := &h.sum
	if scan.HasPrefix(line, "Total handles:") {
		n, ok := scan.ParseDec(scan.TrimSpace(line[len("Total handles:"):]))
		if !ok {
			return 0, false
		}
		h.closeSummary(n, true)
		return scan.Parsed, true
	}
	colon := bytes.LastIndexByte(line, ':')
	if colon < 1 {
		return 0, false
	}
	n, ok := scan.ParseDec(scan.TrimSpace(line[colon+1:]))
	typ := scan.TrimSpace(line[:colon])
	if !ok || len(typ) == 0 || len(typ) > 64 || isTypeIndex(typ) {
		return 0, false
	}
	h.ev.summaryRows++
	t := h.types.get(typ)
	if first, dup := s.first[t]; dup {
		h.log.Diag(h.lineNo, facts.SevInfo, CodeDuplicateType,
			"type %q listed again (%d here, %d on line %d): counted as %d; Handle's table of type names may not fit this Windows version",
			t, n, s.counts[t], first, s.counts[t]+n)
	} else {
		s.first[t] = h.lineNo
		s.order = append(s.order, t)
	}
	s.counts[t] += n
	s.sum += n
	s.rows++
	s.lastLine, s.lastType, s.lastN = h.lineNo, t, n
	return scan.Parsed, true
}

// dropCutRow forgets the summary's latest row when the capture ends in it
// without a line break: "Event : 19" may be the start of 1,934. Its type
// is then unknown, as are those after it.
func (h *handleExeReader) dropCutRow() {
	s := &h.sum
	if !s.active || s.lastLine != h.lineNo || s.rows == 0 {
		return
	}
	t := s.lastType
	s.counts[t] -= s.lastN
	s.sum -= s.lastN
	s.rows--
	if s.first[t] == s.lastLine {
		delete(s.counts, t)
		delete(s.first, t)
		s.order = s.order[:len(s.order)-1]
	}
	h.log.Diag(h.lineNo, facts.SevWarning, facts.CodeTruncated,
		"the summary's last row (%s) ends the capture without a line break: its count may be cut, so it is not counted", t)
}

// endSummary ends the summary being read, if any, at a line that is not
// one of its rows.
func (h *handleExeReader) endSummary() {
	if h.sum.active {
		h.closeSummary(0, false)
	}
}

// closeSummary checks the summary's rows against its total and keeps
// them, reported once the capture is read: the last summary of each
// scope is its table, the others earlier captures. Without the total,
// the counts it does not give stay unknown.
func (h *handleExeReader) closeSummary(total int64, hasTotal bool) {
	s := &h.sum
	s.active = false
	h.lastTypes = s.first
	s.total = hasTotal
	if hasTotal {
		s.handles = total
	}
	switch {
	case !hasTotal:
		h.log.Diag(h.lineNo, facts.SevWarning, facts.CodeTruncated,
			"the type summary started on line %d ends without its \"Total handles\" line: it may be cut, so its total and the types after its last row are unknown", s.line)
	case total != s.sum:
		h.log.Diag(h.lineNo, facts.SevWarning, facts.CodeCountMismatch,
			"the summary's total is %d handles, but its rows add up to %d", total, s.sum)
	}
	if s.pb == nil {
		if s.rows > 0 || hasTotal {
			h.keepSystem(s)
		}
		return
	}
	h.keepProcessSummary(s)
}

// reportTo gives pb the summary's counts, and its total where it has one.
func (s *handleExeSummary) reportTo(pb *facts.ProcessBuilder) {
	for _, t := range s.order {
		pb.ReportTypeCount(t, s.counts[t])
	}
	if !s.total {
		// A cut summary is no complete table: its rows are counts, the
		// rest unknown, and so is the process's total.
		pb.ReportTypesPartial()
		return
	}
	pb.ReportTypeTable()
	n := s.handles
	pb.P.HandleCount = &n
}

// isTypeIndex recognizes "Type  12", the row of a tool that imitates
// Handle's summary with object type indexes for names: Handle names every
// type, "<Unknown type>" the ones it cannot.
func isTypeIndex(typ []byte) bool {
	if !scan.HasPrefix(typ, "Type ") {
		return false
	}
	n := scan.TrimSpace(typ[len("Type "):])
	return len(n) > 0 && scan.AllDigits(n)
}
