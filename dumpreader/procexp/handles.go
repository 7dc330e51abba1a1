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
	h := p.rows.Handle(p.log, p.pos(), typ, p.cols.Cell(cells, proctable.ObjectName), p.cols.Cell(cells, proctable.HandleValue))
	if pb.AddHandle(&h) == facts.AddedDuplicate {
		p.log.Diag(p.lineNo, facts.SevInfo, facts.CodeDuplicate,
			"handle 0x%x of pid %d shown again; counted once", h.Value, pb.P.PID)
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
