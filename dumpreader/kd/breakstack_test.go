package kd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// a00bStop is a warning of too many open printer handles, and the
// break-in it causes.
const a00bStop = "0:000> g\n=======================================\n" +
	"VERIFIER STOP 0000A00B : pid 0x1F40: Too many open printer handles\n\n" +
	"        000003E9 : Number of currently open printer handles.\n        00000000 : Not used.\n" +
	"=======================================\nThis verifier stop is continuable.\nAfter debugging it use `go' to continue.\n\n" +
	"(1f40.2a18): Break instruction exception - code 80000003 (first chance)\n" +
	"vrfcore!VerifierStopMessageEx+0x4bd:\n6eee1a2d cc              int     3\n"

// x86Kb is the x86 kb, with kn's frame numbers, of a00bStop's break-in.
const x86Kb = "0:000> kbn\n # ChildEBP RetAddr  Args to Child              \n" +
	"00 0019f4c8 6eee2b1c 0000a00b 6ef01b70 000003e9 vrfcore!VerifierStopMessageEx+0x4bd\n" +
	"01 0019f4f0 6e9a3f2d 0000a00b 6e9b1c40 000003e9 vrfcore!VfCoreRedirectedStopMessage+0x8c\n" +
	"02 0019f550 00a41b7e 0019f5d8 0019f5c0 00000000 vfprint!AVrfpOpenPrinterW+0x71\n" +
	"WARNING: Stack unwind information not available. Following frames may be wrong.\n" +
	"03 0019f5f0 00a42210 00c3e8a8 00000001 00000000 FabrikamLabels!LabelSpool::OpenQueue+0x0000009e\n" +
	"04 0019f648 00a4309c 00000003 00000000 00000000 FabrikamLabels+0x309c\n"

// TestVerifierStopBreakStack reads the k a stop's break-in shows into
// the stop's BreakFrames, in the layouts of k, kb, kn, kp and x64, and
// only while the debuggee stands at the stop.
func TestVerifierStopBreakStack(t *testing.T) {
	labels := []string{"vrfcore!VerifierStopMessageEx+0x4bd", "vrfcore!VfCoreRedirectedStopMessage+0x8c",
		"vfprint!AVrfpOpenPrinterW+0x71", "FabrikamLabels!LabelSpool::OpenQueue+0x9e", "FabrikamLabels+0x309c"}
	for _, tc := range []struct {
		name, capture string
		frames, dps   []string
	}{
		{"x86 kb with frame numbers", a00bStop + x86Kb + "0:000> g\n", labels, nil},
		{"x86 k, without arguments", a00bStop + "0:000> k\nChildEBP RetAddr  \n" +
			"0019f4c8 6eee2b1c vrfcore!VerifierStopMessageEx+0x4bd\n0019f5f0 00a42210 FabrikamLabels!LabelSpool::OpenQueue+0x9e\n",
			[]string{"vrfcore!VerifierStopMessageEx+0x4bd", "FabrikamLabels!LabelSpool::OpenQueue+0x9e"}, nil},
		{"the first k only", a00bStop + x86Kb + "0:000> k\nChildEBP RetAddr  \n0019f4c8 6eee2b1c other!Frame+0x1\n", labels, nil},
		{"x64 kn with an inline frame, kp's parameters and source lines, beside the dps of the stack trace",
			"0:000> g\nVERIFIER STOP 0000000000000901: pid 0x4D38: A HANDLE was leaked.\n\n" +
				"\t0000000000000808 : Value of the leaked handle.\n" +
				"\t0000000D6AC92360 : Address to the allocation stack trace. Run dps <address> to view the allocation stack.\n\n" +
				"0:000> kpn\n # Child-SP          RetAddr               Call Site\n" +
				"00 000000d6`6ac8e8a8 00007ffa`2afb1c2d     vrfcore!VerifierStopMessageEx+0x7b1\n" +
				"01 000000d6`6ac8e8b0 00007ffa`2afb5c3e     vfbasics!AVrfpCheckHandleLeaks(void * DllBase = 0x00007ffa`1b2c0000)+0x12d [d:\\os\\src\\vfbasics\\leak.c @ 212]\n" +
				"02 (Inline Function) --------`--------     Contoso!Plugin::Unload(void)+0x1a [c:\\src\\plugin.cpp @ 88]\n" +
				"03 000000d6`6ac8ea10 00007ff6`a1b23344     Contoso!Host::Stop(int reason = 0n2)+0x44 [c:\\src\\host.cpp @ 140]\n" +
				"0:000> dps 0000000D6AC92360\n0000000d`6ac92360  00007ffa`2afa1234 vfbasics!AVrfpCreateEventW+0x79\n" +
				"0000000d`6ac92368  00007ffa`1b2c5678 contosoplugin!Queue::Open+0x80\n",
			[]string{"vrfcore!VerifierStopMessageEx+0x7b1", "vfbasics!AVrfpCheckHandleLeaks+0x12d", "Contoso!Plugin::Unload+0x1a", "Contoso!Host::Stop+0x44"},
			[]string{"vfbasics!AVrfpCreateEventW+0x79", "contosoplugin!Queue::Open+0x80"}},
		{"x64 kb's arguments between colons", "0:000> g\nVERIFIER STOP 0000000000000901: pid 0x4D38: A HANDLE was leaked.\n" +
			"0:000> kb\n # Child-SP          RetAddr               : Args to Child                                                           : Call Site\n" +
			"00 000000d6`6ac8e8a8 00007ffa`2afb1c2d     : 00000000`00000901 00000000`00000808 000000d6`6ac92360 00000000`00000000 : vrfcore!VerifierStopMessageEx+0x7b1\n" +
			"01 000000d6`6ac8ea10 00007ff6`a1b23344     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : Contoso!Host::Stop+0x44\n",
			[]string{"vrfcore!VerifierStopMessageEx+0x7b1", "Contoso!Host::Stop+0x44"}, nil},
		{"a k after the debuggee ran on is not the stop's", a00bStop + "0:000> g\n" + x86Kb, nil, nil},
		{"a k of another thread is not the stop's", a00bStop + "0:000> ~1s\n" + strings.Replace(x86Kb, "0:000>", "0:001>", 1), nil, nil},
		{"a k from a frame the author gave is not the stop's", a00bStop + strings.Replace(x86Kb, "kbn", "k = 0019f5f0 0019f5f0 00a42210", 1), nil, nil},
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
			if diff := cmp.Diff(tc.dps, stops[0].Frames); diff != "" {
				t.Errorf("frames (-want +got):\n%s", diff)
			}
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d unrecognized lines: %v", n, snap.Diagnostics)
			}
			// The k read is not among the commands whose output is not read.
			kLine := int64(strings.Count(tc.capture[:strings.Index(tc.capture, "> k")], "\n") + 1)
			for _, d := range snap.Diagnostics {
				if tc.frames != nil && d.Code == facts.CodeIgnoredCommand && d.Line == kLine {
					t.Errorf("diagnostic %q of the k read", d.Message)
				}
			}
		})
	}
}

