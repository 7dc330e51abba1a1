package procfd

import (
	"bytes"
	"path"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// Busybox's lsof, the one in Alpine-based containers, prints no header and
// no descriptor numbers: a line per descriptor of every process it may
// read, with the process's pid, its executable and the descriptor's link
// in /proc/PID/fd, tab separated (busybox lsof.c: "%d\t%s\t%s\n"):
//
//	bash-5.1# lsof -p 189
//	1	/bin/s6-svscan	/dev/null
//	189	/usr/local/bin/python3.9	socket:[133544630]
//
// It takes no options: `lsof -p 189` lists every process all the same.
// The rows are what `ls -l /proc/PID/fd` shows, so they are read here, a
// listing per process; each row is the process's next descriptor, as the
// kernel lists them in order. Under an lsof command that no grep or head
// filters, the rows of a process are all of its descriptors and give its
// count; rows without such a command may be a grep's, and give none.
// Where a paste turned the tabs into spaces, rows are read only right
// under the lsof command (or under such rows): a line of `pgrep -a` or
// `ps -eo pid,args` ("4242 /usr/bin/node /srv/app.js") has the same
// shape.

// bbCommand is the latest lsof command line, whose output busybox rows
// are.
type bbCommand struct {
	line  int64 // 0 when no lsof command came before the rows
	whole bool  // no filter after it: each process's rows are all of them
}

// bbCommandLine reads a command line that runs lsof (and counts nothing,
// which lsofCount reads): busybox rows may follow.
func (z *reader) bbCommandLine(line []byte) (scan.LineKind, bool) {
	if fdcount.CountsLines(line) {
		return 0, false // a count of lines, not the rows
	}
	z.toks = scan.Fields(line, z.toks[:0])
	for _, t := range z.toks {
		t = bytes.Trim(t, "\"'`(")
		if string(t) == "lsof" || bytes.HasSuffix(t, []byte("/lsof")) {
			z.endCommand()
			z.bb = bbCommand{line: z.lineNo, whole: !hasFilter(line)}
			z.bbOpen = true
			return scan.Parsed, true
		}
		if len(t) > 0 && t[0] == '|' {
			break
		}
	}
	return 0, false
}

// bbRowLine reads a row of busybox's lsof: pid, executable, link.
func (z *reader) bbRowLine(line []byte, open bool) (scan.LineKind, bool) {
	pid, exe, link, tabbed, ok := bbRow(line)
	if !ok || !tabbed && !open {
		return 0, false
	}
	z.bbOpen = true
	z.ev.rows++
	l := z.cur
	if l == nil || !l.bbRun || l.pid != pid {
		z.start(who{pid: pid}, z.bb.line > 0 && z.bb.whole)
		if l = z.cur; l == nil {
			return scan.Parsed, true
		}
		l.bbRun, l.bbNext = true, 0
	}
	if l.pb.P.Image == "" {
		if img := path.Base(string(exe)); img != "/" && img != "." {
			l.pb.P.Image = img
		}
	}
	fd := l.bbNext
	l.bbNext++
	z.add(l, fd, link, true)
	z.rowLast = true
	return scan.Parsed, true
}

// bbRow splits a row of busybox's lsof into its pid, executable and link:
// at its two tabs, or where a paste turned the tabs into spaces, at its
// first two blank runs (an executable deleted since is "/path (deleted)").
// The pid is a number, the executable an absolute path and the link one
// of what the kernel shows in /proc/PID/fd: a path, or a kind and its
// inode ("socket:[40315]", "anon_inode:[eventfd]"). tabbed says the row
// kept its tabs.
func bbRow(line []byte) (pid int64, exe, link []byte, tabbed, ok bool) {
	var first, rest []byte
	if a, b, tab := bytes.Cut(line, []byte{'\t'}); tab {
		first, tabbed = a, true
		if exe, link, tab = bytes.Cut(b, []byte{'\t'}); !tab {
			return 0, nil, nil, false, false
		}
	} else {
		f := bytes.IndexAny(line, " ")
		if f <= 0 {
			return 0, nil, nil, false, false
		}
		first, rest = line[:f], scan.TrimSpace(line[f:])
		e := bytes.IndexByte(rest, ' ')
		if e <= 0 {
			return 0, nil, nil, false, false
		}
		exe, link = rest[:e], scan.TrimSpace(rest[e:])
		if after, deleted := bytes.CutPrefix(link, []byte("(deleted)")); deleted {
			exe, link = rest[:e+len(" (deleted)")], scan.TrimSpace(after)
		}
	}
	first, exe, link = scan.TrimSpace(first), scan.TrimSpace(exe), scan.TrimSpace(link)
	if !scan.AllDigits(first) || len(exe) < 2 || exe[0] != '/' || !isLinkText(link) {
		return 0, nil, nil, false, false
	}
	n, valid := scan.ParseDec(first)
	if !valid || n == 0 || n >= 1<<32 {
		return 0, nil, nil, false, false
	}
	return n, exe, link, tabbed, true
}

// isLinkText reports whether b has the shape of a descriptor's link: an
// absolute path, or a kind and what names it after a colon (socket:[N],
// pipe:[N], anon_inode:[eventfd], anon_inode:inotify, net:[N]).
func isLinkText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if b[0] == '/' {
		return true
	}
	kind, after, found := bytes.Cut(b, []byte(":"))
	if !found || len(kind) == 0 || len(after) == 0 || bytes.IndexByte(b, ' ') >= 0 {
		return false
	}
	for _, c := range kind {
		if (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return after[0] == '[' || string(kind) == "anon_inode"
}
