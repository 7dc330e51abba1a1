package eventlog

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// tableKind is which cmdlet's table is being read.
type tableKind uint8

const (
	noTable tableKind = iota
	// winEventTable is Get-WinEvent's: TimeCreated, Id, LevelDisplayName,
	// Message, under a "ProviderName: X" heading per source.
	winEventTable
	// eventLogTable is Get-EventLog's: Index, Time, EntryType, Source,
	// InstanceID, Message.
	eventLogTable
	// viewerTable is Event Viewer's list saved or copied: Level, Date and
	// Time, Source, Event ID, Task Category, split by commas or tabs.
	viewerTable
)

// columns are the columns of the cmdlets' tables, lowercased, with the
// table each belongs to (noTable: either).
var columns = map[string]tableKind{
	"timecreated": winEventTable, "id": winEventTable, "leveldisplayname": winEventTable,
	"providername": winEventTable, "logname": winEventTable, "machinename": winEventTable,
	"recordid": winEventTable, "level": winEventTable, "taskdisplayname": winEventTable,
	"index": eventLogTable, "time": eventLogTable, "entrytype": eventLogTable,
	"instanceid": eventLogTable, "source": eventLogTable, "eventid": eventLogTable,
	"message": noTable,
}

// entryTypes are Get-EventLog's entry types (EventLogEntryType); an
// entry of a source without types shows 0.
var entryTypes = map[string]bool{
	"error": true, "warning": true, "information": true, "failureaudit": true, "successaudit": true, "0": true,
}

// tableLine reads a line as a table's header, a "ProviderName: X"
// heading or a row under a header.
func (e *reader) tableLine(line []byte) (scan.LineKind, bool) {
	if len(line) > 4096 {
		return 0, false
	}
	if c, ok := viewerHeader(line); ok {
		e.endRecord()
		e.mode, e.table, e.viewer, e.inQuote = inTable, viewerTable, c, false
		return scan.Ignored, true
	}
	if e.mode == inTable && e.table == viewerTable {
		return e.viewerLine(line), true
	}
	e.toks = scan.Fields(line, e.toks[:0])
	if k := headerKind(e.toks); k != noTable {
		e.endRecord()
		e.mode, e.table = inTable, k
		return scan.Ignored, true
	}
	if e.mode != inTable {
		return 0, false
	}
	if isDashes(line) {
		return scan.Ignored, true
	}
	var (
		idTok, when, source []byte
		ok                  bool
	)
	switch e.table {
	case winEventTable:
		idTok, when, ok = winEventRow(e.toks)
		source = []byte(e.provider)
	case eventLogTable:
		idTok, when, source, ok = eventLogRow(e.toks)
	}
	if !ok {
		return 0, false
	}
	v, ok := scan.ParseDec(idTok)
	if !ok || v < 0 {
		return 0, false
	}
	e.seen.rows++
	msg, _ := poolMessage(line)
	if e.addEvent(eventID(v), true, string(source), msg, string(when), e.lineNo) {
		return scan.Parsed, true
	}
	return scan.Ignored, true
}

// viewerLine reads a line under Event Viewer's list header: a row, or
// the next line of a message quoted over several lines.
func (e *reader) viewerLine(line []byte) scan.LineKind {
	id, when, source, ok := e.viewer.row(line)
	if !ok {
		return scan.Ignored
	}
	e.inQuote = bytes.Count(line, []byte{'"'})%2 == 1
	e.seen.rows++
	msg, _ := poolMessage(line)
	if e.addEvent(eventID(id), true, source, msg, when, e.lineNo) {
		return scan.Parsed
	}
	return scan.Ignored
}

// headerKind tells a header of Get-WinEvent's or Get-EventLog's table:
// every column one of theirs, with the ID and time columns of one.
func headerKind(toks [][]byte) tableKind {
	if len(toks) < 3 || len(toks) > len(columns) {
		return noTable
	}
	has := map[string]bool{}
	for _, t := range toks {
		c := strings.ToLower(string(t))
		if _, ok := columns[c]; !ok {
			return noTable
		}
		has[c] = true
	}
	switch {
	case has["timecreated"] && has["id"]:
		return winEventTable
	case has["time"] && has["instanceid"] && has["entrytype"]:
		return eventLogTable
	}
	return noTable
}

// winEventRow splits a row of Get-WinEvent's table: the time, its words
// none of digits alone ("12/7/2026 2:13:05 PM"), then the ID, the first
// word of digits alone.
func winEventRow(toks [][]byte) (id, when []byte, ok bool) {
	for i := 1; i < len(toks); i++ {
		if scan.AllDigits(toks[i]) {
			if !bytes.ContainsAny(toks[0], "0123456789") {
				return nil, nil, false
			}
			return toks[i], join(toks[:i]), true
		}
	}
	return nil, nil, false
}

// eventLogRow splits a row of Get-EventLog's table: the index, the time
// ("Dec 07 14:13"), the entry type, the source (perhaps of several
// words, cut with "..."), then the InstanceID, the first word of digits
// alone after it.
func eventLogRow(toks [][]byte) (id, when, source []byte, ok bool) {
	if len(toks) < 5 || !scan.AllDigits(toks[0]) {
		return nil, nil, nil, false
	}
	for k := 2; k < len(toks)-2; k++ {
		if !entryTypes[strings.ToLower(string(toks[k]))] {
			continue
		}
		for j := k + 2; j < len(toks); j++ {
			if scan.AllDigits(toks[j]) {
				return toks[j], join(toks[1:k]), join(toks[k+1 : j]), true
			}
		}
		return nil, nil, nil, false
	}
	return nil, nil, nil, false
}

// join joins words with a blank.
func join(toks [][]byte) []byte {
	return bytes.Join(toks, []byte(" "))
}

// isDashes tells the line of dashes under a table's header.
func isDashes(line []byte) bool {
	for _, c := range line {
		if c != '-' && c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}
