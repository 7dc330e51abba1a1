package kd

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// TestHtraceDiffCountsEachHandleOnce reads what a leak test prints: a full
// !htrace, then !htrace -diff of the same handles (two of them elided by
// whoever pasted it), with the footer hard-wrapped onto a second line.
func TestHtraceDiffCountsEachHandleOnce(t *testing.T) {
	const capture = `0:000> !htrace
--------------------------------------
Handle = 0x0000003c - OPEN
Thread ID = 0x000017ec, Process ID = 0x000017e8

0x77ca310c: ntdll!ZwDuplicateObject+0x0000000c
0x00ab1627: Fabrikam!CopyHandle+0x00000207
--------------------------------------
Handle = 0x00000038 - OPEN
Thread ID = 0x000017ec, Process ID = 0x000017e8

0x77ca2e3c: ntdll!ZwCreateFile+0x0000000c
0x00ab158f: Fabrikam!OpenLog+0x0000016f
--------------------------------------
Parsed 0x2 stack traces.
Dumped 0x2 stack traces.

0:000> !htrace -diff
Handle tracing information snapshot successfully taken.
0xd9 new stack traces since the previous snapshot.
Ignoring handles that were already closed...
Outstanding handles opened since the previous snapshot:
--------------------------------------
Handle = 0x0000003c - OPEN
Thread ID = 0x000017ec, Process ID = 0x000017e8

0x77ca310c: ntdll!ZwDuplicateObject+0x0000000c
0x00ab1627: Fabrikam!CopyHandle+0x00000207
--------------------------------------
Handle = 0x00000038 - OPEN
Thread ID = 0x000017ec, Process ID = 0x000017e8
...
--------------------------------------
Handle = 0x00000024 - OPEN
Thread ID = 0x000017ec, Process ID = 0x000017e8
...
--------------------------------------
Displayed 0x3 stack traces for outstanding handles opened since the previous 
snapshot.
`
	snap := readString(t, capture)
	if len(snap.Processes) != 1 {
		t.Fatalf("%d processes, want 1", len(snap.Processes))
	}
	p := snap.Processes[0]
	if p.PID != 0x17e8 || p.OpenSinceSnapshot != 3 || p.OpenTraced != 2 {
		t.Errorf("pid %#x, open since snapshot %d, open traced %d; want 0x17e8, 3, 2", p.PID, p.OpenSinceSnapshot, p.OpenTraced)
	}
	for _, s := range p.OpenStacks {
		if s.Count != 1 || !s.SinceSnapshot {
			t.Errorf("stack %v: count %d, since snapshot %v; want 1, true", s.Frames, s.Count, s.SinceSnapshot)
		}
	}
	if got := snap.Sources[0].Lines.Unrecognized; got != 0 {
		t.Errorf("%d unrecognized lines, want 0 (the wrapped footer is one): %v", got, snap.Diagnostics)
	}
}

// TestHtraceDiffFooterCountsWhatThePasteOmits: a footer counting more
// handles than the paste shows gives the true count.
func TestHtraceDiffFooterCountsWhatThePasteOmits(t *testing.T) {
	const capture = `0:000> !htrace -diff
Outstanding handles opened since the previous snapshot:
--------------------------------------
Handle = 0x000005b0 - OPEN
Thread ID = 0x000007f4, Process ID = 0x000013f0
0x00401657: test1!CServer::GetToken+0x00000047
--------------------------------------
Displayed 0xb2 stack traces for outstanding handles opened since the previous snapshot.
`
	p := readString(t, capture).Processes[0]
	if p.OpenSinceSnapshot != 0xb2 {
		t.Errorf("open since snapshot %d, want %d", p.OpenSinceSnapshot, 0xb2)
	}
}

