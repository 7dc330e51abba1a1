package pslist_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/dumpreader/pslist"
)

// FuzzReadPsList feeds the PsList reader arbitrary bytes and checks what
// proctest.Fuzz says, seeded also with the parse cases.
func FuzzReadPsList(f *testing.F) {
	for _, c := range parseCases {
		f.Add([]byte(c.In))
	}
	f.Add([]byte("PsList v1.4 - Process information lister\nThread detail for WS042:\n\nagent 3120:\n" +
		" Tid Pri    Cswtch            State     User Time   Kernel Time   Elapsed Time\n" +
		" 3124  10     88213     Wait:UserReq  0:00:01.203   0:00:00.781    2:11:04.120\n\n" +
		"Memory Compression 2396:\n Tid Pri    Cswtch            State     User Time   Kernel Time   Elapsed Time\n"))
	proctest.Fuzz(f, dumpreader.FormatPsList, pslist.Sniff, "")
}
