package procfd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// A bare `ls /proc/1234/fd` (no -l) prints the descriptors' numbers
// alone: in columns, several to a line, on a terminal ("0  1  10  11
// 2"), one to a line when piped (`| sort -n`, `| cat`). Those lines are
// read only under such a command: each number is a descriptor of the
// process the command names, of no known kind, so a whole listing gives
// its count and no handles; a number of 10,000 or more its peak.

// numbersLine reads a line of numbers a bare ls of a process's fd
// directory printed ("." and ".." of -a among them, "@" after a link
// of -F).
// open says the line before was the command or such a line: ls prints
// them one after the other, and numbers after another command's output
// are not its.
func (z *reader) numbersLine(line []byte, open bool) (scan.LineKind, bool) {
	l := z.cur
	if !z.bareLs || !open || l == nil {
		return 0, false
	}
	z.toks = scan.Fields(line, z.toks[:0])
	n := 0
	for _, t := range z.toks {
		t = bytes.TrimSuffix(t, []byte("@"))
		if isDotEntry(t) {
			continue
		}
		fd, ok := scan.ParseDec(t)
		if !ok || !scan.AllDigits(t) || fd >= fdLimit {
			return 0, false
		}
		n++
	}
	if n == 0 {
		z.numbersOpen = true
		return scan.Ignored, true // "." and ".." of -a alone on their lines
	}
	for _, t := range z.toks {
		t = bytes.TrimSuffix(t, []byte("@"))
		if isDotEntry(t) {
			continue
		}
		fd, _ := scan.ParseDec(t)
		if l.run.active {
			if l.run.fds == nil {
				l.run.fds = map[int64]struct{}{}
			}
			l.run.fds[fd] = struct{}{}
			l.run.last = z.lineNo
		}
		l.numbered(fd)
	}
	z.ev.rows++
	z.rowLast, z.numbersOpen = true, true
	return scan.Parsed, true
}

// moreThanNames reports whether ls's options opts make it print more than the
// names: a row per entry (-l, -g, -n, -o, --format=long), or a number
// before each name (-s, its size; -i, its inode), which the descriptors'
// numbers could not be told from. The options end where the ls command
// does ("| sort -n").
func moreThanNames(opts [][]byte) bool {
	for _, a := range opts {
		end := false
		if i := bytes.IndexAny(a, "|;&>"); i >= 0 {
			a, end = a[:i], true
		}
		a = bytes.Trim(a, "\"'`")
		switch {
		case len(a) < 2 || a[0] != '-':
		case a[1] == '-':
			switch string(a) {
			case "--format=long", "--format=verbose", "--size", "--inode":
				return true
			}
		case bytes.ContainsAny(a[1:], "lgnosi"):
			return true
		}
		if end {
			break
		}
	}
	return false
}
