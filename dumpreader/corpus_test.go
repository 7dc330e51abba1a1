package dumpreader_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/facts"
)

// corpusDir holds real captures shared by the project (see its README.md).
// Tests run in dumpreader/, so it is two levels up.
const corpusDir = "../../shared/corpus"

// proc is what a capture says about one process, as read by hand from the
// file: pid (the Cid), image, the HandleCount/TableSize it reports (nil when
// "<Data Not Accessible>" or not shown), how many handle entries the capture
// shows for it, the per-type counts, and whether it has exited.
type proc struct {
	pid      uint64
	image    string
	reported *int64
	parsed   int64
	types    map[string]int64
	exited   bool
}

// corpusCase is what one file of the corpus must yield. clean means every
// line of the file is debugger output, a prompt, an author's elision or
// blank, so the reader must recognize all of them.
type corpusCase struct {
	file  string // relative to corpusDir
	clean bool
	procs []proc
}

func ptr(n int64) *int64 { return &n }

// corpusCases was filled in by reading each file (cat -A), not from the
// reader's output. Processes are listed in capture order; the comparison
// sorts them.
var corpusCases = []corpusCase{
	// --- kd/ ---
	{file: "kd/kd-foreachprocess-handle-0-1-Process-xp-caloni-2008.txt", clean: true, procs: []proc{
		// "!handle 0 1 @#Process Process": "Searching for handles of type
		// Process", so each one-line entry is a Process handle.
		{pid: 0x4, image: "System", reported: ptr(286), parsed: 4, types: map[string]int64{"Process": 4}},
		{pid: 0x16c, image: "smss.exe", reported: ptr(21), parsed: 4, types: map[string]int64{"Process": 4}},
		{pid: 0x234, image: "csrss.exe", reported: ptr(342), parsed: 4, types: map[string]int64{"Process": 4}},
		{pid: 0x24c, image: "winlogon.exe", reported: ptr(448), parsed: 2, types: map[string]int64{"Process": 2}},
		{pid: 0x290, image: "services.exe", reported: ptr(261), parsed: 2, types: map[string]int64{"Process": 2}},
	}},
	{file: "kd/kd-handle-0-3-0-section-x64-newversion-msdocs.txt", clean: true, procs: []proc{
		{pid: 0x138, image: "smss.exe", reported: ptr(39), parsed: 1, types: map[string]int64{"Section": 1}},
	}},
	{file: "kd/kd-handle-0-3-proc-File-condrv-irptracker-win10x64-turingcompl33t.txt", clean: true, procs: []proc{
		{pid: 0x8fc, image: "IrpTrackerClient.exe", reported: ptr(45), parsed: 4, types: map[string]int64{"File": 4}},
	}},
	{file: "kd/kd-handle-0-3-proc-event-win10x64-handletable-exercise.txt", clean: true, procs: []proc{
		{pid: 0x1514, image: "handle_table.exe", reported: ptr(35), parsed: 1, types: map[string]int64{"Event": 1}},
	}},
	{file: "kd/kd-handle-0-3-proc-file-irptracker-win10x64.txt", clean: true, procs: []proc{
		{pid: 0x1370, image: "IrpTrackerClient.exe", reported: ptr(38), parsed: 1, types: map[string]int64{"File": 1}},
	}},
	{file: "kd/kd-handle-0-4-idle-freehandles-w2k-msdocs.txt", clean: true, procs: []proc{
		// TableSize: 380.; 7 used entries (0004 0008 000c 0010 0168 016c
		// 0174), 2 free entries that are not handles; flag 4 prints no type.
		{pid: 0x0, image: "Idle", reported: ptr(380), parsed: 7},
	}},
	{file: "kd/kd-handle-0-7-cid-windbg-win7x64-doubled-objheader-winternals-notes.txt", clean: true, procs: []proc{
		{pid: 0x62c, image: "windbg.exe", reported: ptr(111), parsed: 2, types: map[string]int64{"Directory": 1, "File": 1}},
	}},
	{file: "kd/kd-handle-10-7-cid-lsass-key-win7x64-mdindent8.txt", clean: true, procs: []proc{
		{pid: 0x1f8, image: "lsass.exe", reported: ptr(510), parsed: 1, types: map[string]int64{"Key": 1}},
	}},
	{file: "kd/kd-handle-14-13-kerneltable-key-w2k-msdocs.txt", clean: true, procs: []proc{
		{pid: 0x0, image: "Idle", reported: ptr(380)},
		// "Kernel New version of handle table": the kernel table, System
		// not shown.
		{pid: 0x4, image: "System", parsed: 1, types: map[string]int64{"Key": 1}},
	}},
	{file: "kd/kd-handle-1ec-file-freezecount-win10x64.txt", clean: true, procs: []proc{
		{pid: 0xe8c, image: "Test.exe", reported: ptr(138), parsed: 1, types: map[string]int64{"File": 1}},
	}},
	{file: "kd/kd-handle-214-file-protected-audit-livekd-win10x64.txt", clean: true, procs: []proc{
		{pid: 0x2268, image: "livekd64.exe", reported: ptr(126), parsed: 1, types: map[string]int64{"File": 1}},
	}},
	{file: "kd/kd-handle-255c-file-protected-inherit-audit-explorer-win10x64-herpaderping.txt", clean: true, procs: []proc{
		{pid: 0x12dc, image: "explorer.exe", reported: ptr(2041), parsed: 1, types: map[string]int64{"File": 1}},
	}},
	{file: "kd/kd-handle-4-kerneltable-system-protected-win10x64-rayanfam.txt", clean: true, procs: []proc{
		{pid: 0x4, image: "System", reported: ptr(2986), parsed: 1, types: map[string]int64{"Process": 1}},
	}},
	{file: "kd/kd-handle-608-file-oldversion-notepad-w2k3-cnblog.txt", clean: true, procs: []proc{
		{pid: 0x2dc, image: "notepad.exe", reported: ptr(35), parsed: 1, types: map[string]int64{"File": 1}},
	}},
	{file: "kd/kd-handle-6c-datanotaccessible-errorreadinghandlecount-win10x64-exercise.txt", clean: true, procs: []proc{
		{pid: 0xa80, image: "test.exe", parsed: 1, types: map[string]int64{"File": 1}},
	}},
	{file: "kd/kd-handle-cc-key-failedvadroot-oldversion-xp-cncheatsheet.txt", clean: true, procs: []proc{
		{pid: 0xc44, image: "360Safe.exe", reported: ptr(169), parsed: 1, types: map[string]int64{"Key": 1}},
	}},
	{file: "kd/kd-handle-kernelhandle-80000478-csrss-oldversion-xp-frenchblog.txt", clean: true, procs: []proc{
		{pid: 0x25c, image: "csrss.exe", reported: ptr(25)},
		{pid: 0x4, image: "System", parsed: 1, types: map[string]int64{"File": 1}},
	}},
	{file: "kd/kd-handle-kernelhandle-8000477c-thread-ioctlapp-win10x64.txt", clean: true, procs: []proc{
		{pid: 0x2d5c, image: "ioctlapp.exe", reported: ptr(65)},
		{pid: 0x4, image: "System", parsed: 1, types: map[string]int64{"Thread": 1}},
	}},
	{file: "kd/kd-process-addr7-system-nt4-msdocs.txt", clean: true, procs: []proc{
		{pid: 0x2, image: "System", reported: ptr(112)},
	}},
	{file: "kd/kd-process-decimal-cid-and-handle-0-notepad-win10x64-koreanblog.txt", clean: true, procs: []proc{
		{pid: 0xcb0, image: "notepad.exe", reported: ptr(256), parsed: 2, types: map[string]int64{"Event": 1, "IoCompletion": 1}},
	}},
	{file: "kd/kd-process-default-failedvadroot-spaceinimage-xp-partial.txt", clean: true, procs: []proc{
		{pid: 0x234, image: "kernel lab1.exe", reported: ptr(7)},
	}},
	{file: "kd/kd-process-zombie-explorer-and-object-xp-caloni-2008.txt", clean: true, procs: []proc{
		{pid: 0x694, image: "explorer.exe", reported: ptr(0), exited: true},
		{pid: 0x3b0, image: "explorer.exe", reported: ptr(0), exited: true},
		{pid: 0x20c, image: "explorer.exe", reported: ptr(0), exited: true},
		{pid: 0x794, image: "explorer.exe", reported: ptr(279)},
	}},
	{file: "kd/kd-process00-and-handle-0-7-notepad-win7x64-trailingspaces-jpblog.txt", clean: true, procs: []proc{
		{pid: 0x310, image: "notepad.exe", reported: ptr(90), parsed: 2, types: map[string]int64{"WindowStation": 1, "Desktop": 1}},
	}},
	{file: "kd/kd-process00-nt4-tablesize-msdocs.txt", clean: true, procs: []proc{
		{pid: 0x2, image: "System", reported: ptr(150)},
		{pid: 0x12, image: "smss.exe", reported: ptr(38)},
		{pid: 0x1a, image: "csrss.exe", reported: ptr(150)},
		{pid: 0x20, image: "winlogon.exe", reported: ptr(54)},
		{pid: 0x26, image: "services.exe", reported: ptr(222)},
		{pid: 0x29, image: "lsass.exe", reported: ptr(110)},
		{pid: 0x44, image: "SPOOLSS.EXE", reported: ptr(70)},
	}},
	{file: "kd/kd-process00-win10-20h1-x64-lkd-3procs-eprocessblog.txt", clean: true, procs: []proc{
		{pid: 0x4, image: "System", reported: ptr(2748)},
		{pid: 0x6c, image: "Registry", reported: ptr(0)},
		{pid: 0x1c0, image: "smss.exe", reported: ptr(58)},
	}},
	{file: "kd/kd-process00-win10th-x64-39procs-datanotaccessible-win32kblog.txt", clean: true, procs: []proc{
		{pid: 0x4, image: "System"},
		{pid: 0x10c, image: "smss.exe"},
		{pid: 0x158, image: "csrss.exe"},
		{pid: 0x1a0, image: "wininit.exe"},
		{pid: 0x1ac, image: "csrss.exe"},
		{pid: 0x1d8, image: "winlogon.exe"},
		{pid: 0x218, image: "services.exe"},
		{pid: 0x220, image: "lsass.exe"},
		{pid: 0x260, image: "svchost.exe"},
		{pid: 0x28c, image: "svchost.exe"},
		{pid: 0x304, image: "dwm.exe"},
		{pid: 0x35c, image: "svchost.exe"},
		{pid: 0x37c, image: "svchost.exe"},
		{pid: 0x3b0, image: "svchost.exe"},
		{pid: 0x3c4, image: "VBoxService.exe"},
		{pid: 0xec, image: "svchost.exe"},
		{pid: 0x124, image: "svchost.exe"},
		{pid: 0x134, image: "svchost.exe"},
		{pid: 0x41c, image: "svchost.exe"},
		{pid: 0x4f4, image: "spoolsv.exe"},
		{pid: 0x598, image: "svchost.exe"},
		{pid: 0x600, image: "svchost.exe"},
		{pid: 0x608, image: "MsMpEng.exe"},
		{pid: 0x7c4, image: "svchost.exe"},
		{pid: 0x540, image: "NisSrv.exe"},
		{pid: 0xa60, image: "SearchIndexer.exe"},
		{pid: 0x510, image: "WmiPrvSE.exe"},
		{pid: 0x310, image: "sihost.exe"},
		{pid: 0xdc, image: "taskhostw.exe"},
		{pid: 0x348, image: "userinit.exe", reported: ptr(0), exited: true},
		{pid: 0xa2c, image: "explorer.exe"},
		{pid: 0xae4, image: "SkypeHost.exe"},
		{pid: 0xb08, image: "RuntimeBroker.exe"},
		{pid: 0xb8c, image: "ShellExperienceHost.exe"},
		{pid: 0x53c, image: "SearchUI.exe"},
		{pid: 0xd84, image: "VBoxTray.exe"},
		{pid: 0xdc4, image: "OneDrive.exe"},
		{pid: 0xffc, image: "svchost.exe"},
		{pid: 0xcb4, image: "notepad.exe"},
	}},
	{file: "kd/kd-process00-win10x64-collapsed-ws-labdoc.txt", clean: true, procs: []proc{
		{pid: 0x4, image: "System", reported: ptr(2036)},
		{pid: 0x58, image: "Registry", reported: ptr(0)},
	}},
	{file: "kd/kd-process00-win7x86-39procs-mdescaped-collapsed-wasm.txt", clean: true, procs: []proc{
		{pid: 0x4, image: "System", reported: ptr(466)},
		{pid: 0x10c, image: "smss.exe", reported: ptr(29)},
		{pid: 0x16c, image: "csrss.exe", reported: ptr(504)},
		{pid: 0x194, image: "wininit.exe", reported: ptr(75)},
		{pid: 0x19c, image: "csrss.exe", reported: ptr(179)},
		{pid: 0x1d8, image: "winlogon.exe", reported: ptr(108)},
		{pid: 0x208, image: "services.exe", reported: ptr(216)},
		{pid: 0x218, image: "lsass.exe", reported: ptr(556)},
		{pid: 0x220, image: "lsm.exe", reported: ptr(141)},
		{pid: 0x278, image: "svchost.exe", reported: ptr(352)},
		{pid: 0x2b0, image: "vmacthlp.exe", reported: ptr(53)},
		{pid: 0x2d8, image: "svchost.exe", reported: ptr(267)},
		{pid: 0x350, image: "svchost.exe", reported: ptr(412)},
		{pid: 0x378, image: "svchost.exe", reported: ptr(397)},
		{pid: 0x394, image: "svchost.exe", reported: ptr(1027)},
		{pid: 0x434, image: "svchost.exe", reported: ptr(536)},
		{pid: 0x484, image: "svchost.exe", reported: ptr(376)},
		{pid: 0x4f0, image: "spoolsv.exe", reported: ptr(335)},
		{pid: 0x514, image: "svchost.exe", reported: ptr(334)},
		{pid: 0x5b0, image: "VGAuthService.exe", reported: ptr(83)},
		{pid: 0x5dc, image: "vmtoolsd.exe", reported: ptr(291)},
		{pid: 0x6d0, image: "svchost.exe", reported: ptr(101)},
		{pid: 0x76c, image: "dllhost.exe", reported: ptr(192)},
		{pid: 0x790, image: "WmiPrvSE.exe", reported: ptr(191)},
		{pid: 0x7d8, image: "dllhost.exe", reported: ptr(191)},
		{pid: 0x190, image: "msdtc.exe", reported: ptr(152)},
		{pid: 0x528, image: "VSSVC.exe", reported: ptr(110)},
		{pid: 0x784, image: "WmiPrvSE.exe", reported: ptr(318)},
		{pid: 0x858, image: "taskhost.exe", reported: ptr(156)},
		{pid: 0x8f4, image: "sppsvc.exe", reported: ptr(166)},
		{pid: 0x974, image: "dwm.exe", reported: ptr(68)},
		{pid: 0x980, image: "explorer.exe", reported: ptr(600)},
		{pid: 0x9e0, image: "jusched.exe", reported: ptr(33)},
		{pid: 0x9e8, image: "vmtoolsd.exe", reported: ptr(225)},
		{pid: 0xa88, image: "SearchIndexer.exe", reported: ptr(630)},
		{pid: 0xaec, image: "SearchProtocolHost.exe", reported: ptr(312)},
		{pid: 0xb00, image: "SearchFilterHost.exe", reported: ptr(78)},
		{pid: 0xc14, image: "svchost.exe", reported: ptr(312)},
		{pid: 0xe00, image: "WmiApSrv.exe", reported: ptr(117)},
	}},
	{file: "kd/kd-process00-win81x64-datanotaccessible-msdocs-gettingstarted.txt", clean: true, procs: []proc{
		{pid: 0x4, image: "System"},
		{pid: 0x124, image: "smss.exe"},
		{pid: 0x910, image: "explorer.exe"},
	}},
	{file: "kd/kd-process01-cmd-early-boot-win10x64.txt", clean: true, procs: []proc{
		{pid: 0x170, image: "cmd.exe", reported: ptr(18)},
	}},
	{file: "kd/kd-process01-single-win10x64-handletable-exercise.txt", clean: true, procs: []proc{
		{pid: 0x1514, image: "handle_table.exe", reported: ptr(35)},
	}},
	{file: "kd/kd-process01-winlogon-win10x64-debugprivilege.txt", clean: true, procs: []proc{
		{pid: 0x344, image: "winlogon.exe", reported: ptr(282)},
	}},
	{file: "kd/kd-process02-single-irptracker-win10x64-turingcompl33t.txt", clean: true, procs: []proc{
		{pid: 0x8fc, image: "IrpTrackerClient.exe", reported: ptr(41)},
	}},
	{file: "kd/kd-process7-winlogon-win10x64-collapsed-wrapped-labdoc.txt", clean: true, procs: []proc{
		{pid: 0x248, image: "winlogon.exe", reported: ptr(256)},
	}},

	// --- um/ --- (one debuggee: pid 0, no image; no `|` output in any)
	{file: "um/um-handle-0-0-summary-tabs-dotnet-corefx-2793.txt", clean: true, procs: []proc{
		// Type/Count table only, no "N Handles" line.
		{types: map[string]int64{"Event": 26762, "Key": 20745}},
	}},
	{file: "um/um-handle-0-8-Event-snip-typecount-x64.txt", clean: true, procs: []proc{
		// Handles 4 c 3c 40 b0 shown, then "13 handles of type Event".
		{parsed: 5, types: map[string]int64{"Event": 13}},
	}},
	{file: "um/um-handle-0-ff-events-tabs-dotnet-wpf-5978.txt", clean: true, procs: []proc{
		{parsed: 2, types: map[string]int64{"Event": 2}},
	}},
	{file: "um/um-handle-10-flags-1-2-4-8-f-x64-stripped-jumpdollar.txt", clean: true, procs: []proc{
		// The same handle 10 dumped five times.
		{parsed: 1, types: map[string]int64{"Event": 1}},
	}},
	{file: "um/um-handle-1cc-f-and-0-1-File-tabs-lowleveldesign.txt", clean: true, procs: []proc{
		// Handle 1cc (Event) and handle 1c0 (File), then "7 handles of type File".
		{parsed: 2, types: map[string]int64{"Event": 1, "File": 7}},
	}},
	{file: "um/um-handle-8-f-event-msdocs.txt", clean: true, procs: []proc{
		{parsed: 1, types: map[string]int64{"Event": 1}},
	}},
	{file: "um/um-handle-list-msdocs.txt", clean: true, procs: []proc{
		{reported: ptr(6), parsed: 6, types: map[string]int64{"Event": 3, "Section": 1, "File": 1, "Directory": 1}},
	}},
	{file: "um/um-handle-list-x64-16digit-win81-jumpdollar.txt", clean: true, procs: []proc{
		// 15 handles shown (4c with an empty Type); "377 Handles"; the
		// Type Count table is the debugger's count of every handle, so it
		// is the whole of ByType: the IRTimer handles shown (3c, 44) are
		// among those it lists as None, handles whose type it could not
		// read, which count as untyped.
		{reported: ptr(377), parsed: 15, types: map[string]int64{
			"Event": 74, "Section": 5, "File": 7, "Directory": 2, "Mutant": 115,
			"Semaphore": 17, "Key": 104, "Thread": 11, "IoCompletion": 2, "TpWorkerFactory": 1,
			"ALPC Port": 9, "WaitCompletionPacket": 4,
		}},
	}},
}

