package kd

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// TestUnfreedAllocationsOfTheLeak: the allocations !verifier 3 lists for
// the driver a 0xC4/0x62 bugcheck names are its leak's, read by the
// columns the dashes give (a tag may end in a blank, a caller may have no
// symbol); the table of another driver, or under another command, is
// not.
func TestUnfreedAllocationsOfTheLeak(t *testing.T) {
	const analyze = "1: kd> !analyze -v\nDRIVER_VERIFIER_DETECTED_VIOLATION (c4)\nArguments:\n" +
		"Arg1: 00000062, A driver has forgotten to free its pool allocations prior to unloading.\n" +
		"Arg4: 00000003, total # of (paged+nonpaged) allocations that weren't freed.\n\nIMAGE_NAME:  contosoio.sys\n\n"
	table := func(cmd string) string {
		return cmd + "\n\n    Pool Allocations:\n\n" +
			"      Address     Length      Tag   Caller\n" +
			"      ----------  ----------  ----  ----------\n" +
			"      0x8a2c1e20  0x00000040  Cio   0x9b011047  contosoio!Setup+0x27\n" +
			"      0x8a2c2f80  0x00001000  Cbuf  0x9b0112a3\n\n"
	}
	want := []facts.UnfreedAllocation{
		{Address: "8a2c1e20", Bytes: 0x40, Tag: "Cio", Caller: "contosoio!Setup+0x27"},
		{Address: "8a2c2f80", Bytes: 0x1000, Tag: "Cbuf", Caller: "0x9b0112a3"},
	}
	tests := []struct {
		name, capture string
		want          []facts.UnfreedAllocation
	}{
		{"after the analysis", analyze + table("1: kd> !verifier 3 contosoio.sys"), want},
		{"before it, named in another case", table("1: kd> !verifier 3 ContosoIO.SYS") + analyze, want},
		{"of another driver", analyze + table("1: kd> !verifier 3 other.sys"), nil},
		{"under another command", analyze + table("1: kd> !poolused 2"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			if snap.Memory == nil || len(snap.Memory.DriverPoolLeaks) != 1 {
				t.Fatalf("driver pool leaks: %+v", snap.Memory)
			}
			got := snap.Memory.DriverPoolLeaks[0].Unfreed
			for i := range got {
				got[i].Source = facts.Position{}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("unfreed allocations: diff (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVerifierOutputSaidRead: the diagnostic about the lines of !verifier
// the reader counts as ignored says that its table of allocations still
// in pool is read, not that none of its output is.
func TestVerifierOutputSaidRead(t *testing.T) {
	const capture = "1: kd> !verifier 3 contosoio.sys\n\nVerify Flags Level 0x00000008\n\n    Pool Allocations:\n\n" +
		"      Address     Length      Tag   Caller\n" +
		"      ----------  ----------  ----  ----------\n" +
		"      0x8a2c1e20  0x00000040  Cio   0x9b011047  contosoio!Setup+0x27\n"
	snap := readString(t, capture)
	var msg string
	for _, d := range snap.Diagnostics {
		if d.Code == facts.CodeIgnoredCommand && strings.Contains(d.Message, "!verifier") {
			msg = d.Message
		}
	}
	if !strings.Contains(msg, "read only for the allocations") {
		t.Errorf("diagnostic about !verifier's output = %q, want it to say its allocations are read", msg)
	}
}
