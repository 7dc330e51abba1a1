package procexp

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// handleRow reads a row of the handle pane, or of Find results.
func (p *reader) handleRow(cells [][]byte, tabbed bool) scan.LineKind {
	if why := p.cols.Misfit(len(cells), tabbed); why != "" {
		p.log.Diag(p.lineNo, facts.SevWarning, CodeCells, "%s", why)
		return scan.Unrecognized
	}
	typ := p.cols.Cell(cells, proctable.HandleType)
	if len(typ) == 0 || len(typ) > 64 {
		return scan.Unrecognized
	}
	pb := p.owner
	if p.cols.Has(proctable.PID) {
		pid, ok := proctable.ParseCount(p.cols.Cell(cells, proctable.PID))
		if !ok {
			return scan.Unrecognized
		}
		pb = p.b.ProcessByPID(uint64(pid), p.pos())
		pb.SetImage(string(p.cols.Cell(cells, proctable.Image)), p.pos())
	}
	if pb == nil {
		pb = p.b.Orphans(p.pos())
		if !p.orphaned {
			p.orphaned = true
			p.log.Diag(p.lineNo, facts.SevWarning, facts.CodeNoProcess,
				"handles listed without the heading that names their process (\"Process: NAME Pid: N\"): kept under no process")
		}
	}
	h := facts.Handle{Type: p.types.Get(typ), Naming: facts.Unnamed, Pos: p.pos()}
	if name := p.cols.Cell(cells, proctable.ObjectName); len(name) > 0 {
		h.Naming, h.Name = facts.Named, p.names.Get(name)
	}
	value, ok := uint64(0), false
	if cell := p.cols.Cell(cells, proctable.HandleValue); len(cell) > 0 {
		value, ok = scan.ParseNumber(string(cell))
		if !ok || value >= syntheticBase {
			p.log.Diag(p.lineNo, facts.SevWarning, facts.CodeMissing,
				"handle value %s is not a hex number: counted as a handle of its own", scan.QuoteLine(cell))
			ok = false
		}
	}
	if !ok {
		p.synthetic++
		value = syntheticBase + p.synthetic<<2 // the low two bits of a value are tag bits
	}
	h.Value = value
	if pb.AddHandle(&h) == facts.AddedDuplicate {
		p.log.Diag(p.lineNo, facts.SevInfo, facts.CodeDuplicate,
			"handle 0x%x of pid %d shown again; counted once", value, pb.P.PID)
	}
	p.handles++
	if !p.cols.Has(proctable.PID) {
		if p.paneHandles == 0 {
			p.paneLine = p.lineNo
		}
		p.paneHandles++
		if h.Naming == facts.Unnamed {
			p.paneUnnamed++
		}
	}
	p.ev.handleRows++
	return scan.Parsed
}