// skipWithoutCorpus skips t when the shared corpus is not there.
func skipWithoutCorpus(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("shared corpus not available at %s (%v); skipping corpus conformance", corpusDir, err)
	}
}

// corpusFileLines counts the lines of data the way a line reader sees
// them: one per '\n', plus a last line without one.
func corpusFileLines(data []byte) int64 {
	n := int64(bytes.Count(data, []byte("\n")))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return n
}

// corpusProcs turns a snapshot's processes into the table's form, sorted.
func corpusProcs(s *facts.Snapshot) []proc {
	out := make([]proc, 0, len(s.Processes))
	for _, p := range s.Processes {
		var types map[string]int64
		if len(p.ByType) > 0 {
			types = p.ByType
		}
		out = append(out, proc{
			pid: p.PID, image: p.Image, reported: p.HandleCount, parsed: p.HandlesParsed,
			types: types, exited: p.Exited,
		})
	}
	sortCorpusProcs(out)
	return out
}

func sortCorpusProcs(ps []proc) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].pid != ps[j].pid {
			return ps[i].pid < ps[j].pid
		}
		return ps[i].image < ps[j].image
	})
}

// checkTableCoversCorpus fails when a file of the kd/ and um/ folders has no
// row, or a row names no file.
func checkTableCoversCorpus(t *testing.T) {
	t.Helper()
	rows := map[string]bool{}
	for _, c := range corpusCases {
		if rows[c.file] {
			t.Errorf("corpus table: two rows for %s", c.file)
		}
		rows[c.file] = true
	}
	files := map[string]bool{}
	for _, dir := range []string{"kd", "um"} {
		entries, err := os.ReadDir(filepath.Join(corpusDir, dir))
		if err != nil {
			t.Fatalf("reading corpus folder: %v", err)
		}
		for _, e := range entries {
			if e.Type().IsRegular() {
				files[dir+"/"+e.Name()] = true
			}
		}
	}
	for f := range files {
		if !rows[f] {
			t.Errorf("corpus file %s has no row in the table", f)
		}
	}
	for f := range rows {
		if !files[f] {
			t.Errorf("corpus table row %s names no file", f)
		}
	}
}

