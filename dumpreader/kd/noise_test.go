package kd

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// TestDebuggerSessionLinesAreNoise checks that the lines of an ordinary
// user-mode session are ignored, not unrecognized, and that what follows
// them is still read.
func TestDebuggerSessionLinesAreNoise(t *testing.T) {
	const capture = `Microsoft (R) Windows Debugger Version 10.0.22621.2428 AMD64
Copyright (c) Microsoft Corporation. All rights reserved.

*** wait with pending attach
Symbol search path is: srv*C:\symbols*https://msdl.microsoft.com/download/symbols
Executable search path is: 
ModLoad: 00c20000 00c48000   C:\tools\queued.exe
ModLoad: 77150000 772ea000   C:\Windows\SYSTEM32\ntdll.dll
************* Path validation summary **************
Response                         Time (ms)     Location
Deferred                                       srv*C:\symbols*https://msdl.microsoft.com/download/symbols
OK                                             C:\tools
Failed                                 15      \\build\drops\queued\1.4
(2a10.2a14): Break instruction exception - code 80000003 (first chance)
First chance exceptions are reported before any exception handling.
This exception may be expected and handled.
eax=00000000 ebx=00000000 ecx=a1c40000 edx=00000000 esi=7efdd000 edi=00000000
eip=771ee60e esp=0088f4e4 ebp=0088f510 iopl=0         nv up ei pl zr na pe nc
cs=0023  ss=002b  ds=002b  es=002b  fs=0053  gs=002b             efl=00000246
ntdll!LdrpDoDebuggerBreak+0x2c:
771ee60e cc              int     3
*** WARNING: Unable to verify checksum for queued.exe
*** ERROR: Symbol file could not be found.  Defaulted to export symbols for helper.dll - 
*** ERROR: Module load completed but symbols could not be loaded for queued.exe
** WARNING: Unable to verify checksum for queued.exe

0:000> ~*
.  0  Id: 2a10.2a14 Suspend: 1 Teb: 7efdd000 Unfrozen
      Start: queued!mainCRTStartup (00c21c80)
      Priority: 0  Priority class: 32  Affinity: 3
   1  Id: 2a10.1d3c Suspend: 1 Teb: 7efda000 Unfrozen
      Start: ntdll!TppWorkerThread (77183e10)
      Priority: 0  Priority class: 32  Affinity: 3
0:000> !htrace
--------------------------------------
Handle = 0x00000048 - OPEN
Thread ID = 0x00002a14, Process ID = 0x00002a10

0x771d0f4c: ntdll!NtCreateEvent+0x0000000c
0x7566b3e1: KERNELBASE!CreateEventExW+0x00000071
*** WARNING: Unable to verify checksum for queued.exe
0x00c2118b: queued!Queue::Open+0x0000002b
0x00c21022: queued!main+0x00000022
--------------------------------------
Parsed 0x1 stack traces.
Dumped 0x1 stack traces.
`
	snap := readString(t, capture)
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d unrecognized lines: %+v", n, snap.Diagnostics)
	}
	if len(snap.Processes) != 1 {
		t.Fatalf("%d processes, want the debuggee: %+v", len(snap.Processes), snap.Processes)
	}
	p := snap.Processes[0]
	if p.Image != "queued.exe" || p.PID != 0x2a10 {
		t.Errorf("debuggee pid 0x%x image %q, want 0x2a10 queued.exe (from thread 0's Start:)", p.PID, p.Image)
	}
	want := []string{"ntdll!NtCreateEvent+0xc", "KERNELBASE!CreateEventExW+0x71", "queued!Queue::Open+0x2b", "queued!main+0x22"}
	if len(p.OpenStacks) != 1 {
		t.Fatalf("%d open stacks, want 1", len(p.OpenStacks))
	}
	if diff := cmp.Diff(want, p.OpenStacks[0].Frames); diff != "" {
		t.Errorf("the warning in the stack cut it: frames diff (-want +got):\n%s", diff)
	}
	var noted bool
	for _, d := range snap.Diagnostics {
		if d.Code == facts.CodeMissing && d.Line == 29 && strings.Contains(d.Message, "queued.exe") {
			noted = true
		}
	}
	if !noted {
		t.Errorf("no diagnostic on line 29 says where the image came from: %+v", snap.Diagnostics)
	}
}

