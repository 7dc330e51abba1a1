package procfd

import (
	"bytes"

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
	if find < 0 || !countsLines(line) {
		return 0, false
	}
	w, single, found := procPath(line)
	if !found || single || w.all {
		return 0, false
	}
	extra, ok := findExtra(toks[find+1:], bytes.Contains(line, []byte("/fd/*")))
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

// findExtra is how many lines find with args prints besides the
// descriptors: 1, the directory, unless -type l, -mindepth 1 (or more)
// or entries given as paths leave it out. ok is false for an option
// that makes the lines something else than one per descriptor: -L and
// -follow descend through the links, tests such as -name pick some.
func findExtra(args [][]byte, entries bool) (n int64, ok bool) {
	n = 1
	if entries {
		n = 0
	}
	var sub substitution
	for i := 0; i < len(args); i++ {
		if sub.inside(args[i]) {
			continue // /proc/$(pgrep -f app)/fd: pgrep's -f, not a test of find
		}
		a, end := args[i], false
		if j := bytes.IndexAny(a, "|;&>"); j >= 0 {
			a, end = a[:j], true // the end of the find command: "fd|wc"
		}
		a = bytes.Trim(a, "\"'`")
		next := func() []byte {
			if i+1 >= len(args) {
				return nil
			}
			v := args[i+1]
			if j := bytes.IndexAny(v, "|;&>"); j >= 0 {
				v, end = v[:j], true // "-type l|wc"
			}
			return bytes.Trim(v, "\"'`")
		}
		switch {
		case len(a) == 0 || a[0] != '-':
		case end:
			return 0, false // "-type|wc": an option cut from its value
		case string(a) == "-type":
			if string(next()) != "l" {
				return 0, false
			}
			n, i = 0, i+1
		case string(a) == "-mindepth":
			if v := next(); len(v) == 0 || v[0] == '0' || !allDigits(v) {
				return 0, false
			}
			n, i = 0, i+1
		case string(a) == "-maxdepth":
			if v := next(); string(v) == "0" || !allDigits(v) {
				return 0, false
			}
			i++
		case string(a) == "-P", string(a) == "-H", string(a) == "-print", string(a) == "-ls", string(a) == "-xdev":
		default:
			return 0, false // -L, -follow, -name, -lname, -newer...
		}
		if end {
			break
		}
	}
	return n, true
}
