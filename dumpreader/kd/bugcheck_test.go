package kd

import (
	"strings"
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
			checkDriverPoolLeaks(t, tc.capture, tc.want)
		})
	}
}

// TestAnalysisPastedWithoutCommand: an analysis pasted from its
// bugcheck's title on, without the `!analyze -v` line, is read as the
// command's output (the parameters in the debugger's form or as a summary
// rewrites them, "0x62 - ..."), a prompt-less command echo after it is
// read as the next command, and the paste is sniffed as kd.
func TestAnalysisPastedWithoutCommand(t *testing.T) {
	const summary = "DRIVER_VERIFIER_DETECTED_VIOLATION (c4)\nArguments:\n" +
		"Arg1: 0x62 - A driver has forgotten to free its pool allocations prior to unloading\n" +
		"Arg2: ffffc00012345678 - name of the driver having the issue\n" +
		"Arg4: 0x5 - total # of (paged+nonpaged) allocations that weren't freed (5 allocations)\n\n" +
		"STACK_TEXT:\n00 nt!KeBugCheckEx\n01 nt!VfPoolCheckForLeaks+0x60\n\n" +
		"!verifier 3 contosoio.sys\nVerify Flags Level 0x00000008\n"
	const indented = "    BAD_POOL_CALLER (c2)\n    Arguments:\n    Arg1: 000000000000000b, type of pool violation the caller is guilty of.\n" +
		"    Arg4: fffffa8005338f38\n\n    FAILURE_BUCKET_ID:  X64_0xc2_b_nt!ExDeleteResourceLite+199\n"
	tests := []struct {
		name, capture string
		want          []facts.DriverPoolLeak
	}{
		{"summary of 0xC4/0x62 named by !verifier 3", summary,
			[]facts.DriverPoolLeak{{Driver: "contosoio.sys", Allocations: 5, Source: facts.Position{Line: 1}}}},
		{"another bugcheck, indented", indented, nil},
		{"the analysis's banner box first", "***************\n*                     *\n*   Bugcheck Analysis   *\n*                     *\n***************\n\n" +
			"DRIVER_VERIFIER_DETECTED_VIOLATION (c4)\nArguments:\nArg1: 0000000000000062, A driver has forgotten to free its pool allocations prior to unloading.\n" +
			"Arg4: 0000000000000002, total # of (paged+nonpaged) allocations that weren't freed.\n",
			[]facts.DriverPoolLeak{{Allocations: 2, Source: facts.Position{Line: 3}}}},
		{"an excerpt from BUGCHECK_CODE on", "BUGCHECK_CODE:  c4\n\nBUGCHECK_P1: 62\n\nBUGCHECK_P2: ffffcc0ff5067f08\n\nBUGCHECK_P4: 1\n\n" +
			"IMAGE_NAME:  contosoio.sys\n\nPROCESS_NAME:  services.exe\n",
			[]facts.DriverPoolLeak{{Driver: "contosoio.sys", Allocations: 1, Source: facts.Position{Line: 1}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !Sniff([]byte(tc.capture), false) {
				t.Errorf("Sniff(%q) = false, want true", tc.capture)
			}
			checkDriverPoolLeaks(t, tc.capture, tc.want)
		})
	}
}

// TestBugcheckTitle: a bugcheck's title is capitals with an underscore and
// its code in parentheses; other capitals in parentheses are not titles.
func TestBugcheckTitle(t *testing.T) {
	tests := []struct {
		line string
		code uint64
		ok   bool
	}{
		{"DRIVER_VERIFIER_DETECTED_VIOLATION (c4)", 0xc4, true},
		{"SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M (1000007e)", 0x1000007e, true},
		{"TOTAL (c4)", 0, false},
		{"BAD_POOL_CALLER (see below)", 0, false},
		{"BAD_POOL_CALLER (123456789a)", 0, false},
	}
	for _, tc := range tests {
		code, ok := bugcheckTitle([]byte(tc.line))
		if code != tc.code || ok != tc.ok {
			t.Errorf("bugcheckTitle(%q) = %#x, %v, want %#x, %v", tc.line, code, ok, tc.code, tc.ok)
		}
	}
}

// TestDriverPoolLeakFromBreakIn: the kernel debugger's break-in at a
// bugcheck gives its code and parameters ("*** Fatal System Error:" and
// the line after it) before any analysis: 0xC4/0x62 there is the driver's
// leak, named by the !verifier 3 after it; the `!analyze -v` that
// follows reports the same bugcheck, which is counted once and may name
// the driver.
func TestDriverPoolLeakFromBreakIn(t *testing.T) {
	const breakIn = "*** Fatal System Error: 0x000000c4\n" +
		"                       (0x0000000000000062,0xFFFF890DEE9CCEF8,0xFFFF890DF2EFCE00,0x0000000000000012)\n\n" +
		"A fatal system error has occurred.\nDebugger entered on first try; Bugcheck callbacks have not been invoked.\n\n" +
		"nt!DbgBreakPointWithStatus:\nfffff807`6687d220 cc              int     3\n"
	const analyze = "2: kd> !analyze -v\nDRIVER_VERIFIER_DETECTED_VIOLATION (c4)\nArguments:\n" +
		"Arg1: 0000000000000062, A driver has forgotten to free its pool allocations prior to unloading.\n" +
		"Arg4: 0000000000000012, total # of (paged+nonpaged) allocations that weren't freed.\n\nIMAGE_NAME:  contosoio.sys\n"
	tests := []struct {
		name, capture string
		want          []facts.DriverPoolLeak
	}{
		{"break-in, then !verifier 3", breakIn + "2: kd> !verifier 0x3 contosoio.sys\n\nVerify Flags Level 0x001209bf\n",
			[]facts.DriverPoolLeak{{Driver: "contosoio.sys", Allocations: 18, Source: facts.Position{Line: 1}}}},
		{"break-in, then its analysis", breakIn + analyze,
			[]facts.DriverPoolLeak{{Driver: "contosoio.sys", Allocations: 18, Source: facts.Position{Line: 1}}}},
		{"break-in, then its analysis without the command", breakIn + "\n" +
			"*******************************************************************************\n" +
			"*                                                                             *\n" +
			"*                        Bugcheck Analysis                                    *\n" +
			"*                                                                             *\n" +
			"*******************************************************************************\n\n" +
			strings.TrimPrefix(analyze, "2: kd> !analyze -v\n") + "A device driver attempting to corrupt the system has been caught.\n",
			[]facts.DriverPoolLeak{{Driver: "contosoio.sys", Allocations: 18, Source: facts.Position{Line: 1}}}},
		{"the summary of a dump as it opens", "Loading Dump File [C:\\Windows\\MEMORY.DMP]\n" +
			"Use !analyze -v to get detailed debugging information.\n\n" +
			"BugCheck C4, {62, ffff890dee9ccef8, ffff890df2efce00, 12}\n\n" +
			"Probably caused by : contosoio.sys ( contosoio!IoctlDispatch+4c )\n\nFollowup: MachineOwner\n---------\n",
			[]facts.DriverPoolLeak{{Driver: "contosoio.sys", Allocations: 18, Source: facts.Position{Line: 4}}}},
		{"the summary, then its analysis", "BugCheck C4, {62, ffff890dee9ccef8, ffff890df2efce00, 12}\n\n" +
			"Probably caused by : contosoio.sys ( contosoio!IoctlDispatch+4c )\n\n" + analyze,
			[]facts.DriverPoolLeak{{Driver: "contosoio.sys", Allocations: 18, Source: facts.Position{Line: 1}}}},
		{"the summary of another bugcheck", "BugCheck CB, {f90c6ae0, f9949215, 81861788, 26}\n" +
			"Probably caused by : ks.sys ( ks!KsProbeStreamIrp+333 )\n", nil},
		{"break-in at another bugcheck", "*** Fatal System Error: 0x0000003b\n" +
			"                       (0x00000000C0000005,0xFFFFF8076687D220,0xFFFF890DF2EFCE00,0x0000000000000000)\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkDriverPoolLeaks(t, tc.capture, tc.want)
		})
	}
}

