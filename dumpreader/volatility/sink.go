package volatility

import (
	"strconv"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// addProc adds the process a row of a process list shows. list says the
// row is of the active process list (pslist, pstree), where an exit
// time marks a process kept alive, and its offset the address handles
// to the process name.
//
// A capture often holds several plugins' tables (pslist, then pstree,
// then psscan): a pid shown again with the same creation time is the
// same process, updated; with another, it is reported and the first
// kept.
func (v *reader) addProc(r record, list bool) {
	pos := v.pos(r.line)
	p := v.procs[r.pid]
	if p == nil {
		if len(v.procs) >= procLimit {
			if !v.capped {
				v.capped = true
				v.log.Diag(r.line, facts.SevWarning, facts.CodeCapped, "more than %d processes: the rest are not read", procLimit)
			}
			return
		}
		p = &proc{pb: v.b.ProcessByPID(r.pid, pos), line: r.line, created: r.created}
		v.procs[r.pid] = p
	} else {
		if r.created != "" && p.created != "" && r.created != p.created {
			if !p.conflict {
				p.conflict = true
				v.log.Diag(r.line, facts.SevWarning, scan.CodePIDImage,
					"pid %d is shown here created %s and at line %d created %s (psscan finds processes long gone whose pid was reused since): read as the process first shown",
					r.pid, r.created, p.line, p.created)
			}
			return
		}
		v.again.add(r.line)
		p.pb = v.b.ProcessByPID(r.pid, pos)
	}
	pb := p.pb
	if r.image != "" {
		pb.SetImage(r.image, pos)
	}
	pb.P.PPID = r.ppid
	if r.handles != nil {
		pb.P.HandleCount = r.handles
	}
	if r.session != nil {
		pb.P.Session = r.session
	}
	if r.threads != nil {
		pb.ReportThreadCount(*r.threads)
	}
	if len(r.cmdline) > 0 && pb.P.Cmdline == "" {
		pb.P.Cmdline = string(r.cmdline)
	}
	if len(r.path) > 0 && pb.P.Path == "" {
		pb.P.Path = string(r.path)
	}
	if pb.P.CreateTime == "" {
		pb.P.CreateTime = r.created
		p.created = r.created
	}
	if list && r.hasOffset && v.table.virtual && pb.P.Address == "" {
		pb.P.Address = strconv.FormatUint(r.offset, 16)
	}
	if list && r.exited {
		pb.P.Exited = true
		if pb.P.HandleCount == nil {
			// Its handle table went when it exited: pslist prints dashes
			// (N/A) for the table it no longer has, as kd prints
			// ObjectTable 00000000, HandleCount 0. Not a count missing.
			zero := int64(0)
			pb.P.HandleCount = &zero
		}
	}
}

// addHandle adds the handle a row of a handle listing shows to the
// process of its pid.
func (v *reader) addHandle(r record) {
	pos := v.pos(r.line)
	pb := v.b.ProcessByPID(r.pid, pos)
	if r.image != "" {
		pb.SetImage(r.image, pos)
	}
	h := v.rows.Handle(v.log, pos, r.typ, r.name, r.value)
	if v.table.virtual {
		h.Object = r.object
	}
	pb.AddHandle(&h)
	v.handles++
}

// finish settles the last table and reports what only the whole
// capture shows.
func (v *reader) finish() {
	v.endTable()
	if v.handles > 0 {
		v.log.Lacks = []string{facts.LacksStacks}
	} else {
		v.log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	}
	if c := v.scanExited; c.n > 0 {
		v.log.Diag(c.line, facts.SevInfo, CodeScanExited,
			"%d process(es) psscan shows exited are not read: psscan finds the EPROCESS structures of processes long gone in freed memory, no evidence that anything keeps them alive (pslist or pstree shows the exited processes still linked, which are)",
			c.n)
	}
	if c := v.unknownExited; c.n > 0 {
		v.log.Diag(c.line, facts.SevWarning, CodeUnknownPlugin,
			"%d process(es) with an exit time are not read: the capture does not show which plugin printed this table, and Volatility 3's pslist (whose exited processes are kept alive) and psscan (whose may be long gone) print the same columns; paste the command line (windows.pslist) with the output to have them read",
			c.n)
	}
	if c := v.again; c.n > 0 {
		v.log.Diag(c.line, facts.SevInfo, facts.CodeDuplicate,
			"%d row(s) show a process shown before (several plugins' tables): each process is read once, with the counts of its latest row", c.n)
	}
}

// cell is the text of cell i of the latest tab-separated row, nil where
// i is -1, past the row's cells, or a mark of none ("-", "N/A").
func (v *reader) cell(i int) []byte {
	if i < 0 || i >= len(v.m.cells) {
		return nil
	}
	c := v.m.cells[i]
	if string(c) == "-" || string(c) == "N/A" {
		return nil
	}
	return c
}
