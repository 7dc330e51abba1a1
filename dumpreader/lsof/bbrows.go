package lsof

import (
	"path"

	"github.com/leakdiag/leakdiag/dumpreader/internal/bblsof"
	"github.com/leakdiag/leakdiag/dumpreader/internal/fdlink"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A report about a container often shows busybox's lsof, run inside it,
// beside lsof's own listing from the host:
//
//	/ # lsof -p 42
//	1	/sbin/tini	0	/dev/null
//	42	/usr/bin/contoso	7	socket:[9001]
//	$ sudo lsof -p 4242
//	COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME
//
// Busybox's rows (package bblsof) are each a descriptor of the process
// whose pid they start with, named by its link as package fdlink reads
// it, as package procfd reads them from a capture of such rows alone.
// They are read under an lsof command before any header or row of lsof's
// own, tabbed, or with the tabs turned into spaces where their shape is
// busybox's alone (bblsof.Row.Distinct).
// Busybox lists every process whole whatever its options: under a
// command that nothing filters, a process's rows give its count.

// bbProc is what the reader keeps about a process busybox rows show.
type bbProc struct {
	cmd  int64 // the line of the lsof command its rows came under
	next int64 // the descriptor a row without a number stands for
}

// bbRowLine reads a row of busybox's lsof under an lsof command, whose
// output has shown neither lsof's header nor its rows: busybox's lsof
// prints neither.
func (r *lsofReader) bbRowLine(line []byte) (scan.LineKind, bool) {
	if r.cmd.line == 0 || r.foreign != "" || r.hdr.ok || r.listingRows > 0 {
		return 0, false
	}
	row, ok := bblsof.ParseRow(line)
	if !ok || !row.Tabbed && !row.Distinct() {
		return 0, false
	}
	r.endSet()
	r.rowLast = true // not lsof's evidence (lsofEvidence): procfd reads busybox's rows alone
	p := r.proc(uint64(row.PID), nil)
	if p.pb.P.Image == "" {
		if img := path.Base(string(row.Exe)); img != "/" && img != "." {
			p.pb.P.Image = img
		}
	}
	if p.bb == nil || p.bb.cmd != r.cmd.line {
		p.bb = &bbProc{cmd: r.cmd.line}
	}
	if r.cmd.filter != "" {
		p.filtered = true
	} else {
		p.base = true // busybox lists the process whole
	}
	fd := row.FD
	if fd < 0 {
		fd = p.bb.next // the kernel lists a process's descriptors in order
		p.bb.next++
	}
	p.lastFD, p.topFD = uint64(fd), max(p.topFD, uint64(fd))
	typ, name, naming := fdlink.Kind(string(row.Link))
	h := facts.Handle{Value: lsofHandleValue(uint64(fd)), Type: typ, Name: r.names.Get([]byte(name)), Naming: naming,
		Pos: facts.Position{Path: r.log.Path, Line: r.lineNo}}
	if p.pb.AddHandle(&h) == facts.AddedNew {
		p.fds++
		if typ == "file" {
			r.deleted(p, &lsofFile{name: row.Link}, typ)
		}
	} else {
		r.dups++
		if r.dupsLine == 0 {
			r.dupsLine = r.lineNo
		}
	}
	return scan.Parsed, true
}
