package wmic_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

// corpusCases are the wmic captures of the corpus's wintools/ folder,
// with what each must yield, figured out by reading each file (cat -A),
// line by line.
var corpusCases = []proctest.Case{{
	// The agent's markers around a /format:csv header and 5 rows.
	Name:  "wmic-format-csv-node-handlecount-agent-section-wsoprekpfs01-checkmk.txt",
	Lines: facts.LineCounts{Total: 8, Parsed: 6, Ignored: 2},
	Count: 5,
	Procs: []proctest.Proc{
		{PID: 4, Image: "System", Handles: proctest.N(1227)},
		{PID: 680, Image: "csrss.exe", Handles: proctest.N(679)},
		{PID: 0, Image: "System Idle Process", Handles: proctest.N(0)},
	},
	Host: "WSOPREKPFS01",
}, {
	// Notes: "# " comments, `wmic process list brief` (command, header,
	// 6 rows, "..."), `wmic startup` and its output (ignored), and
	// `wmic process where ... list brief` (command, header, 1 row).
	Name:  "wmic-process-list-brief-elided-dots-and-where-pid-code-sec504-notes.txt",
	Lines: facts.LineCounts{Total: 22, Parsed: 11, Ignored: 11},
	Count: 7,
	Procs: []proctest.Proc{
		{PID: 4, Image: "System", Handles: proctest.N(4263)},
		{PID: 904, Image: "csrss.exe", Handles: proctest.N(805)},
		{PID: 1924, Image: "Code.exe", Handles: proctest.N(393)},
		{PID: 0, Image: "System Idle Process", Handles: proctest.N(0)},
	},
	Codes: []string{facts.CodeElision},
}}

func TestCorpus(t *testing.T) {
	proctest.Corpus(t, "wmic-", dumpreader.FormatWMIC, corpusCases)
}
