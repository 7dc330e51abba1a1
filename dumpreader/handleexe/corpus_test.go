package handleexe

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// handleExeCorpusDir holds the real Handle captures shared by the project
// (see its README.md and SOURCES.tsv). Tests run in dumpreader/.
const handleExeCorpusDir = "../../../shared/corpus/handleexe"

// handleExeProc is what a capture says about one process, read by hand
// from the file: pid, image, the handle count a per-process summary
// states (nil otherwise), the handles it lists and their types.
type handleExeProc struct {
	pid    uint64
	image  string
	count  *int64
	parsed int64
	types  map[string]int64
}

// handleExeCase is what one corpus file must yield. diags are
// "line:code", ordered by line, then code.
type handleExeCase struct {
	file   string
	lines  facts.LineCounts
	procs  []handleExeProc
	totals map[string]int64
	diags  []string
}

// handleExeCases was filled in by reading each file (cat -A) and counting
// its lines by hand, not from the reader's output.
var handleExeCases = []handleExeCase{
	{
		// Six listing lines pasted without banner or process header.
		file:  "handleexe-snippet-chrome-file-section-devhide-qa.txt",
		lines: facts.LineCounts{Total: 6, Parsed: 6},
		procs: []handleExeProc{
			{pid: 0, image: "", parsed: 6, types: map[string]int64{"File": 4, "Section": 2}},
		},
		diags: []string{"1:handle-without-process", "1:partial-listing"},
	},
	{
		// Two summaries in one Erlang comment, every line behind "%%":
		// 4 banner lines and 17 summary lines each (15 + 18 rows), a blank
		// line between. The last one is read; "Process" (3 and 38) and
		// "<Unknown type>" (1 and 166) are listed twice.
		file:  "handleexe-v3.42-and-v4.22-s-summary-erlang-comment-rabbitmq.txt",
		lines: facts.LineCounts{Total: 46, Parsed: 37, Ignored: 9},
		// Two summaries without their command line, of 238 and 706
		// handles, too few for a whole machine: the Erlang VM's, as the
		// code they document runs `handle -s -p PID`; the last is read.
		procs: []handleExeProc{{count: new(int64(706)), types: map[string]int64{
			"<Unknown type>": 167, "ALPC Port": 11, "Desktop": 1, "Directory": 2, "Event": 226,
			"File": 122, "IoCompletion": 8, "IRTimer": 6, "Key": 42, "Mutant": 7, "Process": 3,
			"Section": 2, "Semaphore": 43, "Thread": 36, "TpWorkerFactory": 3,
			"WaitCompletionPacket": 25, "WindowStation": 2,
		}}},
		diags: []string{
			"1:repaired", "5:summary-scope", "16:duplicate-type-row", "27:several-summaries",
			"29:duplicate-type-row",
		},
	},
	{
		// 8 sections (8 headers, 8 separators), 166 handle lines; a File
		// named "C:?" on line 124.
		file:  "handleexe-v3.5-allprocs-partial-win8x64-episodetracker.txt",
		lines: facts.LineCounts{Total: 187, Parsed: 174, Ignored: 13},
		procs: []handleExeProc{
			{pid: 4, image: "System", parsed: 140, types: map[string]int64{"File": 140}},
			{pid: 360, image: "smss.exe", parsed: 1, types: map[string]int64{"File": 1}},
			{pid: 568, image: "csrss.exe", parsed: 3, types: map[string]int64{"File": 2, "Section": 1}},
			{pid: 660, image: "wininit.exe", parsed: 2, types: map[string]int64{"File": 2}},
			{pid: 676, image: "csrss.exe", parsed: 2, types: map[string]int64{"File": 1, "Section": 1}},
			{pid: 720, image: "winlogon.exe", parsed: 7, types: map[string]int64{"File": 2, "Section": 5}},
			{pid: 760, image: "services.exe", parsed: 1, types: map[string]int64{"File": 1}},
			{pid: 768, image: "lsass.exe", parsed: 10, types: map[string]int64{"File": 7, "Section": 3}},
		},
		diags: []string{"8:partial-listing", "124:replaced-characters"},
	},
	{
		// 30 handle lines (SOURCES.tsv says 31: the file shows 30, values
		// 8 to 9B0); 6B0 and 6B4 are two handles to one file.
		file:  "handleexe-v3.5-p-potplayer-win8x64-episodetracker.txt",
		lines: facts.LineCounts{Total: 37, Parsed: 31, Ignored: 6},
		procs: []handleExeProc{
			{pid: 7748, image: "PotPlayerMini64.exe", parsed: 30, types: map[string]int64{"File": 18, "Section": 12}},
		},
		diags: []string{"8:partial-listing"},
	},
	{
		// A PowerShell wrapper ("wechat2") running `handle64 -c` twice:
		// neither run shows its process, which "Handle closed." explains
		// (said once, as info); the wrapper's last line is its own.
		file:  "handleexe-v4.22-close-mutant-twice-wechat-more.txt",
		lines: facts.LineCounts{Total: 18, Parsed: 5, Ignored: 13},
		procs: []handleExeProc{
			{pid: 0, image: "", parsed: 2, types: map[string]int64{"Mutant": 2}},
		},
		diags: []string{
			"1:ignored-command", "7:handle-without-process", "7:partial-listing",
		},
	},
	{
		// A search finds 7D8 in chrome.exe 17000; `-c 7d8 -y -p 17000`
		// shows it again.
		file:  "handleexe-v4.22-search-and-close-chrome-lockfile.txt",
		lines: facts.LineCounts{Total: 17, Parsed: 5, Ignored: 12},
		procs: []handleExeProc{
			{pid: 17000, image: "chrome.exe", parsed: 1, types: map[string]int64{"File": 1}},
		},
		diags: []string{"7:partial-listing", "15:duplicate-handle", "15:partial-listing"},
	},
	{
		// `/nobanner /s /p <pid>` per SOURCES.tsv, but the file does not
		// show the command: read as system-wide, and said so.
		file:  "handleexe-v5-nobanner-s-p-summary-win11-rabbitmq-6613.txt",
		lines: facts.LineCounts{Total: 21, Parsed: 21},
		// `handle /s /p PID` (the source says), its command line not
		// shown: 453 handles are one process's.
		procs: []handleExeProc{{count: new(int64(453)), types: map[string]int64{
			"<Unknown type>": 121, "ALPC Port": 8, "Desktop": 1, "Directory": 2, "Event": 158,
			"File": 62, "IoCompletion": 18, "IoCompletionReserve": 1, "IRTimer": 6, "Key": 17,
			"Mutant": 2, "Process": 3, "Section": 3, "Semaphore": 8, "Thread": 23,
			"TpWorkerFactory": 3, "WaitCompletionPacket": 15, "WindowStation": 2,
		}}},
		diags: []string{"1:summary-scope", "3:duplicate-type-row"},
	},
	{
		// Two search results whose values end in "08X": 1dd34 and 1ea0c.
		file:  "handleexe-v5-u-name-08X-bug-sysinternals-792.txt",
		lines: facts.LineCounts{Total: 8, Parsed: 3, Ignored: 5},
		procs: []handleExeProc{
			{pid: 6116, image: "explorer.exe", parsed: 2, types: map[string]int64{"File": 2}},
		},
		diags: []string{"7:handle-value-08x", "7:partial-listing"},
	},
	{
		// An 8-column header over 6-field rows; three names lack the blank
		// the others end with (two look cut, svchost.exe.mui does not).
		file:  "handleexe-v5-v-u-csv-header-mismatch-sysinternals-735.txt",
		lines: facts.LineCounts{Total: 12, Parsed: 8, Ignored: 4},
		procs: []handleExeProc{
			{pid: 5672, image: "svchost.exe", parsed: 2, types: map[string]int64{"File": 2}},
			{pid: 6616, image: "sihost.exe", parsed: 4, types: map[string]int64{"File": 4}},
			{pid: 20004, image: "ipf_helper.exe", parsed: 1, types: map[string]int64{"File": 1}},
		},
		diags: []string{
			"5:csv-header-mismatch", "6:partial-listing", "6:truncated-block", "9:truncated-block", "12:truncated-block",
		},
	},
}

