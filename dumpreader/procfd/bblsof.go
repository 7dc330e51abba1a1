package procfd

import (
	"bytes"
	"path"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// Busybox's lsof, the one in Alpine-based containers, prints no header: a
// line per descriptor of every process it may read, with the process's
// pid, its executable and the descriptor's link in /proc/PID/fd, tab
// separated (busybox lsof.c: "%d\t%s\t%s\n"):
//
//	bash-5.1# lsof -p 189
//	1	/bin/s6-svscan	/dev/null
//	189	/usr/local/bin/python3.9	socket:[133544630]
//
// Newer builds print the descriptor's number too, between the executable
// and the link ("42\t/usr/bin/contoso\t7\tsocket:[9001]"): a row then
// names its descriptor, as a row of ls does.
//
// It takes no options: `lsof -p 189` lists every process all the same.
// The rows are what `ls -l /proc/PID/fd` shows, so they are read here, a
// listing per process; a row without a number is the process's next
// descriptor, as the kernel lists them in order. Under an lsof command that no grep or head
// filters, the rows of a process are all of its descriptors and give its
// count; rows without such a command may be a grep's, and give none.
// Where a paste turned the tabs into spaces, rows are read only right
// under the lsof command (or under such rows): a line of `pgrep -a` or
// `ps -eo pid,args` ("4242 /usr/bin/node /srv/app.js") has the same
// shape, but not a number and a kind's link after the executable
// ("42 /usr/bin/node 9 socket:[9001]"): such a row is read anywhere.

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

// bbRowLine reads a row of busybox's lsof: pid, executable, the
// descriptor's number where the build prints it, link.
func (z *reader) bbRowLine(line []byte, open bool) (scan.LineKind, bool) {
	r, ok := bbRow(line)
	if !ok || !r.tabbed && !open && (r.fd < 0 || r.link[0] == '/') {
		return 0, false
	}
	pid, exe, link := r.pid, r.exe, r.link
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
	fd := r.fd
	if fd < 0 {
		fd = l.bbNext // the kernel lists a process's descriptors in order
		l.bbNext++
	} else {
		l.numbered(fd)
	}
	z.add(l, fd, link, true)
	z.rowLast = true
	return scan.Parsed, true
}

// bbRowFields are the fields of a row of busybox's lsof.
type bbRowFields struct {
	pid       int64
	exe, link []byte
	fd        int64 // -1 where the build prints no number
	tabbed    bool  // the row kept its tabs
}

// bbRow splits a row of busybox's lsof into its pid, executable,
// descriptor number (where the build prints one) and link: at its tabs,
// or where a paste turned the tabs into spaces, at its blank runs (an
// executable deleted since is "/path (deleted)"). The pid is a number,
// the executable an absolute path and the link one of what the kernel
// shows in /proc/PID/fd: a path, or a kind and its inode
// ("socket:[40315]", "anon_inode:[eventfd]"), which never starts with a
// digit, so a number before it is the descriptor's.
func bbRow(line []byte) (r bbRowFields, ok bool) {
	var first, rest []byte
	if a, b, tab := bytes.Cut(line, []byte{'\t'}); tab {
		first, r.tabbed = a, true
		if r.exe, rest, tab = bytes.Cut(b, []byte{'\t'}); !tab {
			return r, false
		}
		r.fd, r.link = -1, rest
		if n, link, four := bytes.Cut(rest, []byte{'\t'}); four && scan.AllDigits(scan.TrimSpace(n)) {
			r.fd, r.link = bbFD(scan.TrimSpace(n)), link
		}
	} else {
		f := bytes.IndexAny(line, " ")
		if f <= 0 {
			return r, false
		}
		first, rest = line[:f], scan.TrimSpace(line[f:])
		e := bytes.IndexByte(rest, ' ')
		if e <= 0 {
			return r, false
		}
		r.exe, r.link = rest[:e], scan.TrimSpace(rest[e:])
		if after, deleted := bytes.CutPrefix(r.link, []byte("(deleted)")); deleted {
			r.exe, r.link = rest[:e+len(" (deleted)")], scan.TrimSpace(after)
		}
		r.fd = -1
		if n, link, four := bytes.Cut(r.link, []byte{' '}); four && scan.AllDigits(n) {
			r.fd, r.link = bbFD(n), scan.TrimSpace(link)
		}
	}
	first, r.exe, r.link = scan.TrimSpace(first), scan.TrimSpace(r.exe), scan.TrimSpace(r.link)
	if !scan.AllDigits(first) || len(r.exe) < 2 || r.exe[0] != '/' || !isLinkText(r.link) || r.fd < -1 {
		return r, false
	}
	n, valid := scan.ParseDec(first)
	if !valid || n == 0 || n >= 1<<32 {
		return r, false
	}
	r.pid = n
	return r, true
}

// bbFD returns the descriptor number n spells, -2 if it is none (too
// long or too large), which bbRow refuses.
func bbFD(n []byte) int64 {
	fd, ok := scan.ParseDec(n)
	if !ok || fd >= fdLimit {
		return -2
	}
	return fd
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
