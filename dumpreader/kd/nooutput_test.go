package kd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakdiag/leakdiag/facts"
)

// TestCommandWithoutOutput: a command whose output leakdiag reads, shown
// with nothing after it, is named with its line; a command with output,
// or one whose output is not read, is not.
func TestCommandWithoutOutput(t *testing.T) {
	type diag struct {
		Line int64
		Code string
		Msg  string
	}
	const process = "PROCESS 8164c698  SessionId: 0  Cid: 0794    Peb: 7ffde000  ParentCid: 0100\n" +
		"    DirBase: 0cb08000  ObjectTable: e1a40f20  HandleCount: 279.\n    Image: agent.exe\n"
	for _, tc := range []struct {
		name, capture string
		want          []diag
	}{
		{"cut after the diff", "0:000> !htrace -snapshot\nHandle tracing information snapshot successfully taken.\n0:000> !htrace -diff\n\n",
			[]diag{{3, facts.CodeTruncated, `the capture ends right after "!htrace -diff": its output is missing (paste what the debugger printed after the command)`}}},
		{"commands without prompts", "!htrace -enable\n\n!htrace -diff\n",
			[]diag{
				{1, facts.CodeMissing, `"!htrace -enable" shows no output before the next command ("!htrace"): its output was left out of the capture`},
				{3, facts.CodeTruncated, `the capture ends right after "!htrace -diff": its output is missing (paste what the debugger printed after the command)`},
			}},
		{"one before another", "kd> !process 0 0\nkd> !process 0 0\n" + process, []diag{
			{1, facts.CodeMissing, `"!process 0 0" shows no output before the next command ("!process"): its output was left out of the capture`},
		}},
		{"with output", "kd> !process 0 0\n" + process, nil},
		{"flattened onto the command's line", "kd> !process 0 0 " + "PROCESS 8164c698  SessionId: 0  Cid: 0794    Peb: 7ffde000  ParentCid: 0100" +
			"  DirBase: 0cb08000  ObjectTable: e1a40f20  HandleCount: 279.  Image: agent.exe\n", nil},
		{"an entry right after the command", "kd> !handle 0 3 8164c698\n0004: Object: 815f0da0  GrantedAccess: 001f0fff\n", nil},
		{"a command leakdiag does not read", "kd> !object 815f0da0\n", nil},
		{"a list of commands", "kd> !process 0 0\nkd> !handle 0 0\nkd> !vm\n", []diag{
			{1, facts.CodeMissing, `"!process 0 0" shows no output before the next command ("!handle"): its output was left out of the capture`},
			{3, facts.CodeTruncated, `the capture ends right after "!vm": its output is missing (paste what the debugger printed after the command)`},
			{3, facts.CodeMoreOmitted, `1 more commands leakdiag reads show no output before the next command`},
		}},
		{"an extension's usage text", "0:000> !htrace ?\n!htrace [handle [max_traces]]\n!htrace -enable [max_traces]\n!htrace -diff\n" +
			"0:000> !htrace -enable\nHandle tracing enabled.\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []diag
			for _, d := range readString(t, tc.capture).Diagnostics {
				if d.Code == facts.CodeTruncated || d.Code == facts.CodeMoreOmitted || (d.Code == facts.CodeMissing && d.Severity == facts.SevInfo && d.Line > 0 && len(d.Message) > 0 && d.Message[0] == '"') {
					got = append(got, diag{d.Line, d.Code, d.Message})
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("diff (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunCommandsBetweenEchoes: in a capture that shows its commands
// without prompts, a "g" between them is the command that let the
// debuggee run, not a line left unrecognized.
func TestRunCommandsBetweenEchoes(t *testing.T) {
	snap := readString(t, "!htrace -enable\nHandle tracing enabled.\ng\n\n!htrace -snapshot\ngc\n!htrace -diff\n")
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d unrecognized lines: %v", n, snap.Diagnostics)
	}
	// Without a command before it, a lone "g" is not taken for one.
	snap = readString(t, "g\n")
	if n := snap.Sources[0].Lines.Unrecognized; n != 1 {
		t.Errorf("a lone g: %d unrecognized lines, want 1", n)
	}
}