func TestCorpusConformance(t *testing.T) {
	skipWithoutCorpus(t)
	checkTableCoversCorpus(t)
	for _, c := range corpusCases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			checkCorpusFile(t, c)
		})
	}
}

func checkCorpusFile(t *testing.T, c corpusCase) {
	t.Helper()
	path := filepath.Join(corpusDir, filepath.FromSlash(c.file))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	snap, err := dumpreader.ReadFile(path, dumpreader.Options{})
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", path, err)
	}
	want := append([]proc(nil), c.procs...)
	sortCorpusProcs(want)
	if diff := cmp.Diff(want, corpusProcs(snap), cmp.AllowUnexported(proc{})); diff != "" {
		t.Errorf("processes: diff (-want +got):\n%s", diff)
	}
	if len(snap.Sources) != 1 {
		t.Fatalf("got %d sources, want 1", len(snap.Sources))
	}
	lc := snap.Sources[0].Lines
	if sum := lc.Parsed + lc.Ignored + lc.Unrecognized; sum != lc.Total {
		t.Errorf("lines: parsed %d + ignored %d + unrecognized %d = %d, want Total %d", lc.Parsed, lc.Ignored, lc.Unrecognized, sum, lc.Total)
	}
	if n := corpusFileLines(data); lc.Total != n {
		t.Errorf("lines: Total = %d, want %d (the file's lines)", lc.Total, n)
	}
	if c.clean && lc.Unrecognized != 0 {
		var msgs []string
		for _, d := range snap.Diagnostics {
			if d.Code == facts.CodeUnrecognized {
				msgs = append(msgs, fmt.Sprintf("  line %d: %s", d.Line, d.Message))
			}
		}
		t.Errorf("clean capture: %d unrecognized lines, want 0:\n%s", lc.Unrecognized, strings.Join(msgs, "\n"))
	}
}

