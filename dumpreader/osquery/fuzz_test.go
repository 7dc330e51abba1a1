package osquery_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/dumpreader/osquery"
)

// FuzzReadOsquery feeds the osquery reader arbitrary bytes and checks what
// proctest.Fuzz says, seeded also with a table and a JSON array.
func FuzzReadOsquery(f *testing.F) {
	f.Add([]byte("+-----+------+\n| pid | handle_count |\n+-----+------+\n| 4 | 10 |\n+-----+------+\n[\n{\"pid\":\"5\"}\n]\n"))
	proctest.Fuzz(f, dumpreader.FormatOsquery, osquery.Sniff, "other-osquery-")
}
