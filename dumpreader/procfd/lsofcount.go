package procfd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A report of "Too many open files" often counts a process's descriptors
// with lsof rather than ls, beside its limits:
//
//	# lsof -p 950 | wc -l
//	1050
//	# cat /proc/950/limits
//
// That count is no count of descriptors: lsof prints a header and, for a
// process it lists whole, rows that are no descriptors (cwd, rtd, txt,
// and a mem row per mapped file, hundreds for a large program). The
// reader takes the command for the process it names, which the limits
// after it may belong to, and leaves its count unknown, saying why. So it
// does for a count of the rows a grep kept (`lsof -p 950 | grep
// CLOSE_WAIT | wc -l`, `| grep -c TCP`): rows that match, threads' rows
// among them, not descriptors.

// CodeLsofCount: an `lsof -p PID | wc -l` count, not taken as the
// process's descriptor count.
const CodeLsofCount = "lsof-count"

// lsofCount reads `lsof -p PID | wc -l`; toks are the line's fields.
func (z *reader) lsofCount(line []byte, toks [][]byte) (scan.LineKind, bool) {
	lsof := -1
	for i, t := range toks {
		if t = bytes.Trim(t, "\"'`("); string(t) == "lsof" || bytes.HasSuffix(t, []byte("/lsof")) ||
			bytes.HasSuffix(t, []byte("]#lsof")) || bytes.HasSuffix(t, []byte("]$lsof")) {
			// "[root@db01:~]#lsof": a prompt with no blank after it.
			lsof = i
			break
		}
	}
	if lsof < 0 {
		return 0, false
	}
	if fdcount.Summarizes(line) {
		// Its lines count rows per value of a column: none is a count
		// of a process's descriptors (fdcount.Summarizes).
		z.summary.Active = true
		return scan.Parsed, true
	}
	filtered := false
	if !fdcount.CountsLines(line) {
		if some, _ := fdcount.CountsSomeLines(line); !some {
			return 0, false
		}
		filtered = true // | grep CLOSE_WAIT | wc -l, | grep -c TCP
	}
	pid, ok := lsofPID(toks[lsof+1:])
	if !ok {
		// `lsof | grep ruby | wc -l`: the rows of every process it
		// selects, and every thread's, counted. The count is accounted
		// for, and names no process (as package lsof reads it).
		z.wantLsofAll = true
		return scan.Parsed, true
	}
	z.ev.commands++
	z.start(who{pid: pid}, false)
	z.wantLsof, z.wantLsofFiltered = z.cur, filtered
	return scan.Parsed, true
}

// lsofPID returns the one pid lsof's arguments select with -p ("-p 950",
// "-p950"), up to the pipe (which may be glued to the pid: "-p 950|
// wc -l", "-p950|grep -c TCP"); ok is false for any other selection (several pids, -u, -i, a
// file), whose count is no single process's.
func lsofPID(args [][]byte) (pid int64, ok bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a[0] == '|' {
			break
		}
		switch {
		case string(a) == "-p" && i+1 < len(args):
			i++
			a = args[i]
		case bytes.HasPrefix(a, []byte("-p")):
			a = a[2:]
		case a[0] == '-' && bytes.IndexAny(a, "iuUcd") < 0:
			continue // -n, -P, -nP: how rows are printed, not which
		default:
			return 0, false
		}
		if j := bytes.IndexByte(a, '|'); j >= 0 {
			a, args = a[:j], args[:i+1] // the pipe ends lsof's arguments
		}
		if ok || !scan.AllDigits(a) {
			return 0, false
		}
		n, valid := scan.ParseDec(a)
		if !valid || n >= 1<<32 {
			return 0, false
		}
		pid, ok = n, true
	}
	return pid, ok
}

// lsofAllCountLine reads the count an lsof command that selects no
// single process by its pid printed: no process's descriptors.
func (z *reader) lsofAllCountLine(n []byte) scan.LineKind {
	z.log.Diag(z.lineNo, facts.SevInfo, CodeLsofCount,
		"%s lines of lsof counted (wc -l, grep -c): the rows the command selected, of every process (and thread) it lists, not a descriptor count of one process; ls /proc/PID/fd | wc -l counts a process's descriptors",
		n)
	return scan.Parsed
}

// lsofCountLine reads the count an `lsof -p PID | wc -l` printed (or
// `| grep X | wc -l`, `| grep -c X`): it is accounted for, and said not to
// be the process's descriptor count.
func (z *reader) lsofCountLine(l *listing, n []byte) scan.LineKind {
	z.ev.counts++
	if z.wantLsofFiltered {
		z.log.Diag(z.lineNo, facts.SevInfo, CodeLsofCount,
			"%s lines of lsof for pid %d that a filter kept: rows that match (threads' rows among them), not a count of its descriptors; ls /proc/%d/fd | wc -l counts descriptors",
			n, l.pid, l.pid)
		return scan.Parsed
	}
	z.log.Diag(z.lineNo, facts.SevInfo, CodeLsofCount,
		"%s lines of lsof for pid %d: they count lsof's header and the rows that are no descriptors (cwd, rtd, txt, mem), so this is not taken as its descriptor count; ls /proc/%d/fd | wc -l counts descriptors",
		n, l.pid, l.pid)
	return scan.Parsed
}

// summaryLine reads line as a line of a summary of lsof's rows.
func (z *reader) summaryLine(line []byte) (scan.LineKind, bool) {
	if !z.summary.Line(line, z.lineNo) {
		return 0, false
	}
	return scan.Ignored, true
}

// summaryFinish says what the summaries of lsof's rows held.
func (z *reader) summaryFinish() {
	if line, msg, ok := z.summary.Finish(); ok {
		z.log.Diag(line, facts.SevInfo, fdcount.CodeSummary, "%s", msg)
	}
}
