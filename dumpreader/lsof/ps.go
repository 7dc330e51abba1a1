package lsof

import (
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/psrows"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// CodePSImage: a ps row gives a pid the capture lists a program other
// than the one lsof names (another pid namespace, a pid reused): its
// command line was not taken.
const CodePSImage = "ps-image"

// lsof names a process by a command name cut to nine characters, so
// people paste ps beside the listing to say what runs: `ps aux | grep
// java`, `ps -ef`, `ps -o pid,args -p 1234`. A ps row of a pid the
// capture lists (by its rows or a count of /proc/PID/fd) gives that
// process its command line and parent, and its image where lsof gave
// none; rows of other pids are read and left aside, never made
// processes. The rows are read by their header, or by the layout the
// ps command's options give (package psrows).

// psState is the ps table being read and the rows read.
type psState struct {
	// cols is the layout of the ps rows being shown, nil if none.
	cols *psrows.Columns
	rows *psrows.Table
	toks [][]byte
	// mismatch counts rows whose program is not the one lsof names;
	// mismatchLine is the first.
	mismatch     int
	mismatchLine int64
}

// psCommand starts the table of a ps command line (words without its
// prompt and sudo), false if words run no ps whose layout is known.
func (r *lsofReader) psCommand(words [][]byte) {
	r.ps.cols = nil
	if cols, ok := psrows.Command(words); ok {
		r.ps.cols = &cols
	}
}

// psLine reads a line of ps output: its header, or a row of the table
// under way.
func (r *lsofReader) psLine(line []byte) (scan.LineKind, bool) {
	s := &r.ps
	s.toks = scan.Fields(line, s.toks[:0])
	if cols, ok := psrows.Header(s.toks); ok {
		if s.cols != nil {
			cols = s.cols.WithHeader(cols)
		}
		s.cols = &cols
		return scan.Ignored, true
	}
	if s.cols == nil {
		return 0, false
	}
	if t := s.toks; len(t) > 3 && lsofFDShape(t[3], false) || len(t) > 4 && lsofFDShape(t[4], false) {
		s.cols = nil // lsof's row after the table: an FD where ps has %MEM or C (or, past a TID, RSS or STIME)
		return 0, false
	}
	pid, row, ok := psrows.Parse(line, s.toks, *s.cols, r.lineNo)
	if !ok {
		s.cols = nil
		return 0, false
	}
	if s.rows == nil {
		s.rows = psrows.NewTable(processLimit)
	}
	s.rows.Add(pid, row)
	if s.cols.PID < 0 {
		s.cols = nil // ps -p PID -o args=: its one row
	}
	return scan.Parsed, true
}

// processLimit bounds the ps rows kept: hostile text could show millions.
const processLimit = 1 << 16

// psFinish gives the processes the capture lists what their ps rows say
// of them: those its listings show, then those only counted.
func (r *lsofReader) psFinish() {
	s := &r.ps
	if s.rows == nil {
		return
	}
	done := map[uint64]bool{}
	give := func(p *lsofProc) {
		if p == nil || done[p.pid] {
			return
		}
		done[p.pid] = true
		row, ok := s.rows.Get(int64(p.pid))
		if !ok || row.Image == "" {
			return
		}
		if img := p.pb.P.Image; img != "" && !sameProgram(img, row.Image) {
			if s.mismatch++; s.mismatchLine == 0 {
				s.mismatchLine = row.Line
				r.log.Diag(row.Line, facts.SevInfo, CodePSImage,
					"the ps row of pid %d runs %q, where lsof shows %q (another pid namespace, as a container's, or the pid was reused): its command line is not the process's",
					p.pid, row.Image, img)
			}
			return
		}
		if p.pb.P.Image == "" {
			p.pb.SetImage(row.Image, facts.Position{Path: r.log.Path, Line: row.Line})
		}
		if p.pb.P.Cmdline == "" {
			p.pb.P.Cmdline = row.Cmdline
		}
		if p.pb.P.PPID == 0 {
			p.pb.P.PPID = row.PPID
		}
	}
	for _, p := range r.order {
		give(p)
	}
	for _, c := range r.fdCounts {
		if pid, ok := r.countPID(c.target); ok {
			give(r.procs[pid])
		}
	}
}

// sameProgram reports whether lsof's command name and a ps row's
// program name one program: the same name, or lsof's cut to its
// lsofNameWidth characters ("python3.1" of python3.11), or a retitled
// process's ("nginx" of "nginx: worker process", as ps reads it), or
// an applet of busybox.
func sameProgram(lsofName, psName string) bool {
	if strings.EqualFold(lsofName, psName) || lsofName == "busybox" {
		return true // busybox runs its applets (ash, sh, top) as itself
	}
	return len([]rune(lsofName)) == lsofNameWidth && strings.HasPrefix(psName, lsofName)
}