// TestVerifierStops reads Application Verifier stops: a leaked handle is
// recorded with its pid, handle and the stack !htrace (or a dps of the
// stop's stack trace) gives for it, and the owner DLL a du of its name
// shows; a stop of another kind is not a leak.
func TestVerifierStops(t *testing.T) {
	for _, tc := range []struct {
		name, capture string
		pid           uint64
		want          []facts.VerifierStop
	}{
		{"a leaked handle with its !htrace", "=======================================\n" +
			"VERIFIER STOP 0000000000000901: pid 0x4D38: A HANDLE was leaked. \n\n" +
			"\t0000000000000808 : Value of the leaked handle. Run !htrace <handle> to get additional information about the handle if handle tracing is enabled.\n" +
			"\t0000000D6AC92360 : Address to the allocation stack trace. Run dps <address> to view the allocation stack.\n\n" +
			"=======================================\nThis verifier stop is continuable.\nAfter debugging it use `go' to continue.\n\n" +
			"0:000> !htrace 0000000000000808 \n--------------------------------------\n" +
			"Handle = 0x0000000000000808 - OPEN\nThread ID = 0x00000000000068d4, Process ID = 0x0000000000004d38\n\n" +
			"0x00007ffa2afa1234: vfbasics!AVrfpCreateEventW+0x0000000000000079\n" +
			"0x00007ffa2afb5678: Contoso!Session::Open+0x0000000000000080\n",
			0x4d38, []facts.VerifierStop{{Code: "901", Message: "A HANDLE was leaked.", Handle: 0x808,
				Frames: []string{"vfbasics!AVrfpCreateEventW+0x79", "Contoso!Session::Open+0x80"}, Pos: facts.Position{Line: 2}}}},
		{"a leaked registry key", "VERIFIER STOP 0000000000000902: pid 0x1A0: A HKEY was leaked.\n" +
			"\t00000000000002C4 : Value of the leaked HKEY.\n",
			0x1a0, []facts.VerifierStop{{Code: "902", Message: "A HKEY was leaked.", Handle: 0x2c4, Type: "Key", Pos: facts.Position{Line: 1}}}},
		{"an invalid handle is no leak", "VERIFIER STOP 0000000000000300: pid 0x1B34: Invalid handle exception for current stack trace.\n" +
			"\t00000000C0000008 : Exception code.\n", 0, nil},
		{"a leaked handle as !analyze -v names it", "APPLICATION_VERIFIER_LEAK_HANDLE (901)\n" +
			"A HANDLE was leaked.\nArguments:\n" +
			"Arg1: 00000000000001e4, Value of the leaked handle. Run !htrace <handle> to get additional information.\n" +
			"Arg2: 0000000005a4a614, Address to the allocation stack trace.\n\nSTACK_TEXT:\n" +
			"0046fb14 5d7c7085 5d7d0c28 00000901 00000000 vrfcore!VerifierStopMessageEx+0x57b\n",
			0, []facts.VerifierStop{{Code: "901", Message: "A HANDLE was leaked.", Handle: 0x1e4,
				BreakFrames: []string{"vrfcore!VerifierStopMessageEx+0x57b"}, Pos: facts.Position{Line: 1}}}},
		{"a NULL handle as !analyze -v names it is no leak", "APPLICATION_VERIFIER_HANDLES_NULL_HANDLE (303)\n" +
			"NULL handle passed as parameter. A valid handle must be used.\nArguments:\nArg1: 00000000, Not used. \n", 0, nil},
		{"a leaked printer handle, its message wrapped by a page", "VERIFIER STOP 0000A000 : pid 0x9C4: Leaked printer handle\n" +
			"detected\n01A2B3C4 : Printer handle being leaked.\n00000000 : Initialization stack trace. Use dps to dump the stack\n" +
			"trace if it is not NULL.\n",
			0x9c4, []facts.VerifierStop{{Code: "a000", Message: "Leaked printer handle detected", Handle: 0x1a2b3c4, Pos: facts.Position{Line: 1}}}},
		{"a stop a page flattened onto one line, the rule before it", "======================================= VERIFIER STOP 0000A001 : pid 0x7D0: " +
			"Leaked printer change notification handle detected 000000A4 : Printer change notification handle being leaked. " +
			"01B2C3D4 : Initialization stack trace. Use dps to dump the stack trace if it is not NULL. 00000BB8 : Thread id of the last thread using it. " +
			"00000000 : Not used. ====================================== 0:000> dps 01B2C3D4 01b2c3d4 0243527a vfPrint!CItemTracker(void *)::Init+0x6a " +
			"01b2c3d8 7433e548 PRINTUI!VDataNotify::svNotifyStart+0x00000023 --------- this is the routine that is suspected of creating and not freeing a handle | 01b2c3dc 11111111 not!AFrame\n",
			0x7d0, []facts.VerifierStop{{Code: "a001", Message: "Leaked printer change notification handle detected", Handle: 0xa4,
				Frames: []string{"vfPrint!CItemTracker(void *)::Init+0x6a", "PRINTUI!VDataNotify::svNotifyStart+0x23"}, Pos: facts.Position{Line: 1}}}},
		{"a leaked handle with the dps of its stack and the du of its owner DLL", "VERIFIER STOP 00000901: pid 0x1234: A HANDLE was leaked.\n\n" +
			"\t00000108 : Value of the leaked handle. Run !htrace <handle> to get additional information about the handle if handle tracing is enabled.\n" +
			"\t03BA0FE0 : Address to the allocation stack trace. Run dps <address> to view the allocation stack.\n" +
			"\t03BB1FE2 : Address of the owner dll name. Run du <address> to dump it.\n" +
			"\t6D0B0000 : Base of the owner dll. Run .reload <dll_name> = <address> to reload the owner dll.\n\n" +
			"=======================================\nThis verifier stop is continuable.\nAfter debugging it use `go' to continue.\n\n" +
			"0:000> dps 03BA0FE0\n03ba0fe0  6d0b1a2c vfbasics!AVrfpCreateEventW+0x5c\n" +
			"03ba0fe4  1b2c3d4e contosohook!TelemetryQueue::Open+0x0000003a\n03ba0fe8  1b2c0102\n03ba0fec  00000000\n03ba0ff0  6d0b1111 vfbasics!Later+0x1\n" +
			"0:000> du 03BB1FE2\n03bb1fe2  \"contosohook.dll\"\n" +
			"0:000> dps 0badf00d\n0badf00d  11111111 other!NotTheStops+0x1\n" +
			"0:000> dps 03BA0FE0\n03ba0fe0  6d0b1a2c again!TheSameDumpShownTwice+0x1\n0:000> du 03BB1FE2\n03bb1fe2  \"again.dll\"\n",
			0x1234, []facts.VerifierStop{{Code: "901", Message: "A HANDLE was leaked.", Handle: 0x108,
				Frames: []string{"vfbasics!AVrfpCreateEventW+0x5c", "contosohook!TelemetryQueue::Open+0x3a", "0x1b2c0102"},
				Owner:  "contosohook.dll", Pos: facts.Position{Line: 1}}}},
		{"too many open printer handles, counted", "VERIFIER STOP 0000A00B : pid 0x9C4: Too many open printer handles\n\n" +
			"        000003EB : Number of currently open printer handles.\n        00000000 : Not used.\n",
			0x9c4, []facts.VerifierStop{{Code: "a00b", Message: "Too many open printer handles", Open: 1003, Pos: facts.Position{Line: 1}}}},
		{"too many PrintTicket providers, a page flattened onto one line", "======================================= VERIFIER STOP 0000A00D : pid 0xFBC: " +
			"Too many open PrintTicket provider handles (HPTPROVIDER) 000003EC : Number of currently opened PrintTicket provider handles. " +
			"00000000 : Not used. 00000000 : Not used. 00000000 : Not used. =======================================\n",
			0xfbc, []facts.VerifierStop{{Code: "a00d", Message: "Too many open PrintTicket provider handles (HPTPROVIDER)", Open: 1004, Pos: facts.Position{Line: 1}}}},
		{"too many printer handles as !analyze -v names it", "APPLICATION_VERIFIER_PRINTAPI_TOO_MANY_OPEN_PRINTER_HANDLES (a00b)\n" +
			"Too many open printer handles\nArguments:\nArg1: 000003ed, Number of currently open printer handles.\nArg2: 00000000, Not used.\n",
			0, []facts.VerifierStop{{Code: "a00b", Message: "APPLICATION_VERIFIER_PRINTAPI_TOO_MANY_OPEN_PRINTER_HANDLES", Open: 1005, Pos: facts.Position{Line: 1}}}},
		{"a use of a closed printer handle is no leak", "VERIFIER STOP 0000A005 : pid 0x9C4: Attempt to use a closed printer handle\n\n" +
			"        01A2B3C4 : Printer handle being accessed.\n        00000000 : Not used.\n", 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			var got []facts.VerifierStop
			var pid uint64
			for _, p := range snap.Processes {
				for _, s := range p.VerifierStops {
					s.Pos.Path = ""
					got = append(got, s)
					pid = p.PID
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" || pid != tc.pid {
				t.Errorf("pid %#x, want %#x; stops (-want +got):\n%s", pid, tc.pid, diff)
			}
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d unrecognized lines: %v", n, snap.Diagnostics)
			}
			// A stop that reports no leaked handle is named, not passed
			// over in silence.
			var named bool
			for _, d := range snap.Diagnostics {
				named = named || (d.Code == facts.CodeIgnoredCommand && strings.Contains(d.Message, "reports no leaked handle"))
			}
			if named != (tc.want == nil) {
				t.Errorf("a diagnostic names the stop as no leak: %v, want %v (%v)", named, tc.want == nil, snap.Diagnostics)
			}
		})
	}
}

