package osquery_test

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
// osquery outputs among them.
const (
	corpusDir    = "../../../shared/corpus/wintools"
	corpusPrefix = "other-osquery-"
)

// corpusCase is what one corpus file must yield, worked out by reading
// the file (cat -A), not from the reader's output. procs are "pid image
// count"; diags "line:code".
type corpusCase struct {
	file  string
	lines facts.LineCounts
	procs []string
	diags []string
}

var corpusCases = []corpusCase{
	{
		// 7 lines: a fence (```sql, never closed), the prompt with the
		// query and trailing blanks, a border, the header, a border, one
		// row, a border.
		file:  "other-osquery-processes-handle-count-order-desc-limit1-explorer-osquery-8795.txt",
		lines: facts.LineCounts{Total: 7, Parsed: 6, Ignored: 1},
		procs: []string{"6548 explorer.exe 2739"},
	},
}

// TestCorpus reads each osquery output of the corpus (skipping when the
// corpus is absent) and checks its line accounting, processes and
// diagnostics; every such file of the corpus must have a case.
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
			if src.Format != "osquery" {
				t.Errorf("format %q, want osquery", src.Format)
			}
			if src.Lines != c.lines {
				t.Errorf("lines %+v, want %+v", src.Lines, c.lines)
			}
			if diff := cmp.Diff([]string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}, src.Lacks); diff != "" {
				t.Errorf("lacks (-want +got):\n%s", diff)
			}
			var procs, diags []string
			for _, p := range snap.Processes {
				n := "-"
				if p.HandleCount != nil {
					n = fmt.Sprint(*p.HandleCount)
				}
				procs = append(procs, fmt.Sprintf("%d %s %s", p.PID, p.Image, n))
				if len(p.ByType) != 0 {
					t.Errorf("pid %d: by_type %v from a count-only source", p.PID, p.ByType)
				}
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
