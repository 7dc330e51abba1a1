// Package proctest holds what the tests of the readers of Windows
// administrators' tables (getprocess, wmic, taskmgr, osquery,
// sysinformer, procexp) share: reading a capture through dumpreader,
// comparing its processes, line accounting and diagnostics with what a
// test wants (Case, Check, Parse), and checking the corpus's captures of
// a format, each against a case worked out by hand (Corpus).
package proctest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/internal/corpus"
)

// Proc is what a capture says about one process. Handles, Session and
// Peak are nil where the capture gives none; Parsed is the number of
// handles read one by one.
type Proc struct {
	PID     uint64
	Image   string
	Handles *int64
	Session *int64
	Peak    *int64
	Parsed  int64
}

// N returns a pointer to n, for Proc fields.
func N(n int64) *int64 { return &n }

// Case is a capture and what reading it must yield. Procs, if not nil,
// lists some of the processes (Count says how many there are).
type Case struct {
	Name  string
	In    string
	Lines facts.LineCounts
	Count int
	Procs []Proc
	// Codes are diagnostic codes that must be among those given.
	Codes []string
	// Diags, if not nil, are all the diagnostics that must be given, in
	// order, as "line:code" (DiagLines); empty, none may be.
	Diags []string
	Host  string
}

// Read reads data as format, failing t on an error.
func Read(t *testing.T, data []byte, name string, format dumpreader.Format) *facts.Snapshot {
	t.Helper()
	snap, err := dumpreader.Read(bytes.NewReader(data), name, dumpreader.Options{Format: format})
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return snap
}

// Parse reads the In of each case as format and checks what it yields,
// each in a subtest named by the case.
func Parse(t *testing.T, format dumpreader.Format, cases []Case) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			Check(t, Read(t, []byte(c.In), "t.txt", format), c)
		})
	}
}

// Corpus checks the captures of the corpus's wintools/ folder whose
// names start with prefix, skipping t when the corpus is absent: each
// must have a case (and each case a file, CheckCovers), be detected and
// read as format, and yield what its case says (Check).
func Corpus(t *testing.T, prefix string, format dumpreader.Format, cases []Case) {
	t.Helper()
	dir := corpus.Path(t, "wintools")
	CheckCovers(t, dir, prefix, cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			path := filepath.Join(dir, c.Name)
			data := ReadFile(t, path)
			if got := dumpreader.Detect(data); got != format {
				t.Errorf("Detect = %q, want %q", got, format)
			}
			snap := Read(t, data, path, "")
			if len(snap.Sources) == 1 && snap.Sources[0].Format != string(format) {
				t.Errorf("read as %q, want %q", snap.Sources[0].Format, format)
			}
			Check(t, snap, c)
		})
	}
}

// Check compares what snap says with c. It is for captures that give
// counts only: every process must have no handles by type.
func Check(t *testing.T, snap *facts.Snapshot, c Case) {
	t.Helper()
	if len(snap.Sources) != 1 {
		t.Fatalf("got %d sources, want 1", len(snap.Sources))
	}
	src := snap.Sources[0]
	if diff := cmp.Diff(c.Lines, src.Lines); diff != "" {
		t.Errorf("lines: diff (-want +got):\n%s\n%s", diff, Diags(snap))
	}
	if diff := cmp.Diff([]string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}, src.Lacks); diff != "" {
		t.Errorf("lacks: diff (-want +got):\n%s", diff)
	}
	if len(snap.Processes) != c.Count {
		t.Errorf("got %d processes, want %d", len(snap.Processes), c.Count)
	}
	got := map[uint64]Proc{}
	for _, p := range snap.Processes {
		got[p.PID] = Proc{PID: p.PID, Image: p.Image, Handles: p.HandleCount, Session: p.Session, Peak: p.PeakHandles, Parsed: p.HandlesParsed}
		if len(p.ByType) != 0 {
			t.Errorf("pid %d: by_type %v, want none (the format gives counts only)", p.PID, p.ByType)
		}
	}
	for _, want := range c.Procs {
		if diff := cmp.Diff(want, got[want.PID]); diff != "" {
			t.Errorf("pid %d: diff (-want +got):\n%s", want.PID, diff)
		}
	}
	codes := map[string]bool{}
	for _, d := range snap.Diagnostics {
		codes[d.Code] = true
	}
	for _, code := range c.Codes {
		if !codes[code] {
			t.Errorf("no %q diagnostic:\n%s", code, Diags(snap))
		}
	}
	if c.Diags != nil {
		if diff := cmp.Diff(c.Diags, DiagLines(snap), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("diagnostics: diff (-want +got):\n%s", diff)
		}
	}
	if c.Host != snap.Host {
		t.Errorf("host = %q, want %q", snap.Host, c.Host)
	}
}

// DiagLines lists the diagnostics of snap as "line:code", in order.
func DiagLines(snap *facts.Snapshot) []string {
	var out []string
	for _, d := range snap.Diagnostics {
		out = append(out, fmt.Sprintf("%d:%s", d.Line, d.Code))
	}
	return out
}

// Count prints a count that may be unknown: "-" for nil.
func Count(n *int64) string {
	if n == nil {
		return "-"
	}
	return fmt.Sprint(*n)
}

// Diags lists the diagnostics of snap, for a failure's message.
func Diags(snap *facts.Snapshot) string {
	var b strings.Builder
	for _, d := range snap.Diagnostics {
		fmt.Fprintf(&b, "  %d %s %s: %s\n", d.Line, d.Severity, d.Code, d.Message)
	}
	return b.String()
}

// CheckCovers fails t when a file of dir whose name starts with prefix
// has no case in cases, or a case names no file.
func CheckCovers(t *testing.T, dir, prefix string, cases []Case) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, prefix+"*"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	for _, p := range paths {
		files[filepath.Base(p)] = true
	}
	rows := map[string]bool{}
	for _, c := range cases {
		rows[c.Name] = true
		if !files[c.Name] {
			t.Errorf("case %s names no file of %s", c.Name, dir)
		}
	}
	var missing []string
	for f := range files {
		if !rows[f] {
			missing = append(missing, f)
		}
	}
	sort.Strings(missing)
	for _, f := range missing {
		t.Errorf("corpus file %s has no case", f)
	}
}

// Fuzz runs f's fuzz target for format: it reads arbitrary bytes as
// format and checks what every text reader must keep of them
// (readtest.CheckSnapshot: no panic, every line accounted for once,
// every diagnostic on a line of the input, a JSON form that reads back);
// sniff, given the same bytes, must not panic either. It adds to the
// seeds f has the project's samples (testdata/FORMAT/*.txt) and, where
// corpusPrefix is not empty and the corpus is present, the corpus's
// wintools/ captures whose names start with it.
func Fuzz(f *testing.F, format dumpreader.Format, sniff func([]byte) bool, corpusPrefix string) {
	readtest.Seed(f, filepath.Join("../../testdata", string(format), "*.txt"))
	if corpusPrefix != "" {
		readtest.Seed(f, filepath.Join("../../../shared/corpus/wintools", corpusPrefix+"*"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: format}); err == nil {
			readtest.CheckSnapshot(t, snap)
		}
		sniff(data)
	})
}

// ReadFile reads the file at path, failing t on an error.
func ReadFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
