package kd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

func TestVMRow(t *testing.T) {
	type row struct {
		Label     string
		Pages, KB int64
		OK        bool
	}
	for _, tc := range []struct {
		line string
		want row
	}{
		{"Physical Memory:     16268   (   65072 Kb)", row{"Physical Memory", 16268, 65072, true}},
		{"Free System PTEs:        33496170 (  133984680 Kb)", row{"Free System PTEs", 33496170, 133984680, true}},
		{"PagedPool  0:               32829 (     131316 Kb)", row{"PagedPool 0", 32829, 131316, true}},
		{"Modified PF Pages:     372   (    1488 Kb)", row{"Modified PF Pages", 372, 1488, true}},
		{"VAD/PageTable Bitmaps:       1993 (       7972 Kb)", row{"VAD/PageTable Bitmaps", 1993, 7972, true}},
		{"Free System PTEs:   4294964893 ( 17179859572 KB)", row{"Free System PTEs", 4294964893, 17179859572, true}},
		{"Zeroed:      218 (     872 kb)", row{"Zeroed", 218, 872, true}}, // !memusage: its label is no !vm label
		{"Syspart SharedCommit 0", row{}},
		{"DirBase: 0acc0020 ObjectTable: e1002e68 HandleCount: 1056.", row{}},
		{"Current:    147456Kb Free Space:     65988Kb", row{}},
		{"Commit limit:     50570   (  202280 Kb) extra", row{}},
		{"NonPagedPool Usage:    31369 (    125476 Kb)    <-- very high", row{"NonPagedPool Usage", 31369, 125476, true}},
		{"NonPagedPool Usage:    31369 (    125476 Kb)\tnote", row{"NonPagedPool Usage", 31369, 125476, true}},
		{"NonPagedPool Usage:    31369 (    125476 Kb)  ", row{"NonPagedPool Usage", 31369, 125476, true}},
		{"NonPagedPool Usage:    31369 (    125476 Kb)x", row{}},
		{"NonPagedPool Usage:    31369 (    125476 Kb  )", row{"NonPagedPool Usage", 31369, 125476, true}},
		{"Physical Memory:     16268   (   65072 MB)", row{}},
		{"Handle table at e1674000 with 21 Entries in use", row{}},
		{"a (b): 1 (4 Kb)", row{}},
	} {
		var got row
		got.Label, got.Pages, got.KB, got.OK = vmRow([]byte(tc.line))
		if got != tc.want {
			t.Errorf("vmRow(%q) = %+v, want %+v", tc.line, got, tc.want)
		}
	}
}