// TestCorpusNoPanic reads every file of the corpus, binary minidumps
// included: each must give a snapshot or an ordinary error, never a panic.
func TestCorpusNoPanic(t *testing.T) {
	skipWithoutCorpus(t)
	var paths []string
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking %s: %v", corpusDir, err)
	}
	if len(paths) == 0 {
		t.Fatalf("no files under %s", corpusDir)
	}
	for _, path := range paths {
		readWithoutPanic(t, path)
	}
}

func readWithoutPanic(t *testing.T, path string) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("ReadFile(%s) panicked: %v", path, r)
		}
	}()
	snap, err := dumpreader.ReadFile(path, dumpreader.Options{})
	if err == nil && snap == nil {
		t.Errorf("ReadFile(%s) returned neither a snapshot nor an error", path)
	}
}

// vmFigures are the figures of a `!vm` output, in KB (free system PTEs
// in entries), as read by hand from the file; -1 for one it does not show.
type vmFigures struct {
	physical, available, commit, commitLimit, nonPaged, nonPagedMax, paged, pagedMax, freePTEs int64
	poolFailures, processesListed                                                              int64
}

// poolTagWant is one pool tag as a listing shows it: for the top tag of
// nonpaged pool, its nonpaged figures; of paged pool, its paged ones.
type poolTagWant struct {
	tag           string
	allocs, bytes int64
	desc, binary  string
}

