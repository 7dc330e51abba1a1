package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// ciExampleCaptures lay out the captures the CI examples name, from the
// bundled examples: the known-good capture whose findings make the
// baseline, and two more captures beside it.
var ciExampleCaptures = map[string]string{
	"captures/known-good.txt": "registry-leak-contoso-agent.txt",
	"captures/host01.txt":     "htrace-diff-contoso-hook-events.txt",
	"captures/host02.dmp.gz":  "contoso-agent-events.dmp.gz",
	"captures/README.md":      "README.md",
}

// ciExampleExits are the exit codes docs/ci.md gives for each leakdiag
// command of its examples: the baseline step 0 (--fail-on never), the
// analysis 1 (the other captures have findings the baseline does not,
// errors among them). A command the doc gains must be added here.
var ciExampleExits = map[string]int{
	"leakdiag analyze --fail-on never --format json -o baseline.json captures/known-good.txt":                                                                              0,
	"leakdiag analyze --baseline baseline.json --format text --format sarif=leakdiag.sarif --format html=report.html --format markdown=summary.md captures/":               1,
	"leakdiag analyze --baseline baseline.json --fail-on error --format text --format junit=leakdiag.xml --format html=report.html --format markdown=summary.md captures/": 1,
}

// ciExample is a YAML block of docs/ci.md: the first whose text has key.
func ciExample(t *testing.T, doc, key string) (string, map[string]any) {
	t.Helper()
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(doc, -1) {
		if strings.Contains(m[1], key) {
			var v map[string]any
			if err := yaml.Unmarshal([]byte(m[1]), &v); err != nil {
				t.Fatalf("the example with %s does not parse: %v\n%s", key, err, m[1])
			}
			return m[1], v
		}
	}
	t.Fatalf("docs/ci.md has no YAML example with %s", key)
	return "", nil
}

// leakdiagLines are the leakdiag command lines of a step's run: or a
// script: entry.
func leakdiagLines(run string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(run, "\\\n", " "), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "leakdiag ") {
			out = append(out, strings.Join(strings.Fields(l), " "))
		}
	}
	return out
}

// TestCIExamples: the GitHub Actions and GitLab examples of docs/ci.md
// parse as YAML, have the steps the doc promises (the baseline with
// --fail-on never, the HTML report as an artifact, the Markdown report as
// the job summary; GitLab's junit report and expose_as), and every
// leakdiag command in them runs against bundled captures with the exit
// code the doc gives, writing the files the later steps upload.
func TestCIExamples(t *testing.T) {
	src, err := os.ReadFile("../../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	examples, err := filepath.Abs("../../testdata/examples")
	if err != nil {
		t.Fatal(err)
	}

	var commands [][]string // each example's leakdiag lines, in order
	_, gh := ciExample(t, doc, "runs-on:")
	var ghRuns []string
	uploadsHTML, summary := false, false
	for _, job := range gh["jobs"].(map[string]any) {
		for _, s := range job.(map[string]any)["steps"].([]any) {
			step := s.(map[string]any)
			if run, ok := step["run"].(string); ok {
				ghRuns = append(ghRuns, leakdiagLines(run)...)
				summary = summary || strings.Contains(run, `>> "$GITHUB_STEP_SUMMARY"`) && strings.Contains(run, "summary.md")
			}
			if uses, _ := step["uses"].(string); strings.HasPrefix(uses, "actions/upload-artifact@") {
				with, _ := step["with"].(map[string]any)
				uploadsHTML = with["path"] == "report.html" && step["if"] == "always()"
			}
		}
	}
	if !uploadsHTML || !summary {
		t.Errorf("GitHub example: uploads the HTML report %v, writes the Markdown summary to $GITHUB_STEP_SUMMARY %v", uploadsHTML, summary)
	}
	commands = append(commands, ghRuns)

	_, gl := ciExample(t, doc, "script:")
	var glRuns []string
	for name, j := range gl {
		job := j.(map[string]any)
		for _, s := range job["script"].([]any) {
			glRuns = append(glRuns, leakdiagLines(s.(string))...)
		}
		art, _ := job["artifacts"].(map[string]any)
		reports, _ := art["reports"].(map[string]any)
		paths, _ := art["paths"].([]any)
		if reports["junit"] != "leakdiag.xml" || art["expose_as"] == nil || art["when"] != "always" || len(paths) == 0 || paths[0] != "report.html" {
			t.Errorf("GitLab job %s: artifacts %v, want reports:junit leakdiag.xml, expose_as, when: always and report.html", name, art)
		}
	}
	commands = append(commands, glRuns)

	for i, lines := range commands {
		if len(lines) < 2 || !strings.Contains(lines[0], "--fail-on never") || !strings.Contains(lines[0], "-o baseline.json") {
			t.Errorf("example %d: its first leakdiag command is no baseline step with --fail-on never: %q", i+1, lines)
		}
		dir := t.TempDir()
		for to, from := range ciExampleCaptures {
			data, err := os.ReadFile(filepath.Join(examples, from))
			if err != nil {
				t.Fatal(err)
			}
			os.MkdirAll(filepath.Join(dir, filepath.Dir(to)), 0o755)
			if err := os.WriteFile(filepath.Join(dir, to), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Chdir(dir)
		for _, line := range lines {
			want, ok := ciExampleExits[line]
			if !ok {
				t.Errorf("docs/ci.md runs %q: add its documented exit code to ciExampleExits", line)
				continue
			}
			code, _, errOut := runCLI(t, strings.Fields(line)[1:]...)
			if code != want {
				t.Errorf("%q: exit %d, the doc says %d: %s", line, code, want, errOut)
			}
			for _, f := range regexp.MustCompile(`(?:=|-o )([\w.]+\.(?:json|sarif|html|md|xml))\b`).FindAllStringSubmatch(line, -1) {
				if st, err := os.Stat(f[1]); err != nil || st.Size() == 0 {
					t.Errorf("%q did not write %s: %v", line, f[1], err)
				}
			}
		}
		if b, err := os.ReadFile("summary.md"); err != nil || !strings.Contains(string(b), "| capture | findings | top finding |") {
			t.Errorf("example %d: summary.md is no batch summary: %v", i+1, err)
		}
	}
}
