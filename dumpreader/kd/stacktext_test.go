package kd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// analyzed901 is the head of `!analyze -v` of a leak stop, up to where
// its STACK_TEXT goes.
const analyzed901 = "0:000> !analyze -v\n\n" +
	"APPLICATION_VERIFIER_LEAK_HANDLE (901)\nA HANDLE was leaked.\nArguments:\n" +
	"Arg1: 00000000000001e4, Value of the leaked handle. Run !htrace <handle> to get additional information.\n" +
	"Arg2: 000000000584a614, Address to the allocation stack trace. Run dps <address> to view the allocation stack.\n\n" +
	"PROCESS_NAME:  fabrikam.exe\n\n"

// TestAnalyzedStopStackText reads the STACK_TEXT of a leak stop's
// analysis into the stop's BreakFrames, in x86 and x64 columns, and
// nothing past its end.
func TestAnalyzedStopStackText(t *testing.T) {
	x86 := []string{"vrfcore!VerifierStopMessageEx+0x57b", "vfbasics!AVrfpCheckHandleLeaks+0x24", "Fabrikam!Plugin::Unload+0x19"}
	for _, tc := range []struct {
		name, capture string
		frames        []string
	}{
		{"x86, after a warning about the unwind", analyzed901 + "STACK_TEXT:  \n" +
			"WARNING: Stack unwind information not available. Following frames may be wrong.\n" +
			"0046fb14 5d7c7085 5d7d0c28 00000901 00000000 vrfcore!VerifierStopMessageEx+0x57b\n" +
			"0046fb34 5d7c778c 0046fbe0 6a17e28b 0046fb7c vfbasics!AVrfpCheckHandleLeaks+0x24\n" +
			"0046fb7c 012203d9 00000000 0046fba0 0046fbc4 Fabrikam!Plugin::Unload+0x19\n\n" +
			"0046fb8c 0122c535 00000000 0046fbf8 36405889 Fabrikam!NotTheStack+0x1\n\n" +
			"SYMBOL_NAME:  vfbasics!AVrfpCheckHandleLeaks+24\n", x86},
		{"x64, the arguments between colons", analyzed901 + "STACK_TEXT:\n" +
			"00000012`3456f5a8 00007ffb`1a2b3c4d : 00000000`00000901 00000000`000001e4 00000000`00000000 00000000`00000000 : vrfcore!VerifierStopMessageEx+0x7c5\n" +
			"00000012`3456f5d0 00007ffb`1a2b3c52 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : Fabrikam!PluginHost::Unload+0x3c\n",
			[]string{"vrfcore!VerifierStopMessageEx+0x7c5", "Fabrikam!PluginHost::Unload+0x3c"}},
		{"a k after the analysis is not read again", analyzed901 + "STACK_TEXT:  \n" +
			"0046fb14 5d7c7085 5d7d0c28 00000901 00000000 vrfcore!VerifierStopMessageEx+0x57b\n" +
			"0046fb34 5d7c778c 0046fbe0 6a17e28b 0046fb7c vfbasics!AVrfpCheckHandleLeaks+0x24\n" +
			"0046fb7c 012203d9 00000000 0046fba0 0046fbc4 Fabrikam!Plugin::Unload+0x19\n" +
			"0:000> k\nChildEBP RetAddr\n0019f4c8 6eee2b1c Other!Frame+0x1\n", x86},
		{"a k without STACK_TEXT is still the stop's", analyzed901 +
			"0:000> k\nChildEBP RetAddr\n0019f4c8 6eee2b1c Fabrikam!Plugin::Unload+0x19\n",
			[]string{"Fabrikam!Plugin::Unload+0x19"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			stops := verifierStops(snap)
			if len(stops) != 1 {
				t.Fatalf("%d stops, want 1", len(stops))
			}
			if diff := cmp.Diff(tc.frames, stops[0].BreakFrames); diff != "" {
				t.Errorf("break frames (-want +got):\n%s", diff)
			}
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d unrecognized lines: %v", n, snap.Diagnostics)
			}
		})
	}
}

// TestAnalyzedOtherStopStackText keeps no stack of a stop that reports
// no leaked handle: it records no stop at all.
func TestAnalyzedOtherStopStackText(t *testing.T) {
	snap := readString(t, "0:000> !analyze -v\n\nAPPLICATION_VERIFIER_HANDLES_NULL_HANDLE (303)\n"+
		"NULL handle passed as parameter. A valid handle must be used.\n\nSTACK_TEXT:  \n"+
		"0046fb14 5d7c7085 5d7d0c28 00000303 00000000 vrfcore!VerifierStopMessageEx+0x57b\n"+
		"0046fb7c 012203d9 00000000 0046fba0 0046fbc4 KERNELBASE!GetThreadId+0x1b\n")
	for _, p := range snap.Processes {
		if len(p.VerifierStops) != 0 {
			t.Errorf("%s: stops %v, want none", p.Image, p.VerifierStops)
		}
	}
}

// TestAnalysisOfTheBreakInStop: `!analyze -v` run at a stop's break-in
// analyses that stop: its STACK_TEXT and image complete the one stop
// recorded, on its process; after the debuggee ran on, an analysis is of
// a stop of its own.
func TestAnalysisOfTheBreakInStop(t *testing.T) {
	const breakIn = "VERIFIER STOP 0000000000000901: pid 0x1A2C: A HANDLE was leaked.\n\n" +
		"\t00000000000001E4 : Value of the leaked handle. Run !htrace <handle> to get additional information.\n\n" +
		"=======================================\nThis verifier stop is continuable.\n"
	const analysis = "0:000> !analyze -v\nAPPLICATION_VERIFIER_LEAK_HANDLE (901)\nA HANDLE was leaked.\nArguments:\n" +
		"Arg1: 00000000000001e4, Value of the leaked handle.\n\nPROCESS_NAME:  fabrikam.exe\n\nSTACK_TEXT:\n" +
		"0046fb7c 012203d9 00000000 0046fba0 0046fbc4 Fabrikam!Plugin::Unload+0x19\n"
	for _, tc := range []struct {
		name, capture string
		stops         int
	}{
		{"analysed at the break-in", breakIn + analysis, 1},
		{"analysed after the debuggee ran on", breakIn + "0:000> g\n" + analysis, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			stops := verifierStops(snap)
			if len(stops) != tc.stops {
				t.Fatalf("%d stops, want %d: %+v", len(stops), tc.stops, stops)
			}
			last := stops[len(stops)-1]
			if diff := cmp.Diff([]string{"Fabrikam!Plugin::Unload+0x19"}, last.BreakFrames); diff != "" {
				t.Errorf("break frames (-want +got):\n%s", diff)
			}
			if tc.stops == 1 && (len(snap.Processes) != 1 || snap.Processes[0].PID != 0x1a2c || snap.Processes[0].Image != "fabrikam.exe") {
				t.Errorf("processes %+v, want fabrikam.exe (0x1a2c) alone", snap.Processes)
			}
		})
	}
}
