package minidump

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
)

// Severities of a Problem.
const (
	// SeverityError means data was lost: a structure could not be read, or
	// only part of it.
	SeverityError = "error"
	// SeverityWarning means the data was read, but something about it is
	// off (a duplicate stream, overlapping streams, an unusual size).
	SeverityWarning = "warning"
	// SeverityInfo notes a tolerated oddity that loses nothing.
	SeverityInfo = "info"
)

// maxProblemsPerCode caps the problems kept for one code; the rest are only
// counted, so a dump damaged a million times keeps a bounded list.
const maxProblemsPerCode = 200

// Problem is damage or an oddity found while reading a dump that did not
// stop the reading. A damaged dump yields what can be read plus problems.
type Problem struct {
	// Offset is the file offset of the structure concerned.
	Offset int64
	// Severity is SeverityError, SeverityWarning or SeverityInfo.
	Severity string
	// Code is a stable kebab-case identifier usable in tests and reports,
	// such as "string-odd-length" or "count-exceeds-stream".
	Code string
	// Message says what is wrong, in words.
	Message string
}

// String formats the problem as "offset 0x1c4: error: message [code]".
func (p Problem) String() string {
	return fmt.Sprintf("offset %#x: %s: %s [%s]", p.Offset, p.Severity, p.Message, p.Code)
}

// FormatError is the error Open returns when the input is not a minidump it
// can read at all: no header, a wrong signature or version, or a stream
// directory that does not fit in the file.
type FormatError struct {
	// Offset is the file offset of the structure at fault.
	Offset int64
	// Code is a stable kebab-case identifier: "not-minidump",
	// "bad-version" or "directory-out-of-bounds".
	Code string
	// Message says what is wrong, in words.
	Message string
}

// Error formats the error as "minidump: offset 12 (0xc): message".
func (e *FormatError) Error() string {
	return fmt.Sprintf("minidump: offset %d (%#x): %s", e.Offset, e.Offset, e.Message)
}

// problemList keeps problems in the order found, at most
// maxProblemsPerCode per code, and counts the others.
type problemList struct {
	list    []Problem
	perCode map[string]int
	dropped map[string]int
}

// add records a problem; the message is formatted only when it is kept.
func (l *problemList) add(off int64, sev, code, format string, args []any) {
	if l.perCode == nil {
		l.perCode = map[string]int{}
		l.dropped = map[string]int{}
	}
	if l.perCode[code] >= maxProblemsPerCode {
		l.dropped[code]++
		return
	}
	l.perCode[code]++
	l.list = append(l.list, Problem{Offset: off, Severity: sev, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Problems returns the problems found so far, ordered by offset, then code,
// then message. Streams are decoded lazily, so the list grows as they are
// read; Accounting reads every stream this package decodes, so after it the
// list is complete. At most 200 problems are kept per code; DroppedProblems
// counts the rest.
func (d *Dump) Problems() []Problem {
	d.mu.Lock()
	out := slices.Clone(d.problems.list)
	d.mu.Unlock()
	slices.SortStableFunc(out, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Offset, b.Offset), cmp.Compare(a.Code, b.Code), cmp.Compare(a.Message, b.Message))
	})
	return out
}

// DroppedProblems returns, per code, how many problems were found beyond
// the 200 kept for that code. It is empty when none were dropped.
func (d *Dump) DroppedProblems() map[string]int {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[string]int{}
	maps.Copy(out, d.problems.dropped)
	return out
}

// addProblem records a problem found outside any muted pass.
func (d *Dump) addProblem(off int64, sev, code, format string, args ...any) {
	d.mu.Lock()
	d.problems.add(off, sev, code, format, args)
	d.mu.Unlock()
}