// poolFigures are what the `!poolused` listings of a file say: each
// listing as "command|sort|rows|TOTAL row", the totals and the top tags.
type poolFigures struct {
	listings              []string
	nonPaged, paged       int64
	totalsFrom            string
	topNonPaged, topPaged poolTagWant
}

// memoryCorpusCase is what one file of the vm/ folder must yield; every
// one is clean (each line is output, a prompt, an elision or blank).
type memoryCorpusCase struct {
	file string
	vm   *vmFigures
	pool *poolFigures
}

// memoryCorpusCases was filled in by reading each file (cat -A), adding
// up the rows by hand where a listing has no TOTAL row.
var memoryCorpusCases = []memoryCorpusCase{
	{file: "vm/poolused-2-and-4-cachemsgs-winternals-notes.txt", pool: &poolFigures{
		listings: []string{"!poolused 2|nonpaged|5|false", "!poolused 4|paged|7|false"},
		// No TOTAL row: per pool, the larger sum of one listing's rows.
		// Nonpaged: Cont+EtwB+AmlC+Pool+AmlH of the first listing;
		// paged: the seven rows of the second.
		nonPaged:    6525216 + 5041136 + 2031616 + 1705552 + 1572864,
		paged:       91705344 + 12546048 + 11071552 + 6790672 + 4314976 + 2976080 + 2598288,
		totalsFrom:  facts.TotalsFromRows,
		topNonPaged: poolTagWant{"Cont", 1094, 6525216, "Contiguous physical memory allocations for device drivers", ""},
		topPaged:    poolTagWant{"CM31", 19797, 91705344, "Internal Configuration manager allocations", "nt!cm"},
	}},
	{file: "vm/poolused-2-kdcache-preamble-win10x64-cnblog-partial.txt", pool: &poolFigures{
		listings: []string{"!poolused 2|nonpaged|9|false"},
		nonPaged: 5935104 + 5206272 + 4416000 + 3741536 + 3229088 + 2704800 + 2621440 + 2296896 + 2192480,
		paged:    442368, totalsFrom: facts.TotalsFromRows,
		// ConT is UNKNOWN to the debugger's pooltag.txt.
		topNonPaged: poolTagWant{"ConT", 535, 5935104, "", ""},
		topPaged:    poolTagWant{"EtwB", 16, 442368, "Etw Buffer", "nt!etw"},
	}},
	{file: "vm/poolused-tag-partial-msdocs.txt", pool: &poolFigures{
		// 13 rows, the author's "...", 22 rows, the TOTAL row.
		listings: []string{"!poolused|tag|35|true"},
		nonPaged: 209120008, paged: 13066104, totalsFrom: facts.TotalsFromTotalRow,
		topNonPaged: poolTagWant{"usbp", 18, 77056, "", ""},
		topPaged:    poolTagWant{"vPrt", 18, 68160, "", ""},
	}},
	{file: "vm/vm-0-nt4-w2k-stackoverflow-msdocs.txt", vm: &vmFigures{
		physical: 65072, available: 9196, commit: 183528, commitLimit: 202280,
		nonPaged: 3244, nonPagedMax: 25008, paged: 10368, pagedMax: 53248, freePTEs: 42754,
		// "Total Private", then the author cut the process rows.
	}},
	{file: "vm/vm-0-win7x64-noheader-winternals-notes.txt", vm: &vmFigures{
		physical: 4193784, available: 3305432, commit: 907864, commitLimit: 8385664,
		nonPaged: 36444, nonPagedMax: 3096560, paged: 147968, pagedMax: 134217728, freePTEs: 33496170,
	}},
	{file: "vm/vm-1-w2k-msdocs.txt", vm: &vmFigures{
		physical: 65080, available: 22172, commit: 87796, commitLimit: 145024,
		nonPaged: 3508, nonPagedMax: 25008, paged: 6388, pagedMax: 53248, freePTEs: 45089,
	}},
}

