package kd

import (
	"strings"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/facts"
)

// readString reads capture as kd text named t.txt, as dumpreader.Read
// does once it knows the format: through Read, then AddSource.
func readString(t *testing.T, capture string) *facts.Snapshot {
	t.Helper()
	b := facts.NewBuilder()
	log := facts.NewSourceLog("t.txt", Name)
	if err := Read(b, log, strings.NewReader(capture)); err != nil {
		t.Fatal(err)
	}
	b.AddSource(log)
	return b.Snapshot()
}

func processByImage(t *testing.T, snap *facts.Snapshot, image string) *facts.Process {
	t.Helper()
	for _, p := range snap.Processes {
		if p.Image == image {
			return p
		}
	}
	t.Fatalf("no process %q", image)
	return nil
}

// TestDamagedEntryLinesReadAsClean checks that an entry's first line read
// as printed and one read after repair give the same facts: the fast path
// must not take damage for data.
func TestDamagedEntryLinesReadAsClean(t *testing.T) {
	const head = `kd> !process 0 0
PROCESS 815f0da0  SessionId: 0  Cid: 0694    Peb: 7ffd8000  ParentCid: 0100
    DirBase: 0d6e9000  ObjectTable: 00000000  HandleCount:   0.
    Image: explorer.exe

kd> !handle 0 3 8164c698 Process
PROCESS 8164c698  SessionId: 0  Cid: 0794    Peb: 7ffde000  ParentCid: 0100
    DirBase: 0cb08000  ObjectTable: e1a40f20  HandleCount: 279.
    Image: agent.exe

Handle table at e1a41000 with 279 Entries in use
`
	entries := map[string]string{
		"clean":      "0004: Object: 815f0da0  GrantedAccess: 001f0fff (Inherit) Entry: e1a41008\n",
		"font tag":   "0004: Object: <font color=\"#ff0000\">815f0da0</font>  GrantedAccess: 001f0fff (Inherit) Entry: e1a41008\n",
		"bold flag":  "0004: Object: 815f0da0  GrantedAccess: 001f0fff <b>(Inherit)</b> Entry: e1a41008\n",
		"no-break":   "0004: Object: 815f0da0\u00a0 GrantedAccess: 001f0fff (Inherit) Entry: e1a41008\n",
		"entity":     "0004: Object: 815f0da0 &nbsp;GrantedAccess: 001f0fff (Inherit) Entry: e1a41008\n",
		"backtick64": "0004: Object: 00000000`815f0da0  GrantedAccess: 001f0fff (Inherit) Entry: e1a41008\n",
	}
	const rest = "Object: 815f0da0  Type: (817cce70) Process\n    ObjectHeader: 815f0d88 (old version)\n        HandleCount: 2  PointerCount: 3\n\n"
	for name, entry := range entries {
		t.Run(name, func(t *testing.T) {
			snap := readString(t, head+entry+rest)
			agent := processByImage(t, snap, "agent.exe")
			if agent.HandlesParsed != 1 || agent.ByType["Process"] != 1 || agent.HandlesToExitedProcesses != 1 {
				t.Errorf("agent.exe: %d parsed, types %v, %d handles to exited processes; want 1, Process 1, 1",
					agent.HandlesParsed, agent.ByType, agent.HandlesToExitedProcesses)
			}
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d unrecognized lines: %+v", n, snap.Diagnostics)
			}
		})
	}
}

// TestOutputOfOtherCommandsIsIgnored checks that lines of commands leakdiag
// does not read are not taken for handles, even when they look like them.
func TestOutputOfOtherCommandsIsIgnored(t *testing.T) {
	snap := readString(t, `kd> !process 0 0
PROCESS 8164c698  SessionId: 0  Cid: 0794    Peb: 7ffde000  ParentCid: 0100
    DirBase: 0cb08000  ObjectTable: e1a40f20  HandleCount: 279.
    Image: agent.exe

kd> !object 815f0da0
Object: 815f0da0  Type: (817cce70) Process
    ObjectHeader: 815f0d88 (old version)
    HandleCount: 2  PointerCount: 3
0004: Object: 815f0da0  GrantedAccess: 001f0fff
`)
	p := processByImage(t, snap, "agent.exe")
	l := snap.Sources[0].Lines
	if p.HandlesParsed != 0 || l.Ignored != 5 || l.Unrecognized != 0 {
		t.Errorf("parsed %d handles, lines %+v; want 0 handles, the 5 lines of !object ignored", p.HandlesParsed, l)
	}
}

