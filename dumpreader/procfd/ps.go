package procfd

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/psrows"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// A listing of /proc/PID/fd names no program, so people paste ps beside
// it to say which the pid is: `ps axf`, `ps aux`, `ps -ef`, `ps -o
// pid,args`, often through grep. A ps row of a pid the capture lists
// gives that process its image, command line and (ps -ef) parent; rows
// of other pids are read and left aside, never made processes. The rows
// are read by their header's columns, or by the columns the ps
// command's options give when grep or --no-headers left the header out
// (package psrows).

// psRow is what a ps row (or an exe link: cwd.go) says of a process.
type psRow = psrows.Row

// cmdlineLimit bounds a path or command line kept.
const cmdlineLimit = psrows.CmdlineLimit

// psCommand reads a ps command line, whose options give the layout of
// the rows that follow: `ps aux | grep java` shows none of its header.
func (z *reader) psCommand(line []byte) (scan.LineKind, bool) {
	z.toks = scan.Fields(line, z.toks[:0])
	for i := range z.toks {
		if !psrows.IsCommand(z.toks[i:]) {
			continue
		}
		cols, ok := psrows.Command(z.toks[i:])
		if !ok {
			return 0, false
		}
		z.endCommand()
		z.ps = &cols
		return scan.Parsed, true
	}
	return 0, false
}

// psHeader reads the header of ps output: headings in capitals, PID
// among them, the command last.
func (z *reader) psHeader(line []byte) (scan.LineKind, bool) {
	z.toks = scan.Fields(line, z.toks[:0])
	cols, ok := psrows.Header(z.toks)
	if !ok {
		return 0, false
	}
	if z.ps != nil {
		cols = z.ps.WithHeader(cols)
	}
	z.endCommand()
	z.ps = &cols
	return scan.Ignored, true
}

// psLine reads a row of the ps table under way.
func (z *reader) psLine(line []byte) (scan.LineKind, bool) {
	z.toks = scan.Fields(line, z.toks[:0])
	t := z.toks
	if len(t) > 0 && (isFDMode(t[0]) || isDirMode(t[0]) || isUnreadableMode(t[0])) {
		return 0, false // a descriptor's row (ps aux's pid stands where ls -l's link count does)
	}
	pid, row, ok := psrows.Parse(line, t, *z.ps, z.lineNo)
	if !ok {
		return 0, false
	}
	if z.psRows == nil {
		z.psRows = psrows.NewTable(processLimit)
	}
	z.psRows.Add(pid, row)
	if z.ps.PID < 0 {
		z.ps = nil // ps -p PID -o args=: its one row
	}
	return scan.Parsed, true
}

// psFinish gives the processes the capture lists what their ps rows say
// of them.
func (z *reader) psFinish() {
	if z.psRows == nil {
		return
	}
	for _, l := range z.order {
		row, ok := z.psRows.Get(l.pid)
		if !ok || l.pid < 0 || row.Image == "" {
			continue
		}
		l.pb.SetImage(row.Image, z.pos(row.Line))
		if l.pb.P.Cmdline == "" {
			l.pb.P.Cmdline = row.Cmdline
		}
		if l.pb.P.PPID == 0 {
			l.pb.P.PPID = row.PPID
		}
	}
}
