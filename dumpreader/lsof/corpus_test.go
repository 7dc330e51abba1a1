package lsof_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/dumpreader/lsof"
	"github.com/leakdiag/leakdiag/facts"
)

// corpusDir holds real captures shared by the project (see its README.md).
const corpusDir = "../../../shared/corpus"

// lsofProc is what an lsof capture of the corpus says about one process,
// as read by hand from the file.
type lsofProc struct {
	PID                 uint64
	Image               string
	HandleCount         *int64
	HandlesParsed       int64
	ByType              map[string]int64
	SocketStates        map[string]int64
	UnidentifiedSockets int64
	DeletedFDs          int64
	DeletedBytes        int64
}

// lsofCorpusCases are the lsof captures among the corpus's cases, with
// what each must yield; every other file there is of another format.
var lsofCorpusCases = []struct {
	file  string // relative to corpusDir
	lines facts.LineCounts
	codes []string // diagnostic codes, in order
	procs []lsofProc
}{{
	// A header and 7 socket rows of the process, cut by the excerpt: no
	// cwd, rtd or txt row, so the listing is not known to be whole.
	file:  "cases/14-lsof-tcp-closewait-anonymized-service-truncated-ably-go-89.txt",
	lines: facts.LineCounts{Total: 8, Parsed: 8},
	// The author's placeholder {service} is nine characters, as long as
	// a name lsof may have cut.
	codes: []string{scan.CodePartial, lsof.CodeCutName},
	procs: []lsofProc{{PID: 27085, Image: "{service}", HandlesParsed: 7, ByType: map[string]int64{"TCP": 7},
		SocketStates: map[string]int64{"CLOSE_WAIT": 6, "ESTABLISHED": 1}}},
}, {
	// `lsof -n | grep deleted` after a prompt whose host name was blanked:
	// no header, a TID column, and three threads repeating the process's
	// two descriptors to deleted temporary files (27284931439 and
	// 449757208 bytes).
	file:  "cases/15-lsof-n-grep-deleted-tid-column-ossfs-42.txt",
	lines: facts.LineCounts{Total: 9, Parsed: 3, Ignored: 6},
	codes: []string{scan.CodePartial, lsof.CodeThreadRows},
	procs: []lsofProc{{PID: 614, Image: "ossfs", HandlesParsed: 2, ByType: map[string]int64{"file": 2},
		DeletedFDs: 2, DeletedBytes: 27284931439 + 449757208}},
}, {
	// `lsof -p` with a "*snip*" line, so the listing is not whole; the
	// txt row of a binary upgraded in place is no deleted descriptor.
	file:  "cases/17-lsof-p-haproxy-oldworker-snip-one-closewait-notaleak-haproxy-1985.txt",
	lines: facts.LineCounts{Total: 8, Parsed: 7, Ignored: 1},
	codes: []string{facts.CodeElision},
	procs: []lsofProc{{PID: 3356936, Image: "haproxy", HandlesParsed: 2, ByType: map[string]int64{"TCP": 1, "TCP6": 1},
		SocketStates: map[string]int64{"CLOSE_WAIT": 1, "ESTABLISHED": 1}}},
}}

// TestLsofCorpusCases reads the lsof captures of the corpus's cases as
// leakdiag does, detecting their format, and checks that no other case
// is taken for lsof output.
func TestLsofCorpusCases(t *testing.T) {
	all, _ := filepath.Glob(filepath.Join(corpusDir, "cases", "*.txt"))
	if len(all) == 0 {
		t.Skipf("%s is absent: the corpus's cases were not read", filepath.Join(corpusDir, "cases"))
	}
	listed := map[string]bool{}
	for _, tc := range lsofCorpusCases {
		path := filepath.Join(corpusDir, filepath.FromSlash(tc.file))
		listed[path] = true
		t.Run(tc.file, func(t *testing.T) {
			snap, err := dumpreader.ReadFile(path, dumpreader.Options{})
			if err != nil {
				t.Fatalf("ReadFile(%s): %v", path, err)
			}
			if len(snap.Sources) != 1 || snap.Sources[0].Format != string(dumpreader.FormatLsof) {
				t.Fatalf("sources %+v, want one of format lsof", snap.Sources)
			}
			if diff := cmp.Diff(tc.lines, snap.Sources[0].Lines); diff != "" {
				t.Errorf("lines diff (-want +got):\n%s", diff)
			}
			var codes []string
			for _, d := range snap.Diagnostics {
				codes = append(codes, d.Code)
			}
			if diff := cmp.Diff(tc.codes, codes); diff != "" {
				t.Errorf("diagnostic codes diff (-want +got):\n%s", diff)
			}
			var got []lsofProc
			for _, p := range snap.Processes {
				got = append(got, lsofProc{
					PID: p.PID, Image: p.Image, HandleCount: p.HandleCount, HandlesParsed: p.HandlesParsed,
					ByType: p.ByType, SocketStates: p.SocketStates, UnidentifiedSockets: p.UnidentifiedSockets,
					DeletedFDs: p.DeletedFDs, DeletedBytes: p.DeletedBytes,
				})
			}
			if diff := cmp.Diff(tc.procs, got); diff != "" {
				t.Errorf("processes diff (-want +got):\n%s", diff)
			}
		})
	}
	for _, path := range all {
		if listed[path] {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := dumpreader.Detect(data); got == dumpreader.FormatLsof {
			t.Errorf("Detect(%s) = %q: not lsof output", path, got)
		}
	}
}
