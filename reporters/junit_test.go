package reporters_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/reporters"
	"github.com/leakdiag/leakdiag/severity"
)

// The JUnit report as a CI server reads it.
type jSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Suites   []jSuite `xml:"testsuite"`
}

type jSuite struct {
	Name     string  `xml:"name,attr"`
	Tests    int     `xml:"tests,attr"`
	Failures int     `xml:"failures,attr"`
	Errors   int     `xml:"errors,attr"`
	Skipped  int     `xml:"skipped,attr"`
	Cases    []jCase `xml:"testcase"`
}

type jCase struct {
	Name      string   `xml:"name,attr"`
	Classname string   `xml:"classname,attr"`
	Error     *jResult `xml:"error"`
	Failure   *jResult `xml:"failure"`
	SystemOut string   `xml:"system-out"`
}

type jResult struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func writeJUnit(t *testing.T, rep *engine.Report, failOn string) []byte {
	t.Helper()
	r, err := reporters.New("junit", reporters.Options{FailOn: severity.FailOn(failOn)})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.Write(&b, rep); err != nil {
		t.Fatalf("junit Write (fail-on %q): %v", failOn, err)
	}
	return b.Bytes()
}

func parseJUnit(t *testing.T, out []byte) jSuites {
	t.Helper()
	var s jSuites
	if err := xml.Unmarshal(out, &s); err != nil {
		t.Fatalf("the JUnit report does not parse: %v\n%s", err, out)
	}
	// Unmarshal stops at the root; walk every token to the end too.
	d := xml.NewDecoder(bytes.NewReader(out))
	for {
		_, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("the JUnit report is not well-formed: %v\n%s", err, out)
			}
			break
		}
	}
	return s
}

func TestJUnitShape(t *testing.T) {
	for name, rep := range map[string]*engine.Report{"report": fixedReport(t), "empty": emptyReport(t)} {
		out := write(t, "junit", false, rep)
		if !bytes.HasPrefix(out, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n<testsuites ")) {
			t.Errorf("%s: does not start with the XML declaration and <testsuites>:\n%s", name, out)
		}
		if !bytes.HasSuffix(out, []byte("</testsuites>\n")) {
			t.Errorf("%s: does not end with </testsuites> and a newline:\n%s", name, out)
		}
		if bytes.Contains(out, []byte("timestamp")) || bytes.Contains(out, []byte("\t")) {
			t.Errorf("%s: has a timestamp or tab indentation:\n%s", name, out)
		}
		if !bytes.Equal(out, write(t, "junit", false, rep)) {
			t.Errorf("%s: the same report gave different bytes", name)
		}
	}
	s := parseJUnit(t, write(t, "junit", false, emptyReport(t)))
	if s.Name != "leakdiag" || len(s.Suites) != 1 || s.Suites[0].Name != "capture" || s.Tests != 0 {
		t.Errorf("empty report: %+v, want one empty suite named capture", s)
	}
}

