package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRuleFailureFailsTheRun: a rule whose condition fails to evaluate
// (here it divides by a fact that is 0) leaves its findings unknown, so
// the run exits 2 whatever --fail-on says, and every report says so.
func TestRuleFailureFailsTheRun(t *testing.T) {
	tests := []struct {
		name   string
		rule   string // the site rule file
		args   []string
		exit   int
		stderr string
	}{
		{"CEL division by zero", `
  - id: SITE1
    title: Divides by zero
    when: process.handles / (process.pid - process.pid) > 1`,
			nil, exitFailed, "rule SITE1 failed to evaluate (24 failures)"},
		{"expr modulo zero", `
  - id: SITE1
    title: Divides by zero
    lang: expr
    when: process.handles % (process.pid - process.pid) > 1`,
			nil, exitFailed, "rule SITE1 failed to evaluate (24 failures)"},
		{"a snapshot rule", `
  - id: SITE1
    title: Divides by zero
    scope: snapshot
    when: snapshot.lines / (snapshot.lines - snapshot.lines) > 1`,
			nil, exitFailed, "rule SITE1 failed to evaluate (1 failure)"},
		{"a failing message", `
  - id: SITE1
    title: Fires, then fails to say why
    lang: expr
    when: process.image == "ContosoAgent.exe"
    score: process.handles % (process.pid - process.pid)`,
			nil, exitFailed, "rule SITE1 failed to evaluate (1 failure)"},
		{"a batch", `
  - id: SITE1
    title: Divides by zero
    when: process.handles / (process.pid - process.pid) > 1`,
			[]string{"--series=false", seed}, exitFailed, "rule SITE1 failed to evaluate (29 failures)"},
		{"a rule that evaluates", `
  - id: SITE1
    title: Divides by a count
    when: process.handles / (process.pid + 1) > 1`,
			nil, exitOK, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			rulesDir := filepath.Join(dir, "rules")
			os.Mkdir(rulesDir, 0o755)
			if err := os.WriteFile(filepath.Join(rulesDir, "site.yaml"), []byte("rules:"+tc.rule+"\n    severity: warning\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			out := func(f string) string { return filepath.Join(dir, "report."+f) }
			args := []string{"analyze", "--no-default-rules", "--rules", rulesDir, "--fail-on", "never", "--format", "text"}
			for _, f := range []string{"json", "jsonl", "sarif", "junit"} {
				args = append(args, "--format", f+"="+out(f))
			}
			args = append(append(args, example), tc.args...)
			code, stdout, stderr := runCLI(t, args...)
			if code != tc.exit || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, stderr, tc.exit, tc.stderr)
			}
			failed := tc.exit == exitFailed
			if got := strings.Contains(stdout, "rule SITE1 failed for"); got != failed {
				t.Errorf("text report names the failure: %v, want %v:\n%s", got, failed, stdout)
			}
			checkFailedReports(t, out, failed)
		})
	}
}

// checkFailedReports: the JSON, JSON Lines, SARIF and JUnit reports say
// that SITE1 failed, or, when it did not, that nothing failed.
func checkFailedReports(t *testing.T, out func(string) string, failed bool) {
	t.Helper()
	read := func(f string) []byte {
		b, err := os.ReadFile(out(f))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// JSON: a report, or a batch of them, with the failures under errors.
	var doc struct {
		Errors []struct {
			RuleID string `json:"rule_id"`
		}
		Reports []struct {
			Errors []struct {
				RuleID string `json:"rule_id"`
			}
		}
	}
	if err := json.Unmarshal(read("json"), &doc); err != nil {
		t.Fatal(err)
	}
	errs := doc.Errors
	for _, r := range doc.Reports {
		errs = append(errs, r.Errors...)
	}
	if got := len(errs) > 0 && errs[0].RuleID == "SITE1"; got != failed {
		t.Errorf("JSON errors %v, want SITE1's: %v", errs, failed)
	}
	if got := strings.Contains(string(read("jsonl")), `"kind":"rule_error","capture":"`+example+`","captures":["`+example+`"],"rule_id":"SITE1"`); got != failed {
		t.Errorf("JSON Lines has a rule_error line for SITE1: %v, want %v", got, failed)
	}
	var log struct {
		Runs []struct {
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct {
					Level          string
					Message        struct{ Text string }
					AssociatedRule *struct{ ID string }
				}
			}
		}
	}
	if err := json.Unmarshal(read("sarif"), &log); err != nil {
		t.Fatal(err)
	}
	inv := log.Runs[0].Invocations[0]
	if inv.ExecutionSuccessful == failed {
		t.Errorf("SARIF executionSuccessful %v after a run whose rules failed: %v", inv.ExecutionSuccessful, failed)
	}
	n := 0
	for _, note := range inv.ToolExecutionNotifications {
		if note.Level == "error" && note.AssociatedRule != nil && note.AssociatedRule.ID == "SITE1" && strings.Contains(note.Message.Text, "rule SITE1 failed for") {
			n++
		}
	}
	if got := n > 0; got != failed {
		t.Errorf("SARIF has %d error notifications for SITE1, want some: %v", n, failed)
	}
	var junit struct {
		Errors int `xml:"errors,attr"`
		Suites []struct {
			Cases []struct {
				Name  string `xml:"name,attr"`
				Error *struct {
					Type string `xml:"type,attr"`
				} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(read("junit"), &junit); err != nil {
		t.Fatal(err)
	}
	inError := false
	for _, s := range junit.Suites {
		for _, c := range s.Cases {
			if strings.HasPrefix(c.Name, "SITE1 ") && c.Error != nil && c.Error.Type == "evaluation error" {
				inError = true
			}
		}
	}
	if inError != failed || (junit.Errors > 0) != failed {
		t.Errorf("JUnit: SITE1's test case in error %v, %d errors in all; want %v", inError, junit.Errors, failed)
	}
}

// TestDiffRuleFailure: diff, which runs the rules over the newer capture,
// exits 2 when one fails.
func TestDiffRuleFailure(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "site.yaml"), []byte(`rules:
  - id: SITE1
    title: Divides by zero
    when: process.handles / (process.pid - process.pid) > 1
`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "markdown", "json"} {
		code, stdout, stderr := runCLI(t, "diff", "--format", format, "--no-default-rules", "--rules", dir, seed, seed)
		if code != exitFailed || !strings.Contains(stderr, "rule SITE1 failed to evaluate") {
			t.Errorf("%s: exit %d, stderr %q; want %d and the failed rule named", format, code, stderr, exitFailed)
		}
		if want := map[string]string{"text": "rule SITE1 failed for pid", "markdown": "- rule SITE1 failed for pid", "json": `"rule_id": "SITE1"`}[format]; !strings.Contains(stdout, want) {
			t.Errorf("the %s diff does not name the failure (%q):\n%s", format, want, stdout)
		}
	}
}
