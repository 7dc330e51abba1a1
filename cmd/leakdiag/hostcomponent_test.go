package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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

// TestAnalyzeNamesWhatLsofsHostRuns: ps rows pasted beside lsof's
// listing give the listed process its command line, so a finding on a
// java process blames the jar it runs, not java.
func TestAnalyzeNamesWhatLsofsHostRuns(t *testing.T) {
	capture := "$ ps aux | grep java\n" +
		"contoso   4242  3.1 12.0 5123456 987654 ?     Sl   Dec07  12:34 /usr/bin/java -Xmx2g -jar /opt/contoso/billing.jar --port 8080\n" +
		"contoso   9001  0.0  0.0   6432   712 pts/0  S+   10:00   0:00 grep --color=auto java\n" +
		"$ lsof -p 4242 | grep CLOSE_WAIT\n"
	for i := range 5 {
		capture += fmt.Sprintf("java    4242 contoso  %du  IPv6  9%04d      0t0  TCP 10.0.0.5:8080->10.0.0.9:%d (CLOSE_WAIT)\n", 40+i, i, 50000+i)
	}
	path := filepath.Join(t.TempDir(), "ps-lsof.txt")
	if err := os.WriteFile(path, []byte(capture), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "analyze", "--format", "json", "--fail-on", "never", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep engine.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range rep.Findings {
		if f.RuleID != "LD0017" {
			continue
		}
		found = true
		if c := f.Component; c.Name != "billing.jar" || c.InferredFrom != engine.InferredCommandLine {
			t.Errorf("LD0017 blames %q from %q, want billing.jar from the command line", c.Name, c.InferredFrom)
		}
	}
	if !found {
		t.Errorf("no LD0017 finding: %s", out)
	}
}