// TestJUnitCounts checks the test cases and counts against the report for
// every fail-on: one case per rule, a failure for each rule with findings
// at or above fail-on, an error for each rule that failed to evaluate.
func TestJUnitCounts(t *testing.T) {
	rep := fixedReport(t)
	for _, failOn := range []string{"", "info", "warning", "error", "never"} {
		t.Run("fail-on="+failOn, func(t *testing.T) {
			s := parseJUnit(t, writeJUnit(t, rep, failOn))
			if s.Name != "leakdiag" || len(s.Suites) != 1 {
				t.Fatalf("want <testsuites name=leakdiag> with one suite, got name %q and %d suites", s.Name, len(s.Suites))
			}
			suite := s.Suites[0]
			if suite.Name != "capture.txt" {
				t.Errorf("suite name %q, want capture.txt", suite.Name)
			}
			fail := severity.FailOn(failOn)
			if failOn == "" {
				fail = severity.FailOn(severity.Warning)
			}
			fails, errs := map[string]severity.Level{}, map[string]bool{}
			for _, f := range rep.Findings {
				if fail.Fails(f.Severity) {
					if f.Severity.Rank() > fails[f.RuleID].Rank() {
						fails[f.RuleID] = f.Severity
					}
				}
			}
			for _, e := range rep.Errors {
				errs[e.RuleID] = true
			}
			wantFailures := 0
			for id := range fails {
				if !errs[id] {
					wantFailures++
				}
			}
			if suite.Tests != len(rep.Summary.Rules) || len(suite.Cases) != len(rep.Summary.Rules) {
				t.Errorf("tests=%d with %d cases, want %d (the rules that ran)", suite.Tests, len(suite.Cases), len(rep.Summary.Rules))
			}
			if suite.Failures != wantFailures || suite.Errors != len(errs) || suite.Skipped != 0 {
				t.Errorf("failures=%d errors=%d skipped=%d, want %d, %d, 0", suite.Failures, suite.Errors, suite.Skipped, wantFailures, len(errs))
			}
			if s.Tests != suite.Tests || s.Failures != suite.Failures || s.Errors != suite.Errors {
				t.Errorf("<testsuites> counts %d/%d/%d differ from the suite's %d/%d/%d", s.Tests, s.Failures, s.Errors, suite.Tests, suite.Failures, suite.Errors)
			}
			for i, c := range suite.Cases {
				rr := rep.Summary.Rules[i]
				if want := rr.ID + " " + rr.Title; c.Name != want {
					t.Errorf("case %d named %q, want %q", i, c.Name, want)
				}
				if c.Classname != "leakdiag.capture" {
					t.Errorf("case %s classname %q, want leakdiag.capture", rr.ID, c.Classname)
				}
				sev, failing := fails[rr.ID]
				switch {
				case failing && c.Failure == nil:
					t.Errorf("case %s has no failure, want one of type %s", rr.ID, sev)
				case !failing && c.Failure != nil:
					t.Errorf("case %s fails (%+v) with fail-on %q", rr.ID, c.Failure, failOn)
				case failing && c.Failure.Type != string(sev):
					t.Errorf("case %s failure type %q, want %q", rr.ID, c.Failure.Type, sev)
				}
				if errs[rr.ID] != (c.Error != nil) {
					t.Errorf("case %s error %+v, want one: %v", rr.ID, c.Error, errs[rr.ID])
				}
				// Every finding is in the case: in its failure or its output.
				for _, f := range rep.Findings {
					if f.RuleID != rr.ID {
						continue
					}
					text := c.SystemOut
					if c.Failure != nil {
						text += c.Failure.Text
					}
					if !strings.Contains(text, f.Message) {
						t.Errorf("case %s lacks finding #%d %q", rr.ID, f.Rank, f.Message)
					}
				}
			}
		})
	}
}

func TestJUnitFailOn(t *testing.T) {
	rep := fixedReport(t)
	count := func(failOn string) (failures int, types []string) {
		s := parseJUnit(t, writeJUnit(t, rep, failOn))
		for _, c := range s.Suites[0].Cases {
			if c.Failure != nil {
				failures++
				types = append(types, c.Failure.Type)
			}
		}
		if failures != s.Failures {
			t.Errorf("fail-on %q: %d failure elements, failures=%d", failOn, failures, s.Failures)
		}
		return failures, types
	}
	if n, _ := count("never"); n != 0 {
		t.Errorf("fail-on never: %d failures, want 0", n)
	}
	if n, types := count("error"); n != 1 || types[0] != "error" {
		t.Errorf("fail-on error: failures of types %v, want only [error]", types)
	}
	if n, _ := count("info"); n != 3 {
		t.Errorf("fail-on info: %d failures, want 3 (T0001, T0002, T0009)", n)
	}
	// The default is warning: the info finding is output, not a failure.
	a, b := writeJUnit(t, rep, ""), writeJUnit(t, rep, "warning")
	if !bytes.Equal(a, b) {
		t.Error(`fail-on "" differs from fail-on warning`)
	}
	s := parseJUnit(t, a)
	for _, c := range s.Suites[0].Cases {
		if strings.HasPrefix(c.Name, "T0009 ") && (c.Failure != nil || !strings.Contains(c.SystemOut, "10 of 3,000 lines")) {
			t.Errorf("T0009 with fail-on warning: failure %+v, output %q; want its finding in the output", c.Failure, c.SystemOut)
		}
	}

	var buf bytes.Buffer
	if err := (reporters.JUnit{FailOn: "fatal"}).Write(&buf, rep); err == nil || !strings.Contains(err.Error(), `"fatal"`) {
		t.Errorf("fail-on fatal: error %v, want one naming it", err)
	}
}