func TestCommitRow(t *testing.T) {
	for _, tc := range []struct {
		line string
		want facts.ProcessCommit
		ok   bool
	}{
		{"0c1c notepad.exe      123 (     492 Kb)", facts.ProcessCommit{PID: 0xc1c, Image: "notepad.exe", CommitKB: 492}, true},
		{"0234 kernel lab1.exe  151210 (  604840 Kb)", facts.ProcessCommit{PID: 0x234, Image: "kernel lab1.exe", CommitKB: 604840}, true},
		{"6b4 chrome.exe                     88540 Kb           0 Kb        0 Kb", facts.ProcessCommit{PID: 0x6b4, Image: "chrome.exe", CommitKB: 88540}, true},
		{"48 Secure System                    180 Kb           0 Kb        0 Kb", facts.ProcessCommit{PID: 0x48, Image: "Secure System", CommitKB: 180}, true},
		{"3fc svchost.exe                     622", facts.ProcessCommit{}, false},
		{"6b4 88540 Kb 0 Kb 0 Kb", facts.ProcessCommit{}, false},
		{"0c1c notepad.exe  12x (  492 Kb)", facts.ProcessCommit{}, false},
		{"fffffa8003c2b060 agent.exe 1 (4 Kb)", facts.ProcessCommit{}, false},
		{"Physical Memory:     16268   (   65072 Kb)", facts.ProcessCommit{}, false},
	} {
		got, ok := commitRow([]byte(tc.line))
		if ok != tc.ok || got != tc.want {
			t.Errorf("commitRow(%q) = %+v, %v; want %+v, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}

// TestVMOutputs reads `!vm` in the forms the captures show it: the
// latest output wins, Windows 8's NonPagedPoolNx adds to nonpaged pool, the
// starred warnings are counted or kept, and a capture without !vm has no
// memory facts.
func TestVMOutputs(t *testing.T) {
	const first = `kd> !vm 1

*** Virtual Memory Usage ***
	Physical Memory:     16270   (   65080 Kb)
	NonPagedPool Usage:    877   (    3508 Kb)
	NonPagedPool Max:     6252   (   25008 Kb)
	Committed pages:     21949   (   87796 Kb)
	Commit limit:        36256   (  145024 Kb)

`
	const second = `kd> !vm
NonPagedPool Usage:           412 (       1648 Kb)
NonPagedPoolNx Usage:       20000 (      80000 Kb)

********** 12 pool allocations have failed **********

******* 3 system PTE allocations have failed ******
********** 2 commit requests have failed  **********
********** Excessive NonPaged Pool Usage *****
*******************************************************************************
`
	snap := readString(t, first+second)
	m := snap.Memory
	if m == nil || m.VM == nil {
		t.Fatalf("no !vm facts: %+v", snap.Memory)
	}
	v := m.VM
	got := map[string]int64{"physical": *v.PhysicalKB, "nonpaged": *v.NonPagedPoolKB, "max": *v.NonPagedPoolMaxKB,
		"commit": *v.CommitKB, "pool failures": v.PoolFailures, "pte failures": v.PTEFailures, "commit failures": v.CommitFailures}
	want := map[string]int64{"physical": 65080, "nonpaged": 81648, "max": 25008, "commit": 87796,
		"pool failures": 12, "pte failures": 3, "commit failures": 2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("figures: diff (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Excessive NonPaged Pool Usage"}, v.Warnings); diff != "" {
		t.Errorf("warnings: diff (-want +got):\n%s", diff)
	}
	if v.Source.Line != 1 {
		t.Errorf("source line %d, want 1 (the first !vm)", v.Source.Line)
	}
	// The row of stars alone says nothing: it is a banner's, not a warning.
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
		t.Errorf("lines %+v, want none unrecognized", l)
	}

	if snap := readString(t, "kd> !process 0 0\nPROCESS 8a5295f0 SessionId: none Cid: 0004 Peb: 00000000 ParentCid: 0000\n"); snap.Memory != nil {
		t.Errorf("a capture without !vm has memory facts: %+v", snap.Memory)
	}
}

// TestVMTitleWithoutStars: the title of !vm as a page that took its stars
// for markdown emphasis shows it is read as the title, and the figures
// after it are !vm's from there.
func TestVMTitleWithoutStars(t *testing.T) {
	snap := readString(t, "Virtual Memory Usage\n\n  Physical Memory:   655219   ( 2620876 Kb)\n"+
		"  NonPagedPool Usage: 59613   (  238452 Kb)\n  NonPagedPool Max:   69377   (  277508 Kb)\n")
	if snap.Memory == nil || snap.Memory.VM == nil || *snap.Memory.VM.NonPagedPoolKB != 238452 {
		t.Fatalf("!vm not read: %+v", snap.Memory)
	}
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
		t.Errorf("lines %+v, want none unrecognized", l)
	}
	if line := snap.Memory.VM.Source.Line; line != 1 {
		t.Errorf("!vm at line %d, want 1 (its title)", line)
	}
}

// TestVMTitleMangledByMarkdown: the title of !vm whose stars a converter
// turned partly into underscores is read as the title, and a line that
// only holds its words among others is not.
func TestVMTitleMangledByMarkdown(t *testing.T) {
	for _, title := range []string{"**_ Virtual Memory Usage _*_", "_** Virtual Memory Usage **_", "*** Virtual Memory Usage ***"} {
		snap := readString(t, "kd> !vm\n\n"+title+"\n        Physical Memory:     32512   (  130048 Kb)\n"+
			"        NonPagedPool Usage:    903   (    3612 Kb)\n        NonPagedPool Max:     6144   (   24576 Kb)\n")
		if snap.Memory == nil || snap.Memory.VM == nil || *snap.Memory.VM.NonPagedPoolKB != 3612 {
			t.Fatalf("%q: !vm not read: %+v", title, snap.Memory)
		}
		if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
			t.Errorf("%q: lines %+v, want none unrecognized", title, l)
		}
	}
	for _, line := range []string{"Virtual Memory Usage of the contoso service", "**Virtual Memory Usage** is what !vm prints"} {
		if isVMTitle([]byte(line)) {
			t.Errorf("%q taken for !vm's title", line)
		}
	}
}

// vmOutput is two rows only !vm prints, without its command.
const vmOutput = "Page File: \\??\\C:\\pagefile.sys\n  Current:   4193784 Kb  Free Space:   4193780 Kb\n"

// TestVMWithoutCommandNeedsAVMRow: output pasted without its command is
// taken as !vm from a row only !vm prints, not from any "Label: N (M Kb)".
func TestVMWithoutCommandNeedsAVMRow(t *testing.T) {
	snap := readString(t, "Zeroed:      218 (     872 kb)\nFree:        831 (    3324 kb)\n")
	if snap.Memory != nil {
		t.Errorf("!memusage rows read as !vm: %+v", snap.Memory.VM)
	}
	snap = readString(t, "Free:        831 (    3324 kb)\nAvailable Pages:           826358 (    3305432 Kb)\nFree:        831 (    3324 kb)\n")
	if snap.Memory == nil || snap.Memory.VM == nil || *snap.Memory.VM.AvailableKB != 3305432 {
		t.Fatalf("!vm rows without the command not read: %+v", snap.Memory)
	}
	if l := snap.Sources[0].Lines; l.Parsed != 2 || l.Unrecognized != 1 {
		t.Errorf("lines %+v, want the !vm rows parsed and the row before them unrecognized", l)
	}
	if !Sniff([]byte(vmOutput), false) {
		t.Errorf("Sniff(!vm output) = false, want true")
	}
}

// TestMemoryBounded: whatever the size of the capture, the memory facts
// keep bounded lists.
func TestMemoryBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("kd> !vm\n")
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&b, "         %04x p%d.exe %6d (%8d Kb)\n", i, i, i, 4*i)
	}
	b.WriteString("kd> !poolused\n Tag    Allocs     Used    Allocs     Used\n")
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&b, " %04x %8d %8d  %8d %8dSome description %d\n", i, i, 64*i, i, 32*(20000-i), i)
	}
	for i := 0; i < 100; i++ {
		b.WriteString("kd> !poolused 2\n Sorting by NonPaged Pool Consumed\n Tag    Allocs     Used    Allocs     Used\n Thre        1       64         0        0\n")
	}
	snap := readString(t, b.String())
	m := snap.Memory
	if len(m.VM.TopCommit) != facts.MemoryLimit || m.VM.ProcessesListed != 20000 {
		t.Errorf("%d commit rows kept of %d", len(m.VM.TopCommit), m.VM.ProcessesListed)
	}
	if len(m.Pool.TopNonPaged) != facts.MemoryLimit || len(m.Pool.TopPaged) != facts.MemoryLimit || len(m.Pool.Listings) > 20 {
		t.Errorf("kept %d nonpaged tags, %d paged, %d listings", len(m.Pool.TopNonPaged), len(m.Pool.TopPaged), len(m.Pool.Listings))
	}
	if top := m.Pool.TopNonPaged[0]; top.Tag != "4e1f" || top.NonPagedBytes != 64*19999 {
		t.Errorf("top nonpaged tag %+v, want 4e1f", top)
	}
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 || l.Parsed != l.Total {
		t.Errorf("lines %+v, want all parsed", l)
	}
}

