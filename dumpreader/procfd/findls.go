package procfd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// `find /proc/*/fd -ls`, as people run it to find the processes that
// hold deleted files (piped into grep '(deleted)'), prints a row per
// descriptor as ls -dils would: the link's inode and size in blocks
// before its mode, then the links, owner, group, size and time, the path
// /proc/PID/fd/N that names the process and descriptor, " -> " and the
// link, whose blanks find escapes ("error.log\ (deleted)"). Only rows
// whose path names a process's descriptor are read so: the paths are
// what make them descriptors.

// isFindLsRow reports whether toks, the fields of a row before " -> ",
// are those of find -ls: two numbers, then a mode.
func isFindLsRow(toks [][]byte) bool {
	return len(toks) >= 4 && scan.AllDigits(toks[0]) && scan.AllDigits(toks[1]) && isFDMode(toks[2])
}

// unescapeFindLs undoes the backslashes find -ls puts before blanks and
// backslashes in a link: "/var/log/app.log\ (deleted)".
func unescapeFindLs(link []byte) []byte {
	if bytes.IndexByte(link, '\\') < 0 {
		return link
	}
	out := make([]byte, 0, len(link))
	for i := 0; i < len(link); i++ {
		if link[i] == '\\' && i+1 < len(link) && (link[i+1] == ' ' || link[i+1] == '\\') {
			i++
		}
		out = append(out, link[i])
	}
	return out
}

// findLsCommand reads the command line of such a listing, `find
// /proc/*/fd -ls` (or /proc/PID/fd), after any prompt; toks are the
// line's fields. The rows after it name their processes by their paths,
// which the command does not change: it is accounted for, and ends the
// listing before it. Whether the rows of a process are all of its
// descriptors is left unknown (a grep after the command often picks
// some), so no count is taken from them.
func (z *reader) findLsCommand(line []byte, toks [][]byte) (scan.LineKind, bool) {
	find, ls := -1, false
	for i, t := range toks {
		t = bytes.Trim(t, "\"'`(")
		switch {
		case find < 0 && (string(t) == "find" || bytes.HasSuffix(t, []byte("/find"))):
			find = i
		case find >= 0 && string(t) == "-ls":
			ls = true
		}
	}
	if find < 0 || !ls || !bytes.Contains(line, []byte("/proc/")) || !bytes.Contains(line, []byte("/fd")) {
		return 0, false
	}
	z.endCommand()
	return scan.Parsed, true
}
