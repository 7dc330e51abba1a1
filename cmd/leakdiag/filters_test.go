package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/internal/kdgen"
)

// genCapture writes a 60-process kdgen capture with the given leaks.
func genCapture(t *testing.T, path string, leaks ...kdgen.Leak) {
	t.Helper()
	genMachine(t, path, 7, leaks...)
}

// genMachine writes a capture of the machine seed picks: captures of two
// seeds show different processes, so they are no series.
func genMachine(t *testing.T, path string, seed int64, leaks ...kdgen.Leak) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kdgen.Write(f, kdgen.Config{Processes: 60, Handles: 60_000, Seed: seed, Leaks: leaks}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func readReport(t *testing.T, path string) *engine.Report {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r engine.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

var (
	contosoLeak  = kdgen.Leak{PID: 0x1a2c, Image: "ContosoAgent.exe", Share: 0.3, Type: "Key", Name: `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\Telemetry`}
	fabrikamLeak = kdgen.Leak{PID: 0x2b40, Image: "FabrikamSync.exe", Share: 0.2, Type: "File", Name: `\Program Files\Fabrikam\Sync\state.db {HarddiskVolume3}`}
)

// TestBaselineReportsOnlyNewFindings: a capture against its own report
// has nothing new (exit 0); the next day's capture, with one more leaking
// process, has exactly that process's findings.
func TestBaselineReportsOnlyNewFindings(t *testing.T) {
	dir := t.TempDir()
	day1, day2 := filepath.Join(dir, "day1.txt"), filepath.Join(dir, "day2.txt")
	genCapture(t, day1, contosoLeak)
	genCapture(t, day2, contosoLeak, fabrikamLeak)
	base := filepath.Join(dir, "day1.json")
	if code, _, errOut := runCLI(t, "analyze", "--format", "json", "-o", base, day1); code != 1 {
		t.Fatalf("day 1: exit %d, want 1 (the Contoso leak); stderr %s", code, errOut)
	}
	if n := len(readReport(t, base).Findings); n == 0 {
		t.Fatal("day 1 has no findings: the test proves nothing")
	}

	code, out, errOut := runCLI(t, "analyze", "--baseline", base, day1)
	if code != 0 {
		t.Fatalf("day 1 against its own baseline: exit %d, want 0\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "0 findings") || !strings.Contains(out, "already in the baseline") {
		t.Errorf("day 1 against itself:\n%s", out)
	}

	new := filepath.Join(dir, "new.json")
	code, _, errOut = runCLI(t, "analyze", "--baseline", base, "--format", "json", "-o", new, day2)
	if code != 1 {
		t.Fatalf("day 2: exit %d, want 1; stderr %s", code, errOut)
	}
	rep := readReport(t, new)
	if len(rep.Findings) == 0 {
		t.Fatal("day 2 has no new findings")
	}
	for _, f := range rep.Findings {
		if f.Process == nil || f.Process.Image != "FabrikamSync.exe" {
			t.Errorf("new finding %s about %+v, want only FabrikamSync.exe", f.RuleID, f.Process)
		}
	}
	if rep.Summary.Baselined == 0 {
		t.Error("day 2 left nothing out as baselined: the Contoso findings came back")
	}
}

func TestBaselineErrors(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"not-json.json":  "PROCESS ffff...",
		"no-schema.json": `{"findings": []}`,
		"no-fp.json":     `{"schema_version": 1, "findings": [{"rule_id": "LD0001"}]}`,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := runCLI(t, "analyze", "--baseline", path, example)
		if code != 2 || !strings.Contains(errOut, "--baseline "+path) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and the file named", name, code, errOut)
		}
	}
}

// TestSuppressions: an active suppression hides its findings; an expired
// one does not and is reported; one that matches nothing is reported.
func TestSuppressions(t *testing.T) {
	dir := t.TempDir()
	capture := filepath.Join(dir, "day1.txt")
	genCapture(t, capture, contosoLeak)
	sup := filepath.Join(dir, "suppressions.yaml")
	write := func(s string) {
		if err := os.WriteFile(sup, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(`suppressions:
  - rule: 'LD*'
    image: contosoagent.exe
    reason: vendor fix due in March (case 4711)
    expires: 2999-03-31
  - image: Fabrikam*
    reason: old leak, fixed
`)
	html := filepath.Join(dir, "report.html")
	code, out, errOut := runCLI(t, "analyze", "--suppressions", sup, "--format", "text", "--format", "html="+html, capture)
	if b, err := os.ReadFile(html); err != nil || !strings.Contains(string(b), "Findings left out") ||
		!strings.Contains(string(b), "unused") || !strings.Contains(string(b), "active (until 2999-03-31)") {
		t.Errorf("the HTML report does not show the suppressions: %v", err)
	}
	if code != 0 {
		t.Fatalf("exit %d, want 0 (all findings suppressed)\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "suppressed") || !strings.Contains(out, "suppressions.yaml:6:5: suppression matched no finding") {
		t.Errorf("want the suppressed count and the unused entry:\n%s", out)
	}

	write(`suppressions:
  - rule: 'LD*'
    image: contosoagent.exe
    reason: vendor fix due in March (case 4711)
    expires: 2001-03-31
`)
	code, out, _ = runCLI(t, "analyze", "--suppressions", sup, capture)
	if code != 1 || !strings.Contains(out, "ContosoAgent.exe") || !strings.Contains(out, "suppression expired on 2001-03-31") {
		t.Errorf("expired suppression: exit %d, want 1, the finding back and the expiry said:\n%s", code, out)
	}

	write(`suppressions:
  - rule: LD0001
    expires: someday
  - fingerprint: abc
    reason: x
`)
	code, _, errOut = runCLI(t, "analyze", "--suppressions", sup, capture)
	for _, want := range []string{"suppressions.yaml:3:14", "not a date", "suppressions.yaml:4:18", "invalid suppressions", "not one leakdiag writes"} {
		if code != 3 || !strings.Contains(errOut, want) {
			t.Errorf("bad suppressions: exit %d, want 3 and %q in:\n%s", code, want, errOut)
		}
	}
}

// TestBaselineFromBatchReport: a batch's JSON report is a baseline for
// each of its captures (of two machines: one machine's captures would be
// a series).
func TestBaselineFromBatchReport(t *testing.T) {
	dir := t.TempDir()
	caps := filepath.Join(dir, "captures")
	os.Mkdir(caps, 0o755)
	genMachine(t, filepath.Join(caps, "a.txt"), 7, contosoLeak)
	genMachine(t, filepath.Join(caps, "b.txt"), 8, fabrikamLeak)
	base := filepath.Join(dir, "batch.json")
	if code, _, errOut := runCLI(t, "analyze", "--format", "json", "-o", base, caps); code != 1 {
		t.Fatalf("batch: exit %d; %s", code, errOut)
	}
	code, out, _ := runCLI(t, "analyze", "--baseline", base, caps)
	if code != 0 || !strings.Contains(out, "2 captures: 2 analysed, 0 failed, 0 with findings") {
		t.Errorf("against its own batch report: exit %d\n%s", code, out)
	}
}