// checkDriverPoolLeaks reads capture and checks the driver pool leaks it
// gives (positions without their path) and that no line is left
// unrecognized.
func checkDriverPoolLeaks(t *testing.T, capture string, want []facts.DriverPoolLeak) {
	t.Helper()
	snap := readString(t, capture)
	var got []facts.DriverPoolLeak
	if snap.Memory != nil {
		got = snap.Memory.DriverPoolLeaks
		for i := range got {
			got[i].Source.Path = ""
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("driver pool leaks: diff (-want +got):\n%s", diff)
	}
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
		t.Errorf("lines %+v, want none unrecognized: %v", l, snap.Diagnostics)
	}
}

// TestDriverNamedByFailureBucket: an analysis that gives no IMAGE_NAME
// (an excerpt, a summary rewritten by hand) names the driver that left
// its pool at unload in its failure bucket, "0xc4_62_..._LEAKED_POOL_IMAGE_X.sys",
// under the debugger's keys or the key/value list of recent debuggers;
// IMAGE_NAME wins where both are, and another bugcheck's bucket names no
// driver.
func TestDriverNamedByFailureBucket(t *testing.T) {
	const head = "DRIVER_VERIFIER_DETECTED_VIOLATION (c4)\nArguments:\n" +
		"Arg1: 0000000000000062, A driver has forgotten to free its pool allocations prior to unloading.\n" +
		"Arg4: 0000000000000004, total # of (paged+nonpaged) allocations that weren't freed.\n\n"
	leakAt := func(driver string, line int64) []facts.DriverPoolLeak {
		return []facts.DriverPoolLeak{{Driver: driver, Allocations: 4, Source: facts.Position{Line: line}}}
	}
	leak := func(driver string) []facts.DriverPoolLeak { return leakAt(driver, 1) }
	tests := []struct {
		name, capture string
		want          []facts.DriverPoolLeak
	}{
		{"FAILURE_BUCKET_ID", head + "FAILURE_BUCKET_ID:  0xc4_62_VRF_LEAKED_POOL_IMAGE_contosoio.sys\n", leak("contosoio.sys")},
		{"PRIMARY_PROBLEM_CLASS", head + "PRIMARY_PROBLEM_CLASS:  0xc4_62_VRF_LEAKED_POOL_IMAGE_contoso-io.sys\n", leak("contoso-io.sys")},
		{"the key/value list", head + "KEY_VALUES_STRING: 1\n\n    Key  : Failure.Bucket\n    Value: 0xc4_62_LEAKED_POOL_IMAGE_Contoso_Io.sys\n\n" +
			"    Key  : Analysis.CPU.mSec\n    Value: 3109\n", leak("Contoso_Io.sys")},
		{"a summary's bold key and code span", "```\n" + head + "```\n\n**Failure Bucket**: `0xc4_62_LEAKED_POOL_IMAGE_contosoio.sys`\n", leakAt("contosoio.sys", 2)},
		{"IMAGE_NAME wins", head + "IMAGE_NAME:  fabrikam.sys\n\nFAILURE_BUCKET_ID:  0xc4_62_VRF_LEAKED_POOL_IMAGE_contosoio.sys\n", leak("fabrikam.sys")},
		{"a bucket of another failure", head + "FAILURE_BUCKET_ID:  0xc4_62_nt!VfPoolCheckForLeaks\n", leak("")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkDriverPoolLeaks(t, tc.capture, tc.want)
		})
	}
}

