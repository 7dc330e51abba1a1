package eventlog

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// Posts and articles name the event and quote its message on one line:
//
//	Event 2019: The server was unable to allocate from the system nonpaged pool because the pool was empty.
//	Event ID 2020 - The server was unable to allocate from the system paged pool because the pool was empty.
//	Event ID: 2019 (Srv) The server was unable to allocate ...
//
// Such a line is an event 2019 or 2020 of Srv, whose message names it,
// without a time.

// maxOneLineGap bounds what may stand between the ID and the message:
// punctuation, blanks and the source's name.
const maxOneLineGap = 24

// oneLineEvent reads a line "Event [ID][:] N <sep> message" of event
// 2019 or 2020 with the message of pool running out; it gives the ID and
// the pool the message names.
func oneLineEvent(line []byte) (int64, pool, bool) {
	if !scan.HasPrefixFold(line, "event") || len(line) > maxMessageLine {
		return 0, unknownPool, false
	}
	rest := line[len("event"):]
	rest = bytes.TrimLeft(rest, " ")
	if scan.HasPrefixFold(rest, "id") {
		rest = rest[len("id"):]
	}
	rest = bytes.TrimLeft(rest, " :#")
	n := 0
	for n < len(rest) && n < 6 && scan.IsDigit(rest[n]) {
		n++
	}
	if n == 0 || n == len(rest) || scan.IsDigit(rest[n]) {
		return 0, unknownPool, false
	}
	v, _ := scan.ParseDec(rest[:n])
	if poolOf(v) == unknownPool {
		return 0, unknownPool, false
	}
	rest = rest[n:]
	head := bytes.Index(bytes.ToLower(rest), []byte("the server "))
	if head < 0 || head > maxOneLineGap || !onlySeparators(rest[:head]) {
		return 0, unknownPool, false
	}
	p, ok := poolMessage(rest[head:])
	if !ok {
		return 0, unknownPool, false
	}
	return v, p, true
}

// onlySeparators reports whether gap, between an event's ID and its
// message, holds only punctuation, blanks and the source's name ("Srv").
func onlySeparators(gap []byte) bool {
	gap = bytes.ReplaceAll(bytes.ToLower(gap), []byte("srv"), nil)
	gap = bytes.ReplaceAll(gap, []byte("\u2013"), nil) // en dash
	gap = bytes.ReplaceAll(gap, []byte("\u2014"), nil) // em dash
	for _, c := range gap {
		switch c {
		case ' ', '\t', ':', '-', ',', '.', '(', ')', '[', ']', '"', '\'':
		default:
			return false
		}
	}
	return true
}

// openOneLineEvent reads an event oneLineEvent found: a record of its ID
// and message, of the source Srv the message implies, and no time, which
// fields on the lines after it may join as they join a heading's.
func (e *reader) openOneLineEvent(v int64, p pool) {
	e.pendingMessage(p)
	e.rec.id, e.rec.hasID = v, true
	e.rec.source = "Srv"
	e.weigh()
}