// capture text that XML cannot carry is dropped; markup is escaped.
func TestJUnitCaptureText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"\x01<script>&", "<script>&"},
		{"nul\x00 bell\x07 esc\x1b del\x7f c1\u0085!", "nul bell esc del c1!"},
		{"tab\tlf\ncr\r", "tab\tlf\ncr\r"},
		{"nonchars \uFFFE\uFFFF end", "nonchars  end"},
		{"surrogate \xed\xa0\x80 bad \xff end", "surrogate  bad  end"},
		{"kept: é 😀 \uFFFD \U0010FFFF ]]> \"'", "kept: é 😀 \uFFFD \U0010FFFF ]]> \"'"},
	} {
		rep := &engine.Report{SchemaVersion: 1, Findings: []engine.Finding{{
			Rank: 1, RuleID: "X1", Title: "t\x02", Severity: "error", Message: tc.in,
			Process:   &engine.ProcessRef{PID: 4, Image: "img" + tc.in + ".exe", Source: facts.Position{Path: "c\x03.txt", Line: 9}},
			Component: engine.Component{Name: tc.in, InferredFrom: "image", Reason: "r"},
			Evidence:  []engine.Evidence{{Name: "n", Value: tc.in}},
			Locations: []engine.Location{{Path: "c.txt", Line: 10, What: "w", Text: tc.in}},
		}}, Summary: engine.Summary{Sources: []facts.Source{{Path: `C:\dumps\a` + tc.in + ".txt"}}},
			Errors: []engine.RuleError{{RuleID: "X1", PID: 8, Message: tc.in}}}
		out := writeJUnit(t, rep, "")
		if !utf8.Valid(out) {
			t.Errorf("%q: output is not UTF-8:\n%q", tc.in, out)
		}
		for _, bad := range []string{"\x00", "\x01", "\x02", "\x03", "\x07", "\x1b", "\x7f", "\u0085", "\uFFFE", "\uFFFF", "<script>"} {
			if bytes.Contains(out, []byte(bad)) {
				t.Errorf("%q: output contains %q:\n%s", tc.in, bad, out)
			}
		}
		s := parseJUnit(t, out)
		if len(s.Suites) != 1 || len(s.Suites[0].Cases) != 1 {
			t.Fatalf("%q: want one suite of one case, got %+v", tc.in, s)
		}
		suite, c := s.Suites[0], s.Suites[0].Cases[0]
		if c.Failure == nil || c.Error == nil {
			t.Fatalf("%q: want a failure and an error, got %+v", tc.in, c)
		}
		if c.Failure.Message != tc.want {
			t.Errorf("failure message %q, want %q", c.Failure.Message, tc.want)
		}
		if c.Name != "X1 t" {
			t.Errorf("case name %q, want %q", c.Name, "X1 t")
		}
		for _, want := range []string{"img" + tc.want + ".exe (pid 4) at c.txt:9", "component: " + tc.want, "c.txt:10: w", "| " + tc.want} {
			if !strings.Contains(c.Failure.Text, want) {
				t.Errorf("failure text lacks %q:\n%s", want, c.Failure.Text)
			}
		}
		if want := "pid 8: " + tc.want; !strings.HasSuffix(c.Error.Message, want) {
			t.Errorf("error message %q, want it to end in %q", c.Error.Message, want)
		}
		if want := `C:\dumps\a` + tc.want + ".txt"; suite.Name != want {
			t.Errorf("suite name %q, want %q", suite.Name, want)
		}
		// The case counts once, as an error.
		if suite.Tests != 1 || suite.Errors != 1 || suite.Failures != 0 {
			t.Errorf("tests/failures/errors %d/%d/%d, want 1/0/1", suite.Tests, suite.Failures, suite.Errors)
		}
	}
}

