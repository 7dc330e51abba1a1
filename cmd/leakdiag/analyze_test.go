package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const example = "../../testdata/examples/registry-leak-contoso-agent.txt"

// TestAnalyzeNamesTheLeakerAndVendor is the README's first command.
func TestAnalyzeNamesTheLeakerAndVendor(t *testing.T) {
	code, out, errOut := runCLI(t, "analyze", "--fail-on", "never", example)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	first := strings.SplitN(out, "\n\n", 2)[0]
	for _, want := range []string{"#1 WARNING", "ContosoAgent.exe", "component: Contoso Agent", `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\Telemetry`} {
		if !strings.Contains(first, want) {
			t.Errorf("first finding lacks %q:\n%s", want, first)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour written to a non-terminal")
	}
}

func TestAnalyzeJSONAndExitCodes(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.json")
	code, stdout, errOut := runCLI(t, "analyze", "--format", "json", "-o", out, "--top", "2", example)
	if code != exitFindings || stdout != "" {
		t.Fatalf("exit %d (want %d, warnings found), stdout %q, stderr %q", code, exitFindings, stdout, errOut)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		SchemaVersion int `json:"schema_version"`
		Findings      []struct {
			Rank     int    `json:"rank"`
			RuleID   string `json:"rule_id"`
			Severity string `json:"severity"`
			Process  struct {
				PID   uint64
				Image string
			}
			Component struct {
				Name, Vendor string
				InferredFrom string `json:"inferred_from"`
			}
		}
		Summary struct {
			Processes     int64 `json:"processes"`
			FindingsTotal int   `json:"findings_total"`
		}
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.SchemaVersion != 1 || len(rep.Findings) != 2 || rep.Summary.FindingsTotal < 2 || rep.Summary.Processes != 24 {
		t.Fatalf("report: %+v", rep)
	}
	f := rep.Findings[0]
	if f.Rank != 1 || f.Process.Image != "ContosoAgent.exe" || f.Component.Vendor != "Contoso" || f.Component.InferredFrom != "object_name:registry" {
		t.Errorf("first finding: %+v", f)
	}

	// Only errors fail the run with --fail-on error; the findings here are warnings.
	if code, _, errOut := runCLI(t, "analyze", "--fail-on", "error", example); code != exitOK {
		t.Errorf("--fail-on error: exit %d, stderr %q", code, errOut)
	}
	// A healthy capture (the seed: five processes, nothing near a threshold) passes.
	if code, out, errOut := runCLI(t, "analyze", seed); code != exitOK || strings.Contains(out, "WARNING") {
		t.Errorf("seed: exit %d, stderr %q, out:\n%s", code, errOut, out)
	}
	if code, _, errOut := runCLI(t, "analyze", "--fail-on", "sometimes", seed); code != exitInput || !strings.Contains(errOut, "--fail-on") {
		t.Errorf("bad --fail-on: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "analyze", "--format", "xml", seed); code != exitInput || !strings.Contains(errOut, `unknown format "xml"`) {
		t.Errorf("bad --format: exit %d, stderr %q", code, errOut)
	}
}

func TestAnalyzeInvalidRulesExit3(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "site.yaml"), []byte(`rules:
  - id: SITE1
    title: Misspelled
    when: process.handels > 10
  - id: LD0001
    title: Copied instead of overridden
    when: "true"
`), 0o644)
	// The rules load while the capture is read: their error is the one
	// reported, also when the capture is missing or unreadable.
	unknown := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(unknown, []byte("nothing a reader knows\n"), 0o644)
	for _, capture := range []string{seed, filepath.Join(dir, "missing.txt"), unknown} {
		code, out, errOut := runCLI(t, "analyze", "--rules", dir, capture)
		if code != exitRules || out != "" {
			t.Fatalf("%s: exit %d (want %d), stdout %q, stderr %q", capture, code, exitRules, out, errOut)
		}
		for _, want := range []string{
			filepath.Join(dir, "site.yaml") + `:4:19: rule "SITE1": undefined field 'handels' (did you mean "handles"?)`,
			filepath.Join(dir, "site.yaml") + `:5:5: rule "LD0001": defines again the default rule LD0001 of (built-in) rules.d/10-handle-count.yaml, which it would shadow; add --no-default-rules to load ` + dir + ` instead of the default rules, or repeat its id with override: true`,
		} {
			if !strings.Contains(errOut, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", capture, want, errOut)
			}
		}
		if strings.Contains(errOut, "missing.txt") || strings.Contains(errOut, "notes.txt") {
			t.Errorf("%s: stderr names the capture, not only the rules:\n%s", capture, errOut)
		}
	}
}

func TestAnalyzeSiteOverrideAndRulesList(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "site.yaml"), []byte(`rules:
  - id: LD0001
    override: true
    params: {threshold: 50000}
  - id: LD0003
    override: true
    enabled: false
  - id: LD0004
    override: true
    enabled: false
`), 0o644)
	code, out, errOut := runCLI(t, "analyze", "--rules", dir, example)
	if code != exitOK || strings.Contains(out, "WARNING") {
		t.Errorf("with LD0001 at 50,000 and LD0003/4 off: exit %d, stderr %q, out:\n%s", code, errOut, out)
	}
	code, out, _ = runCLI(t, "rules", "list", "--rules", dir)
	if code != exitOK || !strings.Contains(out, filepath.Join(dir, "site.yaml")+":2:5") || !strings.Contains(out, "LD0003  warning   process   cel   false") {
		t.Errorf("rules list: exit %d:\n%s", code, out)
	}
}

// The !htrace example's HTML report shows the chain that names the DLL.
func TestAnalyzeHTMLShowsTheStackChain(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.html")
	code, _, errOut := runCLI(t, "analyze", "--fail-on", "never", "--format", "html", "-o", out,
		"--rules", "../../testdata/examples/contoso-rules", "../../testdata/examples/htrace-diff-contoso-hook-events.txt")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`id="verdict"`, "Contoso Telemetry Hook", "Contoso Ltd.", "Created at",
		`<code class="blamed">contosohook!TelemetryQueue::Post&#43;0x42</code>`,
		"contosohook!TelemetryQueue::Flush&#43;0x1b7 &lt;- ContosoAgent!SendHeartbeat&#43;0x9a",
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
}
