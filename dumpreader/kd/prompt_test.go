package kd

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

func TestStripPrompt(t *testing.T) {
	tests := []struct {
		in   string
		cmd  string
		kind promptKind
		ok   bool
	}{
		{"kd> !process 0 0", "!process 0 0", promptKernel, true},
		{"0: kd> !handle", "!handle", promptKernel, true},
		{"12: kd>", "", promptKernel, true},
		{": kd> !poolused 1 Hack", "!poolused 1 Hack", promptKernel, true},
		{":  lkd> !vm", "!vm", promptKernel, true},
		{": see kd> below", "", promptNone, false},
		{":kd>", "", promptNone, false},
		{"lkd> !handle 0 7 62c", "!handle 0 7 62c", promptKernel, true},
		{"0:000> !handle 0 f", "!handle 0 f", promptUser, true},
		{"0:000:x86> !handle", "!handle", promptUser, true},
		{"0:000>0: kd> !process 0 0", "!process 0 0", promptKernel, true},
		{"0004: Object: e1009568 GrantedAccess: 000f0003", "", promptNone, false},
		{"PROCESS 8a5295f0", "", promptNone, false},
	}
	for _, tc := range tests {
		cmd, kind, ok := stripPrompt([]byte(tc.in))
		if ok != tc.ok || kind != tc.kind || (ok && string(cmd) != tc.cmd) {
			t.Errorf("stripPrompt(%q) = %q, %v, %v; want %q, %v, %v", tc.in, cmd, kind, ok, tc.cmd, tc.kind, tc.ok)
		}
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		in   string
		kind promptKind
		want command
	}{
		{"!handle", promptKernel, command{name: "!handle", known: true, handleFlags: -1}},
		{"!handle 0 3 ffff96817396c4c0 Event", promptKernel, command{name: "!handle", known: true, handleFlags: 3, typeFilter: "Event"}},
		{"!handle 0 3 0 Section", promptNone, command{name: "!handle", known: true, handleFlags: 3, typeFilter: "Section"}},
		{"!handle 0 1 File", promptUser, command{name: "!handle", known: true, handleFlags: 1, typeFilter: "File"}},
		{"!handle 0 1 File", promptNone, command{name: "!handle", known: true, handleFlags: 1, typeFilter: "File"}},
		{"!handle 0 3 ffff8d8f37916080", promptNone, command{name: "!handle", known: true, handleFlags: 3}},
		{"!handle 00000000`0000255c", promptKernel, command{name: "!handle", known: true, handleOne: 0x255c, handleFlags: -1}},
		{"!handle 0x10 7 0x1f8", promptKernel, command{name: "!handle", known: true, handleOne: 0x10, handleFlags: 7}},
		{"!handle rcx", promptKernel, command{name: "!handle", known: true, handleExpr: "rcx", handleFlags: -1}},
		{"!handle poi(@rsp+8) f", promptKernel, command{name: "!handle", known: true, handleExpr: "poi(@rsp+8)", handleFlags: 0xf}},
		{"!process 0 0", promptKernel, command{name: "!process", known: true}},
		{"!process 0n3248 0", promptKernel, command{name: "!process", known: true}},
		{"!process fb667a00 7", promptKernel, command{name: "!process", known: true, processDetails: true}},
		{"!process", promptKernel, command{name: "!process", known: true, processDetails: true}},
		{".process /p /r 897e6c00", promptKernel, command{name: ".process", known: true, processDetails: true, context: "897e6c00"}},
		{".process -p -r 897e6c00", promptKernel, command{name: ".process", known: true, processDetails: true, context: "897e6c00"}},
		{`!for_each_process "!handle 0 1 @#Process Process"`, promptKernel, command{name: "!for_each_process", known: true, typeFilter: "Process"}},
		{"!process 0 0; !handle 0 3 0; q", promptKernel, command{name: "!process", known: true, handleFlags: 3}},
		{"lm", promptKernel, command{name: "lm", processDetails: true}},
		{"~*", promptUser, command{name: "~*", known: true, processDetails: true}},
		{"~3", promptUser, command{name: "~3", known: true, processDetails: true}},
		{"~* k", promptUser, command{name: "~*", processDetails: true}},
		{"!handle 0 0 0 Process", promptKernel, command{name: "!handle", known: true, typeFilter: "Process"}},
		// Extensions that run a command and pass its output through.
		{"!mex.grep -A 6 .etl !handle 0 3 0 File", promptKernel,
			command{name: "!handle", known: true, handleFlags: 3, typeFilter: "File", wrapper: "!mex.grep", filtered: true}},
		{`.shell -ci "!handle 0 f" findstr /i Event`, promptUser,
			command{name: "!handle", known: true, handleFlags: 0xf, wrapper: ".shell", filtered: true}},
		{`!myext.each '!process 0 0'`, promptKernel, command{name: "!process", known: true, wrapper: "!myext.each"}},
		{"!mex.grep -i .process !object 0", promptKernel, command{name: "!mex.grep", processDetails: true}},
		{"!mex.grep x", promptKernel, command{name: "!mex.grep", processDetails: true}},
		{"!mex.grep -A 2 -i !handle !process 0 0", promptKernel,
			command{name: "!process", known: true, wrapper: "!mex.grep", filtered: true}},
	}
	for _, tc := range tests {
		got := parseCommand([]byte(tc.in), tc.kind)
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(command{})); diff != "" {
			t.Errorf("parseCommand(%q): diff (-want +got):\n%s", tc.in, diff)
		}
	}
}

