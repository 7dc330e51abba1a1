package pslist

import (
	"bytes"
	"strconv"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// pslist -d prints, under "Thread detail for MACHINE:", each process's
// name and pid as a heading, and its threads' table under it:
//
//	agent 3120:
//	 Tid Pri    Cswtch            State     User Time   Kernel Time   Elapsed Time
//	 3124  10     88213     Wait:UserReq  0:00:01.203   0:00:00.781    2:11:04.120
//
// The headings are the processes, their thread rows counted (the thread
// count), and no row of them is a process; -d prints no handle count,
// which a diagnostic says.

// detail reads -d's headings and counts the thread rows under each.
type detail struct {
	b      *facts.Builder
	log    *facts.SourceLog
	lineNo func() int64
	// banner says -d's banner ("Thread detail for WS042:") was seen.
	banner bool
	// cur is the process whose threads are being counted, threads their
	// rows.
	cur     *facts.ProcessBuilder
	threads int64
	// procs counts the processes read, first the line of the first one.
	procs, first int64
	// ev is what Sniff weighs: headings with thread rows under them.
	ev int
}

// maxDetailProcs bounds the processes -d's headings make.
const maxDetailProcs = 1 << 16

// line reads a line of -d's output at lineNo, or says it is none.
func (d *detail) line(line []byte, lineNo int64) (scan.LineKind, bool) {
	if scan.HasPrefix(line, "Thread detail for ") && bytes.HasSuffix(line, []byte(":")) {
		d.end()
		d.banner = true
		return scan.Ignored, true
	}
	if name, pid, ok := parseHeading(line); ok {
		d.end()
		if d.procs >= maxDetailProcs {
			return scan.Ignored, true
		}
		pos := facts.Position{Path: d.log.Path, Line: lineNo}
		d.cur = d.b.ProcessByPID(pid, pos)
		d.cur.SetImage(proctable.ImageName(name, proctable.ImageNoExt), pos)
		d.procs++
		if d.first == 0 {
			d.first = lineNo
		}
		return scan.Parsed, true
	}
	if d.cur != nil && isThreadRow(line) {
		d.threads++
		if d.threads == 1 {
			d.ev++
		}
		return scan.Parsed, true
	}
	return 0, false
}

// end gives the process being read its thread count.
func (d *detail) end() {
	if d.cur != nil && d.threads > 0 {
		d.cur.ReportThreadCount(d.threads)
	}
	d.cur, d.threads = nil, 0
}

// finish says what -d's output lacks.
func (d *detail) finish() {
	d.end()
	if d.procs > 0 {
		d.log.Diag(d.first, facts.SevInfo, facts.CodeMissing,
			"%d process(es) shown with their threads (pslist -d): read with their thread counts, which are no handle counts; run pslist (or pslist -t), whose Hnd column is the handle count", d.procs)
	}
}

// parseHeading reads a heading of -d: the process's name (which may have
// blanks: "Memory Compression 2396:") and its pid, then a colon.
func parseHeading(line []byte) (name string, pid uint64, ok bool) {
	if len(line) < 3 || len(line) > 300 || line[len(line)-1] != ':' {
		return "", 0, false
	}
	i := bytes.LastIndexByte(line, ' ')
	if i <= 0 {
		return "", 0, false
	}
	num := line[i+1 : len(line)-1]
	if !scan.AllDigits(num) || len(num) > 10 {
		return "", 0, false
	}
	pid, err := strconv.ParseUint(string(num), 10, 32)
	if err != nil {
		return "", 0, false
	}
	name = string(scan.TrimSpace(line[:i]))
	if name == "" || bytes.ContainsAny(line[:i], ":\\/") {
		return "", 0, false // "Process information for SRV01:", a path
	}
	return name, pid, true
}