func TestCorpusMemoryConformance(t *testing.T) {
	skipWithoutCorpus(t)
	entries, err := os.ReadDir(filepath.Join(corpusDir, "vm"))
	if err != nil {
		t.Fatalf("reading corpus folder: %v", err)
	}
	rows := map[string]bool{}
	for _, c := range memoryCorpusCases {
		rows[c.file] = true
	}
	for _, e := range entries {
		if e.Type().IsRegular() && !rows["vm/"+e.Name()] {
			t.Errorf("corpus file vm/%s has no row in the table", e.Name())
		}
	}
	for _, c := range memoryCorpusCases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			path := filepath.Join(corpusDir, filepath.FromSlash(c.file))
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			snap, err := dumpreader.ReadFile(path, dumpreader.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(snap.Processes) != 0 || len(snap.Sources) != 1 {
				t.Fatalf("%d processes, %d sources; want none and 1", len(snap.Processes), len(snap.Sources))
			}
			lc := snap.Sources[0].Lines
			if lc.Total != corpusFileLines(data) || lc.Parsed+lc.Ignored+lc.Unrecognized != lc.Total || lc.Unrecognized != 0 {
				t.Errorf("lines %+v: want the file's %d lines, none unrecognized", lc, corpusFileLines(data))
			}
			var gotVM *vmFigures
			var gotPool *poolFigures
			if m := snap.Memory; m != nil {
				gotVM, gotPool = corpusVM(m.VM), corpusPool(m.Pool)
			}
			if diff := cmp.Diff(c.vm, gotVM, cmp.AllowUnexported(vmFigures{})); diff != "" {
				t.Errorf("!vm: diff (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.pool, gotPool, cmp.AllowUnexported(poolFigures{}, poolTagWant{})); diff != "" {
				t.Errorf("!poolused: diff (-want +got):\n%s", diff)
			}
		})
	}
}

