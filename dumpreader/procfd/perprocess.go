package procfd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// People list several processes' descriptors at once by running ls once
// per pid: `pgrep -f agent | xargs -I PID ls /proc/PID/fd/`, `for p in
// $(pgrep agent); do ls -l /proc/$p/fd; done`. The output is each
// process's listing after the other's, with nothing between to tell
// where one ends (a bare ls prints its numbers in columns, several lines
// a process). Read as one process's, it would be one of unknown pid with
// every listing's descriptors in it; so it is not read, and a diagnostic
// says why. A loop over one process (`for i in 1 2 3; do ls
// /proc/4321/fd | wc -l; done`) names its pid and is read.

// perProcess reports whether the command before the ls (before) runs it
// once per process, its directory naming the process by a placeholder
// (w: no pid, not $$ nor self, no image); it then starts skipping the
// output.
func (z *reader) perProcess(before []byte, w who) bool {
	if w.pid >= 0 || w.shell || w.self || w.image != "" || w.all {
		return false
	}
	per := false
	for _, t := range bytes.Fields(before) {
		switch string(bytes.TrimLeft(t, ";|&(")) {
		case "xargs", "do", "for", "while", "parallel":
			per = true
		}
	}
	if !per {
		return false
	}
	z.endCommand()
	z.perProc = true
	z.ev.commands++
	z.log.Diag(z.lineNo, facts.SevInfo, CodePerProcess,
		"ls runs once per process here (xargs or a loop, /proc/PID/fd with PID a placeholder): its output lists several processes the capture does not tell apart, so it is not read; list each with its pid (ls -l /proc/1234/fd, one command each)")
	return true
}

// isPerProcessOutput recognizes a line such an ls prints: its numbers (a
// bare ls), a row of ls -l, the "total" line, or ls's complaint.
func isPerProcessOutput(line []byte) bool {
	if isTotal(line) || scan.HasPrefix(line, "ls: ") {
		return true
	}
	if bytes.Contains(line, []byte(" -> ")) && len(line) > 10 && (line[0] == 'l' || scan.IsDigit(line[0])) {
		return true
	}
	for _, t := range bytes.Fields(line) {
		if !scan.AllDigits(t) && !isDotEntry(t) {
			return false
		}
	}
	return true
}