// TestAnalyzedVerifierStop reads a verifier stop as `!analyze -v` prints
// it, with no prompt: the capture is kd's, and the stop's process takes
// the image the analysis names.
func TestAnalyzedVerifierStop(t *testing.T) {
	const capture = "APPLICATION_VERIFIER_LEAK_HANDLE (901)\nA HANDLE was leaked.\nArguments:\n" +
		"Arg1: 00000000000001e4, Value of the leaked handle.\n\nPROCESS_NAME:  contoso.exe\n"
	if !Sniff([]byte(capture), false) {
		t.Fatalf("Sniff(%q) = false, want true", capture)
	}
	snap := readString(t, capture)
	if len(snap.Processes) != 1 || snap.Processes[0].Image != "contoso.exe" || len(snap.Processes[0].VerifierStops) != 1 {
		t.Errorf("processes %+v, want contoso.exe with one stop", snap.Processes)
	}
}

// TestTwoImagesAtOneAddress: two PROCESS blocks of one EPROCESS address
// with different images are one process object shown twice with
// conflicting data; the reader keeps the first and says so.
func TestTwoImagesAtOneAddress(t *testing.T) {
	const capture = `PROCESS 8a5295f0  SessionId: 0  Cid: 0220    Peb: 7ffdf000  ParentCid: 0004
    DirBase: 0acc0020  ObjectTable: e1002e68  HandleCount: 120.
    Image: svchost.exe

PROCESS 8a5295f0  SessionId: 0  Cid: 0220    Peb: 7ffdf000  ParentCid: 0004
    DirBase: 0acc0020  ObjectTable: e1002e68  HandleCount: 120.
    Image: contoso.exe
`
	snap := readString(t, capture)
	if len(snap.Processes) != 1 || snap.Processes[0].Image != "svchost.exe" {
		t.Fatalf("processes %v, want svchost.exe alone", snap.Processes)
	}
	found := false
	for _, d := range snap.Diagnostics {
		found = found || (d.Code == facts.CodeMergedProcess && d.Line == 7)
	}
	if !found {
		t.Errorf("no merged-process diagnostic at line 7: %v", snap.Diagnostics)
	}
}

