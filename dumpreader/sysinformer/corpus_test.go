package sysinformer_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

// corpusCases are the System Informer copies of the corpus's wintools/
// folder, with what each must yield, worked out by reading the file
// (cat -A), not from the reader's output.
var corpusCases = []proctest.Case{{
	// 45 lines. The reporter's own lines: 1 (a date), 4-6 (version,
	// rules, Windows build) are no statistics; 2 is one (Private
	// bytes). Group names on 8, 20, 37 ("Handles", "IO", "Disk IO");
	// statistics 10-17 (8), 22-34 (13), 39-44 (6). Blanks 3, 7, 19,
	// 36 and fences 9, 18, 21, 35, 38, 45. Parsed 1+3+8+13+6 = 31. The
	// copy names no process: its figures go to pid 0, 458 handles, a
	// peak of 458, none of them read one by one.
	Name:  "systeminformer-process-statistics-copy-simplewall-458-handles-comma-decimal-space-thousands-simplewall-1066.txt",
	Lines: facts.LineCounts{Total: 45, Parsed: 31, Ignored: 10, Unrecognized: 4},
	Count: 1,
	Procs: []proctest.Proc{{PID: 0, Handles: proctest.N(458), Peak: proctest.N(458)}},
	Diags: []string{"1:unrecognized-line", "4:unrecognized-line", "5:unrecognized-line", "6:unrecognized-line"},
}}

// TestCorpus reads each System Informer copy of the corpus (skipping
// when the corpus is absent); every such file of the corpus must have a
// case.
func TestCorpus(t *testing.T) {
	proctest.Corpus(t, "systeminformer-", dumpreader.FormatSysinformer, corpusCases)
}