// A rule a finding names that the summary does not list still gets a case,
// and the classname is the capture's base name.
func TestJUnitFindingOutsideSummary(t *testing.T) {
	rep := &engine.Report{SchemaVersion: 1,
		Findings: []engine.Finding{{Rank: 1, RuleID: "Z9", Title: "extra", Severity: "warning", Message: "m"}},
		Summary: engine.Summary{
			Sources: []facts.Source{{Path: "/tmp/dumps/host.2025-03-03.txt"}, {Path: `D:\b.log`}},
			Rules:   []engine.RuleRef{{ID: "A1", Title: "first", Severity: "error"}},
		}}
	s := parseJUnit(t, writeJUnit(t, rep, ""))
	suite := s.Suites[0]
	if suite.Name != `/tmp/dumps/host.2025-03-03.txt, D:\b.log` {
		t.Errorf("suite name %q", suite.Name)
	}
	var names []string
	for _, c := range suite.Cases {
		names = append(names, c.Classname+" | "+c.Name)
	}
	want := []string{"leakdiag.host_2025-03-03+b | A1 first", "leakdiag.host_2025-03-03+b | Z9 extra"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("cases (-want +got):\n%s", diff)
	}
	if suite.Tests != 2 || suite.Failures != 1 || suite.Cases[1].Failure == nil {
		t.Errorf("tests %d failures %d, want 2 and 1 (Z9)", suite.Tests, suite.Failures)
	}
}

// testBatch is the batch the batch golden files show: the fixed report,
// the empty one, the fixed report again as another capture of the same
// base name, and a capture that could not be read.
func testBatch(t *testing.T) *engine.Batch {
	t.Helper()
	other := fixedReport(t)
	for i := range other.Summary.Sources {
		other.Summary.Sources[i].Path = "other/capture.txt"
	}
	return engine.NewBatch([]*engine.Report{fixedReport(t), emptyReport(t), other},
		[]engine.CaptureError{{Path: "broken.txt", Error: "broken.txt:1: not a capture leakdiag reads"}},
		[]engine.SkippedFile{{Path: "notes/README.md", Reason: "no format leakdiag reads (kd, Handle, lsof, minidump, snapshot) recognized in it"}})
}

func writeBatch(t *testing.T, w reporters.BatchWriter, b *engine.Batch) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := w.WriteBatch(&buf, b); err != nil {
		t.Fatalf("%T WriteBatch: %v", w, err)
	}
	return buf.Bytes()
}

func TestJUnitBatchGolden(t *testing.T) {
	checkGolden(t, "batch.junit", writeBatch(t, reporters.JUnit{}, testBatch(t)))
}