// TestNoiseShapes checks each shape of debugger noise on its own, and
// lines that look like them but are not.
func TestNoiseShapes(t *testing.T) {
	tests := []struct {
		name  string
		lines string
		want  facts.LineCounts
	}{
		{"register dump x64", "(1f4.2b8): Access violation - code c0000005 (first chance)\n" +
			"rax=0000000000000000 rbx=000000c0e8d3f6a0 rcx=0000000000000000\n" +
			"r8=0000000000000000  r9=0000000000000001 r10=0000000000000000\n" +
			"iopl=0         nv up ei pl zr na po nc\n" +
			"agent!Worker::Run+0x4a:\n" +
			"00007ff6`1b2e0e10 488b08          mov     rcx,qword ptr [rax] ds:00000000`00000000=????????????????\n",
			facts.LineCounts{Total: 6, Ignored: 6}},
		{"a symbol label without a break-in is not noise", "ntdll!DbgBreakPoint:\n", facts.LineCounts{Total: 1, Unrecognized: 1}},
		{"disassembly ends at a blank line", "eax=00000000 ebx=00000000\n\n7794433c cc              int     3\n",
			facts.LineCounts{Total: 3, Ignored: 2, Unrecognized: 1}},
		{"not a register", "eaxx=00000000\n", facts.LineCounts{Total: 1, Unrecognized: 1}},
		{"not an exception", "(see below): the handle - code review\n", facts.LineCounts{Total: 1, Unrecognized: 1}},
		{"exception line without pid.tid", "Invalid handle - code c0000008 (first chance)\n" +
			"Access violation - code c0000005 (!!! second chance !!!)\n" +
			"eax=00000000 ebx=6a27c280 ecx=6a226447\nntdll!DbgBreakPoint:\n6a22629c cc               int     3\n",
			facts.LineCounts{Total: 5, Ignored: 5}},
		{"bugcheck break-in", "*** Fatal System Error: 0x000000c4\n" +
			"                       (0x00000062,0x86A84EBC,0x86A2D4F8,0x00000001)\n\n" +
			"A fatal system error has occurred.\nDebugger entered on first try; Bugcheck callbacks have not been invoked.\n\n" +
			"For analysis of this file, run !analyze -v\nnt!RtlpBreakWithStatusInstruction:\n82a89110 int     3\n",
			facts.LineCounts{Total: 9, Parsed: 2, Ignored: 7}},
		{"bugcheck break-in with the driver at fault and reconnects", "Edition build lab: 22621.2506.amd64fre.ni_release_svc_prod3.231018-1809\n" +
			"KDTARGET: Refreshing KD connection\n\n" +
			"*** Fatal System Error: 0x00000050\n" +
			"                       (0xFFFFEB66C0047FF8,0x0000000000000002,0xFFFFF8034C32457A,0x0000000000000002)\n\n" +
			"Driver at fault: \n" +
			"***               - Address FFFFF8034C32457A base at FFFFF8034C320000, DateStamp 5284eac3\n" +
			".\n" +
			"Break instruction exception - code 80000003 (first chance)\n",
			facts.LineCounts{Total: 10, Parsed: 2, Ignored: 8}},
		{"path validation of locations with blanks", "Response                         Time (ms)     Location\n" +
			"Deferred                                       SRV*C:\\Contoso Symbols\\1.4*https://symbols.contoso.com\n" +
			"Failed                                 15      \\\\build\\drops\\Fabrikam Tools\n" +
			"OK                                             C:\\Program Files\\Fabrikam\n",
			facts.LineCounts{Total: 4, Ignored: 4}},
		{"a status word before prose is no path validation", "Failed to load the extension: see below\n",
			facts.LineCounts{Total: 1, Unrecognized: 1}},
		{"a paste that starts at the bugcheck's break-in label", "nt!KeBugCheckEx:\n" +
			"fffff801`2c3d1c40 4883ec28        sub     rsp,28h\n" +
			"kd> !analyze -v\n",
			facts.LineCounts{Total: 3, Parsed: 1, Ignored: 2}},
		{"another routine's label alone", "contoso!Worker:\nfffff801`2c3d1c40 4883ec28        sub     rsp,28h\n",
			facts.LineCounts{Total: 2, Unrecognized: 2}},
		{"a fault address only after a bugcheck", "***               - Address FFFFF8034C32457A base at FFFFF8034C320000, DateStamp 5284eac3\n",
			facts.LineCounts{Total: 1, Unrecognized: 1}},
		{"bugcheck arguments only after the fatal error", "(0x00000062,0x86A84EBC)\n", facts.LineCounts{Total: 1, Unrecognized: 1}},
		{"not a bare exception line", "Review - code 12 (see the first chance)\nwe read - code c0000008 (later)\n",
			facts.LineCounts{Total: 2, Unrecognized: 2}},
		{"Start: outside a thread list", "Start: queued!mainCRTStartup (00c21c80)\n", facts.LineCounts{Total: 1, Unrecognized: 1}},
		{"thread list without its command", "#  2  Id: 2a10.2b00 Suspend: 1 Teb: 7efd7000 Unfrozen \"worker\"\n      Start: queued!WorkerMain (00c21f00)\n      Priority: 0  Priority class: 32  Affinity: 3\n",
			facts.LineCounts{Total: 3, Ignored: 3}},
		{"the answer of .process /i, with or without its <enter>", "kd> .process /i ffffe0014f80d680\n" +
			"You need to continue execution (press 'g' <enter>) for the context\n" +
			"to be switched. When the debugger breaks in again, you will be in\n" +
			"the new process context.\n" +
			"kd> .process /i ffffe0014f80d680\n" +
			"You need to continue execution (press 'g' ) for the context\n" +
			"to be switched. When the debugger breaks in again, you will be in\n" +
			"the new process context.\n",
			facts.LineCounts{Total: 8, Parsed: 2, Ignored: 6}},
		{"a user-mode dump's banner, its exception stored", "Loading Dump File [C:\\dumps\\agent.exe.4312.dmp]\n" +
			"User Mini Dump File: Only registers, stack and portions of memory are available\n\n" +
			"Windows 10 Version 22000 MP (12 procs) Free x64\n" +
			"Product: WinNt, suite: SingleUserTS\n" +
			"This dump file has an exception of interest stored in it.\n" +
			"The stored exception information can be accessed via .ecxr.\n",
			facts.LineCounts{Total: 7, Parsed: 1, Ignored: 6}},
		{"a paste between lone backticks", "`\nWindows 10 Version 22000 MP (12 procs) Free x64\n`\n",
			facts.LineCounts{Total: 3, Parsed: 1, Ignored: 2}},
		{"a line that names a Windows version and no processors is no banner", "Windows 10 Version 22000 is what we run\n",
			facts.LineCounts{Total: 1, Unrecognized: 1}},
		{"an extension DLL loaded by the command that follows", "kd> !htrace 7cc 8a1b2c30\n" +
			"Loaded \\\\dbgsrv\\debuggers\\winxp\\kdexts extension DLL\n" +
			"Loaded C:\\Program Files (x86)\\Windows Kits\\10\\Debuggers\\x86\\winxp\\kdexts extension DLL\n" +
			"Loaded kdexts extension DLL\n",
			facts.LineCounts{Total: 4, Parsed: 1, Ignored: 3}},
		{"a line about loaded modules is no extension load", "Loaded 12 modules, no extension DLL\n",
			facts.LineCounts{Total: 1, Unrecognized: 1}},
		{"what .process /P and /r answer, with its PTE decoding", "kd> .process /r /P ffffb20a4c5d6080\n" +
			"Implicit process is now ffffb20a`4c5d6080\n" +
			".cache forcedecodeptes done\n" +
			"Loading User Symbols\n",
			facts.LineCounts{Total: 4, Parsed: 2, Ignored: 2}},
		{"the box of an unqualified symbol's warning, after dx's error, cut short", "kd> dx KiBugCheckDriver\n" +
			"Type information missing error for KiBugCheckDriver\n" +
			"*************************************************************************\n" +
			"***                                                                   ***\n" +
			"***    Either you specified an unqualified symbol, or your debugger   ***\n" +
			"***    of unqualified symbols by typing \".symopt- 100\". Note that     ***\n" +
			"***    enabling unqualified symbol resolution with network symbol\n",
			facts.LineCounts{Total: 7, Parsed: 1, Ignored: 6}},
		{"a line that starts with stars after a blank is no box's", "***    see the notes above\n",
			facts.LineCounts{Total: 1, Unrecognized: 1}},
		{"checksum warnings", "** WARNING: Unable to verify checksum for a.exe\n*** WARNING: Unable to verify checksum for b.exe\n",
			facts.LineCounts{Total: 2, Ignored: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := readString(t, tc.lines).Sources[0].Lines
			if got != tc.want {
				t.Errorf("lines %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestImageFromThreadStart checks which thread's start names the
// debuggee, and that `|` output wins over it.
func TestImageFromThreadStart(t *testing.T) {
	const list = "0:000> ~\n" +
		".  0  Id: 1a2c.1b3c Suspend: 1 Teb: 7ffdf000 Unfrozen\n" +
		"      Start: %s\n" +
		"   1  Id: 1a2c.1c00 Suspend: 1 Teb: 7ffde000 Unfrozen\n" +
		"      Start: %s\n"
	tests := []struct {
		name, main, other, extra string
		want                     string
	}{
		{"main thread", "agent!wmainCRTStartup (00ab1c80)", "plugin!Poll (10001000)", "", "agent.exe"},
		{"main thread in a runtime, another in the program", "ucrtbase!thread_start<unsigned int (__stdcall*)(void *)> (7621a3c0)", "agent!Pump (00ab2000)", "", "agent.exe"},
		{"only system modules", "ntdll!TppWorkerThread (77183e10)", "KERNELBASE!BaseThreadInitThunk (75e01234)", "", ""},
		{"pipe output wins", "agent!wmainCRTStartup (00ab1c80)", "ntdll!TppWorkerThread (77183e10)",
			"0:000> |\n.  0\tid: 1a2c\tattach\tname: C:\\Program Files\\Agent\\agentsvc.exe\n", "agentsvc.exe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			capture := strings.Replace(strings.Replace(list, "%s", tc.main, 1), "%s", tc.other, 1) + tc.extra +
				"0:000> !handle 0 0\n12 Handles\n"
			snap := readString(t, capture)
			if len(snap.Processes) != 1 || snap.Processes[0].Image != tc.want {
				t.Errorf("processes %+v, want one with image %q", snap.Processes, tc.want)
			}
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d unrecognized lines: %+v", n, snap.Diagnostics)
			}
		})
	}
}

// TestFenceGluedToCapture checks that a markdown fence glued to the
// first command of a paste ("```0: kd> !process -1 0") or to the end of
// its last line is read past: the command is read as the prompt it is.
func TestFenceGluedToCapture(t *testing.T) {
	const capture = "```0: kd> !process -1 0\n" +
		"PROCESS ffffdc0155e94340\n" +
		"    SessionId: 0  Cid: 0d94    Peb: 1585fea000  ParentCid: 029c\n" +
		"    DirBase: 125bbe000  ObjectTable: ffff81011ceac140  HandleCount: 1132.\n" +
		"    Image: scanner.exe```\n"
	snap := readString(t, capture)
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d unrecognized lines: %+v", n, snap.Diagnostics)
	}
	if len(snap.Processes) != 1 {
		t.Fatalf("%d processes, want 1: %+v", len(snap.Processes), snap.Processes)
	}
	p := snap.Processes[0]
	if p.Image != "scanner.exe" || p.PID != 0xd94 || p.HandleCount == nil || *p.HandleCount != 1132 {
		t.Errorf("process %q pid 0x%x count %v, want scanner.exe 0xd94 1132", p.Image, p.PID, p.HandleCount)
	}
}

// TestImageFromBoldStarThreadList checks that a markdown page's thread
// list, its command `~*` written in bold with the star escaped
// (`> 0:001> **~\***`), still names the debuggee from thread 0's start.
func TestImageFromBoldStarThreadList(t *testing.T) {
	const capture = "> 0:001> **!handle**\n" +
		"> 40 Handles\n" +
		"> Type           \tCount\n" +
		"> Thread         \t40\n" +
		"\n" +
		"> 0:001> **~\\***\n" +
		">    0  Id: 2b10.2b14 Suspend: 1 Teb: 00626000 Unfrozen\n" +
		">       Start: contoso!mainCRTStartup (00a1133e)\n" +
		">       Priority: 0  Priority class: 32  Affinity: f\n" +
		"> .  1  Id: 2b10.2c00 Suspend: 1 Teb: 0063b000 Unfrozen\n" +
		">       Start: ntdll!DbgUiRemoteBreakin (7775abe0)\n" +
		">       Priority: 0  Priority class: 32  Affinity: f\n"
	snap := readString(t, capture)
	if len(snap.Processes) != 1 || snap.Processes[0].Image != "contoso.exe" {
		t.Errorf("processes %+v, want one, contoso.exe from thread 0's Start:", snap.Processes)
	}
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d unrecognized lines: %+v", n, snap.Diagnostics)
	}
}

// TestSymbolLoadProgressIsNoElision: the rows of dots a debugger prints
// while it loads symbols, as short as one per unloaded module and with
// the debugger's own messages glued after them, are its progress, not
// an author's cut; those messages alone (a page missing from the dump,
// a paged-out PEB, a loader entry it could not read) are its noise. A
// row of dots anywhere else is still an elision.
func TestSymbolLoadProgressIsNoElision(t *testing.T) {
	const session = "Loading Kernel Symbols\n" +
		"...............................................................\n" +
		"........Page 1008a6 not present in the dump file. Type \".hh dbgerr004\" for details\n" +
		"....\n" +
		"Loading User Symbols\n" +
		"PEB is paged out (Peb.Ldr = 000007ff`fffd8018).  Type \".hh dbgerr001\" for details\n" +
		"Unable to read LDR_DATA_TABLE_ENTRY at 00000220`51804800 - Win32 error 0n30\n" +
		"Page 101c9d not present in the dump file. Type \".hh dbgerr004\" for details\n" +
		"\n" +
		"Loading unloaded module list\n" +
		"........\n"
	snap := readString(t, session)
	if got, want := snap.Sources[0].Lines, (facts.LineCounts{Total: 11, Ignored: 11}); got != want {
		t.Errorf("lines %+v, want %+v: %+v", got, want, snap.Diagnostics)
	}
	for _, d := range snap.Diagnostics {
		if d.Code == facts.CodeElision {
			t.Errorf("line %d taken for an elision: %s", d.Line, d.Message)
		}
	}

	cut := readString(t, "kd> !process 0 0\n........\n")
	var elided bool
	for _, d := range cut.Diagnostics {
		elided = elided || d.Code == facts.CodeElision && d.Line == 2
	}
	if !elided {
		t.Errorf("dots in a command's output are no longer an elision: %+v", cut.Diagnostics)
	}
}

// TestBreakpointHitIsBreakIn: a breakpoint's break-in ("Breakpoint 20
// hit", here glued to a fence), the symbol it stopped at and its
// disassembly are the debugger's, not unrecognized lines; a line that only
// starts like one is.
func TestBreakpointHitIsBreakIn(t *testing.T) {
	const capture = "```Breakpoint 20 hit\n" +
		"nt!ExAllocatePoolWithTag:\n" +
		"fffff807`065fb030 48895c2408      mov     qword ptr [rsp+8],rbx\n" +
		"1: kd> gu\n" +
		"0: kd> !process 0 0 contoso.exe\n" +
		"PROCESS ffffdc0155e94340\n" +
		"    SessionId: 0  Cid: 0d94    Peb: 1585fea000  ParentCid: 029c\n" +
		"    DirBase: 125bbe000  ObjectTable: ffff81011ceac140  HandleCount: 132.\n" +
		"    Image: contoso.exe\n"
	snap := readString(t, capture)
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d unrecognized lines: %+v", n, snap.Diagnostics)
	}
	if len(snap.Processes) != 1 {
		t.Errorf("processes %+v, want contoso.exe", snap.Processes)
	}
	for _, other := range []string{"Breakpoint 20 hit the wall\n", "Breakpoint x hit\n", "Breakpoint  hit\n"} {
		if isBreakpointHit([]byte(strings.TrimSpace(other))) {
			t.Errorf("isBreakpointHit(%q) = true, want false", other)
		}
	}
}

// TestSessionEndIsNoise: what cdb prints as a -c chain's q ends the
// session ("quit:", the visualizers it unloads) is the debugger's, not
// unrecognized lines.
func TestSessionEndIsNoise(t *testing.T) {
	const capture = "0:000> !handle 0 0;q\n42 Handles\nType           Count\nEvent          20\nFile           22\n" +
		"quit:\n" +
		"NatVis script unloaded from 'C:\\Program Files\\Windows Kits\\10\\Debuggers\\x64\\Visualizers\\atlmfc.natvis'\n"
	snap := readString(t, capture)
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d unrecognized lines: %+v", n, snap.Diagnostics)
	}
	if len(snap.Processes) != 1 || snap.Processes[0].HandleCount == nil || *snap.Processes[0].HandleCount != 42 {
		t.Errorf("processes %+v, want the debuggee's 42 handles", snap.Processes)
	}
	if l := readString(t, "quit: the program\n").Sources[0].Lines; l.Unrecognized != 1 {
		t.Errorf("'quit: the program': lines %+v, want it unrecognized", l)
	}
}
