package lsof

import (
	"bytes"
	"strconv"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A report of "Too many open files" often counts the process's
// descriptors with ls before it shows some of them with lsof:
//
//	~ ls /proc/$(pgrep -f teku)/fd | wc -l
//	24336
//	~ lsof -p $(pgrep -f teku) | grep TCPv6
//	java    1978 teku *068u     sock   0,8   0t0  67200248 protocol: TCPv6
//
// The count is the process's descriptor count, which a grep's rows do not
// give. The process is named by its pid, or by the command substitution
// that finds it: the shell expands $(pgrep -f teku) alike in both
// commands, so the pid whose rows an `lsof -p $(pgrep -f teku)` lists is
// the one the count is of.

// CodeFDCount: a count of a process's descriptors (ls /proc/PID/fd |
// wc -l) pasted among lsof's output, given to the process or said to name
// none.
const CodeFDCount = "fd-count"

// fdCountLimit bounds the counts a capture may give.
const fdCountLimit = 1 << 10

// fdCountAt is the count a command printed, and where.
type fdCountAt struct {
	target string // a pid, or the substitution that finds it
	n      int64
	line   int64
	listed bool // the rows of an ls listing of /proc/PID/fd, not a wc count
}

// fdCountLine reads the number a command that counts descriptors printed,
// the line after it.
func (r *lsofReader) fdCountLine(line []byte, c *fdcount.Count) (scan.LineKind, bool) {
	line = scan.TrimSpace(line)
	if !scan.AllDigits(line) {
		return 0, false
	}
	n, ok := scan.ParseDec(line)
	if !ok || n < c.Extra || n >= 1<<40 {
		return 0, false
	}
	if len(r.fdCounts) < fdCountLimit {
		r.fdCounts = append(r.fdCounts, fdCountAt{target: c.Target, n: n - c.Extra, line: r.lineNo})
	}
	return scan.Parsed, true
}

// pidSubstitution returns the command substitution or shell variable an
// lsof command line selects its process by (-p $(pgrep -f app), -p
// `pidof app`, -p $pid, -p "${PID}": as "$pid"), "" if none.
func pidSubstitution(cmd []byte) string {
	i := bytes.Index(cmd, []byte("-p"))
	if i < 0 {
		return ""
	}
	rest := scan.TrimSpace(cmd[i+2:])
	if len(rest) > 0 && rest[0] == '"' {
		rest = rest[1:]
	}
	switch {
	case bytes.HasPrefix(rest, []byte("$")) && !bytes.HasPrefix(rest, []byte("$(")):
		if name, n := fdcount.Variable(rest); n > 0 {
			return string(name)
		}
	case bytes.HasPrefix(rest, []byte("$(")):
		if end := fdcount.SubstitutionEnd(rest); end > 0 {
			return string(rest[:end])
		}
	case bytes.HasPrefix(rest, []byte("`")):
		if j := bytes.IndexByte(rest[1:], '`'); j >= 0 {
			return string(rest[:j+2])
		}
	}
	return ""
}

// notePID notes that the lsof command whose process the substitution
// expr selects listed pid; -1 marks one that listed several.
func (r *lsofReader) notePID(expr string, pid uint64) {
	if r.exprPIDs == nil {
		r.exprPIDs = map[string]int64{}
	}
	switch old, seen := r.exprPIDs[expr]; {
	case !seen && len(r.exprPIDs) < fdCountLimit:
		r.exprPIDs[expr] = int64(pid)
	case seen && old != int64(pid):
		r.exprPIDs[expr] = -1
	}
}

// applyFDCounts gives each count to the process it names, the latest
// count of a process winning; a process the listing shows more
// descriptors of keeps that number.
func (r *lsofReader) applyFDCounts() {
	for _, c := range r.fdCounts {
		pid, ok := r.countPID(c.target)
		if !ok {
			r.log.Diag(c.line, facts.SevInfo, CodeFDCount,
				"a count of %s descriptors of /proc/%s/fd, but no lsof listing of the capture shows which process that is: it is given to none",
				facts.FormatCount(c.n), c.target)
			continue
		}
		p := r.procs[pid]
		if p == nil {
			p = &lsofProc{pid: pid, line: c.line}
			p.pb = r.b.ProcessByPID(pid, facts.Position{Path: r.log.Path, Line: c.line})
			r.procs[pid] = p
		}
		n := max(c.n, p.fds)
		p.pb.P.HandleCount = &n
		via := ""
		if !scan.AllDigits([]byte(c.target)) {
			via = " (" + c.target + ", the pid its lsof -p listed)"
		}
		how := "as ls /proc/PID/fd | wc -l counts them"
		if c.listed {
			how = "as its listing of /proc/PID/fd shows them"
		}
		r.log.Diag(c.line, facts.SevInfo, CodeFDCount,
			"pid %d%s holds %s descriptors, %s: its handle count", pid, via, facts.FormatCount(n), how)
	}
}

// countPID returns the pid a count's target names.
func (r *lsofReader) countPID(target string) (uint64, bool) {
	if scan.AllDigits([]byte(target)) {
		pid, err := strconv.ParseUint(target, 10, 32)
		return pid, err == nil
	}
	pid, ok := r.exprPIDs[target]
	return uint64(pid), ok && pid >= 0
}
