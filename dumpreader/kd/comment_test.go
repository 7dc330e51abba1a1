package kd

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestCaptureInSourceComments: kd output quoted in a script's comments,
// each line behind "# " (a lone "#" for its blank lines), reads as the
// capture does without them, with one diagnostic for the marker.
func TestCaptureInSourceComments(t *testing.T) {
	const capture = "    # lkd> !handle 0 1 8d0\n    #\n    # Searching for Process with Cid == 8d0\n" +
		"    # PROCESS fffffa803213e060\n    #     SessionId: 1  Cid: 08d0    Peb: 7fffffde000  ParentCid: 05c8\n" +
		"    #     DirBase: 2547e000  ObjectTable: fffff8a002ebedc0  HandleCount: 285.\n    #     Image: notepad.exe\n" +
		"    #\n    # Handle table at fffff8a002ebedc0 with 285 entries in use\n    #\n" +
		"    # 0004: Object: fffff8a00305d520  GrantedAccess: 00000009\n"
	snap := readString(t, capture)
	p := processByImage(t, snap, "notepad.exe")
	if p.PID != 0x8d0 || p.HandleCount == nil || *p.HandleCount != 285 || p.HandlesParsed != 1 {
		t.Errorf("notepad.exe: pid %#x, count %v, parsed %d; want 0x8d0, 285, 1", p.PID, p.HandleCount, p.HandlesParsed)
	}
	var repaired int
	for _, d := range snap.Diagnostics {
		if d.Code == facts.CodeRepaired {
			repaired++
		}
	}
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 || repaired != 1 {
		t.Errorf("lines %+v, %d repaired diagnostics; want none unrecognized and one", l, repaired)
	}
}

// TestHashNotAComment: a '#' not followed by a blank, or alone before any
// comment was seen, is not taken for a comment marker.
func TestHashNotAComment(t *testing.T) {
	k := newKDReader(facts.NewBuilder(), facts.NewSourceLog("t.txt", Name))
	for _, line := range []string{"##", "#", "#define X 1", "%SystemRoot%", "# Child-SP          RetAddr               Call Site", "# ChildEBP RetAddr", "#   14ff0 00 00 00 00 00 00 00 00-00 00 00 00 00 00 00 00 ................"} {
		if got, _, ok := k.uncomment([]byte(line)); ok || string(got) != line {
			t.Errorf("uncomment(%q) = %q, %v; want it unchanged", line, got, ok)
		}
	}
}

// TestMarkdownHeadingNotAComment: a markdown heading over a capture is
// prose, not the first line of a capture quoted in comments.
func TestMarkdownHeadingNotAComment(t *testing.T) {
	snap := readString(t, "# Handle leak notes\n\nkd> !process 0 0\nPROCESS 8164c698  SessionId: 0  Cid: 0794    Peb: 7ffde000  ParentCid: 0100\n"+
		"    DirBase: 0cb08000  ObjectTable: e1a40f20  HandleCount: 279.\n    Image: agent.exe\n")
	for _, d := range snap.Diagnostics {
		if d.Code == facts.CodeRepaired {
			t.Errorf("diagnostic %q on a markdown heading", d.Message)
		}
	}
}

// TestCaptureInBlockComment: kd output quoted in a C block comment, its
// command behind " * ", reads as the capture does without it; the box
// `!analyze` draws and a bullet of prose keep their stars.
func TestCaptureInBlockComment(t *testing.T) {
	const capture = "/* Pool state before the spray:\n" +
		" * kd> !poolused 1 Hack\n" +
		"..\n Sorting by Tag\n\n" +
		"                            NonPaged                                         Paged\n" +
		" Tag       Allocs       Frees      Diff         Used       Allocs       Frees      Diff         Used\n\n" +
		" Hack           3           1         2          224            0           0         0            0\tUNKNOWN pooltag 'Hack', please update pooltag.txt\n\n" +
		"TOTAL           3           1         2          224            0           0         0            0\n" +
		" */\n"
	snap := readString(t, capture)
	if snap.Memory == nil || snap.Memory.Pool == nil || len(snap.Memory.Pool.Listings) != 1 {
		t.Fatalf("memory %+v, want one !poolused listing", snap.Memory)
	}
	if l := snap.Memory.Pool.Listings[0]; l.Command != "!poolused 1 Hack" || l.TagFilter != "Hack" {
		t.Errorf("listing %+v, want the command !poolused 1 Hack, its tag filter Hack", l)
	}
	if l := snap.Sources[0].Lines; l.Unrecognized != 2 { // the block comment's first and last lines
		t.Errorf("lines %+v, want 2 unrecognized", l)
	}
}

// TestStarNotAComment: a star before prose, or at both ends of a line (the
// box of `!analyze`), is not taken for a comment marker.
func TestStarNotAComment(t *testing.T) {
	k := newKDReader(facts.NewBuilder(), facts.NewSourceLog("t.txt", Name))
	for _, line := range []string{"* Ubuntu   Running   2", "*                        Bugcheck Analysis                                    *", "***", "*"} {
		if got, _, ok := k.uncomment([]byte(line)); ok || string(got) != line {
			t.Errorf("uncomment(%q) = %q, %v; want it unchanged", line, got, ok)
		}
	}
}