// TestAnalysisExcerptFromItsParameters: an excerpt of `!analyze -v` that
// starts at a parameter, its help text wrapped onto tab-indented lines,
// is the analysis's (no line unrecognized) up to the next command; a line
// that only starts like a parameter is not.
func TestAnalysisExcerptFromItsParameters(t *testing.T) {
	const excerpt = "Arg1: ffff8b8c4dc1c520, The calling address in the driver that locked the pages or if the\n" +
		"\tIO manager locked the pages this points to the dispatch routine of\n" +
		"\tthe top driver on the stack to which the IRP was sent.\n" +
		"\n" +
		"3: kd> !process 0 0 contoso.exe\nPROCESS ffffb20a4c5d6080\n    SessionId: 1  Cid: 1a2c    Peb: 00a3c000  ParentCid: 0f00\n" +
		"    DirBase: 1a2b3000  ObjectTable: ffffc001a2b3c4d0  HandleCount: 212.\n    Image: contoso.exe\n"
	snap := readString(t, excerpt)
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 || l.Parsed != 6 {
		t.Errorf("lines %+v, want the parameter, the prompt and the process block parsed, none unrecognized: %+v", l, snap.Diagnostics)
	}
	if len(snap.Processes) != 1 {
		t.Errorf("processes %+v, want contoso.exe read after the analysis", snap.Processes)
	}
	for _, other := range []string{"Arg1: see the help, it says more\n", "Arg5: 0000000000000062, no fifth parameter\n"} {
		if l := readString(t, other).Sources[0].Lines; l.Unrecognized != 1 {
			t.Errorf("%q: lines %+v, want it unrecognized", other, l)
		}
	}
}

