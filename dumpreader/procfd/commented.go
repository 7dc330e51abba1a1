package procfd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// A session is sometimes pasted into a script as comments, so that the
// file still runs, every line after "# ":
//
//	# [root@vod fd]# pwd
//	# /proc/6713/fd
//	# [root@vod fd]# ls -l
//	# total 0
//	# lrwx------ 1 root root 64 May 19 10:23 0 -> /dev/null
//
// The commands read as they are ("# " is a root prompt too); a line of
// output so commented (a descriptor's row, ls's total, the path pwd
// printed, ps's rows) is read without the prefix. A root prompt's command never
// looks like output, so the prefix is taken only off lines that do.
//
// So is a listing quoted in a C or Java block comment, every line after
// " * ", or as a markdown list, every line after "* ":
//
//	/*
//	 * lr-x------ 1 ann ann 64 oct  3 09:14 0 -> pipe:[7001]
//	 */

// uncommented returns the output a comment line holds, and whether
// line is one: "#" or "*", a blank, then a descriptor's row, ls's
// "total", the path a pwd just printed, or a row of a ps command's.
func (z *reader) uncommented(line []byte) ([]byte, bool) {
	if len(line) < 3 || (line[0] != '#' && line[0] != '*') || (line[1] != ' ' && line[1] != '\t') {
		return line, false
	}
	rest := scan.TrimSpace(line[2:])
	switch {
	case isTotal(rest), z.wantPwd && len(rest) > 0 && rest[0] == '/':
		return rest, true
	case z.ps != nil && len(rest) > 0 && scan.IsDigit(rest[0]):
		return rest, true // a row of ps, under its command
	}
	left, _, _ := bytes.Cut(rest, []byte(" -> "))
	toks := bytes.Fields(left)
	if len(toks) < 3 {
		return line, false
	}
	mode := toks[numberColumns(toks)]
	if isFDMode(mode) || isUnreadableMode(mode) || isDirMode(mode) {
		return rest, true
	}
	return line, false
}
