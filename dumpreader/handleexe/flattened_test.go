package handleexe

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakdiag/leakdiag/facts"
)

// flatListing is a `handle -a` listing of two processes whose line breaks
// a page lost, with an author's vertical ellipsis flattened to ": :".
const flatListing = "Handle v3.46 Copyright (C) 1997-2011 Mark Russinovich Sysinternals - www.sysinternals.com " +
	"------------------------------------------------------------------------------ " +
	"agent.exe pid: 612 CONTOSO\\svc 4: Event 8: Key HKLM\\SOFTWARE\\Contoso : : 1C0: File (RW-) C:\\Logs\\a.log " +
	"------------------------------------------------------------------------------ " +
	"spooler.exe pid: 1040 NT AUTHORITY\\SYSTEM 4: Mutant \\BaseNamedObjects\\Spool 8: Thread spooler.exe(1040): 1044\n"

// TestReadFlattenedListing: a listing flattened onto one line is detected,
// cut back into its lines and read: each process with its handles, the
// ellipsis an elision, the repair said.
func TestReadFlattenedListing(t *testing.T) {
	if !Sniff([]byte(flatListing)) {
		t.Fatalf("Sniff(flattened listing) = false, want true")
	}
	snap := readHandleExeBytes(t, []byte(flatListing), "flat.txt")
	type proc struct {
		PID    uint64
		Image  string
		Parsed int64
	}
	var got []proc
	for _, p := range snap.Processes {
		got = append(got, proc{p.PID, p.Image, p.HandlesParsed})
	}
	want := []proc{{612, "agent.exe", 3}, {1040, "spooler.exe", 2}}
	if !slices.Equal(got, want) {
		t.Errorf("processes = %+v, want %+v", got, want)
	}
	for _, code := range []string{facts.CodeRepaired, facts.CodeElision} {
		if !slices.ContainsFunc(snap.Diagnostics, func(d facts.Diagnostic) bool { return d.Code == code }) {
			t.Errorf("diagnostics = %v, want one %q", snap.Diagnostics, code)
		}
	}
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("unrecognized lines = %d, want 0", n)
	}
}

// TestFlattenedPiecesOther: a long line that is no flattened listing (no
// dashes before a "pid:" header) is left whole.
func TestFlattenedPiecesOther(t *testing.T) {
	for _, line := range []string{
		"explorer.exe pid: 1764 CONTOSO\\alice 1C: File (RW-) C:\\Windows 20: File (RW-) C:\\Windows\\System32 24: Key HKLM",
		"----------------------------------------------------------------------------------------------------- no header",
	} {
		if got := flattenedPieces([]byte(line), nil); len(got) != 0 {
			t.Errorf("flattenedPieces(%q) = %q, want none", line, got)
		}
	}
}

// TestReadFlattenedSummary: a type summary (`handle -s`) flattened onto
// one line, with the prompt and banner before it or without them, reads
// as the same summary on its own lines does: its counts by type and its
// total, of one process (with -p, or without the command line, as too
// few handles for a whole machine), no line unrecognized.
func TestReadFlattenedSummary(t *testing.T) {
	const rows = "Handle type summary:   ALPC Port       : 8   Desktop         : 2   Event           : 1840   " +
		"<Unknown type>  : 3   WaitCompletionPacket: 12 Total handles: 1865"
	byType := map[string]int64{"ALPC Port": 8, "Desktop": 2, "Event": 1840, "<Unknown type>": 3, "WaitCompletionPacket": 12}
	tests := []struct {
		name, capture string
		pid           uint64 // the process counted, 0 for one the capture does not name
		total         int64
	}{
		{"alone", rows + "\n", 0, 1865},
		{"short", "Handle type summary: Event : 7 Total handles: 7\n", 0, 7},
		{"after banner", "Handle v4.22 Copyright (C) 1997-2019 Mark Russinovich Sysinternals - www.sysinternals.com " + rows + "\n", 0, 1865},
		{"after prompt", "C:\\tools>handle64 -nobanner -s -p 2712 " + rows + " C:\\tools>\n", 2712, 1865},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !Sniff([]byte(tc.capture)) {
				t.Fatalf("Sniff = false, want true")
			}
			snap := readHandleExeBytes(t, []byte(tc.capture), "flat-s.txt")
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("unrecognized lines = %d, want 0: %v", n, snap.Diagnostics)
			}
			want := byType
			if tc.name == "short" {
				want = map[string]int64{"Event": 7}
			}
			if len(snap.TypeTotals) != 0 {
				t.Errorf("type totals %v, want none: the summary counts one process", snap.TypeTotals)
			}
			if len(snap.Processes) != 1 || snap.Processes[0].PID != tc.pid {
				t.Fatalf("processes = %+v, want pid %d alone", snap.Processes, tc.pid)
			}
			p := snap.Processes[0]
			if diff := cmp.Diff(want, p.ByType); diff != "" {
				t.Errorf("by type (-want +got):\n%s", diff)
			}
			if p.HandleCount == nil || *p.HandleCount != tc.total {
				t.Errorf("handle count = %v, want %d", p.HandleCount, tc.total)
			}
		})
	}
}
