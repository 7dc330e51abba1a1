package procfd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// People count a process's descriptors with find as often as with ls:
//
//	$ find /proc/4242/fd | wc -l
//	1025
//	$ find /proc/4242/fd -type l | wc -l
//	1024
//
// find prints the directory it starts from, then each entry in it; it
// does not follow the descriptors' links (no -L), so each is one line.
// The count is then the descriptors and the directory itself, unless
// -type l or -mindepth 1 leaves the directory out, or the path is the
// entries themselves (/proc/PID/fd/*). A test that picks entries (-name,
// -lname) or a grep counts some of them, and is no count of the process.

// findCount reads `find /proc/PID/fd | wc -l`, whose next line is the
// count; toks are the line's fields.
func (z *reader) findCount(line []byte, toks [][]byte) (scan.LineKind, bool) {
	find := -1
	for i, t := range toks {
		if t = bytes.Trim(t, "\"'`("); string(t) == "find" || bytes.HasSuffix(t, []byte("/find")) {
			find = i
			break
		}
	}
	if find < 0 || !fdcount.CountsLines(line) {
		return 0, false
	}
	w, single, found := procPath(line)
	if !found || single || w.all {
		return 0, false
	}
	extra, ok := fdcount.FindExtra(toks[find+1:], bytes.Contains(line, []byte("/fd/*")))
	if !ok {
		return 0, false
	}
	z.ev.commands++
	z.start(w, false)
	if z.cur != nil {
		z.wantCount, z.wcAdjust = z.cur, extra
	}
	return scan.Parsed, true
}
