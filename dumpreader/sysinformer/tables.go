package sysinformer

import (
	"bytes"
	"regexp"
	"strconv"
	"sync"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// treeColumns are the headings of the process tree leakdiag reads (lower
// case); the others are read past.
var treeColumns = proctable.Vocab{
	"name": proctable.Image, "pid": proctable.PID, "parent pid": proctable.PPID,
	"handles": proctable.Handles, "file name": proctable.Path,
	"command line": proctable.Cmdline,
}

// handleColumns are the headings of a process's Handles tab.
var handleColumns = proctable.Vocab{
	"type": proctable.HandleType, "name": proctable.ObjectName, "handle": proctable.HandleValue,
}

// distinctiveColumns are headings (as printed, in their case) only System
// Informer's tables hold: it writes them in sentence case where Process
// Explorer and Task Manager write title case or other words.
var distinctiveColumns = map[string]bool{
	"Private bytes": true, "I/O total rate": true, "Peak private bytes": true, "GDI handles": true,
	"USER handles": true, "Peak handles": true, "Private WS": true, "Shareable WS": true,
	"Cycles delta": true, "I/O priority": true, "Page priority": true,
	"Granted access": true, "Granted access (symbolic)": true, "Original name": true,
	"File share access": true, "Object address": true,
}

// header reads a table's heading, ok false when cells are none.
func (s *reader) header(cells [][]byte, tabbed bool) (scan.LineKind, bool) {
	if len(cells) < 2 {
		return 0, false
	}
	var typ, name, pid, handle, distinctive bool
	for _, c := range cells {
		switch {
		case bytes.EqualFold(c, []byte("type")):
			typ = true
		case bytes.EqualFold(c, []byte("name")):
			name = true
		case bytes.EqualFold(c, []byte("pid")):
			pid = true
		case bytes.EqualFold(c, []byte("handle")):
			handle = true
		}
		if distinctiveColumns[string(c)] {
			distinctive = true
		}
	}
	switch {
	case typ && name && handle && !pid:
		s.cols = proctable.Lookup(cells, handleColumns)
		s.table = handleTable
	case name && pid:
		s.cols = proctable.Lookup(cells, treeColumns)
		s.table = treeTable
	default:
		return 0, false
	}
	if distinctive && tabbed {
		s.ev.header++
	}
	return scan.Parsed, true
}

// treeRow reads a row of the process tree.
func (s *reader) treeRow(cells [][]byte, tabbed bool) scan.LineKind {
	if why := s.cols.Misfit(len(cells), tabbed); why != "" {
		s.log.Diag(s.lineNo, facts.SevWarning, CodeCells, "%s", why)
		return scan.Unrecognized
	}
	name := s.cols.Cell(cells, proctable.Image)
	pid, ok := proctable.ParseCount(s.cols.Cell(cells, proctable.PID))
	if !ok || len(name) == 0 {
		if len(name) > 0 && (string(name) == "Interrupts" || string(name) == "DPCs") {
			return scan.Ignored // System Informer's pseudo-processes, with no pid
		}
		return scan.Unrecognized
	}
	pb := s.b.ProcessByPID(uint64(pid), s.pos())
	pb.SetImage(string(name), s.pos())
	s.cols.Fill(pb, cells, s.log, s.lineNo)
	s.ev.rows++
	return scan.Parsed
}

// handleRow reads a row of a Handles tab, under its heading or bare
// (Type, Name, Handle: the tab's default columns, as Ctrl+C copies the
// selected rows).
func (s *reader) handleRow(cells [][]byte, tabbed, headed bool) scan.LineKind {
	var typ, name, val []byte
	if headed {
		if why := s.cols.Misfit(len(cells), tabbed); why != "" {
			s.log.Diag(s.lineNo, facts.SevWarning, CodeCells, "%s", why)
			return scan.Unrecognized
		}
		typ = s.cols.Cell(cells, proctable.HandleType)
		name = s.cols.Cell(cells, proctable.ObjectName)
		val = s.cols.Cell(cells, proctable.HandleValue)
		s.ev.rows++
	} else {
		if len(cells) < 3 || !scan.HasPrefixFold(cells[2], "0x") || !isTypeName(cells[0]) {
			return scan.Unrecognized
		}
		typ, name, val = cells[0], cells[1], cells[2]
		s.ev.bareRows++
	}
	if !isTypeName(typ) {
		return scan.Unrecognized
	}
	h := s.rows.Handle(s.log, s.pos(), typ, name, val)
	pb := s.process()
	if pb.AddHandle(&h) == facts.AddedDuplicate {
		s.log.Diag(s.lineNo, facts.SevInfo, facts.CodeDuplicate, "handle 0x%x shown again; counted once", h.Value)
	}
	s.handles++
	return scan.Parsed
}

// isTypeName tells an object type's name: letters, digits and blanks,
// a letter first, as "ALPC Port" and "TpWorkerFactory".
func isTypeName(b []byte) bool {
	if len(b) == 0 || len(b) > 40 || !(b[0]|0x20 >= 'a' && b[0]|0x20 <= 'z') {
		return false
	}
	for _, c := range b {
		if !scan.IsAlnum(c) && c != ' ' {
			return false
		}
	}
	return true
}

// titleRE matches the title of a process's properties window, "NAME
// (PID) Properties", as a paste may keep it. Compiled when first used:
// its bounded repetition makes a program of hundreds of instructions,
// which every run's start-up paid.
var titleRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\S.{0,259}?) \(([0-9]{1,10})\) Properties$`)
})

// title reads the properties window's title, which names the process
// of the Statistics and Handles copies after it.
func (s *reader) title(line []byte) bool {
	if len(line) < 14 || string(line[len(line)-10:]) != "Properties" {
		return false
	}
	m := titleRE().FindSubmatch(line)
	if m == nil {
		return false
	}
	pid, err := strconv.ParseUint(string(m[2]), 10, 32)
	if err != nil {
		return false
	}
	pb := s.b.ProcessByPID(pid, s.pos())
	pb.SetImage(string(m[1]), s.pos())
	s.subject = pb
	s.table = noTable
	s.ev.title++
	return true
}

// banner recognizes the lines System Informer's and Process Hacker's
// File > Save writes above the process tree: the program's name and
// version ("Process Hacker 2.39.124") and the view's name ("Process
// tree").
func (s *reader) banner(line []byte) bool {
	for _, name := range []string{"Process Hacker ", "System Informer "} {
		if scan.HasPrefix(line, name) && len(line) > len(name) && scan.IsDigit(line[len(name)]) {
			s.ev.banner++
			return true
		}
	}
	return string(line) == "Process tree" && s.ev.banner > 0
}
