package findzombie

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/internal/corpus"
)

// corpusCase is what one corpus file must yield, read by hand from the
// file (cat -A), not from the reader's output.
type corpusCase struct {
	file    string
	lines   facts.LineCounts
	holders []holder
	diags   []string
}

var corpusCases = []corpusCase{
	{
		// Middle generation, four lines indented for markdown, only the
		// top holder quoted: 1081 + 20 + 14 = 1115 zombies, all process
		// handles; the two MicrosoftEdgeUpdate.exe lines (two paths of
		// one name) add up to 34.
		file:  "findzombiehandles-svchost-netprofm-2496-1115-indented-win-dev-perf-65.txt",
		lines: facts.LineCounts{Total: 4, Parsed: 4},
		holders: []holder{{PID: 2496, Image: "svchost.exe", Zombies: 1115, Procs: 1115,
			Images: "1081 svchost.exe, 34 MicrosoftEdgeUpdate.exe"}},
	},
	{
		// First generation: a cmd prompt glued to the opening fence (line
		// 1), the total (2), two holders (3, 6) with 2 and 4 images, three
		// lines of one dot (11-13), the closing fence (14). 169712 * 2 =
		// 339424; svchost's 1058 + 277 + 25 + 16 = 1376 of 1410, the rest
		// cut by the dots.
		file:  "findzombiehandles-synergyd-4076-339424-prompt-in-fence-dots-deskflow-6567.txt",
		lines: facts.LineCounts{Total: 14, Parsed: 10, Ignored: 4},
		holders: []holder{
			{PID: 4076, Image: "synergyd.exe", Zombies: 339424, Procs: 339424, Images: "169712 synergys.exe, 169712 syntool.exe"},
			{PID: 6876, Image: "svchost.exe", Zombies: 1410, Procs: 1410, Images: "1058 Code.exe, 277 cmd.exe, 25 chrome.exe, 16 node.exe"},
		},
		diags: []string{"11:elision", "6:count-mismatch"},
	},
}

// TestCorpus reads every FindZombieHandles file of the shared corpus and
// compares what it yields with what the file says. Every file must have
// a case.
func TestCorpus(t *testing.T) {
	dir := corpus.Path(t, "wintools")
	files, err := filepath.Glob(filepath.Join(dir, "findzombiehandles-*"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{}
	for _, tc := range corpusCases {
		cases[tc.file] = true
	}
	for _, f := range files {
		if !cases[filepath.Base(f)] {
			t.Errorf("%s: no case in corpusCases; read it by hand and add one", f)
		}
	}
	for _, tc := range corpusCases {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatalf("case for a file the corpus lacks: %v", err)
			}
			if !Sniff(data) {
				t.Errorf("not detected as %s", Name)
			}
			snap := readText(t, string(data))
			if diff := cmp.Diff(tc.lines, snap.Sources[0].Lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.holders, holders(snap)); diff != "" {
				t.Errorf("holders (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.diags, diagCodes(snap)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}
