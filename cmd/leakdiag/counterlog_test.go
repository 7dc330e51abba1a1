package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/internal/countergen"
)

// writeLog writes a generated counter log into a temporary directory.
func writeLog(t *testing.T, cfg countergen.Config) (string, countergen.Stats) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "handles.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := countergen.Write(f, cfg)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return path, st
}

// findings runs analyze on path and returns the rule, severity and
// message of each finding, and the report's series reason.
func findings(t *testing.T, path string) ([]map[string]any, string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, "analyze", "--fail-on", "never", "--format", "json", path)
	if code != 0 {
		t.Fatalf("analyze exited %d: %s", code, stderr)
	}
	var r struct {
		Findings []map[string]any `json:"findings"`
		Summary  struct {
			Series *struct {
				Reason string `json:"reason"`
			} `json:"series"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if r.Summary.Series == nil {
		t.Fatalf("a counter log was not analysed as a series")
	}
	return r.Findings, r.Summary.Series.Reason
}

func warnings(fs []map[string]any) []string {
	var out []string
	for _, f := range fs {
		if s := f["severity"]; s == "warning" || s == "error" {
			out = append(out, describe(f))
		}
	}
	return out
}

// A log of hours in which one process grows steadily while the others
// stay flat: the growth rule names it first, and no other; with noise,
// the leaker's count dips now and then, and is still steady growth.
func TestCounterLogLeaker(t *testing.T) {
	for _, c := range []struct {
		noPID bool
		noise int64
		how   string
	}{{false, 0, "rising at every one"}, {true, 0, "rising at every one"}, {false, 20, "rising steadily with dips"}, {true, 20, "rising steadily with dips"}} {
		noPID := c.noPID
		path, st := writeLog(t, countergen.Config{Processes: 60, Samples: 360, Leakers: 1, LeakPerHour: 600, Noise: c.noise, Restarters: 2, NoPID: noPID})
		fs, why := findings(t, path)
		w := warnings(fs)
		if len(w) == 0 || !strings.HasPrefix(w[0], "LD0013 error") || !strings.Contains(w[0], st.Leakers[0]+".exe") || !strings.Contains(w[0], c.how) {
			t.Fatalf("no pid %v, noise %d: want LD0013 on %s first, %s, got %v", noPID, c.noise, st.Leakers[0], c.how, w)
		}
		for _, x := range w[1:] {
			if strings.HasPrefix(x, "LD0013") {
				t.Errorf("no pid %v: growth found in a flat process: %s", noPID, x)
			}
		}
		if !strings.Contains(why, "counter log") {
			t.Errorf("series reason %q", why)
		}
	}
}

// A flat log, one whose processes restart with more handles, and ten
// seconds of a busy process: quiet.
// Read as one process, a restarter would rise 2,000 handles in two
// hours, at every sample (never falling): steady growth.
func TestCounterLogQuiet(t *testing.T) {
	for name, cfg := range map[string]countergen.Config{
		"flat":              {Processes: 40, Samples: 120, Noise: 30},
		"restarts":          {Processes: 40, Samples: 120, Restarters: 5, RestartJump: 2000},
		"restarts, no pids": {Processes: 40, Samples: 120, Restarters: 5, RestartJump: 2000, NoPID: true},
		// typeperf's default: a sample a second; 20 handles a second for
		// nine seconds (180) is no rate of 72,000 an hour.
		"seconds": {Processes: 10, Samples: 10, Interval: time.Second, Leakers: 1, LeakPerHour: 72000},
	} {
		path, _ := writeLog(t, cfg)
		if fs, _ := findings(t, path); len(warnings(fs)) > 0 {
			t.Errorf("%s: want quiet, got %v", name, warnings(fs))
		}
	}
}

// The restart test above can fail: a restart read as the same process
// is growth.
func TestCounterLogRestartMatters(t *testing.T) {
	path, st := writeLog(t, countergen.Config{Processes: 2, Samples: 120, Restarters: 1, RestartGap: 1, RestartJump: 2000, NoPID: true, Interval: time.Minute})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Fill the gap with its count before: the instance never vanishes, so
	// it is one process, whose count jumps.
	filled := strings.Replace(string(data), `" "`, `"`+strconv.FormatInt(st.First[0], 10)+`"`, 1)
	if err := os.WriteFile(path, []byte(filled), 0o644); err != nil {
		t.Fatal(err)
	}
	fs, _ := findings(t, path)
	if w := warnings(fs); len(w) == 0 || !strings.Contains(w[0], st.Restarters[0]) {
		t.Errorf("a jump of 2,000 handles in one process: want growth found, got %v", w)
	}
}

// A query_range response of two hosts: a series each, reported as a
// batch; the leaking host's report names the leaker.
func TestQueryRangeHosts(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[`)
	for i, host := range []string{"web02:9182", "web01:9182"} {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"metric":{"__name__":"windows_process_handles","instance":%q,"process":"agent","process_id":"42"},"values":[`, host)
		for h := 0; h < 6; h++ {
			n := 1000
			if host == "web02:9182" {
				n += 1000 * h
			}
			if h > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `[%d,"%d"]`, 1700000000+3600*h, n)
		}
		b.WriteString("]}")
	}
	b.WriteString("]}}\n")
	path := filepath.Join(t.TempDir(), "range.json")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "analyze", "--fail-on", "never", "--format", "json", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var batch struct {
		Reports []struct {
			Findings []map[string]any `json:"findings"`
			Summary  struct {
				Host string `json:"host"`
			} `json:"summary"`
		} `json:"reports"`
	}
	if err := json.Unmarshal([]byte(stdout), &batch); err != nil {
		t.Fatal(err)
	}
	if len(batch.Reports) != 2 || batch.Reports[0].Summary.Host != "web01" || batch.Reports[1].Summary.Host != "web02" {
		t.Fatalf("reports: %+v", batch.Reports)
	}
	if w := warnings(batch.Reports[0].Findings); len(w) > 0 {
		t.Errorf("web01 is flat, yet: %v", w)
	}
	if w := warnings(batch.Reports[1].Findings); len(w) == 0 || !strings.HasPrefix(w[0], "LD0013") {
		t.Errorf("web02's agent grows, yet: %v", w)
	}
}

// A directory holding a counter log and a kd capture: each analysed on
// its own, the log as its series.
func TestCounterLogInBatch(t *testing.T) {
	path, st := writeLog(t, countergen.Config{Processes: 20, Samples: 120, Leakers: 1, LeakPerHour: 2000})
	dir := filepath.Dir(path)
	data, err := os.ReadFile("../../testdata/examples/registry-leak-contoso-agent.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kd.txt"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "analyze", "--fail-on", "never", "--format", "json", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var batch struct {
		Reports []struct {
			Findings []map[string]any `json:"findings"`
		} `json:"reports"`
	}
	if err := json.Unmarshal([]byte(stdout), &batch); err != nil {
		t.Fatal(err)
	}
	if len(batch.Reports) != 2 {
		t.Fatalf("%d reports, want 2", len(batch.Reports))
	}
	if w := warnings(batch.Reports[0].Findings); len(w) == 0 || !strings.HasPrefix(w[0], "LD0013") || !strings.Contains(w[0], st.Leakers[0]) {
		t.Errorf("the log's report: %v", w)
	}
}

// --explain on a counter log explains the last sample with growth known.
func TestCounterLogExplain(t *testing.T) {
	path, _ := writeLog(t, countergen.Config{Processes: 5, Samples: 30, Leakers: 1, LeakPerHour: 3000})
	code, stdout, stderr := runCLI(t, "analyze", "--explain", "--rule", "LD0013", "--pid", "400", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "pid 400 contosoagent.exe") || !strings.Contains(stdout, "fired") || !strings.Contains(stdout, "process.growth_points    = 30") {
		t.Errorf("explanation:\n%s", stdout)
	}
}
