package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

const contosoCapture = "../../testdata/examples/registry-leak-contoso-agent.txt"

// TestAnalyzeExplainGolden: --explain over the bundled example, for a rule
// that fires, one that does not and why, and every rule for one process.
func TestAnalyzeExplainGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
	}{
		{"fired", []string{"--rule", "LD0001", "--pid", "352"}},
		{"excepted", []string{"--rule", "ld0001", "--pid", "352", "--rules", "testdata/explain/except"}},
		{"one-process", []string{"--pid", "4"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"analyze", "--explain"}, c.args...)
			code, out, errOut := runCLI(t, append(args, contosoCapture)...)
			got := out + errOut + fmt.Sprintf("exit %d\n", code)
			checkCLIGolden(t, "testdata/explain/"+c.name+".out", got)
		})
	}
}

func TestAnalyzeExplainJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "analyze", "--explain", "--format", "json", "--rule", "LD0001", contosoCapture)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		SchemaVersion int `json:"schema_version"`
		Explanations  []struct {
			Rule    string `json:"rule"`
			Process struct {
				PID   uint64 `json:"pid"`
				Image string `json:"image"`
			} `json:"process"`
			Fired  bool `json:"fired"`
			Values []struct {
				Name, Value string
			} `json:"values"`
			Condition struct {
				Op    string `json:"op"`
				Parts []struct {
					Source, Value string
				} `json:"parts"`
			} `json:"condition"`
		} `json:"explanations"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	fired := 0
	for _, x := range got.Explanations {
		if x.Rule != "LD0001" || x.Condition.Op != "and" || len(x.Condition.Parts) != 2 || len(x.Values) != 4 {
			t.Errorf("explanation %+v: want LD0001, an and of two, four values", x)
		}
		if x.Fired {
			fired++
			if x.Process.Image != "ContosoAgent.exe" || x.Condition.Parts[0].Value != "true" {
				t.Errorf("fired for %+v", x)
			}
		}
	}
	if got.SchemaVersion != 1 || fired != 1 || len(got.Explanations) < 20 {
		t.Errorf("schema %d, %d explanations, %d fired; want 1, one per process, 1", got.SchemaVersion, len(got.Explanations), fired)
	}
}

func TestAnalyzeExplainErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--explain", "--rule", "LD0091"}, `--rule LD0091: no rule "LD0091"; the nearest: LD0041, LD0031 and LD0021 (leakdiag rules list shows all `},
		{[]string{"--explain", "--pid", "3780"}, "no process with pid 3780 in the capture"},
		{[]string{"--rule", "LD0001"}, "--rule and --pid choose what --explain explains: add --explain"},
		{[]string{"--pid", "4"}, "add --explain"},
		{[]string{"--explain", "--format", "html"}, "--explain writes text or json, not --format html"},
		{[]string{"--explain", "--format", "text", "--format", "json"}, "give one --format"},
	} {
		code, _, errOut := runCLI(t, append(append([]string{"analyze"}, c.args...), contosoCapture)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", c.args, code, errOut, c.want)
		}
	}
	code, _, errOut := runCLI(t, "analyze", "--explain", contosoCapture, contosoCapture)
	if code != 2 || !strings.Contains(errOut, "--explain explains one capture") {
		t.Errorf("two captures: exit %d, %q", code, errOut)
	}
}