// TestAnalysisExcerptFromItsKeyValues: an excerpt of `!analyze -v` that
// starts in the key/value list of recent debuggers ("Key  :
// Failure.Hash", "Value: ...") is kd text, the analysis's keys after it
// read as its output (none unrecognized); a line of prose that starts
// with "Key:" is not.
func TestAnalysisExcerptFromItsKeyValues(t *testing.T) {
	const excerpt = "```text\n    Key  : Failure.Exception.IP.Module\n    Value: vrfcore\n\n" +
		"    Key  : Failure.ProblemClass.Primary\n    Value: BREAKPOINT\n\n" +
		"NTGLOBALFLAG:  2000100\n\nAPPLICATION_VERIFIER_FLAGS:  80200001\n\n" +
		"PROCESS_NAME:  contoso_bench.exe\n\nSTACK_TEXT:  \n" +
		"0000000f`48efead0 00007ffc`c686b4c4     : 0000011d`4da52e30 0000011d`5580bf50 0000011d`5bb95fd8 0000011d`5580df70 : vrfcore!VerifierStopMessageEx+0x610\n"
	if !Sniff([]byte(excerpt), false) {
		t.Fatalf("Sniff = false, want the excerpt read as kd")
	}
	snap := readString(t, excerpt)
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 || l.Parsed == 0 {
		t.Errorf("lines %+v, want the key parsed and none unrecognized: %+v", l, snap.Diagnostics)
	}
	for _, prose := range []string{"Key: press F5 to run the sample\n", "Key  : Failure.\n", "Key  : Failure.Bucket is what to look at\n"} {
		if Sniff([]byte(prose), false) {
			t.Errorf("Sniff(%q) = true, want prose left alone", prose)
		}
	}
}

// TestAnalysisInCommandChain: the analysis a chain of commands runs, as
// a CI job's `cdb -z x.dmp -c ".symfix; .reload; !analyze -v; q"` does and
// echoes at its first prompt ("0:000> cdb: Reading initial command
// '...'"), is read as !analyze's output and said to be: the diagnostic
// names !analyze, not the chain's first command or "cdb:".
func TestAnalysisInCommandChain(t *testing.T) {
	const analysis = "DRIVER_VERIFIER_DETECTED_VIOLATION (c4)\nArguments:\n" +
		"Arg1: 0000000000000062, A driver has forgotten to free its pool allocations prior to unloading.\n" +
		"Arg4: 0000000000000002, total # of (paged+nonpaged) allocations that weren't freed.\n\n" +
		"IMAGE_NAME:  contosoio.sys\n"
	for _, command := range []string{
		"0: kd> cdb: Reading initial command '.symfix; .reload; !analyze -v; q'\n",
		"0: kd> .symfix; .reload; !analyze -v; q\n",
	} {
		snap := readString(t, command+"......\n"+analysis)
		if snap.Memory == nil || len(snap.Memory.DriverPoolLeaks) != 1 || snap.Memory.DriverPoolLeaks[0].Driver != "contosoio.sys" {
			t.Errorf("%q: memory %+v, want contosoio.sys's pool leak", command, snap.Memory)
		}
		var named []string
		for _, d := range snap.Diagnostics {
			if d.Code == facts.CodeIgnoredCommand || d.Code == facts.CodeWrapped {
				named = append(named, d.Message)
			}
		}
		if len(named) != 1 || !strings.HasPrefix(named[0], `output of "!analyze" is read only for the bugcheck`) {
			t.Errorf("%q: diagnostics %q, want one saying !analyze's output is read for the bugcheck", command, named)
		}
	}
	for _, text := range []string{"cdb: Reading initial command ''", "prose: Reading initial command 'x'", "cdb: Reading initial command 'q"} {
		if got := string(initialCommand([]byte(text))); got != text {
			t.Errorf("initialCommand(%q) = %q, want it as it is", text, got)
		}
	}
}