func corpusVM(v *facts.VM) *vmFigures {
	if v == nil {
		return nil
	}
	kb := func(p *int64) int64 {
		if p == nil {
			return -1
		}
		return *p
	}
	return &vmFigures{
		physical: kb(v.PhysicalKB), available: kb(v.AvailableKB), commit: kb(v.CommitKB), commitLimit: kb(v.CommitLimitKB),
		nonPaged: kb(v.NonPagedPoolKB), nonPagedMax: kb(v.NonPagedPoolMaxKB), paged: kb(v.PagedPoolKB),
		pagedMax: kb(v.PagedPoolMaxKB), freePTEs: kb(v.FreeSystemPTEs),
		poolFailures: v.PoolFailures, processesListed: v.ProcessesListed,
	}
}

func corpusPool(u *facts.PoolUsage) *poolFigures {
	if u == nil {
		return nil
	}
	f := &poolFigures{nonPaged: u.NonPagedBytes, paged: u.PagedBytes, totalsFrom: u.TotalsFrom}
	for _, l := range u.Listings {
		f.listings = append(f.listings, fmt.Sprintf("%s|%s|%d|%v", l.Command, l.Sort, l.Rows, l.TotalRow))
	}
	if len(u.TopNonPaged) > 0 {
		t := u.TopNonPaged[0]
		f.topNonPaged = poolTagWant{t.Tag, t.NonPagedAllocs, t.NonPagedBytes, t.Description, t.Binary}
	}
	if len(u.TopPaged) > 0 {
		t := u.TopPaged[0]
		f.topPaged = poolTagWant{t.Tag, t.PagedAllocs, t.PagedBytes, t.Description, t.Binary}
	}
	return f
}