// TestStackRow reads rows of k's layouts, and no other line.
func TestStackRow(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"0019f4c8 6eee2b1c vrfcore!VerifierStopMessageEx+0x4bd", "vrfcore!VerifierStopMessageEx+0x4bd"},
		{"0012f9e4 7c90e9c0 00000000 00000000 00000000 ntdll!KiFastSystemCallRet (FPO: [0,0,0])", "ntdll!KiFastSystemCallRet"},
		{"0a 0019f5f0 00a42210 Fabrikam!Open(wchar_t * name = 0x00c3e8a8 \"Label (A4)\")+0x9e", "Fabrikam!Open+0x9e"},
		{"00 000000d6`6ac8e8a8 00007ffa`2afb1c2d     0x00007ffa`2afb1c2d", "0x00007ffa`2afb1c2d"},
		{"0019f4c8 6eee2b1c 0000a00b", ""},
		{" # ChildEBP RetAddr  Args to Child", ""},
		{"WARNING: Stack unwind information not available. Following frames may be wrong.", ""},
		{"6eee1a2d cc              int     3", ""},
		{"0004: Object: 8a1b2c30  GrantedAccess: 001f0003", ""},
	} {
		got, ok := stackRow([]byte(tc.line))
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("stackRow(%q) = %q, %v, want %q", tc.line, got, ok, tc.want)
		}
	}
}

// TestBreakStackBounded: a k of more frames than a stop keeps is cut at
// maxStopFrames, its rows still read.
func TestBreakStackBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(a00bStop + "0:000> k\nChildEBP RetAddr  \n")
	for i := range 3 * maxStopFrames {
		fmt.Fprintf(&b, "%08x 6eee2b1c m!f%d+0x1\n", 0x0019f4c8+8*i, i)
	}
	snap := readString(t, b.String())
	s := snap.Processes[0].VerifierStops[0]
	if len(s.BreakFrames) != maxStopFrames || s.BreakFrames[0] != "m!f0+0x1" {
		t.Errorf("%d break frames, the first %q; want %d, m!f0+0x1", len(s.BreakFrames), s.BreakFrames[0], maxStopFrames)
	}
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d unrecognized lines", n)
	}
}

// verifierStops returns the verifier stops of every process of snap, in
// the order of its processes.
func verifierStops(snap *facts.Snapshot) []facts.VerifierStop {
	var stops []facts.VerifierStop
	for _, p := range snap.Processes {
		stops = append(stops, p.VerifierStops...)
	}
	return stops
}

// TestStackWithoutStop: a k listing no stop reads (a CI job's stack of
// the program's exit, pasted without its command) is the debugger's text:
// sniffed as kd, its header read, its rows ignored, not unrecognized, up
// to the next blank line; prose that names the columns is not a header.
func TestStackWithoutStop(t *testing.T) {
	const capture = "Unable to get exception context, HRESULT 0x8000FFFF\n" +
		"Child-SP          RetAddr               Call Site\n" +
		"000000ed`4a4ff6e8 00007fff`02e718ab     ntdll!NtTerminateProcess+0x14\n" +
		"*** WARNING: Unable to verify checksum for contoso_tests.exe\n" +
		"000000ed`4a4ff780 00007fff`02e5e8d7     contoso_tests+0x15c6\n" +
		"000000ed`4a4ff7f0 00000000`00000000     ntdll!RtlUserThreadStart+0x2c\n" +
		"quit:\n"
	if !Sniff([]byte(capture), false) {
		t.Fatalf("Sniff = false, want the stack read as kd")
	}
	snap := readString(t, capture)
	if l := snap.Sources[0].Lines; l.Unrecognized != 1 || l.Parsed != 1 {
		t.Errorf("lines %+v, want the header parsed and only the HRESULT line unrecognized: %+v", l, snap.Diagnostics)
	}
	for _, h := range []string{" # ChildEBP RetAddr  Args to Child              ", "Child-SP          RetAddr           : Args to Child                                                           : Call Site", "RetAddr           : Args to Child                                                           : Call Site"} {
		if !isStackHeader([]byte(h)) {
			t.Errorf("isStackHeader(%q) = false, want true", h)
		}
	}
	for _, prose := range []string{"Child-SP RetAddr are the columns", "RetAddr is the return address"} {
		if isStackHeader([]byte(prose)) || Sniff([]byte(prose+"\n"), false) {
			t.Errorf("%q read as a stack header", prose)
		}
	}
}
