package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A CI job that runs cdb keeps its output in the job's log, and the log a
// CI service serves (GitHub Actions' and Azure Pipelines' raw logs,
// GitLab's with its stream marker, a Jenkins job's with its timestamper)
// starts every line with the time it was written:
//
//	2026-03-04T10:21:31.1234567Z 0:000> !htrace -diff
//	2026-03-04T10:21:31.123456Z 00O Handle tracing enabled.
//	[2026-03-04T10:21:31.123Z] Handle = 0x00000000000000c4 - OPEN
//
// and adds its own lines between the job's ("##[group]Run cdb ...",
// "##[endgroup]", "##[error]Process completed with exit code 1."). The
// stamp is cut before the line is read, and the runner's lines are
// ignored.

// ciStamps counts the lines whose CI timestamp was cut, and the first.
type ciStamps struct {
	lines, first int64
}

// ciStampLen returns the length of the CI timestamp line starts with, and
// of the one blank after it: an ISO 8601 date and time with a 'T' between
// them, seconds, an optional fraction, and 'Z' or an offset, optionally
// in brackets. 0 where line starts otherwise: a local time without its
// zone is no CI service's stamp, and a debugger prints none.
func ciStampLen(line []byte) int {
	i := 0
	bracket := len(line) > 0 && line[0] == '['
	if bracket {
		i = 1
	}
	if !digitsAt(line, i, 4) || !byteAt(line, i+4, '-') || !digitsAt(line, i+5, 2) || !byteAt(line, i+7, '-') ||
		!digitsAt(line, i+8, 2) || !byteAt(line, i+10, 'T') {
		return 0
	}
	i += 11
	if !digitsAt(line, i, 2) || !byteAt(line, i+2, ':') || !digitsAt(line, i+3, 2) || !byteAt(line, i+5, ':') || !digitsAt(line, i+6, 2) {
		return 0
	}
	i += 8
	if byteAt(line, i, '.') {
		j := i + 1
		for j < len(line) && j-i <= 9 && scan.IsDigit(line[j]) {
			j++
		}
		if j == i+1 {
			return 0
		}
		i = j
	}
	switch {
	case byteAt(line, i, 'Z'):
		i++
	case byteAt(line, i, '+') || byteAt(line, i, '-'):
		if !digitsAt(line, i+1, 2) || !byteAt(line, i+3, ':') || !digitsAt(line, i+4, 2) {
			return 0
		}
		i += 6
	default:
		return 0
	}
	if bracket {
		if !byteAt(line, i, ']') {
			return 0
		}
		i++
	}
	switch {
	case i == len(line):
		return i
	case line[i] == ' ' || line[i] == '\t':
		return i + 1 + gitLabStreamLen(line[i+1:])
	}
	return 0
}

// gitLabStreamLen returns the length of the stream marker GitLab's runner
// writes after a line's timestamp (FF_TIMESTAMPS): the stream's number in
// two hex digits, O or E for output or error, and a blank, or '+' where
// the line goes on a line the runner split ("00O ", "01E+"). 0 where line
// starts otherwise.
func gitLabStreamLen(line []byte) int {
	if len(line) < 4 || !scan.IsHexDigit(line[0]) || !scan.IsHexDigit(line[1]) ||
		line[2] != 'O' && line[2] != 'E' || line[3] != ' ' && line[3] != '+' {
		return 0
	}
	return 4
}

// digitsAt reports whether line holds n decimal digits from i on.
func digitsAt(line []byte, i, n int) bool {
	if i < 0 || i+n > len(line) {
		return false
	}
	for _, c := range line[i : i+n] {
		if !scan.IsDigit(c) {
			return false
		}
	}
	return true
}

// byteAt reports whether line holds c at i.
func byteAt(line []byte, i int, c byte) bool { return i >= 0 && i < len(line) && line[i] == c }

// isRunnerLine recognizes a line a CI runner adds to a job's log,
// "##[group]Run cdb.exe ...", "##[endgroup]", "##[error]...": "##[", a
// word, "]".
func isRunnerLine(line []byte) bool {
	rest, ok := bytes.CutPrefix(line, []byte("##["))
	if !ok {
		return false
	}
	end := bytes.IndexByte(rest, ']')
	if end <= 0 {
		return false
	}
	for _, c := range rest[:end] {
		if !scan.IsLower(c) && c != '-' {
			return false
		}
	}
	return true
}

// cutCIStamp returns raw without the CI timestamp it starts with, if any,
// counting it.
func (k *kdReader) cutCIStamp(raw []byte) []byte {
	n := ciStampLen(raw)
	if n == 0 {
		return raw
	}
	if k.ci.lines == 0 {
		k.ci.first = k.lineNo
	}
	k.ci.lines++
	return raw[n:]
}

// reportCIStamps says once that the lines' CI timestamps were cut.
func (k *kdReader) reportCIStamps() {
	if k.ci.lines > 0 {
		k.log.Diag(k.ci.first, facts.SevInfo, facts.CodeRepaired,
			"CI log timestamps (\"2026-03-04T10:21:31.1234567Z \") cut before reading: %d line(s) had them, this one first", k.ci.lines)
	}
}
