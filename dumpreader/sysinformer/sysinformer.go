package sysinformer

import (
	"bytes"
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: System Informer / Process Hacker copies.
const Name = "sysinformer"

// Diagnostic codes of the System Informer reader, besides the facts.Code*
// ones.
const (
	// CodeCells: a row holds more cells than its table's heading names.
	CodeCells = "cell-count"
	// CodeStatistic: a statistic's value is not what its name says
	// ("Handles, many").
	CodeStatistic = "statistic-value"
)

// tableKind is the table whose rows the reader is in.
type tableKind uint8

const (
	noTable     tableKind = iota
	treeTable             // the main window's process tree
	handleTable           // a process's Handles tab
)

// reader reads one capture of System Informer copies.
type reader struct {
	b      *facts.Builder
	log    *facts.SourceLog
	lineNo int64
	clean  scan.Cleaner
	cells  [][]byte
	// rows makes the handles of handle tables' rows.
	rows proctable.HandleRows

	table tableKind
	cols  proctable.Columns
	// subject is the process of the properties window the Statistics and
	// Handles copies come from, nil before one is read.
	subject *facts.ProcessBuilder
	// handles counts the handles read, stats the statistics.
	handles int64
	stats   int64

	ev evidence
}

func newReader(b *facts.Builder, log *facts.SourceLog) *reader {
	return &reader{b: b, log: log}
}

// Read reads System Informer / Process Hacker copies from r, UTF-8 text
// (the caller decodes UTF-16), into b, accounting for every line in log.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	return newReader(b, log).read(r)
}

func (s *reader) read(r io.Reader) error {
	err := proctable.ReadRows(r, s.log, &s.lineNo, &s.clean, s.readLine, func() bool { return s.table != noTable })
	s.finish()
	return err
}

func (s *reader) pos() facts.Position {
	return facts.Position{Path: s.log.Path, Line: s.lineNo}
}

// process returns the process of the properties window, creating it.
func (s *reader) process() *facts.ProcessBuilder {
	if s.subject == nil {
		s.subject = s.b.Debuggee(s.pos())
	}
	return s.subject
}

// readLine accounts for one raw line.
func (s *reader) readLine(raw []byte) scan.LineKind {
	line := s.clean.Clean(raw)
	if kind, ok := proctable.Noise(line, s.log, s.lineNo); ok {
		return kind
	}
	if s.title(line) || s.banner(line) {
		return scan.Parsed
	}
	if isGroup(line) {
		s.table = noTable
		s.ev.groups++
		return scan.Parsed
	}
	if kind, ok := s.statistic(line); ok {
		return kind
	}
	cells, tabbed := proctable.SplitCells(line, s.cells)
	s.cells = cells
	// A row whose only tabs were at its ends, trimmed, is still a row
	// of tabs: its empty cells at the end were dropped.
	tabbed = tabbed || bytes.IndexByte(raw, '\t') >= 0
	if kind, ok := s.header(cells, tabbed); ok {
		return kind
	}
	switch s.table {
	case treeTable:
		return s.treeRow(cells, tabbed)
	case handleTable:
		return s.handleRow(cells, tabbed, true)
	}
	if tabbed {
		return s.handleRow(cells, tabbed, false)
	}
	return scan.Unrecognized
}

// finish reports what only the whole capture shows, and what it lacks.
func (s *reader) finish() {
	if s.handles == 0 {
		s.log.Lacks = append(s.log.Lacks, facts.LacksTypes, facts.LacksNames)
	}
	s.log.Lacks = append(s.log.Lacks, facts.LacksStacks)
}
