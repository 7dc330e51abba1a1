package osquery

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// jsonLine reads a line of --json output: "[" and "]" around the rows,
// a row "{...}" (with a ',' after it) on a line of its own, or the first
// line of a pretty-printed row "{".
func (q *reader) jsonLine(line []byte) (scan.LineKind, bool) {
	switch {
	case string(line) == "[":
		q.mode = modeJSON
		return scan.Parsed, true
	case string(line) == "]" || string(line) == "[]":
		q.mode = modeNone
		return scan.Parsed, true
	case string(line) == "{":
		q.obj, q.objLine = append(q.obj[:0], '{'), q.lineNo
		return scan.Parsed, true
	case line[0] == '[' && line[len(line)-1] == ']':
		return q.array(line), true
	case line[0] == '{' || (line[0] == '[' && len(line) > 1 && line[1] == '{'):
		obj := bytes.TrimSuffix(bytes.TrimPrefix(line, []byte("[")), []byte("]"))
		obj = bytes.TrimSuffix(obj, []byte(","))
		return q.object(obj, q.lineNo), true
	}
	return 0, false
}

// objectLine collects a line of a pretty-printed row.
func (q *reader) objectLine(line []byte) scan.LineKind {
	q.obj = append(q.obj, line...)
	q.obj = append(q.obj, '\n')
	if len(q.obj) > objectLimit {
		q.log.Diag(q.objLine, facts.SevWarning, CodeJSON, "a JSON object longer than %d bytes: not read", objectLimit)
		q.obj = nil
		return scan.Unrecognized
	}
	if string(line) == "}" || string(line) == "}," {
		obj := bytes.TrimSuffix(bytes.TrimSpace(q.obj), []byte(","))
		q.obj = nil
		return q.object(obj, q.objLine)
	}
	return scan.Parsed
}

// object reads one row given as a JSON object: osquery writes every
// value as a string; numbers are taken too.
func (q *reader) object(obj []byte, at int64) scan.LineKind {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(obj, &m); err != nil {
		q.log.Diag(at, facts.SevWarning, CodeJSON, "a JSON object that does not decode: %v", err)
		return scan.Unrecognized
	}
	rec := make(map[string]string, len(m))
	for k, raw := range m {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			rec[k] = s
			continue
		}
		var f json.Number
		if json.Unmarshal(raw, &f) == nil {
			if n, err := strconv.ParseInt(string(f), 10, 64); err == nil {
				rec[k] = strconv.FormatInt(n, 10)
			}
		}
	}
	if _, ok := rec["pid"]; !ok {
		return scan.Unrecognized
	}
	for k := range rec {
		if processColumns[k] {
			q.ev.jsonRows++
			break
		}
	}
	if !q.process(rec, at) {
		return scan.Unrecognized
	}
	return scan.Parsed
}

// array reads a whole --json output on one line, "[{...},{...}]", as a
// paste that lost its line breaks holds it.
func (q *reader) array(line []byte) scan.LineKind {
	var rows []json.RawMessage
	if err := json.Unmarshal(line, &rows); err != nil {
		q.log.Diag(q.lineNo, facts.SevWarning, CodeJSON, "a JSON array that does not decode: %v", err)
		return scan.Unrecognized
	}
	kind := scan.Unrecognized
	for _, row := range rows {
		if q.object(row, q.lineNo) == scan.Parsed {
			kind = scan.Parsed
		}
	}
	return kind
}
