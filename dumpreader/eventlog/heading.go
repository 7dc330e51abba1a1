package eventlog

import "github.com/leakdiag/leakdiag/dumpreader/internal/scan"

// headingPrefix opens the line people write over a pasted event to name
// it, "Event ID 2019", with no colon; Knowledge Base articles print the
// same line as the event's only ID, over its "Description:".
const headingPrefix = "Event ID "

// heading reads a line "Event ID N" and gives N.
func heading(line []byte) (int64, bool) {
	if !scan.HasPrefixFold(line, headingPrefix) {
		return 0, false
	}
	digits := scan.TrimSpace(line[len(headingPrefix):])
	if len(digits) == 0 || len(digits) > 10 || !scan.AllDigits(digits) {
		return 0, false
	}
	v, ok := scan.ParseDec(digits)
	return v, ok
}

// openHeading starts the record a heading names: its ID is the record's,
// and the record's own "Event ID:" joins it rather than starting the next
// record.
func (e *reader) openHeading(v int64) {
	e.endRecord()
	e.startRecord()
	e.rec.id, e.rec.hasID = eventID(v), true
}
