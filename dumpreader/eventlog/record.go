package eventlog

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// role is what a record's key gives.
type role uint8

const (
	other role = iota
	when
	id
	instanceID
	source
	message
	// text: the event's text follows on the next lines (wevtutil's and
	// Event Viewer's "Description:"; Event Viewer's "Event Xml:").
	text
	// level: the event's level or entry type.
	level
	// clock: the time of day of a record whose "Date:" holds only the
	// day (Event Viewer before Vista).
	clock
)

// keys are the keys of the records read, lowercased: Format-List of
// Get-WinEvent's and Get-EventLog's objects, wevtutil's /f:text and
// Event Viewer's copied details.
var keys = map[string]role{
	// Get-WinEvent | Format-List (and fl *).
	"timecreated": when, "providername": source, "id": id, "message": message,
	"leveldisplayname": level, "level": level, "logname": other, "machinename": other,
	"recordid": other, "processid": other, "threadid": other, "version": other, "qualifiers": other,
	"task": other, "opcode": other, "keywords": other, "providerid": other, "userid": other,
	"activityid": other, "relatedactivityid": other, "containerlog": other, "matchedqueryids": other,
	"bookmark": other, "opcodedisplayname": other, "taskdisplayname": other,
	"keywordsdisplaynames": other, "properties": other,
	// Get-EventLog | Format-List.
	"index": other, "entrytype": level, "instanceid": instanceID, "eventid": id, "category": other,
	"categorynumber": other, "replacementstrings": other, "source": source, "timegenerated": when,
	"timewritten": other, "username": other, "data": other, "site": other, "container": other,
	// wevtutil qe /f:text and Event Viewer.
	"log name": other, "date": when, "event id": id, "task category": other, "keyword": other,
	"user": other, "user name": other, "computer": other, "description": text, "event xml": text,
	// Event Viewer's General tab, its message over these.
	"logged": when, "more information": other,
	// Event Viewer's Event Properties before Vista (Windows 2000, XP,
	// Server 2003), whose copy button and Knowledge Base articles print
	// "Event Type:", "Event Source:", "Event Category:", "Time:".
	"event type": level, "event source": source, "event category": other, "time": clock, "type": level,
}

// record is the event whose "Key: value" lines are being read.
type record struct {
	// line is the record's first line, 0 when no record is open.
	line     int64
	has      map[string]bool
	id       int64
	hasID    bool
	source   string
	when     string
	hasLevel bool
	// counted: the record is in the evidence Sniff weighs.
	counted bool
	// pool is what the event's message says, unknownPool when it does
	// not name a pool.
	pool pool
}

// splitKey splits a "Key: value" or "Key     : value" line of a known
// key, or wevtutil's "Event[0]:"; Knowledge Base articles quoting an
// event write "Key - value" ("Event ID - 2020").
func splitKey(line []byte) (key string, value []byte, ok bool) {
	i := bytes.IndexByte(line, ':')
	if k, v, ok := splitDash(line, i); ok {
		return k, v, true
	}
	if i <= 0 || i > 40 {
		return "", nil, false
	}
	k := strings.ToLower(string(scan.TrimSpace(line[:i])))
	if strings.HasPrefix(k, "event[") && strings.HasSuffix(k, "]") && scan.AllDigits(k[6:len(k)-1]) {
		return "event[]", nil, true
	}
	if _, known := keys[k]; !known {
		return "", nil, false
	}
	return k, scan.TrimSpace(line[i+1:]), true
}

// splitDash splits a "Key - value" or "Key -" line of a known key whose
// dash comes before any colon (at colon, -1 for none).
func splitDash(line []byte, colon int) (key string, value []byte, ok bool) {
	d := bytes.Index(line, []byte(" -"))
	if d <= 0 || d > 40 || colon >= 0 && colon < d {
		return "", nil, false
	}
	rest := line[d+2:]
	if len(rest) > 0 && rest[0] != ' ' && rest[0] != '\t' {
		return "", nil, false
	}
	k := strings.ToLower(string(scan.TrimSpace(line[:d])))
	if _, known := keys[k]; !known {
		return "", nil, false
	}
	return k, scan.TrimSpace(rest), true
}

