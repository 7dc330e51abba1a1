package eventlog

import (
	"bytes"
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: the System event log as pasted.
const Name = "eventlog"

// The events read, by ID.
const (
	// idNonPaged is event 2019: nonpaged pool was empty.
	idNonPaged = 2019
	// idPaged is event 2020: paged pool was empty.
	idPaged = 2020
)

// Where a line is, between lines.
type mode uint8

const (
	// outside any table or record the reader knows.
	outside mode = iota
	// inTable: under a table's header.
	inTable
	// inRecord: among a record's "Key: value" lines.
	inRecord
	// inText: under a record's "Description:" or "Event Xml:", whose
	// lines are the event's text, until the next record.
	inText
)

// reader reads a pasted event log one line at a time.
type reader struct {
	b      *facts.Builder
	log    *facts.SourceLog
	lineNo int64
	clean  scan.Cleaner
	toks   [][]byte

	mode  mode
	table tableKind
	// viewer is the columns of Event Viewer's list under its header;
	// inQuote: a row's message is quoted over the lines that follow.
	viewer  viewerCols
	inQuote bool
	// provider is the latest "ProviderName: X" heading of Get-WinEvent's
	// table, "" before one.
	provider string
	rec      record
	// gap says a blank line followed the open record's fields: the
	// next line ends the record, unless it is a field the record lacks
	// (an event quoted with a blank line between its fields).
	gap bool
	// seen counts what Sniff weighs.
	seen evidence
}

// evidence counts what no other tool's output holds.
type evidence struct {
	// rows are rows read under a table header of the event cmdlets.
	rows int
	// records are records with an event ID, a time and a source or
	// level.
	records int
}

// decisive reports whether the lines read so far make text an event log.
func (e *evidence) decisive() bool { return e.rows > 0 || e.records > 0 }

func newReader(b *facts.Builder, log *facts.SourceLog) *reader {
	return &reader{b: b, log: log}
}

// Read reads a pasted System event log from r, UTF-8 text, into b,
// accounting every line in log.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	e := newReader(b, log)
	_, _, err := scan.ReadLines(r, log, &e.lineNo, &e.clean, e.readLine)
	e.endRecord()
	return err
}

// Sniff reports whether text, the head of a capture decoded to UTF-8, is
// a pasted event log: a row under a header of Get-WinEvent's or
// Get-EventLog's table, or a record with an event ID, a time and a
// source or level.
func Sniff(text []byte) bool {
	e := newReader(facts.NewBuilder(), facts.NewSourceLog("", Name))
	return scan.Sniff(text, func(line []byte) bool {
		e.lineNo++
		e.readLine(line)
		return e.seen.decisive()
	})
}

func (e *reader) pos() facts.Position { return facts.Position{Path: e.log.Path, Line: e.lineNo} }

// readLine accounts for one line.
func (e *reader) readLine(raw []byte) scan.LineKind {
	line := scan.TrimSpace(e.clean.Clean(raw))
	if len(line) == 0 {
		if e.mode == inRecord && len(e.rec.has) > 0 {
			// Format-List parts records by a blank line, which ends the
			// record but where a field it lacks follows (gapJoins); a
			// heading's record waits for its fields.
			e.gap = true
		}
		return scan.Ignored
	}
	if e.gap {
		e.gap = false
		if !e.gapJoins(line) {
			e.endRecord()
		}
	}
	if isCommand(line) || scan.IsElision(line) || scan.IsSeparator(line) {
		return scan.Ignored
	}
	if scan.HasPrefixFold(line, "ProviderName: ") {
		// Get-WinEvent's heading over each source's table; Format-List
		// aligns its colons, "ProviderName : Srv".
		e.endRecord()
		e.provider = string(scan.TrimSpace(line[len("ProviderName: "):]))
		if len(e.provider) > 256 {
			e.provider = e.provider[:256]
		}
		return scan.Ignored
	}
	if e.mode == inTable && e.table == viewerTable && e.inQuote {
		// A line of a message quoted over several lines, whatever it
		// holds ("User: N/A").
		e.inQuote = bytes.Count(line, []byte{'"'})%2 == 0
		return scan.Ignored
	}
	if v, p, ok := oneLineEvent(line); ok {
		// Before splitKey: "Event ID: 2019 - The server ..." is no field.
		e.openOneLineEvent(v, p)
		return scan.Parsed
	}
	if key, value, ok := splitKey(line); ok {
		return e.field(key, value)
	}
	if v, ok := heading(line); ok {
		e.openHeading(v)
		return scan.Ignored
	}
	if k, ok := e.tableLine(line); ok {
		// Rows only under a header, which may follow an event's text.
		return k
	}
	if e.mode == inText {
		return e.text(line)
	}
	if pool, ok := poolMessage(line); ok {
		if e.mode == inRecord {
			// A Format-List message wrapped onto its next line.
			e.rec.pool = pool
			e.weigh()
			return scan.Parsed
		}
		// The message on its own: Event Viewer's General tab prints it
		// over the event's fields, so it opens a record they may join;
		// without them it is an event without a time.
		e.pendingMessage(pool)
		return scan.Parsed
	}
	if e.mode != outside && isDataLine(line) {
		// The event's data, under its "Data:".
		return scan.Ignored
	}
	if e.mode != outside && (raw[0] == ' ' || raw[0] == '\t' || line[0] == '<') {
		// A value wrapped onto indented lines, or an event's XML.
		return scan.Ignored
	}
	return scan.Unrecognized
}

// gapJoins reports whether line, after a blank line that followed the
// open record's fields, goes on with the record: a field of it not yet
// given. Articles quote an event before Vista with a blank line between
// its fields ("Event Type: Error", "", "Event Source: Srv", "", "Event
// ID: 2020", "", "Description:"); Format-List's records each begin with
// a field the one before had, and so are still apart.
func (e *reader) gapJoins(line []byte) bool {
	if e.mode != inRecord {
		return false
	}
	if _, _, ok := oneLineEvent(line); ok {
		return false
	}
	key, _, ok := splitKey(line)
	return ok && key != "event[]" && key != "log name" && !e.rec.has[key]
}

// text accounts for a line of an event's description or XML.
func (e *reader) text(line []byte) scan.LineKind {
	if pool, ok := poolMessage(line); ok {
		if e.rec.pool != unknownPool && len(e.rec.has) == 0 {
			// Messages one after another, no field between them: an
			// event each.
			e.pendingMessage(pool)
			return scan.Parsed
		}
		e.rec.pool = pool
		e.weigh()
		return scan.Parsed
	}
	return scan.Ignored
}

// pendingMessage opens a record of the message of pool running out read
// on its own line, for the fields that may follow it.
func (e *reader) pendingMessage(p pool) {
	e.endRecord()
	e.startRecord()
	e.rec.pool = p
	e.mode = inText
}

// isCommand tells the commands that print the shapes read, with a
// PowerShell or cmd prompt before them or not.
func isCommand(line []byte) bool {
	if len(line) > 512 {
		return false
	}
	return scan.ContainsFold(line, "Get-WinEvent") || scan.ContainsFold(line, "Get-EventLog") ||
		scan.ContainsFold(line, "wevtutil") || scan.IsBareShellPrompt(line)
}
