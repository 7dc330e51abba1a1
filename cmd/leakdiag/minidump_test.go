package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const minidumpExample = "../../testdata/examples/contoso-agent-events.dmp.gz"

// TestAnalyzeMinidumpAttributesThroughTraces: the bundled DbgHelp-style
// dump (handle data with names, Application Verifier traces, modules)
// names the module that opened the leaked events, through the trace
// frames resolved to module+offset, and the owner map names its vendor.
func TestAnalyzeMinidumpAttributesThroughTraces(t *testing.T) {
	code, out, errOut := runCLI(t, "analyze", "--format", "json", "--rules", "../../testdata/examples/contoso-rules", minidumpExample)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (findings): %s", code, errOut)
	}
	var rep struct {
		Findings []struct {
			RuleID  string `json:"rule_id"`
			Process struct {
				PID    uint64 `json:"pid"`
				Image  string `json:"image"`
				Source struct {
					Path   string `json:"path"`
					Offset int64  `json:"offset"`
				} `json:"source"`
			} `json:"process"`
			Component struct {
				Name, Vendor string
				Inferred     string `json:"inferred_from"`
				Reason       string `json:"reason"`
			} `json:"component"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rep.Findings) == 0 {
		t.Fatal("no findings")
	}
	f := rep.Findings[0]
	if f.Process.Image != "ContosoAgent.exe" || f.Process.PID != 4242 || f.Process.Source.Offset == 0 ||
		f.Component.Name != "Contoso Telemetry Hook" || f.Component.Vendor != "Contoso Ltd." || f.Component.Inferred != "stack+owner:module" ||
		!strings.Contains(f.Component.Reason, "created at contosohook+0x1a42") {
		t.Errorf("first finding: %+v", f)
	}
	code, out, _ = runCLI(t, "analyze", "--format", "sarif", "--fail-on", "never", minidumpExample)
	if code != 0 || !strings.Contains(out, `"byteOffset": 196`) {
		t.Errorf("SARIF of a minidump: exit %d, no byteOffset region for the process record:\n%.2000s", code, out)
	}
	code, _, errOut = runCLI(t, "analyze", "--input-format", "minidump", "../../testdata/examples/registry-leak-contoso-agent.txt")
	if code != 2 || !strings.Contains(errOut, "not a minidump that can be read") {
		t.Errorf("kd text forced as a minidump: exit %d, %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "facts", "--input-format", "pcap", minidumpExample)
	if code != 2 || !strings.Contains(errOut, "known: [kd handle lsof ") || !strings.Contains(errOut, " minidump snapshot]") {
		t.Errorf("unknown input format: exit %d, %s", code, errOut)
	}
}
