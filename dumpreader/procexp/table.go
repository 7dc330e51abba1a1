package procexp

import (
	"bytes"
	"regexp"
	"strconv"
	"sync"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// processColumns are the headings of the process list leakdiag reads
// (lower case); the others are read past.
var processColumns = proctable.Vocab{
	"process": proctable.Image, "pid": proctable.PID, "parent pid": proctable.PPID,
	"handles": proctable.Handles, "image path": proctable.Path,
	"command line": proctable.Cmdline,
	// The Process Memory column, in KB as Process Explorer shows it
	// ("1,024 K").
	"nonpaged pool": proctable.NonPagedKB,
}

// handleColumns are the headings of the handle pane and of Find results.
var handleColumns = proctable.Vocab{
	"process": proctable.Image, "pid": proctable.PID,
	"type": proctable.HandleType, "name": proctable.ObjectName, "handle": proctable.HandleValue,
}

// dllColumns tell the lower pane's DLL view: a Name column with one of
// these beside it and no Type.
var dllColumns = []string{"path", "base", "image base", "mapped size", "version"}

// header reads a table's heading, ok false when cells are none.
func (p *reader) header(cells [][]byte, tabbed bool) (scan.LineKind, bool) {
	if len(cells) < 2 {
		return 0, false
	}
	var typ, name, process, pid, handles, dll bool
	for _, c := range cells {
		switch {
		case bytes.EqualFold(c, []byte("handles")):
			handles = true
		case bytes.EqualFold(c, []byte("type")):
			typ = true
		case bytes.EqualFold(c, []byte("name")):
			name = true
		case bytes.EqualFold(c, []byte("process")):
			process = true
		case bytes.EqualFold(c, []byte("pid")):
			pid = true
		default:
			for _, k := range dllColumns {
				if bytes.EqualFold(c, []byte(k)) {
					dll = true
				}
			}
		}
	}
	switch {
	case typ && name:
		p.cols = proctable.Lookup(cells, handleColumns)
		p.table = handleTable
		if p.cols.Has(proctable.PID) {
			p.found, p.foundLine = true, p.lineNo
			p.owner = nil
		}
		if tabbed {
			p.ev.handleHeader++
		}
		return scan.Parsed, true
	case process && (pid || handles):
		// Without a PID column (a list retyped as a markdown table,
		// "| Process | Handles |"), rows are read by image (pidless).
		p.cols = proctable.Lookup(cells, processColumns)
		p.table = processTable
		if tabbed && string(cells[0]) == "Process" {
			p.ev.processHeader++
		}
		return scan.Parsed, true
	case name && dll && !pid:
		p.table = dllTable
		if !p.dll {
			p.dll = true
			p.log.Diag(p.lineNo, facts.SevInfo, CodeDLLView,
				"the lower pane shows DLLs, not handles: its rows are not read")
		}
		return scan.Ignored, true
	}
	return 0, false
}

// pseudoProcesses are the rows Process Explorer shows for what is no
// process, with "n/a" for a pid.
var pseudoProcesses = []string{"Interrupts", "Deferred Procedure Calls", "Hardware Interrupts and DPCs", "System Interrupts"}

// processRow reads a row of the process list.
func (p *reader) processRow(cells [][]byte, tabbed bool) scan.LineKind {
	if why := p.cols.Misfit(len(cells), tabbed); why != "" {
		p.log.Diag(p.lineNo, facts.SevWarning, CodeCells, "%s", why)
		return scan.Unrecognized
	}
	name := p.cols.Cell(cells, proctable.Image)
	if !p.cols.Has(proctable.PID) {
		return p.pidlessRow(name, cells)
	}
	pidCell := p.cols.Cell(cells, proctable.PID)
	pid, ok := proctable.ParseCount(pidCell)
	if !ok {
		for _, ps := range pseudoProcesses {
			if string(name) == ps {
				return scan.Ignored
			}
		}
		return scan.Unrecognized
	}
	if len(name) == 0 {
		return scan.Unrecognized
	}
	pb := p.b.ProcessByPID(uint64(pid), p.pos())
	pb.SetImage(string(name), p.pos())
	p.cols.Fill(pb, cells, p.log, p.lineNo)
	if p.withPID == nil {
		p.withPID = map[string]bool{}
	}
	p.withPID[proctable.ImageKey(string(name))] = true
	p.ev.processRows++
	return scan.Parsed
}

// pidlessRow reads a row of a process list without a PID column: kept
// until the end, when the rows of images shown once are read
// (proctable.Pidless).
func (p *reader) pidlessRow(name []byte, cells [][]byte) scan.LineKind {
	count, ok := proctable.ParseCount(string(p.cols.Cell(cells, proctable.Handles)))
	if len(name) == 0 || !ok {
		return scan.Unrecognized
	}
	p.pidless.Note(proctable.Record{Image: string(name), Handles: &count, Line: p.lineNo})
	p.ev.processRows++
	return scan.Parsed
}

// headingRE matches the heading above the handle pane's list,
// "Process: NAME Pid: N", or "Process: NAME (N)" as users retype it.
// Compiled when first used, not at every start of leakdiag.
var headingRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^process:\s*(.+?)\s*(?:,?\s+pid:\s*([0-9]+)|\(\s*(?:pid\s*)?([0-9]+)\s*\))$`)
})

// heading reads the heading naming the process of the handle pane.
func (p *reader) heading(line []byte) bool {
	if !scan.HasPrefixFold(line, "process:") {
		return false
	}
	m := headingRE().FindSubmatch(line)
	if m == nil {
		return false
	}
	digits := m[2]
	if len(digits) == 0 {
		digits = m[3]
	}
	pid, err := strconv.ParseUint(string(digits), 10, 32)
	if err != nil {
		return false
	}
	p.owner = p.b.ProcessByPID(pid, p.pos())
	p.owner.SetImage(string(bytes.TrimSpace(m[1])), p.pos())
	p.table = noTable
	p.orphaned = false
	p.ev.heading++
	return true
}