// field reads one "Key: value" line of a record.
func (e *reader) field(key string, value []byte) scan.LineKind {
	if key == "event[]" {
		e.endRecord()
		e.startRecord()
		return scan.Ignored
	}
	if e.mode != inRecord && e.mode != inText || e.rec.has[key] || key == "log name" && e.rec.line > 0 && len(e.rec.has) > 1 {
		// A key the record has already had starts the next record, as
		// does Event Viewer's and wevtutil's first key.
		e.endRecord()
		e.startRecord()
	}
	e.mode = inRecord
	if len(e.rec.has) < len(keys) {
		e.rec.has[key] = true
	}
	kind := scan.Ignored
	switch keys[key] {
	case when:
		if e.rec.when == "" {
			e.rec.when = string(value)
		}
	case id, instanceID:
		if v, ok := scan.ParseDec(value); ok && v >= 0 {
			e.rec.id, e.rec.hasID = eventID(v), true
			if poolOf(e.rec.id) != unknownPool {
				kind = scan.Parsed
			}
		}
	case clock:
		if e.rec.when != "" && bytes.IndexByte([]byte(e.rec.when), ':') < 0 && len(value) <= 32 {
			e.rec.when += " " + string(value)
		}
	case source:
		e.rec.source = string(value)
	case level:
		e.rec.hasLevel = true
	case message:
		if p, ok := poolMessage(value); ok {
			e.rec.pool = p
			kind = scan.Parsed
		}
	case text:
		e.mode = inText
		if p, ok := poolMessage(value); ok {
			e.rec.pool = p
			kind = scan.Parsed
		}
	}
	e.weigh()
	return kind
}

// weigh counts the open record in the evidence Sniff weighs once it has
// an event ID, a time and a source or level, or once it has the ID of
// 2019 or 2020 and the message of pool running out (a paste without a
// time, as Knowledge Base articles and forum posts quote the event).
func (e *reader) weigh() {
	r := &e.rec
	if r.counted || !r.hasID {
		return
	}
	timed := r.when != "" && (r.source != "" || r.hasLevel)
	quoted := poolOf(r.id) != unknownPool && r.pool != unknownPool
	if timed || quoted {
		r.counted = true
		e.seen.records++
	}
}

func (e *reader) startRecord() {
	e.rec = record{line: e.lineNo, has: map[string]bool{}}
	e.mode = inRecord
}

// endRecord adds the open record's event if it is 2019 or 2020 of Srv,
// and closes it.
func (e *reader) endRecord() {
	r := e.rec
	if r.line == 0 {
		return
	}
	e.rec = record{}
	if e.mode == inRecord || e.mode == inText {
		e.mode = outside
	}
	if len(r.has) == 0 && r.pool == unknownPool {
		// A heading with nothing under it names no event.
		return
	}
	e.addEvent(r.id, r.hasID, r.source, r.pool, r.when, r.line)
}

// addEvent adds an event to the snapshot if it is one of pool running
// out: an ID of 2019 or 2020 from Srv (or from a source not given), or
// the message that says so whatever the ID given.
func (e *reader) addEvent(id int64, hasID bool, source string, msg pool, when string, line int64) bool {
	p := msg
	if p == unknownPool {
		if !hasID || !strings.EqualFold(source, "srv") && source != "" {
			return false
		}
		p = poolOf(id)
	} else if hasID && poolOf(id) == unknownPool {
		// Another event quoting the message.
		return false
	}
	if p == unknownPool {
		return false
	}
	pos := e.pos()
	pos.Line = line
	at := parseWhen(when)
	if e.mode == inTable && e.table == viewerTable && e.viewer.dayFirst {
		at = parseWhenDayFirst(when)
	}
	e.b.AddPoolExhaustionEvent(p == paged, when, at, pos)
	return true
}
