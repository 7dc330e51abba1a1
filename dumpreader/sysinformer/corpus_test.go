package sysinformer_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/facts"
)

// corpusDir holds the real captures of Windows admin tools shared by the
// project (see its SOURCES.tsv); corpusPrefix starts the names of the
// System Informer copies among them.
const (
	corpusDir    = "../../../shared/corpus/wintools"
	corpusPrefix = "systeminformer-"
)

// corpusCase is what one corpus file must yield, worked out by reading
// the file (cat -A), not from the reader's output. procs are "pid image
// count peak parsed types"; diags "line:code".
type corpusCase struct {
	file  string
	lines facts.LineCounts
	procs []string
	diags []string
}

var corpusCases = []corpusCase{
	{
		// 45 lines. The reporter's own lines: 1 (a date), 4-6 (version,
		// rules, Windows build) are no statistics; 2 is one (Private
		// bytes). Group names on 8, 20, 37 ("Handles", "IO", "Disk IO");
		// statistics 10-17 (8), 22-34 (13), 39-44 (6). Blanks 3, 7, 19,
		// 36 and fences 9, 18, 21, 35, 38, 45. Parsed 1+3+8+13+6 = 31.
		file:  "systeminformer-process-statistics-copy-simplewall-458-handles-comma-decimal-space-thousands-simplewall-1066.txt",
		lines: facts.LineCounts{Total: 45, Parsed: 31, Ignored: 10, Unrecognized: 4},
		procs: []string{"0  458 458 0 map[]"},
		diags: []string{"1:unrecognized-line", "4:unrecognized-line", "5:unrecognized-line", "6:unrecognized-line"},
	},
}

// TestCorpus reads each System Informer copy of the corpus (skipping
// when the corpus is absent) and checks its line accounting, processes
// and diagnostics; every such file of the corpus must have a case.
func TestCorpus(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(corpusDir, corpusPrefix+"*"))
	if len(paths) == 0 {
		t.Skip("corpus not present")
	}
	cases := map[string]corpusCase{}
	for _, c := range corpusCases {
		cases[c.file] = c
	}
	for _, path := range paths {
		c, ok := cases[filepath.Base(path)]
		if !ok {
			t.Errorf("%s: no case: read it by hand and add one", path)
			continue
		}
		t.Run(c.file, func(t *testing.T) {
			snap, err := dumpreader.ReadFile(path, dumpreader.Options{})
			if err != nil {
				t.Fatal(err)
			}
			src := snap.Sources[0]
			if src.Format != "sysinformer" {
				t.Errorf("format %q, want sysinformer", src.Format)
			}
			if src.Lines != c.lines {
				t.Errorf("lines %+v, want %+v", src.Lines, c.lines)
			}
			if diff := cmp.Diff([]string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}, src.Lacks); diff != "" {
				t.Errorf("lacks (-want +got):\n%s", diff)
			}
			var procs, diags []string
			for _, p := range snap.Processes {
				procs = append(procs, fmt.Sprintf("%d %s %s %s %d %v", p.PID, p.Image, count(p.HandleCount), count(p.PeakHandles), p.HandlesParsed, p.ByType))
			}
			for _, d := range snap.Diagnostics {
				diags = append(diags, fmt.Sprintf("%d:%s", d.Line, d.Code))
			}
			if diff := cmp.Diff(c.procs, procs); diff != "" {
				t.Errorf("processes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.diags, diags); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

// count prints a count that may be unknown.
func count(n *int64) string {
	if n == nil {
		return "-"
	}
	return fmt.Sprint(*n)
}
