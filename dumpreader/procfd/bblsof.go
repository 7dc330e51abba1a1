package procfd

import (
	"bytes"
	"path"

	"github.com/leakdiag/leakdiag/dumpreader/internal/bblsof"
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
// Nor do they list a pid twice: a row that repeats the pid and
// executable of the line before it, a row of the same shape, is read
// anywhere too, and the rows after it (the first stays unrecognized: it
// was read before the second showed what it was).

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
	r, ok := bblsof.ParseRow(line)
	if !ok {
		return 0, false
	}
	if !r.Tabbed && !open && !r.Distinct() && !z.bbPrev.repeated(&r, z.lineNo) {
		z.bbPrev.set(&r, z.lineNo)
		return 0, false
	}
	pid, exe, link := r.PID, r.Exe, r.Link
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
	fd := r.FD
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

// bbCandidate is a row of busybox's shape that was not read: with its
// tabs turned into spaces, and no lsof command above it.
type bbCandidate struct {
	line int64
	pid  int64
	exe  []byte
}

// maxBBExe bounds the executable a candidate keeps.
const maxBBExe = 4096

// set makes r, at line, the latest candidate.
func (c *bbCandidate) set(r *bblsof.Row, line int64) {
	c.line, c.pid = line, r.PID
	c.exe = append(c.exe[:0], r.Exe[:min(len(r.Exe), maxBBExe)]...)
}

// repeated reports whether r, at line, repeats the pid and executable of
// the candidate on the line before it.
func (c *bbCandidate) repeated(r *bblsof.Row, line int64) bool {
	return c.line > 0 && c.line == line-1 && c.pid == r.PID && len(r.Exe) <= maxBBExe && string(c.exe) == string(r.Exe)
}