// TestVMNonPagedBeyondPhysical: nonpaged pool stays in memory, so a
// figure above physical memory is one the debugger misread; it is left
// unknown, the debugger's warning drawn from it is dropped, and the
// debugger's error line among the figures is not unrecognized.
func TestVMNonPagedBeyondPhysical(t *testing.T) {
	const out = `kd> !vm
Physical Memory: 1000000 ( 4000000 Kb)
Unimplemented error for MiSystemVaTypeCount
NonPagedPool Usage: 5000000 ( 20000000 Kb)
NonPagedPoolNx Usage: 1000 ( 4000 Kb)
NonPagedPool Max: 500000 ( 2000000 Kb)
********** Excessive NonPaged Pool Usage *****
PagedPool Usage: 9000 ( 36000 Kb)
`
	snap := readString(t, out)
	v := snap.Memory.VM
	if v.NonPagedPoolKB != nil {
		t.Errorf("nonpaged pool %d KB kept, want unknown (it exceeds physical memory)", *v.NonPagedPoolKB)
	}
	if len(v.Warnings) != 0 {
		t.Errorf("warnings %q, want none (the debugger's judgement of the misread figure)", v.Warnings)
	}
	if v.PagedPoolKB == nil || *v.PagedPoolKB != 36000 {
		t.Errorf("paged pool %v, want 36000 KB: the other figures are read", v.PagedPoolKB)
	}
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
		t.Errorf("lines %+v, want none unrecognized", l)
	}
	found := false
	for _, d := range snap.Diagnostics {
		found = found || d.Line == 4 && strings.Contains(d.Message, "exceeds physical memory")
	}
	if !found {
		t.Errorf("no diagnostic at line 4 about the misread figure: %+v", snap.Diagnostics)
	}

	// Within physical memory the figure and the warning stand.
	snap = readString(t, strings.Replace(out, "5000000 ( 20000000 Kb)", "490000 ( 1960000 Kb)", 1))
	if v := snap.Memory.VM; v.NonPagedPoolKB == nil || *v.NonPagedPoolKB != 1964000 || len(v.Warnings) != 1 {
		t.Errorf("plausible figure: nonpaged %v, warnings %q; want 1964000 KB and the warning", v.NonPagedPoolKB, v.Warnings)
	}
}

