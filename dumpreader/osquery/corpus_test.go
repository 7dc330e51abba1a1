package osquery_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

// corpusCases are the osquery outputs of the corpus's wintools/ folder,
// with what each must yield, worked out by reading the file (cat -A),
// not from the reader's output.
var corpusCases = []proctest.Case{{
	// 7 lines: a fence (```sql, never closed), the prompt with the
	// query and trailing blanks, a border, the header, a border, one
	// row, a border.
	Name:  "other-osquery-processes-handle-count-order-desc-limit1-explorer-osquery-8795.txt",
	Lines: facts.LineCounts{Total: 7, Parsed: 6, Ignored: 1},
	Count: 1,
	Procs: []proctest.Proc{{PID: 6548, Image: "explorer.exe", Handles: proctest.N(2739)}},
	Diags: []string{}, // none
}}

// TestCorpus reads each osquery output of the corpus (skipping when the
// corpus is absent); every such file of the corpus must have a case.
func TestCorpus(t *testing.T) {
	proctest.Corpus(t, "other-osquery-", dumpreader.FormatOsquery, corpusCases)
}
