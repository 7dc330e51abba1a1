package sysinformer_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/dumpreader/sysinformer"
)

// FuzzReadSysinformer feeds the System Informer reader arbitrary bytes and checks what
// proctest.Fuzz says, seeded also with Statistics and Handles rows.
func FuzzReadSysinformer(f *testing.F) {
	f.Add([]byte("Other\nHandles, 1 234\nPeak handles, 1 300\nType\tName\tHandle\nEvent\t\t0x4\n"))
	proctest.Fuzz(f, dumpreader.FormatSysinformer, sysinformer.Sniff, "systeminformer-")
}