// TestVMWrappedFigure: a !vm row whose count is past 2^63, a figure below
// zero the debugger printed unsigned, is read as !vm's (not unrecognized)
// and not used; the figures around it are.
func TestVMWrappedFigure(t *testing.T) {
	const capture = "0: kd> !vm 1\n" +
		"NonPagedPoolNx Usage:       33612 (     134448 Kb)\n" +
		"PagedPool Commit:  18446735282293205272 (18446708908044166240 Kb)\n" +
		"Committed pages:          2355436 (    9421744 Kb)\n"
	snap := readString(t, capture)
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d unrecognized lines: %+v", n, snap.Diagnostics)
	}
	vm := snap.Memory.VM
	if vm == nil || vm.CommitKB == nil || *vm.CommitKB != 9421744 {
		t.Fatalf("commit not read around the wrapped row: %+v", vm)
	}
	var noted bool
	for _, d := range snap.Diagnostics {
		noted = noted || d.Line == 3 && strings.Contains(d.Message, "PagedPool Commit")
	}
	if !noted {
		t.Errorf("no diagnostic on line 3 names the wrapped figure: %+v", snap.Diagnostics)
	}
}

// TestVMCommitRowsWithoutTitle: rows of !vm's per-process commit table
// (Windows 8 and later: three Kb columns) pasted with nothing above them,
// a long !vm split over an issue's comments, are read and sniffed as kd;
// a row of the older layout ("pages ( kb Kb)") alone is not enough.
func TestVMCommitRowsWithoutTitle(t *testing.T) {
	const rows = "```\n" +
		"  ddc svchost.exe                     1296 Kb        1996 Kb        0 Kb\n" +
		" 1e2c contoso.exe                     1292 Kb         368 Kb        0 Kb\n" +
		"  440 LogonUI.exe                       76 Kb           0\n"
	if !Sniff([]byte(rows), false) {
		t.Errorf("Sniff = false, want the rows known for !vm's")
	}
	snap := readString(t, rows)
	if snap.Memory == nil || snap.Memory.VM == nil {
		t.Fatalf("no !vm read")
	}
	var got []string
	for _, c := range snap.Memory.VM.TopCommit {
		got = append(got, fmt.Sprintf("%x %s %d", c.PID, c.Image, c.CommitKB))
	}
	if diff := cmp.Diff([]string{"ddc svchost.exe 1296", "1e2c contoso.exe 1292"}, got); diff != "" {
		t.Errorf("commit rows: diff (-want +got):\n%s", diff)
	}
	if snap := readString(t, "         0c1c notepad.exe      123 (     492 Kb)\n"); snap.Memory != nil {
		t.Errorf("an old layout's row alone read as !vm: %+v", snap.Memory.VM)
	}
}
