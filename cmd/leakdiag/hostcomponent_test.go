package main

import (
	"encoding/json"
	"testing"

	"github.com/leakdiag/leakdiag/engine"
)

// TestAnalyzeNamesWhatAHostRuns: where a process table gives the command
// line (wmic's and Get-CimInstance's CommandLine), a finding on a host
// process blames what it runs, not its image: the service of a
// svchost.exe -s, the application pool of a w3wp.exe -ap.
func TestAnalyzeNamesWhatAHostRuns(t *testing.T) {
	for capture, want := range map[string]string{
		"../../testdata/wmic/get-commandline-svchost-service-winmgmt.txt":     "service Winmgmt",
		"../../testdata/getprocess/cim-format-list-commandline-w3wp-pool.txt": "IIS application pool Contoso Portal",
	} {
		code, out, errOut := runCLI(t, "analyze", "--format", "json", "--fail-on", "never", capture)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", capture, code, errOut)
		}
		var rep engine.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) == 0 {
			t.Fatalf("%s: no finding", capture)
		}
		for _, f := range rep.Findings {
			if c := f.Component; c.Name != want || c.InferredFrom != engine.InferredCommandLine {
				t.Errorf("%s: %s blames %q from %q, want %q from the command line", capture, f.RuleID, c.Name, c.InferredFrom, want)
			}
		}
	}
}