// TestKernelHtraceDiffNamesThePid: kernel-mode !htrace -diff heads its
// traces with the process object's address; the pid comes from the
// traces' Process ID lines, and the type from the kernel function that
// opened them.
func TestKernelHtraceDiffNamesThePid(t *testing.T) {
	const capture = `kd> !htrace -diff 0 ffffe0015a3c2080
Process 0xffffe0015a3c2080
ObjectTable 0xffffc00033d2e9c0

Outstanding handles opened since the previous snapshot:
--------------------------------------
Handle 0x1f0 - OPEN
Thread ID = 0x0000000000000c14, Process ID = 0x0000000000000a18

0xfffff8012c4d3a11: nt!ObOpenObjectByPointer+0x131
0xfffff8012c52b0e4: nt!PsOpenProcess+0x2a4
0xfffff80a1b2c1340: ContosoFlt!CtxTrackProcess+0x60
--------------------------------------
Displayed 0x1 stack traces for outstanding handles opened since the previous snapshot.
`
	p := readString(t, capture).Processes[0]
	if p.PID != 0xa18 || p.OpenSinceSnapshot != 1 || len(p.OpenStacks) != 1 || p.OpenStacks[0].Type != "Process" {
		t.Errorf("pid %#x, open since snapshot %d, stacks %+v; want 0xa18, 1, one Process stack", p.PID, p.OpenSinceSnapshot, p.OpenStacks)
	}
}

// TestUserHtraceDiffPidFromBreakIn: a user-mode !htrace -diff whose
// records give no "Process ID =" (a Thread ID line alone, or cut before
// it) is of the debuggee, whose pid the break-in's exception line names,
// in the output of "g" that is otherwise not read.
func TestUserHtraceDiffPidFromBreakIn(t *testing.T) {
	const capture = `0:002> !htrace -snapshot
Handle tracing information snapshot successfully taken.
0:002> g
(2a3c.0f10): Break instruction exception - code 80000003 (first chance)
ntdll!DbgBreakPoint:
77f1000c cc int 3
0:004> !htrace -diff
Handle tracing information snapshot successfully taken.
0x12 new stack traces since the previous snapshot.
Ignoring handles that were already closed...
Outstanding handles opened since the previous snapshot:
--------------------------------------
Handle = 0x00000a2c - OPEN
Thread ID = 0x00000f10
0x77f20010: ntdll!NtOpenKey+0x0000000c
0x00a41234: sample!Poller::Refresh+0x00000044
`
	p := readString(t, capture).Processes[0]
	if p.PID != 0x2a3c || p.OpenSinceSnapshot != 1 {
		t.Errorf("pid %#x, open since snapshot %d; want 0x2a3c, 1", p.PID, p.OpenSinceSnapshot)
	}
}

// TestHtraceProcessIDLineWinsOverBreakIn: the pid a record prints is kept
// over the break-in's.
func TestHtraceProcessIDLineWinsOverBreakIn(t *testing.T) {
	const capture = `0:000> g
(2a3c.0f10): Break instruction exception - code 80000003 (first chance)
0:000> !htrace -diff
Outstanding handles opened since the previous snapshot:
--------------------------------------
Handle = 0x000005b0 - OPEN
Thread ID = 0x000007f4, Process ID = 0x000013f0
0x00401657: sample!Open+0x00000047
`
	if p := readString(t, capture).Processes[0]; p.PID != 0x13f0 {
		t.Errorf("pid %#x, want 0x13f0", p.PID)
	}
}
