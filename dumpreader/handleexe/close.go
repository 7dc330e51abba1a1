package handleexe

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// `handle -c H -p PID` prints the handle it is about to close without the
// "image pid: N" line of a listing section, then, without -y, asks
// whether to close it, then says "Handle closed.":
//
//	  7D8: File  (R--)   C:\Users\you\lockfile
//	Close handle 7D8 in chrome.exe (PID 17000)? (y/n) y
//
//	Handle closed.
//
// Such a handle has no process line because of what the command is, not
// because the capture lost it. The reader holds back the warning a
// handle without its process gets until the run shows which it is: a
// close command's echo (its command line has -c, or a confirmation or
// "Handle closed." follows) is said once, as info; any other run of
// handles without a process (a cut capture) keeps its warning.

// orphanRun notes the first handle of the current run listed without a
// process; the warning for it waits for the run's end.
func (h *handleExeReader) orphanRun() {
	if h.orphaned {
		return
	}
	h.orphaned = true
	if h.cmd.close {
		h.closeEcho(h.lineNo)
		return
	}
	h.pendingOrphan = h.lineNo
}

// closeEcho counts a run whose handles without a process were the echo
// of `handle -c`, the first of them at line.
func (h *handleExeReader) closeEcho(line int64) {
	if h.closeEchoes == 0 {
		h.closeEchoLine = line
	}
	h.closeEchoes++
}

// closeConfirmed says the current run was `handle -c`, as its
// confirmation prompt or "Handle closed." shows: the handles it listed
// without a process were the echo of the command. They were open when
// listed, so they stay counted, but they were the only ones shown,
// whatever the command line (which the capture may not show) asked.
func (h *handleExeReader) closeConfirmed() {
	if h.pendingOrphan != 0 {
		h.closeEcho(h.pendingOrphan)
		h.pendingOrphan = 0
	}
	r := h.runListed
	if r.n == 0 {
		return
	}
	l, c := &h.shown[formListing], &h.shown[formClose]
	if l.n -= r.n; l.n == 0 {
		*l = handleExeShown{}
	}
	if c.n == 0 {
		c.first = r.first
	}
	c.n += r.n
	c.other = c.other || r.other
	h.runListed = handleExeShown{}
}

// flushOrphans warns of handles without a process whose run ended with
// nothing to say it was a close command's.
func (h *handleExeReader) flushOrphans() {
	if h.pendingOrphan == 0 {
		return
	}
	h.log.Diag(h.pendingOrphan, facts.SevWarning, facts.CodeNoProcess,
		"handles listed without the \"image pid: N\" line of their process (a cut capture, or the output of `handle -c` without its command line or \"Handle closed.\"): kept under an unknown process")
	h.pendingOrphan = 0
}

// reportCloseEchoes says, once, that handles were read from the echo of
// close commands.
func (h *handleExeReader) reportCloseEchoes() {
	if h.closeEchoes == 0 {
		return
	}
	h.log.Diag(h.closeEchoLine, facts.SevInfo, facts.CodeNoProcess,
		"the output of `handle -c` (%d run(s)) prints the handle it closes without the \"image pid: N\" line of its process, and the capture names no pid: kept under an unknown process",
		h.closeEchoes)
}

// isClosePrompt recognizes the confirmation `handle -c` asks for without
// -y, with the answer typed after it: a line that starts with "Close
// handle" and asks a question, whatever it names of the handle ("Close
// handle 7D8 in chrome.exe (PID 17000)? (y/n) y", "Close handle? (y/n)").
func isClosePrompt(line []byte) bool {
	const p = "Close handle"
	return scan.HasPrefixFold(line, p) && len(line) > len(p) && (line[len(p)] == ' ' || line[len(p)] == '?') &&
		bytes.IndexByte(line, '?') > 0
}
