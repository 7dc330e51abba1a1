package osquery

import (
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: osquery's processes table.
const Name = "osquery"

// Diagnostic codes of the osquery reader, besides the facts.Code* ones.
const (
	// CodeCells: a row holds another number of cells than its header.
	CodeCells = "cell-count"
	// CodeNoPID: a table without a pid column, whose rows name no
	// process leakdiag can tell apart.
	CodeNoPID = "no-pid-column"
	// CodeJSON: a JSON object that does not decode.
	CodeJSON = "bad-json"
)

// mode is the output mode of osqueryi whose lines the reader is in.
type mode uint8

const (
	modeNone mode = iota
	modeBox       // the default: a table in +---+ borders
	modeList      // --csv, --list: "a|b|c" header and rows
	modeJSON      // --json: inside the array
	modeLine      // --line: "column = value" lines
)

// reader reads one capture of osqueryi output.
type reader struct {
	b      *facts.Builder
	log    *facts.SourceLog
	lineNo int64
	clean  scan.Cleaner

	mode mode
	// columns are the names of the current table's columns, border the
	// latest box border (its '+' positions cut rows whose cells hold a
	// '|'), sep the --csv/--list separator.
	columns []string
	border  []int
	// borders counts the borders since the header: the second closes
	// the table.
	borders int
	sep     byte
	cells   []string
	// parts is the scratch of the cells, cut before they are strings.
	parts [][]byte
	// record collects a --line row, a pretty-printed JSON object the
	// lines of it (obj, from objLine).
	record  map[string]string
	recLine int64
	obj     []byte
	objLine int64
	noPID   bool
	rows    int64

	ev evidence
}

// objectLimit bounds the text of one pretty-printed JSON object.
const objectLimit = 1 << 20

func newReader(b *facts.Builder, log *facts.SourceLog) *reader {
	return &reader{b: b, log: log}
}

// Read reads osqueryi's output from r, UTF-8 text (the caller decodes
// UTF-16), into b, accounting for every line in log.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	return newReader(b, log).read(r)
}

func (q *reader) read(r io.Reader) error {
	_, _, err := scan.ReadLines(r, q.log, &q.lineNo, &q.clean, q.readLine)
	q.endRecord()
	if q.obj != nil {
		q.log.Diag(q.objLine, facts.SevWarning, facts.CodeTruncated,
			"the capture ends inside a JSON object: its row is not read")
	}
	q.log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	return err
}

func (q *reader) pos(line int64) facts.Position {
	return facts.Position{Path: q.log.Path, Line: line}
}

// readLine accounts for one raw line.
func (q *reader) readLine(raw []byte) scan.LineKind {
	line := q.clean.Clean(raw)
	if q.obj != nil {
		return q.objectLine(line)
	}
	if len(line) == 0 {
		q.endRecord()
		if q.mode == modeList {
			q.mode = modeNone
		}
		return scan.Ignored
	}
	if q.prompt(line) {
		q.endRecord()
		q.mode = modeNone
		return scan.Parsed
	}
	if kind, ok := proctable.Noise(line, q.log, q.lineNo); ok {
		return kind
	}
	switch line[0] {
	case '+':
		if kind, ok := q.borderLine(line); ok {
			return kind
		}
	case '|':
		if kind, ok := q.boxLine(line); ok {
			return kind
		}
	case '[', ']', '{', '}':
		if kind, ok := q.jsonLine(line); ok {
			return kind
		}
	}
	if kind, ok := q.lineModeLine(line); ok {
		return kind
	}
	if kind, ok := q.listLine(line); ok {
		return kind
	}
	return scan.Unrecognized
}

// prompt recognizes the osquery> prompt, with the query or a dot command
// after it, the "...>" of a query's continuation lines, and a shell
// command that runs osqueryi (command.go).
func (q *reader) prompt(line []byte) bool {
	switch {
	case scan.HasPrefix(line, "osquery>"), isOsqueryCommand(line):
		q.ev.prompt++
		return true
	case scan.HasPrefix(line, "...>") && q.ev.prompt > 0:
		return true
	}
	return false
}
