package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnalyzeGetProcessSeries: two Get-Process tables of one machine
// four hours apart read as a series, and the spooler, whose count rose
// from 30,120 to 51,234, is the top finding as steady growth; the count
// alone (one table) fires the count rule only.
func TestAnalyzeGetProcessSeries(t *testing.T) {
	const (
		earlier = "../../testdata/getprocess/spoolsv-30120-four-hours-earlier-ps51.txt"
		later   = "../../testdata/getprocess/spoolsv-51234-sort-handles-desc-ps51.txt"
	)
	type finding struct {
		RuleID   string `json:"rule_id"`
		Severity string `json:"severity"`
		Process  *struct {
			PID   uint64 `json:"pid"`
			Image string `json:"image"`
		} `json:"process"`
	}
	analyze := func(args ...string) []finding {
		t.Helper()
		code, out, errOut := runCLI(t, append([]string{"analyze", "--format", "json", "--fail-on", "never"}, args...)...)
		if code != 0 {
			t.Fatalf("analyze %v: exit %d: %s", args, code, errOut)
		}
		var rep struct {
			Findings []finding `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("analyze %v: %v", args, err)
		}
		return rep.Findings
	}
	fs := analyze("--at", earlier+"=2026-12-06T08:00:00Z", "--at", later+"=2026-12-06T12:00:00Z", earlier, later)
	if len(fs) == 0 || fs[0].RuleID != "LD0013" || fs[0].Process == nil || fs[0].Process.PID != 2412 || fs[0].Process.Image != "spoolsv.exe" {
		t.Fatalf("series: findings %+v, want LD0013 on spoolsv.exe pid 2412 first", fs)
	}
	one := analyze(later)
	if len(one) == 0 {
		t.Fatal("one table: no finding, want LD0001 on spoolsv.exe")
	}
	for _, f := range one {
		if f.RuleID != "LD0001" || f.Process == nil || f.Process.Image != "spoolsv.exe" {
			t.Errorf("one table: finding %+v, want LD0001 on spoolsv.exe only", f)
		}
	}
}

// TestAnalyzeNonPagedGrowth: a Get-Process loop whose agent's NPM(K)
// rises at every run while its handles stay flat, and the same as a
// Prometheus query_range of windows_exporter's metrics, are read as
// series, and LD0039 names the agent, not the steady svchost.
func TestAnalyzeNonPagedGrowth(t *testing.T) {
	var loop strings.Builder
	loop.WriteString("PS C:\\> while ($true) { Get-Date -Format o; Get-Process agent,svchost; Start-Sleep 3600 }\n")
	for i, npm := range []string{"210", "840", "1,512", "2,260"} {
		fmt.Fprintf(&loop, "2026-12-07T%02d:00:00.0000000+00:00\n\n", 8+i)
		loop.WriteString("Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n")
		loop.WriteString("-------  ------    -----      -----     ------     --  -- -----------\n")
		fmt.Fprintf(&loop, "    41%d %7s    10300      16156       0.20   4412   0 agent\n", i, npm)
		fmt.Fprintf(&loop, "    83%d      40    12000      20000       1.20    996   0 svchost\n\n", i)
	}
	series := func(metric, process, pid string, labels string, values ...int) string {
		var v []string
		for i, x := range values {
			v = append(v, fmt.Sprintf(`[%d,"%d"]`, 1765094400+3600*i, x))
		}
		return fmt.Sprintf(`{"metric":{"__name__":%q,"instance":"web01:9182","process":%q,"process_id":%q%s},"values":[%s]}`,
			metric, process, pid, labels, strings.Join(v, ","))
	}
	rangeJSON := `{"status":"success","data":{"resultType":"matrix","result":[` + strings.Join([]string{
		series("windows_process_pool_bytes", "agent", "4412", `,"pool":"nonpaged"`, 210000, 840000, 1512000, 2260000),
		series("windows_process_handles", "agent", "4412", "", 412, 415, 413, 418),
		series("windows_process_pool_bytes", "svchost", "996", `,"pool":"nonpaged"`, 40000, 41000, 40000, 40500),
		series("windows_process_handles", "svchost", "996", "", 830, 829, 831, 830),
	}, ",") + `]}}`
	for name, content := range map[string]string{"loop.txt": loop.String(), "range.json": rangeJSON} {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCLI(t, "analyze", "--format", "json", "--fail-on", "never", path)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errOut)
		}
		var rep struct {
			Findings []struct {
				RuleID  string `json:"rule_id"`
				Process *struct {
					PID uint64 `json:"pid"`
				} `json:"process"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Findings {
			if f.Process != nil {
				got = append(got, fmt.Sprintf("%s %d", f.RuleID, f.Process.PID))
			}
		}
		if len(got) != 1 || got[0] != "LD0039 4412" {
			t.Errorf("%s: findings %v, want LD0039 on the agent (pid 4412) only", name, got)
		}
	}
}
