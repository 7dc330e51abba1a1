package lsof

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A page whose non-breaking spaces its encoding lost shows a '?' for
// each, and a '?' alone on the lines that held one only:
//
//	COMMAND? PID USER?? FD?? TYPE DEVICE SIZE/OFF??? NODE NAME
//	python? 2340 troy?? 10r?? REG??? 8,1???? 1804 2886346 /etc/passwd
//
// Read as they are, the header was no header and the capture was
// refused. The header tells the damage, since lsof's starts with COMMAND
// and a blank: from it on, a '?' before a blank, another '?' or the end
// of the line is a blank. A line of '?' alone is a blank line anywhere.

// qmarkHeader starts a header whose blanks were lost.
const qmarkHeader = "COMMAND?"

// unQmark returns line with the '?' that stand for blanks made blanks,
// once a header showed the damage; other lines are returned unchanged.
func (r *lsofReader) unQmark(line []byte) []byte {
	if !r.qmarks {
		if !scan.HasPrefix(line, qmarkHeader) {
			return line
		}
		r.qmarks = true
		r.log.Diag(r.lineNo, facts.SevInfo, facts.CodeRepaired,
			"the header's blanks are '?' (non-breaking spaces the page's encoding lost): a '?' before a blank, another '?' or the line's end is read as a blank")
	}
	if bytes.IndexByte(line, '?') < 0 {
		return line
	}
	out := append(r.qbuf[:0], line...)
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] == '?' && (i+1 == len(out) || out[i+1] == ' ' || out[i+1] == '?') {
			out[i] = ' '
		}
	}
	r.qbuf = out
	return scan.TrimSpace(out)
}

// isQmarksOnly recognizes a line of '?' alone: a line that held only a
// non-breaking space.
func isQmarksOnly(line []byte) bool {
	for _, c := range line {
		if c != '?' {
			return false
		}
	}
	return len(line) > 0
}
