package procfd

import (
	"bytes"
	"path"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// A listing of /proc/PID/fd names no program, so people paste ps beside
// it to say which the pid is: `ps axf`, `ps aux`, `ps -ef`, often through
// grep. A ps row of a pid the capture lists gives that process its image,
// command line and (ps -ef) parent; rows of other pids are read and left
// aside, never made processes. The rows are read by their header's
// columns, or by the columns the ps command's options give when grep
// left the header out:
//
//	  PID TTY      STAT   TIME COMMAND                         ps ax, axf
//	USER  PID %CPU %MEM    VSZ   RSS TTY STAT START TIME COMMAND  ps aux
//	UID   PID  PPID  C STIME TTY          TIME CMD             ps -ef
//	PID   USER     TIME  COMMAND                               busybox ps

// psColumns is where a ps table's pid, parent pid and command are: the
// index of each among a row's fields (ppid -1 when not shown). The
// command is the last column and runs to the end of the row; every
// column before it is one field.
type psColumns struct {
	pid, ppid, cmd int
}

// The layouts of the ps commands whose rows come without their header.
var (
	psAx  = psColumns{pid: 0, ppid: -1, cmd: 4}
	psAux = psColumns{pid: 1, ppid: -1, cmd: 10}
	psEf  = psColumns{pid: 1, ppid: 2, cmd: 7}
)

// psRow is what a ps row says of a process.
type psRow struct {
	image, cmdline string
	ppid           uint64
	line           int64
}

// cmdlineLimit bounds a command line kept, as leakdiag collect bounds
// the ones it reads.
const cmdlineLimit = 4096

// psCommand reads a ps command line, whose options give the layout of
// the rows that follow: `ps aux | grep java` shows none of its header.
func (z *reader) psCommand(line []byte) (scan.LineKind, bool) {
	z.toks = scan.Fields(line, z.toks[:0])
	for i, t := range z.toks {
		if string(t) != "ps" || i+1 == len(z.toks) {
			continue
		}
		var cols *psColumns
		switch opts := string(bytes.TrimLeft(z.toks[i+1], "-")); {
		case strings.HasPrefix(opts, "aux"):
			cols = &psAux
		case strings.HasPrefix(opts, "ef"):
			cols = &psEf
		case strings.HasPrefix(opts, "ax"):
			cols = &psAx
		default:
			return 0, false
		}
		z.endCommand()
		z.ps = cols
		return scan.Parsed, true
	}
	return 0, false
}

// psHeader reads the header of ps output: headings in capitals, PID
// among them, the command last.
func (z *reader) psHeader(line []byte) (scan.LineKind, bool) {
	z.toks = scan.Fields(line, z.toks[:0])
	t := z.toks
	if len(t) < 2 || len(t) > 20 {
		return 0, false
	}
	switch string(t[len(t)-1]) {
	case "COMMAND", "CMD", "ARGS":
	default:
		return 0, false
	}
	cols := psColumns{pid: -1, ppid: -1, cmd: len(t) - 1}
	for i, h := range t {
		for _, c := range h {
			if (c < 'A' || c > 'Z') && c != '%' {
				return 0, false
			}
		}
		switch string(h) {
		case "PID":
			cols.pid = i
		case "PPID":
			cols.ppid = i
		}
	}
	if cols.pid < 0 {
		return 0, false
	}
	z.endCommand()
	z.ps = &cols
	return scan.Ignored, true
}

// psLine reads a row of the ps table under way.
func (z *reader) psLine(line []byte) (scan.LineKind, bool) {
	cols := z.ps
	z.toks = scan.Fields(line, z.toks[:0])
	t := z.toks
	if len(t) <= cols.cmd || !scan.AllDigits(t[cols.pid]) || (cols.ppid >= 0 && !scan.AllDigits(t[cols.ppid])) ||
		isFDMode(t[0]) || isDirMode(t[0]) || isUnreadableMode(t[0]) {
		return 0, false // a descriptor's row (ps aux's pid stands where ls -l's link count does)
	}
	pid, ok := scan.ParseDec(t[cols.pid])
	if !ok || pid >= 1<<32 {
		return 0, false
	}
	var row psRow
	row.line = z.lineNo
	if cols.ppid >= 0 {
		ppid, _ := scan.ParseDec(t[cols.ppid])
		row.ppid = uint64(min(max(ppid, 0), 1<<32-1))
	}
	// The command runs from its column to the end; ps f draws the tree
	// before it ("\_ ", "|").
	cmd := line[cap(line)-cap(t[cols.cmd]):]
	cmd = scan.TrimSpace(bytes.TrimLeft(cmd, `|\_ `))
	if len(cmd) == 0 {
		return 0, false
	}
	if len(cmd) > cmdlineLimit {
		cmd = cmd[:cmdlineLimit]
	}
	row.cmdline = strings.ToValidUTF8(string(cmd), "")
	exe, _, _ := strings.Cut(row.cmdline, " ")
	// A process that retitles itself (setproctitle: "nginx: worker
	// process", "postgres: checkpointer", "sshd: app@pts/0") puts a colon
	// after its name, which no program's path ends in.
	exe = strings.TrimSuffix(exe, ":")
	if !strings.HasPrefix(exe, "[") { // a kernel thread holds no descriptors
		row.image = path.Base(strings.TrimPrefix(exe, "-")) // -bash, a login shell
	}
	if z.psRows == nil {
		z.psRows = map[int64]psRow{}
	}
	if _, seen := z.psRows[pid]; !seen && len(z.psRows) < processLimit {
		z.psRows[pid] = row
	}
	return scan.Parsed, true
}

// psFinish gives the processes the capture lists what their ps rows say
// of them.
func (z *reader) psFinish() {
	for _, l := range z.order {
		row, ok := z.psRows[l.pid]
		if !ok || l.pid < 0 || row.image == "" {
			continue
		}
		l.pb.SetImage(row.image, z.pos(row.line))
		if l.pb.P.Cmdline == "" {
			l.pb.P.Cmdline = row.cmdline
		}
		if l.pb.P.PPID == 0 {
			l.pb.P.PPID = row.ppid
		}
	}
}