// TestHandleExeCorpus reads every file of the shared corpus's handleexe
// folder and compares what it yields with what the file says, as read by
// hand. Every file must have a case.
func TestHandleExeCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(handleExeCorpusDir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("no corpus at %s (the shared corpus is not in this checkout)", handleExeCorpusDir)
	}
	cases := map[string]bool{}
	for _, tc := range handleExeCases {
		cases[tc.file] = true
	}
	for _, f := range files {
		if !cases[filepath.Base(f)] {
			t.Errorf("%s: no case in handleExeCases; read it by hand and add one", f)
		}
	}
	for _, tc := range handleExeCases {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(handleExeCorpusDir, tc.file)
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("case for a file the corpus lacks: %v", err)
			}
			snap := readHandleExeFile(t, path)
			if diff := cmp.Diff(tc.lines, snap.Sources[0].Lines); diff != "" {
				t.Errorf("lines: diff (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(handleExeWantProcs(tc.procs), handleExeGotProcs(snap)); diff != "" {
				t.Errorf("processes: diff (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.totals, snap.TypeTotals); diff != "" {
				t.Errorf("type totals: diff (-want +got):\n%s", diff)
			}
			var diags []string
			ds := append([]facts.Diagnostic(nil), snap.Diagnostics...)
			sort.SliceStable(ds, func(i, j int) bool {
				if ds[i].Line != ds[j].Line {
					return ds[i].Line < ds[j].Line
				}
				return ds[i].Code < ds[j].Code
			})
			for _, d := range ds {
				diags = append(diags, fmt.Sprintf("%d:%s", d.Line, d.Code))
			}
			if diff := cmp.Diff(tc.diags, diags); diff != "" {
				t.Errorf("diagnostics: diff (-want +got):\n%s", diff)
			}
		})
	}
}

// handleExeProcView is the part of a facts.Process the corpus cases state.
type handleExeProcView struct {
	PID    uint64
	Image  string
	Count  *int64
	Parsed int64
	Types  map[string]int64
}

func handleExeWantProcs(procs []handleExeProc) []handleExeProcView {
	out := []handleExeProcView{}
	for _, p := range procs {
		types := p.types
		if types == nil {
			types = map[string]int64{}
		}
		out = append(out, handleExeProcView{p.pid, p.image, p.count, p.parsed, types})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PID < out[j].PID })
	return out
}

func handleExeGotProcs(snap *facts.Snapshot) []handleExeProcView {
	out := []handleExeProcView{}
	for _, p := range snap.Processes {
		out = append(out, handleExeProcView{p.PID, p.Image, p.HandleCount, p.HandlesParsed, p.ByType})
	}
	return out
}
