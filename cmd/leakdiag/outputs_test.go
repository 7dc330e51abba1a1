package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/internal/version"
)

// TestAnalyzeSeveralOutputs: one run writes text to stdout and SARIF,
// JUnit and HTML to files, each what its format should be.
func TestAnalyzeSeveralOutputs(t *testing.T) {
	dir := t.TempDir()
	sarif, junit, html := filepath.Join(dir, "out.sarif"), filepath.Join(dir, "out.xml"), filepath.Join(dir, "report.html")
	code, out, errOut := runCLI(t, "analyze", "--format", "text", "--format", "sarif="+sarif,
		"--format", "junit="+junit, "--format", "html="+html, example)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (warning findings); stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, "ContosoAgent.exe") {
		t.Errorf("text report on stdout lacks the suspect:\n%s", out)
	}
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct{ Name, Version string }
			}
			Results []struct{ RuleID string }
		}
	}
	b, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatalf("SARIF file: %v", err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Version != version.Get().SemVer() || len(log.Runs[0].Results) == 0 {
		t.Errorf("SARIF: version %q, %d runs, not the expected driver or no results", log.Version, len(log.Runs))
	}
	var suites struct {
		Failures int `xml:"failures,attr"`
	}
	b, err = os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, &suites); err != nil {
		t.Fatalf("JUnit file: %v", err)
	}
	if suites.Failures == 0 {
		t.Errorf("JUnit has no failures for a run that exits 1:\n%s", b)
	}
	if b, err := os.ReadFile(html); err != nil || !strings.Contains(string(b), "<!DOCTYPE html>") {
		t.Errorf("HTML file: %v", err)
	}
}

func TestAnalyzeOutputErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "text", "--format", "json"}, "only one format can go to standard output"},
		{[]string{"--format", "sarif="}, "want FORMAT or FORMAT=FILE"},
		{[]string{"--format", "sarf=" + filepath.Join(dir, "x")}, `unknown format "sarf"`},
		{[]string{"--format", "json=" + filepath.Join(dir, "a"), "--format", "sarif=" + filepath.Join(dir, "a")}, "already the file of --format json"},
		{[]string{"--format", "json=" + filepath.Join(dir, "a"), "-o", filepath.Join(dir, "b")}, "every --format has its own file"},
	} {
		args := append([]string{"analyze"}, tc.args...)
		code, _, errOut := runCLI(t, append(args, example)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused run wrote %d files", len(entries))
	}
}

// TestDashIsStandardOutput: "-" as a file is standard output wherever a
// command writes a file, no file named "-" is made, and at most one
// report goes to standard output (issue 14, item 2).
func TestDashIsStandardOutput(t *testing.T) {
	capture, err := filepath.Abs(example)
	if err != nil {
		t.Fatal(err)
	}
	ruletests, err := filepath.Abs("testdata/ruletests/site")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	_, text, _ := runCLI(t, "analyze", "--fail-on", "never", capture)
	_, jsonReport, _ := runCLI(t, "analyze", "--fail-on", "never", "--format", "json", capture)
	_, explain, _ := runCLI(t, "analyze", "--explain", "--rule", "LD0001", capture)
	_, diffText, _ := runCLI(t, "diff", capture, capture)
	for _, tc := range []struct {
		args []string
		want string // what standard output holds
	}{
		{[]string{"analyze", "--fail-on", "never", "-o", "-", capture}, text},
		{[]string{"analyze", "--fail-on", "never", "--format", "json", "-o", "-", capture}, jsonReport},
		{[]string{"analyze", "--fail-on", "never", "--format", "json=-", capture}, jsonReport},
		{[]string{"analyze", "--fail-on", "never", "--format", "json=-", "--format", "sarif=out.sarif", capture}, jsonReport},
		{[]string{"analyze", "--fail-on", "never", "--format", "sarif=out.sarif", "--format", "json", "-o", "-", capture}, jsonReport},
		{[]string{"analyze", "--explain", "--rule", "LD0001", "-o", "-", capture}, explain},
		{[]string{"analyze", "--explain", "--rule", "LD0001", "--format", "text=-", capture}, explain},
		{[]string{"diff", "-o", "-", capture, capture}, diffText},
	} {
		code, out, errOut := runCLI(t, tc.args...)
		if code != 0 || out != tc.want {
			t.Errorf("leakdiag %s: exit %d, stderr %q, stdout is not the report (%d bytes, want %d)", strings.Join(tc.args, " "), code, errOut, len(out), len(tc.want))
		}
	}
	// rules test --junit -: the XML on standard output, the results as
	// text on standard error.
	code, out, errOut := runCLI(t, "rules", "test", "--junit", "-", ruletests)
	var suites struct {
		Tests int `xml:"tests,attr"`
	}
	if err := xml.Unmarshal([]byte(out), &suites); code != 0 || err != nil || suites.Tests != 3 || !strings.Contains(errOut, "3 tests: 3 passed, 0 failed") {
		t.Errorf("rules test --junit -: exit %d, XML %v with %d tests; stderr:\n%s", code, err, suites.Tests, errOut)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "text", "--format", "json=-"}, `--format "json=-": only one report can go to standard output, and --format text goes there`},
		{[]string{"--format", "json=-", "--format", "sarif=-"}, `--format "sarif=-": only one report can go to standard output, and --format json=- goes there`},
		{[]string{"--format", "json=-", "-o", "-"}, "-o -: --format json=- goes to standard output already"},
		{[]string{"--format", "json=-", "--format", "text", "-o", "-"}, `--format "text": only one report can go to standard output, and --format json=- goes there`},
	} {
		args := append([]string{"analyze"}, tc.args...)
		code, out, errOut := runCLI(t, append(args, capture)...)
		if code != exitInput || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("leakdiag %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(args, " "), code, errOut, tc.want)
		}
	}
	if _, err := os.Stat("-"); err == nil {
		t.Errorf("a file named - was written")
	}
}