// TestOneHandleByExpression: `!handle rcx` at a breakpoint shows one
// entry of a table that holds thousands: that is what was asked, not a
// capture cut short (an info, not a warning); the banner of !handle 0
// across processes is the debugger's own line.
func TestOneHandleByExpression(t *testing.T) {
	const capture = "1: kd> !handle rcx\nPROCESS ffffcc850d5b9140\n" +
		"    SessionId: 1  Cid: 0dbc    Peb: 00389000  ParentCid: 0ff8\n" +
		"    DirBase: 5264b002  ObjectTable: ffffe30ff5443c80  HandleCount: 544.\n    Image: loader.exe\n\n" +
		"Kernel handle table at ffffe30fec430e40 with 2857 entries in use\n\n" +
		"8000062c: Object: ffffe30fecfda5b0  GrantedAccess: 000f003f Entry: ffffe30fecedb8b0\n" +
		"Object: ffffe30fecfda5b0  Type: (ffffcc85036ba4e0) Key\n" +
		"1: kd> !handle 0 0 0 Process\n\n**** NT ACTIVE PROCESS HANDLE DUMP ****\n\nSearching for handles of type Process\n"
	snap := readString(t, capture)
	var mismatch []facts.Diagnostic
	for _, d := range snap.Diagnostics {
		if d.Code == facts.CodeCountMismatch {
			mismatch = append(mismatch, d)
		}
	}
	if len(mismatch) != 1 || mismatch[0].Severity != facts.SevInfo || !strings.Contains(mismatch[0].Message, "rcx") {
		t.Errorf("count-mismatch diagnostics %+v, want one info that names rcx", mismatch)
	}
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
		t.Errorf("lines %+v, want none unrecognized: %v", l, snap.Diagnostics)
	}
}

// TestChainedRunOutputIsTheProgramsOutput: a command line that lets the
// debuggee run between its commands, as a CI job's `cdb -c "!htrace
// -enable;g;!htrace -diff;q"`, shows the program's own output (a test
// runner's report) among the debugger's: those lines are counted as
// ignored, said in one diagnostic, and the -diff after them is read. A
// command line that does not run the program keeps such a line
// unrecognized.
func TestChainedRunOutputIsTheProgramsOutput(t *testing.T) {
	const diff = "Handle tracing information snapshot successfully taken.\n" +
		"0x1 new stack traces since the previous snapshot.\n" +
		"Ignoring handles that were already closed...\n" +
		"Outstanding handles opened since the previous snapshot:\n" +
		"--------------------------------------\n" +
		"Handle = 0x00000000000000c4 - OPEN\n" +
		"Thread ID = 0x0000000000001d3c, Process ID = 0x0000000000002a10\n\n" +
		"0x00007ffb8c66d0c4: ntdll!NtCreateEvent+0x0000000000000014\n" +
		"0x00007ff61a2b1f2c: contoso_tests!Queue::Open+0x000000000000002c\n" +
		"--------------------------------------\n" +
		"Displayed 0x1 stack traces for outstanding handles opened since the previous snapshot.\n"
	const program = "[==========] Running 3 tests from 1 test suite.\n[  PASSED  ] 3 tests.\n"
	for _, tc := range []struct {
		name, command string
		unrecognized  int64
		noted         bool
	}{
		{"g in the chain", "0:000> !htrace -enable;g;!htrace -diff;q\n", 0, true},
		{"g first in the chain", "0:000> g;!htrace -diff\n", 0, true},
		{"no g in the chain", "0:000> !htrace -enable;!htrace -diff\n", 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			capture := tc.command + "Handle tracing enabled.\nHandle tracing information snapshot successfully taken.\n" + program + diff
			snap := readString(t, capture)
			if n := snap.Sources[0].Lines.Unrecognized; n != tc.unrecognized {
				t.Errorf("%d unrecognized lines, want %d: %+v", n, tc.unrecognized, snap.Diagnostics)
			}
			var noted bool
			for _, d := range snap.Diagnostics {
				noted = noted || d.Code == facts.CodeIgnoredCommand && strings.Contains(d.Message, "let it run")
			}
			if noted != tc.noted {
				t.Errorf("run output noted %v, want %v: %+v", noted, tc.noted, snap.Diagnostics)
			}
			if len(snap.Processes) != 1 || snap.Processes[0].OpenSinceSnapshot != 1 {
				t.Errorf("processes %+v, want the -diff's one handle read", snap.Processes)
			}
		})
	}
}