// A batch is one suite per report, as Write gives it but for its
// classname, then one suite in error per capture that could not be read
// and one skipped per file that is no capture; the root adds the suites up.
func TestJUnitBatch(t *testing.T) {
	var _ reporters.BatchWriter = reporters.JUnit{}
	r, err := reporters.New("junit", reporters.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.(reporters.BatchWriter); !ok {
		t.Fatalf("New(junit) is a %T, not a BatchWriter", r)
	}

	b := testBatch(t)
	out := writeBatch(t, reporters.JUnit{}, b)
	if !bytes.Equal(out, writeBatch(t, reporters.JUnit{}, testBatch(t))) {
		t.Error("the same batch gave different bytes")
	}
	if !bytes.HasPrefix(out, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n<testsuites ")) || !bytes.HasSuffix(out, []byte("</testsuites>\n")) {
		t.Errorf("not one <testsuites> document:\n%s", out)
	}
	s := parseJUnit(t, out)
	if want := len(b.Reports) + len(b.Failed) + len(b.Skipped); s.Name != "leakdiag" || len(s.Suites) != want {
		t.Fatalf("name %q with %d suites, want leakdiag with %d", s.Name, len(s.Suites), want)
	}
	var tests, failures, errors int
	for _, suite := range s.Suites {
		tests += suite.Tests
		failures += suite.Failures
		errors += suite.Errors
	}
	if s.Tests != tests || s.Failures != failures || s.Errors != errors {
		t.Errorf("<testsuites> counts %d/%d/%d, want the suites' sums %d/%d/%d", s.Tests, s.Failures, s.Errors, tests, failures, errors)
	}

	classOf := map[string]int{}
	for i, rep := range b.Reports {
		single := parseJUnit(t, writeJUnit(t, rep, "")).Suites[0]
		got := s.Suites[i]
		classes := map[string]bool{}
		for j := range got.Cases {
			classes[got.Cases[j].Classname] = true
			got.Cases[j].Classname, single.Cases[j].Classname = "", ""
		}
		if diff := cmp.Diff(single, got); diff != "" {
			t.Errorf("suite %d differs from Write's (-want +got):\n%s", i, diff)
		}
		for c := range classes {
			if prev, ok := classOf[c]; ok {
				t.Errorf("suites %d and %d share classname %s", prev, i, c)
			}
			classOf[c] = i
		}
		if len(classes) > 1 {
			t.Errorf("suite %d has classnames %v, want one", i, classes)
		}
	}
	// The empty report has no test cases, so no classname.
	wantClasses := map[string]int{"leakdiag.capture_txt": 0, "leakdiag.other_capture_txt": 2, "leakdiag.broken": 3}
	failed := s.Suites[len(b.Reports)]
	for _, c := range failed.Cases {
		classOf[c.Classname] = len(b.Reports)
	}
	if diff := cmp.Diff(wantClasses, classOf); diff != "" {
		t.Errorf("classnames (-want +got):\n%s", diff)
	}

	wantFailed := jSuite{Name: "broken.txt", Tests: 1, Errors: 1, Cases: []jCase{{
		Name: "read capture", Classname: "leakdiag.broken",
		Error: &jResult{Message: b.Failed[0].Error, Type: "capture error", Text: b.Failed[0].Error},
	}}}
	if diff := cmp.Diff(wantFailed, failed); diff != "" {
		t.Errorf("failed capture's suite (-want +got):\n%s", diff)
	}

	// Write is WriteBatch of one report.
	for name, rep := range map[string]*engine.Report{"report": fixedReport(t), "empty": emptyReport(t)} {
		one := writeBatch(t, reporters.JUnit{}, engine.NewBatch([]*engine.Report{rep}, nil, nil))
		if !bytes.Equal(one, writeJUnit(t, rep, "")) {
			t.Errorf("%s: WriteBatch of it alone differs from Write", name)
		}
	}

	var buf bytes.Buffer
	if err := (reporters.JUnit{FailOn: "fatal"}).WriteBatch(&buf, b); err == nil || !strings.Contains(err.Error(), `"fatal"`) {
		t.Errorf("fail-on fatal: error %v, want one naming it", err)
	}
}

// Captures that share a base name are told apart by their paths, and
// captures that share a path by a suffix; the others keep their base name.
func TestJUnitBatchClassnames(t *testing.T) {
	rep := func(paths ...string) *engine.Report {
		r := &engine.Report{SchemaVersion: engine.SchemaVersion,
			Summary: engine.Summary{Rules: []engine.RuleRef{{ID: "A1", Title: "a"}}}}
		for _, p := range paths {
			r.Summary.Sources = append(r.Summary.Sources, facts.Source{Path: p})
		}
		return r
	}
	b := engine.NewBatch([]*engine.Report{
		rep("a/dump.txt"), rep(`C:\b\dump.txt`), rep("host.txt"), rep("a/dump.txt"), rep("x.txt", "y.log"), nil, rep(), rep(),
	}, []engine.CaptureError{{Path: "/c/dump.txt", Error: "e"}, {Path: "z.txt", Error: "e"}}, nil)
	s := parseJUnit(t, writeBatch(t, reporters.JUnit{}, b))
	var got []string
	for _, suite := range s.Suites {
		got = append(got, suite.Cases[0].Classname)
	}
	want := []string{
		"leakdiag.a_dump_txt", "leakdiag.C_b_dump_txt", "leakdiag.host", "leakdiag.a_dump_txt_2", "leakdiag.x+y",
		"leakdiag.capture", "leakdiag.capture_2", "leakdiag.c_dump_txt", "leakdiag.z",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("classnames (-want +got):\n%s", diff)
	}
}