// TestPathologicalLinesStayLinear reads lines built to make a careless
// parser quadratic: many '<' before one '>', nested !for_each_process.
func TestPathologicalLinesStayLinear(t *testing.T) {
	for name, line := range map[string]string{
		"angle brackets":  strings.Repeat("<", 1<<19) + ">",
		"nested for_each": "kd> " + strings.Repeat(`!for_each_process "`, 1<<15),
		"entities":        strings.Repeat("&gt", 1<<18),
	} {
		t.Run(name, func(t *testing.T) {
			done := make(chan struct{})
			go func() {
				readString(t, line+"\n"+line+"\n")
				close(done)
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("reading two long lines took over 10s")
			}
		})
	}
}

func TestMissingFinalLineBreak(t *testing.T) {
	const complete = "kd> !process 0 0\nPROCESS 8164c698  SessionId: 0  Cid: 0794    Peb: 7ffde000  ParentCid: 0100\n" +
		"    DirBase: 0cb08000  ObjectTable: e1a40f20  HandleCount: 279.\n    Image: agent.exe"
	for name, tc := range map[string]struct {
		capture string
		cut     bool
	}{
		"complete block":  {complete, false},
		"cut in a block":  {complete[:len(complete)-len("    Image: agent.exe")] + "    Ima", true},
		"cut in an entry": {complete + "\n\nHandle table at e1a41000 with 279 Entries in use\n0004: Object: 815f0da0  GrantedAccess: 001f0fff\nObject: 815f0da0  Type: (817cce70) Fi", true},
	} {
		t.Run(name, func(t *testing.T) {
			var cut bool
			for _, d := range readString(t, tc.capture).Diagnostics {
				cut = cut || d.Code == facts.CodeTruncated
			}
			if cut != tc.cut {
				t.Errorf("truncated-block diagnostic = %v, want %v", cut, tc.cut)
			}
		})
	}
}

// TestProcessHeaderCutAfterImageQuery: a PROCESS block cut before its
// Image line, listed by `!process 0 Flags ImageName`, runs the image the
// command asked for (an info diagnostic says so); a wildcard or no name
// names nothing.
func TestProcessHeaderCutAfterImageQuery(t *testing.T) {
	for _, tc := range []struct {
		name, command, want string
		sev                 facts.Severity
	}{
		{"image asked for", "!process 0 0 contoso.exe", "contoso.exe", facts.SevInfo},
		{"with a session option", "!process /s 1 0 7 Fabrikam Agent.exe", "Fabrikam Agent.exe", facts.SevInfo},
		{"every process", "!process 0 0", "", facts.SevWarning},
		{"a wildcard", "!process 0 0 conto*", "", facts.SevWarning},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, "kd> "+tc.command+"\nPROCESS ffffac0f0ede7080\n\nkd> .process /p /r ffffac0f0ede7080\nImplicit process is now ffffac0f`0ede7080\n")
			if len(snap.Processes) != 1 || snap.Processes[0].Image != tc.want {
				t.Fatalf("processes %+v, want one of image %q", snap.Processes, tc.want)
			}
			var got []facts.Severity
			for _, d := range snap.Diagnostics {
				if d.Code == facts.CodeTruncated {
					got = append(got, d.Severity)
				}
			}
			if len(got) != 1 || got[0] != tc.sev {
				t.Errorf("truncated-block severities %v, want [%v]", got, tc.sev)
			}
		})
	}
}

// TestProcessHeaderCutByElision: a PROCESS block whose Image line the
// author elided is reported as cut by the elision (info), one cut with
// nothing said as a warning.
func TestProcessHeaderCutByElision(t *testing.T) {
	for _, tc := range []struct {
		name, capture string
		want          facts.Severity
	}{
		{"elided", "lkd> !process ffffac0f0ede7080 1\nPROCESS ffffac0f0ede7080\n...\nlkd> .process /p ffffac0f0ede7080\nImplicit process is now ffffac0f`0ede7080\n", facts.SevInfo},
		{"cut", "lkd> !process ffffac0f0ede7080 1\nPROCESS ffffac0f0ede7080\nlkd> .process /p ffffac0f0ede7080\nImplicit process is now ffffac0f`0ede7080\n", facts.SevWarning},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []facts.Severity
			for _, d := range readString(t, tc.capture).Diagnostics {
				if d.Code == facts.CodeTruncated {
					got = append(got, d.Severity)
				}
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("truncated-block severities %v, want [%v]", got, tc.want)
			}
		})
	}
}
