package lsfd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// People count lsfd's lines (`lsfd | wc -l`, `lsfd -p 1234 | grep TCP |
// wc -l`), and time it (`time lsfd | wc -l`, whose shell prints the
// real, user and sys times after the count). The count is the command's
// output, not a descriptor count: it counts the header and the rows that
// are no descriptors (cwd, rtd, exe, mem, the namespaces), of every
// process lsfd lists. It is said so, and the times are read as the
// shell's report.

// CodeLsfdCount marks the count `lsfd ... | wc -l` printed.
const CodeLsfdCount = "lsfd-count"

// countCommand notes that the command line pipes lsfd's output into a
// count: the line after it prints the number.
func (z *reader) countCommand(line []byte) {
	if fdcount.CountsLines(line) {
		z.wantCount = 1
	} else if some, _ := fdcount.CountsSomeLines(line); some {
		z.wantCount = 2
	}
}

// countLine reads the number a count printed after an lsfd command.
func (z *reader) countLine(line []byte, want int) bool {
	if want == 0 || !scan.AllDigits(line) {
		return false
	}
	n, ok := scan.ParseDec(line)
	if !ok {
		return false
	}
	what := "counted by wc: they count its header and the rows that are no descriptors (cwd, rtd, exe, mem) of every process it lists"
	if want == 2 {
		what = "that a filter kept, counted: they count the rows that matched, of every process it lists"
	}
	z.log.Diag(z.lineNo, facts.SevInfo, CodeLsfdCount,
		"%d lines of lsfd %s, so this is not taken as a descriptor count; ls /proc/PID/fd | wc -l counts a process's descriptors",
		n, what)
	z.timed = true
	return true
}

// isTimeReport recognizes a line of the shell's `time` report after a
// command's output: "real\t0m4.811s", "user 0m3.638s", "sys 0m1.196s".
func isTimeReport(line []byte) bool {
	name, value, ok := bytes.Cut(line, []byte{'\t'})
	if !ok {
		name, value, ok = bytes.Cut(line, []byte{' '})
	}
	if !ok {
		return false
	}
	switch string(name) {
	case "real", "user", "sys":
	default:
		return false
	}
	value = scan.TrimSpace(value)
	m := bytes.IndexByte(value, 'm')
	return m > 0 && scan.AllDigits(value[:m]) && bytes.HasSuffix(value, []byte("s")) && len(value) < 24
}
