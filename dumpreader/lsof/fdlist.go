package lsof

import (
	"bytes"
	"strconv"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdlink"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A report of "Too many open files" often shows the process's descriptor
// table beside lsof's rows:
//
//	$ lsof -nP -i :8000
//	COMMAND PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME
//	docker  473 root    5u  IPv4  14398      0t0  TCP 127.0.0.1:8000 (LISTEN)
//	$ ls -l /proc/473/fd
//	lrwx------ 1 root root 64 Aug 25 10:53 0 -> /dev/null
//	lrwx------ 1 root root 64 Aug 25 10:53 3 -> socket:[7643]
//
// The listing is the process's descriptors, each named by its link as
// package fdlink reads it (what package procfd reads from a capture of
// such listings alone), and, unless a pipe filtered it or an elision cut
// it, their count. Its descriptors join the process's lsof rows, each
// counted once.

// fdListLimit bounds the rows read from one listing's pid: a listing's
// descriptors beyond it are counted, not kept.
const fdListLimit = 1 << 20

// fdList is the ls listing of /proc/PID/fd being read.
type fdList struct {
	pid      uint64
	line     int64
	filtered bool // the command pipes it through a filter (grep, head)
	cut      bool // an elision came inside it
	rows     int64
}

// fdListCommand reads cmd, a command line without its prompt, that lists
// the descriptors of one process by its pid: ls (or ll) of /proc/PID/fd.
// filtered says a pipe follows it.
func fdListCommand(cmd []byte) (pid uint64, filtered, ok bool) {
	toks := bytes.Fields(cmd)
	if len(toks) > 0 && string(toks[0]) == "sudo" {
		toks = toks[1:]
	}
	if len(toks) < 2 || string(toks[0]) != "ls" && string(toks[0]) != "ll" {
		return 0, false, false
	}
	found := false
	for _, t := range toks[1:] {
		if t[0] == '|' || t[0] == '>' {
			filtered = true
			break
		}
		if t[0] == '-' {
			continue
		}
		rest, isProc := bytes.CutPrefix(bytes.Trim(t, "\"'"), []byte("/proc/"))
		if !isProc || found {
			return 0, false, false // another path, or a second one
		}
		num, after, _ := bytes.Cut(rest, []byte{'/'})
		after = bytes.TrimRight(after, "/")
		if !scan.AllDigits(num) || len(num) > 10 || string(after) != "fd" {
			return 0, false, false
		}
		n, err := strconv.ParseUint(string(num), 10, 32)
		if err != nil {
			return 0, false, false
		}
		pid, found = n, true
	}
	return pid, filtered, found
}

// fdListLine reads a line of the listing being read: its total, the
// directory's own entries, or a descriptor's row. ok is false for any
// other line, which ends the listing.
func (r *lsofReader) fdListLine(line []byte) (scan.LineKind, bool) {
	l := r.fdList
	if bytes.HasPrefix(line, []byte("total ")) && scan.AllDigits(scan.TrimSpace(line[len("total "):])) {
		return scan.Ignored, true
	}
	left, link, arrow := bytes.Cut(line, []byte(" -> "))
	toks := bytes.Fields(left)
	if len(toks) < 7 || len(toks[0]) < 10 {
		return 0, false
	}
	if !arrow {
		// ".", ".." of ls -a.
		last := toks[len(toks)-1]
		if toks[0][0] == 'd' && (string(last) == "." || string(last) == ".." || string(last) == "./" || string(last) == "../") {
			return scan.Ignored, true
		}
		return 0, false
	}
	fdText := toks[len(toks)-1]
	if toks[0][0] != 'l' || !scan.AllDigits(fdText) || len(fdText) > 9 || len(link) == 0 {
		return 0, false
	}
	fd, _ := strconv.ParseUint(string(fdText), 10, 32)
	l.rows++
	if l.rows > fdListLimit {
		return scan.Parsed, true
	}
	p := r.procs[l.pid]
	if p == nil {
		p = &lsofProc{pid: l.pid, line: r.lineNo}
		p.pb = r.b.ProcessByPID(l.pid, facts.Position{Path: r.log.Path, Line: r.lineNo})
		r.procs[l.pid] = p
	}
	typ, name, naming := fdlink.Kind(string(link))
	h := facts.Handle{Value: lsofHandleValue(fd), Type: typ, Name: r.names.Get([]byte(name)), Naming: naming,
		Pos: facts.Position{Path: r.log.Path, Line: r.lineNo}}
	if p.pb.AddHandle(&h) == facts.AddedNew {
		p.fds++
		if typ == "file" {
			r.deleted(p, &lsofFile{name: link}, typ)
		}
	}
	return scan.Parsed, true
}

// endFDList ends the listing being read: a whole one gives its process
// its descriptor count, as ls /proc/PID/fd | wc -l would (fdcount.go).
func (r *lsofReader) endFDList() {
	l := r.fdList
	if l == nil {
		return
	}
	r.fdList = nil
	if l.filtered || l.cut || l.rows == 0 || len(r.fdCounts) >= fdCountLimit {
		return
	}
	r.fdCounts = append(r.fdCounts, fdCountAt{target: strconv.FormatUint(l.pid, 10), n: l.rows, line: l.line, listed: true})
}
