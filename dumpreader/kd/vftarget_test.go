package kd

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// vfList is !verifier 3's driver list of recent Windows, with one
// driver's entry in the given state and current allocations, and its
// table of allocations headed "Caller Address".
func vfList(state, current string) string {
	return "Driver Verification List\n------------------------\n\n" +
		"nt!_VF_TARGET_DRIVER 0xffffa00112345670: fabrikamflt.sys (" + state + ")\n\n" +
		"    Pool Allocation Statistics: ( NonPagedPool / PagedPool )\n\n" +
		"      Current Pool Allocations: " + current + "\n" +
		"      Current Pool Bytes:       ( 0x00000050 / 0x00000000 )\n" +
		"      Peak Pool Allocations:    ( 0x00000011 / 0x00000001 )\n" +
		"      Peak Pool Bytes:          ( 0x00001200 / 0x00000020 )\n" +
		"      Contiguous Memory Bytes:       0x00000000\n" +
		"      Peak Contiguous Memory Bytes:  0x00000000\n\n" +
		"    Pool Allocations:\n\n" +
		"      Address             Length      Tag   Caller Address    \n" +
		"      ------------------  ----------  ----  ------------------\n" +
		"      0xffffa0011a2b3ff0  0x00000010  Fbfl  0xfffff8011c2d3e41  fabrikamflt!Setup+0x41\n" +
		"      0xffffa0011a2b4fc0  0x00000040  Fbct  0xfffff8011c2d3f02  fabrikamflt!Attach+0x12\n"
}

// TestVerifierDriverListLeak: an entry of !verifier 3's driver list for a
// driver that unloaded with allocations counted is that driver's pool
// leak, with the allocations its table lists, even pasted alone, without
// the command or a bugcheck (before, no line of it was read and such a
// capture was refused as of no known format). A driver still loaded, or
// one that freed all, leaks nothing; a bugcheck 0xC4/0x62 and the list
// of the same leak give one leak, named by the list where the bugcheck
// names no driver.
func TestVerifierDriverListLeak(t *testing.T) {
	unfreed := []facts.UnfreedAllocation{
		{Address: "ffffa0011a2b3ff0", Bytes: 0x10, Tag: "Fbfl", Caller: "fabrikamflt!Setup+0x41"},
		{Address: "ffffa0011a2b4fc0", Bytes: 0x40, Tag: "Fbct", Caller: "fabrikamflt!Attach+0x12"},
	}
	const bugcheck = "kd> !analyze -v\nDRIVER_VERIFIER_DETECTED_VIOLATION (c4)\nArguments:\n" +
		"Arg1: 0000000000000062, A driver has forgotten to free its pool allocations prior to unloading.\n" +
		"Arg4: 0000000000000002, total # of (paged+nonpaged) allocations that weren't freed.\n\n"
	// The list alone: a leak Listed, no bugcheck shown; with the
	// bugcheck, the bugcheck's.
	listed := []facts.DriverPoolLeak{{Driver: "fabrikamflt.sys", Allocations: 2, Unfreed: unfreed, Listed: true}}
	leak := []facts.DriverPoolLeak{{Driver: "fabrikamflt.sys", Allocations: 2, Unfreed: unfreed}}
	tests := []struct {
		name, capture string
		want          []facts.DriverPoolLeak
	}{
		{"pasted alone", vfList("Loaded and Unloaded", "( 0x00000002 / 0x00000000 )"), listed},
		{"paged and nonpaged counted", vfList("Loaded and Unloaded", "( 0x00000001 / 0x00000001 )"), listed},
		{"under its command", "kd> !verifier 3 fabrikamflt.sys\n\n" + vfList("Loaded and Unloaded", "( 0x00000002 / 0x00000000 )"), listed},
		{"still loaded", vfList("Loaded", "( 0x00000002 / 0x00000000 )"), nil},
		{"all freed", vfList("Loaded and Unloaded", "( 0x00000000 / 0x00000000 )"), nil},
		{"after a bugcheck naming no driver", bugcheck + vfList("Loaded and Unloaded", "( 0x00000002 / 0x00000000 )"), leak},
		{"after a bugcheck naming it", bugcheck + "IMAGE_NAME:  fabrikamflt.sys\n\n" + vfList("Loaded and Unloaded", "( 0x00000002 / 0x00000000 )"), leak},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			var got []facts.DriverPoolLeak
			if snap.Memory != nil {
				got = snap.Memory.DriverPoolLeaks
			}
			for i := range got {
				got[i].Source = facts.Position{}
				for j := range got[i].Unfreed {
					got[i].Unfreed[j].Source = facts.Position{}
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("driver pool leaks: diff (-want +got):\n%s", diff)
			}
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d lines unrecognized, want none", n)
			}
		})
	}
	if !Sniff([]byte(vfList("Loaded and Unloaded", "( 0x00000002 / 0x00000000 )")), false) {
		t.Error("the driver list alone is not taken for kd text")
	}
}

// TestVerifierStatisticsRead: !verifier's flags and statistics pasted
// without the command are the debugger's lines, read as known (before,
// none was, and such a capture was refused as of no known format); they
// are the whole system's figures and make no driver's leak.
func TestVerifierStatisticsRead(t *testing.T) {
	const capture = "Verify Flags Level 0x00000009\n\n  STANDARD FLAGS:\n" +
		"    [X] (0x00000000) Automatic Checks\n    [X](0x00000008) Pool tracking\n\n  ADDITIONAL FLAGS:\n" +
		"    [ ] (0x00000004) Randomized low resources simulation\n\n" +
		"  RESERVED FLAGS (use of these flags is unsupported):\n    [X] (0x00100000) Unused or reserved flag\n\n" +
		"    [X] Indicates flag is enabled\n\nSummary of All Verifier Statistics\n\n" +
		"  RaiseIrqls           0x0\n  AcquireSpinLocks     0x12\n  Synch Executions     0x0\n  Trims                0x3\n\n" +
		"  Pool Allocations Attempted             0x40\n  Pool Allocations Succeeded             0x40\n" +
		"  Pool Allocations Succeeded SpecialPool 0x40\n  Pool Allocations With NO TAG           0x0\n" +
		"  Pool Allocations Failed                0x0\n\n" +
		"  Current paged pool allocations         0x0 for 00000000 bytes\n" +
		"  Peak paged pool allocations            0x2 for 00000090 bytes\n" +
		"  Current nonpaged pool allocations      0x3 for 00000120 bytes\n" +
		"  Peak nonpaged pool allocations         0x10 for 00004000 bytes\n"
	if !Sniff([]byte(capture), false) {
		t.Fatal("verifier statistics alone are not taken for kd text")
	}
	snap := readString(t, capture)
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d lines unrecognized, want none: %+v", n, snap.Diagnostics)
	}
	if snap.Memory != nil && len(snap.Memory.DriverPoolLeaks) > 0 {
		t.Errorf("driver pool leaks %+v, want none: the figures are no driver's", snap.Memory.DriverPoolLeaks)
	}
}
