package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/version"
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
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Version != version.Get().String() || len(log.Runs[0].Results) == 0 {
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
