package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
		rep, _ := analyzeJSON(t, capture)
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

// TestAnalyzeMergedServices: read with --merge, a Get-Process table (the
// handle counts) and tasklist /svc (the services) are one capture, each
// process once, by pid: a finding on a svchost.exe names the services it
// hosts (a list wrapped onto the next line included), and the tasklist
// piece, which has no count, leaves Get-Process's counts as they are
// (before, it erased them, and the finding was lost).
func TestAnalyzeMergedServices(t *testing.T) {
	dir := t.TempDir()
	counts := filepath.Join(dir, "get-process.txt")
	services := filepath.Join(dir, "tasklist-svc.txt")
	write := func(path string, lines ...string) {
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(counts,
		"PS C:\\> Get-Process svchost",
		"",
		"Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName",
		"-------  ------    -----      -----     ------     --  -- -----------",
		"  51873      61    41234      51234      12.45   1132   0 svchost",
		"   1420      20    11234      21234       2.45    900   0 svchost",
		"   1183      20    11234      21234       2.45    944   0 svchost",
		"    911      18     9234      17234       1.45   1208   0 svchost")
	write(services,
		"C:\\>tasklist /svc /fi \"imagename eq svchost.exe\"",
		"",
		"Image Name                     PID Services",
		"========================= ======== ============================================",
		"svchost.exe                    900 BrokerInfrastructure, DcomLaunch, PlugPlay,",
		"                                   Power, SystemEventsBroker",
		"svchost.exe                    944 RpcEptMapper, RpcSs",
		"svchost.exe                   1132 AudioEndpointBuilder, Netman, TrkWks,",
		"                                   UmRdpService",
		"svchost.exe                   1208 N/A")
	rep, out := analyzeJSON(t, "--merge", counts, services)
	found := false
	for _, f := range rep.Findings {
		if f.RuleID != "LD0001" {
			continue
		}
		found = true
		const want = "services AudioEndpointBuilder, Netman, TrkWks, UmRdpService"
		if f.Process == nil || f.Process.PID != 1132 || f.Component.Name != want || f.Component.InferredFrom != engine.InferredServices {
			t.Errorf("LD0001 on %+v blames %q from %q, want pid 1132 and %q from the services", f.Process, f.Component.Name, f.Component.InferredFrom, want)
		}
	}
	if !found {
		t.Errorf("no LD0001 on the svchost.exe of 51,873 handles: %s", out)
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
	rep, out := analyzeJSON(t, path)
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

// TestAnalyzeMergedServicesShapes: tasklist /svc /fo list's one service a
// line is the whole list; a list cut short by findstr (its last row
// ending in a comma, the wrapped line filtered out) names no service;
// the same table twice names each service once.
func TestAnalyzeMergedServicesShapes(t *testing.T) {
	const counts = "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\r\n" +
		"-------  ------    -----      -----     ------     --  -- -----------\r\n" +
		"  51873      61    41234      51234      12.45   1132   0 svchost\r\n" +
		"   1420      20    11234      21234       2.45    900   0 svchost\r\n" +
		"   1183      20    11234      21234       2.45    944   0 svchost\r\n"
	table := "Image Name                     PID Services\r\n" +
		"========================= ======== ============================================\r\n" +
		"svchost.exe                   1132 AudioEndpointBuilder, Netman, TrkWks,\r\n" +
		"                                   UmRdpService\r\n"
	for _, c := range []struct {
		name, services, want string
		from                 engine.Inference
	}{{
		name: "one service a line",
		services: "C:\\>tasklist /svc /fo list\r\n\r\nImage Name:   svchost.exe\r\nPID:          1132\r\nServices:     AudioEndpointBuilder\r\n" +
			"              Netman\r\n              TrkWks\r\n\r\n",
		want: "services AudioEndpointBuilder, Netman, TrkWks", from: engine.InferredServices,
	}, {
		name:     "a list cut short by findstr",
		services: "C:\\>tasklist /svc | findstr svchost\r\nsvchost.exe                   1132 AudioEndpointBuilder, CDPUserSvc_4f2a1,\r\n",
		want:     "svchost.exe", from: engine.InferredImage,
	}, {
		name:     "the same table twice",
		services: "C:\\>tasklist /svc\r\n\r\n" + table + "\r\nC:\\>tasklist /svc\r\n\r\n" + table,
		want:     "services AudioEndpointBuilder, Netman, TrkWks, UmRdpService", from: engine.InferredServices,
	}} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			gp, tl := filepath.Join(dir, "gp.txt"), filepath.Join(dir, "tl.txt")
			for path, text := range map[string]string{gp: counts, tl: c.services} {
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			rep, out := analyzeJSON(t, "--merge", gp, tl)
			for _, f := range rep.Findings {
				if f.RuleID == "LD0001" {
					if f.Component.Name != c.want || f.Component.InferredFrom != c.from {
						t.Errorf("LD0001 blames %q from %q, want %q from %q", f.Component.Name, f.Component.InferredFrom, c.want, c.from)
					}
					return
				}
			}
			t.Errorf("no LD0001: %s", out)
		})
	}
}

// analyzeJSON runs analyze --format json --fail-on never with args and
// returns its report and its output, failing the test unless it exits 0.
func analyzeJSON(t *testing.T, args ...string) (*engine.Report, string) {
	t.Helper()
	code, out, errOut := runCLI(t, append([]string{"analyze", "--format", "json", "--fail-on", "never"}, args...)...)
	if code != 0 {
		t.Fatalf("analyze %v: exit %d: %s", args, code, errOut)
	}
	var rep engine.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	return &rep, out
}
