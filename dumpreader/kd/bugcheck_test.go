package kd

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// TestDriverPoolLeakFromAnalyze: Driver Verifier's bugcheck 0xC4 with
// parameter 1 0x62 (or 0x60) is read from !analyze -v as a driver's pool
// leak, naming the driver by IMAGE_NAME or, without it, by the driver
// !verifier 3 was asked about; other bugchecks and other 0xC4 parameters
// are not.
func TestDriverPoolLeakFromAnalyze(t *testing.T) {
	analyze := func(title, arg1, arg4, image string) string {
		s := "1: kd> !analyze -v\n" + title + "\nArguments:\n" +
			"Arg1: " + arg1 + ", the first parameter.\nArg4: " + arg4 + ", total # of (paged+nonpaged) allocations that weren't freed.\n\n"
		if image != "" {
			s += "IMAGE_NAME:  " + image + "\n\n"
		}
		return s
	}
	const verifier = "1: kd> !verifier 3 contosoio.sys\n\nVerify Flags Level 0x00000008\n"
	tests := []struct {
		name, capture string
		want          []facts.DriverPoolLeak
	}{
		{"0x62 with its image", analyze("DRIVER_VERIFIER_DETECTED_VIOLATION (c4)", "00000062", "00000003", "contosoio.sys"),
			[]facts.DriverPoolLeak{{Driver: "contosoio.sys", Allocations: 3, Source: facts.Position{Line: 1}}}},
		{"0x60 named by !verifier 3", analyze("DRIVER_VERIFIER_DETECTED_VIOLATION (c4)", "00000060", "0000000a", "") + verifier,
			[]facts.DriverPoolLeak{{Driver: "contosoio.sys", Allocations: 10, Source: facts.Position{Line: 1}}}},
		{"0x62 named nowhere", analyze("DRIVER_VERIFIER_DETECTED_VIOLATION (c4)", "00000062", "00000001", ""),
			[]facts.DriverPoolLeak{{Allocations: 1, Source: facts.Position{Line: 1}}}},
		{"0xC4 for a double free", analyze("DRIVER_VERIFIER_DETECTED_VIOLATION (c4)", "00000013", "00000001", "contosoio.sys"), nil},
		{"another bugcheck with the same parameters", analyze("SYSTEM_SERVICE_EXCEPTION (3b)", "00000062", "00000001", "contosoio.sys"), nil},
		{"no allocations counted", analyze("DRIVER_VERIFIER_DETECTED_VIOLATION (c4)", "00000062", "00000000", "contosoio.sys"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			var got []facts.DriverPoolLeak
			if snap.Memory != nil {
				got = snap.Memory.DriverPoolLeaks
				for i := range got {
					got[i].Source.Path = ""
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("driver pool leaks: diff (-want +got):\n%s", diff)
			}
			if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
				t.Errorf("lines %+v, want none unrecognized", l)
			}
		})
	}
}
