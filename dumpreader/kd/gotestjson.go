package kd

import (
	"bytes"
	"encoding/json"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A Go test suite that runs cdb (to analyze a crash dump its test left,
// to check a service for leaked handles) logs what cdb printed through
// t.Log, and `go test -json` (test2json) wraps every line of it in an
// event:
//
//	{"Time":"2026-04-02T16:13:07.19-04:00","Action":"output","Package":"contoso/e2e","Test":"TestDumps","Output":"        0:000\u003e !htrace -diff\n"}
//
// The line read is the event's Output, its JSON escapes undone; the
// suite's other events (run, pass, fail) carry no output and are
// ignored.

// goTestEvent is the part of a test2json event the reader uses.
type goTestEvent struct {
	Action string
	Output *string
}

// goTestLine reads a test2json event on line: its output without the
// line break (nil for an event without output) and true, or false when
// line is no such event. An output of several lines is not unwrapped,
// so that a line a reader cannot take apart is quoted, not lost.
func goTestLine(line []byte) ([]byte, bool) {
	if len(line) < len(`{"Action":""}`) || line[0] != '{' || line[len(line)-1] != '}' ||
		!bytes.HasPrefix(line, []byte(`{"Time":`)) && !bytes.HasPrefix(line, []byte(`{"Action":`)) {
		return nil, false
	}
	var ev goTestEvent
	if err := json.Unmarshal(line, &ev); err != nil || ev.Action == "" {
		return nil, false
	}
	if ev.Action != "output" || ev.Output == nil {
		return nil, true
	}
	out := bytes.TrimRight([]byte(*ev.Output), "\r\n")
	if bytes.IndexByte(out, '\n') >= 0 {
		return nil, false
	}
	return out, true
}

// goTestEvents counts the test2json events unwrapped, and the first.
type goTestEvents struct {
	lines, first int64
}

// unwrapGoTest returns the output a test2json event on raw carries, and
// whether raw was one; raw itself where it was not.
func (k *kdReader) unwrapGoTest(raw []byte) ([]byte, bool) {
	t := scan.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' {
		return raw, false
	}
	out, ok := goTestLine(t)
	if !ok {
		return raw, false
	}
	if k.goTest.lines == 0 {
		k.goTest.first = k.lineNo
	}
	k.goTest.lines++
	return out, true
}

// reportGoTest says once that test2json events were unwrapped.
func (k *kdReader) reportGoTest() {
	if k.goTest.lines > 0 {
		k.log.Diag(k.goTest.first, facts.SevInfo, facts.CodeRepaired,
			"`go test -json` events unwrapped before reading (each line read is an event's Output): %d line(s) were, this one first", k.goTest.lines)
	}
}

// IsGoTestEvent reports whether line (trimmed) is an event of `go test
// -json`, so that a log of them, which begins with "{", is offered to
// this reader rather than to the JSON formats alone.
func IsGoTestEvent(line []byte) bool {
	_, ok := goTestLine(line)
	return ok
}
