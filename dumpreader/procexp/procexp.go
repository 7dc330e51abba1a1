package procexp

import (
	"bytes"
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: Process Explorer's saved text.
const Name = "procexp"

// Diagnostic codes of the Process Explorer reader, besides the
// facts.Code* ones.
const (
	// CodeCells: a row holds more cells than its table's heading names.
	CodeCells = "cell-count"
	// CodeDLLView: the lower pane showed DLLs, which leakdiag does not
	// read.
	CodeDLLView = "dll-view"
)

// tableKind is the table whose rows the reader is in.
type tableKind uint8

const (
	noTable      tableKind = iota
	processTable           // the process list
	handleTable            // the lower pane's handles, or Find results
	dllTable               // the lower pane's DLLs
)

// reader reads one saved file. Rows are read by the columns of the
// latest heading; the state between lines is that heading and the
// process the handle pane shows.
type reader struct {
	b      *facts.Builder
	log    *facts.SourceLog
	lineNo int64
	clean  scan.Cleaner
	cells  [][]byte
	md     []byte // a markdown row's cells joined by tabs
	// rows makes the handles of handle tables' rows.
	rows proctable.HandleRows

	table tableKind
	cols  proctable.Columns
	// owner is the process of the handle pane, from its heading; nil
	// before one.
	owner *facts.ProcessBuilder
	// orphaned says the handles without a heading were reported.
	orphaned bool
	handles  int64
	// paneHandles and paneUnnamed count the handle pane's handles and
	// those without a name, from paneLine on.
	paneHandles, paneUnnamed, paneLine int64
	// found is set when a Find result (handles of any process) is read.
	found     bool
	foundLine int64
	dll       bool
	// pidless keeps the rows of a process list without a PID column,
	// withPID the images of the rows with one.
	pidless proctable.Pidless
	withPID map[string]bool

	ev evidence
}

func newReader(b *facts.Builder, log *facts.SourceLog) *reader {
	return &reader{b: b, log: log}
}

// Read reads Process Explorer's saved text from r, UTF-8 text (the caller
// decodes UTF-16), into b, accounting for every line in log.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	return newReader(b, log).read(r)
}

func (p *reader) read(r io.Reader) error {
	err := proctable.ReadRows(r, p.log, &p.lineNo, &p.clean, p.readLine, func() bool { return p.table != noTable })
	p.finish()
	return err
}

func (p *reader) pos() facts.Position {
	return facts.Position{Path: p.log.Path, Line: p.lineNo}
}

// readLine accounts for one raw line.
func (p *reader) readLine(raw []byte) scan.LineKind {
	switch md, kind := proctable.MarkdownRow(raw, p.md); kind {
	case proctable.MDRule:
		if p.table != noTable {
			return scan.Parsed // the rule under a table's header
		}
	case proctable.MDCells:
		p.md, raw = md, md
	}
	line := p.clean.Clean(raw)
	if kind, ok := proctable.Noise(line, p.log, p.lineNo); ok {
		return kind
	}
	if p.heading(line) {
		return scan.Parsed
	}
	// The cleaner trimmed the line's ends; the cells keep the tabs
	// between them.
	cells, tabbed := proctable.SplitCells(line, p.cells)
	p.cells = cells
	// A row whose only tabs were at its ends, trimmed, is still a row
	// of tabs: its empty cells at the end were dropped.
	tabbed = tabbed || bytes.IndexByte(raw, '\t') >= 0
	if kind, ok := p.header(cells, tabbed); ok {
		return kind
	}
	switch p.table {
	case processTable:
		return p.processRow(cells, tabbed)
	case handleTable:
		return p.handleRow(cells, tabbed)
	case dllTable:
		return scan.Ignored
	}
	return scan.Unrecognized
}

// finish reports what only the whole file shows, and what it lacks.
func (p *reader) finish() {
	p.pidless.Finish(p.b, p.log, p.withPID)
	if p.found {
		p.log.Diag(p.foundLine, facts.SevInfo, scan.CodePartial,
			"Find results: only the handles whose names match the search are shown")
	}
	if p.paneHandles > 0 && p.paneUnnamed == 0 {
		p.log.Diag(p.paneLine, facts.SevInfo, scan.CodePartial,
			"the handle pane lists named handles only, as Process Explorer shows them unless View > Show Unnamed Handles and Mappings is checked: the counts by type may leave unnamed handles out")
	}
	if p.handles == 0 {
		p.log.Lacks = append(p.log.Lacks, facts.LacksTypes, facts.LacksNames)
	}
	p.log.Lacks = append(p.log.Lacks, facts.LacksStacks)
}
