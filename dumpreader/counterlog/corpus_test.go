package counterlog_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/counterlog"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/internal/corpus"
)

// The counter logs of the corpus (wintools/perfmon-*), with what each
// must yield, worked out by hand from the files. Neither logs a Process
// counter: their samples show no process, and every line is accounted.
var corpusCases = []struct {
	file    string
	lines   facts.LineCounts
	samples int
	host    string
	first   string // the first sample's time
	codes   []string
}{{
	// relog CSV: a header of 10 counters (network, processor, memory,
	// disk) and 25 samples, the first with blanks for the rate counters.
	file:    "perfmon-csv-relog-network-cpu-memory-no-handlecount-blank-first-row-powershell-tests.csv",
	lines:   facts.LineCounts{Total: 26, Parsed: 26},
	samples: 25, host: "charlieparker", first: "2016-11-26T13:46:30.874-08:00",
	codes: []string{counterlog.CodeOtherCounters, facts.CodeMissing},
}, {
	// typeperf on a console of 80 columns, in a markdown fence: the
	// fence lines and the command (3 ignored, and a blank line), the
	// header wrapped over 3 lines and the one sample over 2; the sample
	// has 22 values for the header's 3 counters.
	file:    "perfmon-csv-typeperf-console-wrapped-80col-instance-qmarks-value-mismatch-newrelic-perfmon-11.txt",
	lines:   facts.LineCounts{Total: 9, Parsed: 5, Ignored: 4},
	samples: 1, host: "ABCD1234", first: "2013-10-25T11:00:39.984Z",
	codes: []string{counterlog.CodeOtherCounters, facts.CodeMissing, counterlog.CodeTime, counterlog.CodeColumns},
}}

func TestCorpus(t *testing.T) {
	dir := corpus.Path(t, "wintools")
	seen := 0
	for _, c := range corpusCases {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join(dir, c.file)
			head, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := dumpreader.Detect(head); got != dumpreader.FormatCounterLog {
				t.Errorf("detected as %q", got)
			}
			snaps, err := dumpreader.ReadSeries([]string{path}, dumpreader.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(snaps) != c.samples {
				t.Fatalf("%d snapshots, want %d", len(snaps), c.samples)
			}
			last := snaps[len(snaps)-1]
			if got := last.Sources[0].Lines; got != c.lines {
				t.Errorf("lines %+v, want %+v", got, c.lines)
			}
			if snaps[0].Host != c.host || snaps[0].CapturedAt != c.first {
				t.Errorf("host %q at %q, want %q at %q", snaps[0].Host, snaps[0].CapturedAt, c.host, c.first)
			}
			var codes []string
			for _, d := range last.Diagnostics {
				codes = append(codes, d.Code)
			}
			if strings.Join(codes, " ") != strings.Join(c.codes, " ") {
				t.Errorf("diagnostics %v, want %v", last.Diagnostics, c.codes)
			}
			for _, s := range snaps {
				if len(s.Processes) != 0 {
					t.Errorf("%d processes, from a log of no Process counter", len(s.Processes))
				}
			}
		})
	}
	// Every perfmon capture of the corpus is one of the cases.
	paths, _ := filepath.Glob(filepath.Join(dir, "perfmon-*"))
	for _, p := range paths {
		for _, c := range corpusCases {
			if filepath.Base(p) == c.file {
				seen++
			}
		}
	}
	if seen != len(paths) {
		t.Errorf("%d perfmon captures in the corpus, %d of them cases here", len(paths), seen)
	}
}