// casesProc is what a kd capture of the cases/ folder says about one
// process, beyond proc: its handle table's entries in use and its threads.
type casesProc struct {
	proc
	tableEntries        *int64
	threads, terminated int64
}

// casesCorpusCases are the kd captures of the cases/ folder that every
// line of is debugger output, read by hand (cat -A) like corpusCases.
var casesCorpusCases = []struct {
	file  string
	procs []casesProc
}{
	{
		// A PROCESS block of `!process` flags 1 and up pasted without its
		// command: detail lines, "No active threads", one TERMINATED thread.
		file: "cases/06-kd-process-zombie-contoso-noactivethreads-terminated-oldnewthing.txt",
		procs: []casesProc{
			{proc: proc{pid: 0x1490, image: "contoso.exe", reported: ptr(0), exited: true}, threads: 1, terminated: 1},
		},
	},
	{
		// Zero-width space entities, &nbsp; indents, escaped dots; the
		// second PROCESS block is cut after its first line: pid known,
		// image and counts unknown.
		file: "cases/20-kd-handle-0-0-0-Process-xp-htmlentities-zwsp-truncated-perl5-14414.txt",
		procs: []casesProc{
			{proc: proc{pid: 0x2fc, image: "svchost.exe", reported: ptr(124)}, tableEntries: ptr(124)},
			{proc: proc{pid: 0x860}},
		},
	},
}

func TestCorpusCases(t *testing.T) {
	skipWithoutCorpus(t)
	for _, c := range casesCorpusCases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			var want []proc
			for _, p := range c.procs {
				want = append(want, p.proc)
			}
			checkCorpusFile(t, corpusCase{file: c.file, clean: true, procs: want})
			snap, err := dumpreader.ReadFile(filepath.Join(corpusDir, filepath.FromSlash(c.file)), dumpreader.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.procs {
				for _, p := range snap.Processes {
					if p.PID != w.pid {
						continue
					}
					if diff := cmp.Diff(w.tableEntries, p.TableEntries); diff != "" {
						t.Errorf("pid 0x%x table entries: diff (-want +got):\n%s", w.pid, diff)
					}
					if p.Threads != w.threads || p.TerminatedThreads != w.terminated {
						t.Errorf("pid 0x%x: %d threads, %d terminated; want %d, %d", w.pid, p.Threads, p.TerminatedThreads, w.threads, w.terminated)
					}
				}
			}
		})
	}
}
