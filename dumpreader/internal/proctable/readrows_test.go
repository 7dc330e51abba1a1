package proctable

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A capture that ends without a line break in a table may have its last
// row cut, and says so at that line; ended with one, or outside a table,
// it says nothing.
func TestReadRowsNotesACutLastRow(t *testing.T) {
	for _, c := range []struct {
		text    string
		inTable bool
		want    int64 // the line of the note, 0 for none
	}{
		{"a 1\nb 2", true, 2},
		{"a 1\nb 2\n", true, 0},
		{"a 1\nb 2", false, 0},
	} {
		log := facts.NewSourceLog("t.txt", "test")
		var lineNo int64
		var clean scan.Cleaner
		parse := func([]byte) scan.LineKind { return scan.Parsed }
		if err := ReadRows(strings.NewReader(c.text), log, &lineNo, &clean, parse, func() bool { return c.inTable }); err != nil {
			t.Fatal(err)
		}
		var got int64
		for _, d := range log.Diagnostics() {
			if d.Code == facts.CodeTruncated {
				got = d.Line
			}
		}
		if got != c.want {
			t.Errorf("%q, in a table %v: truncation noted at line %d, want %d", c.text, c.inTable, got, c.want)
		}
	}
}
