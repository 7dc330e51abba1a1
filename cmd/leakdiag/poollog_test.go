package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnalyzePoolCounterLog: a typeperf log of the Memory object's pools,
// as taken when kernel pool grows, is read as a series of the machine's
// pools; nonpaged pool rising by hundreds of MB at every sample is
// LD0040, while the same log with the pool flat is quiet and still no
// "nothing to judge" (LD0035).
func TestAnalyzePoolCounterLog(t *testing.T) {
	write := func(name string, mb []int) string {
		var log strings.Builder
		log.WriteString(`"(PDH-CSV 4.0) (UTC)(0)","\\WIN1\Memory\Pool Nonpaged Bytes","\\WIN1\Memory\Pool Paged Bytes","\\WIN1\Processor(_Total)\% Processor Time"` + "\n")
		for i, v := range mb {
			fmt.Fprintf(&log, "\"12/07/2026 08:%02d:00.000\",\"%d\",\"%d\",\"3.5\"\n", i*10, v<<20, 1200<<20)
		}
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte(log.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, tc := range []struct {
		name string
		mb   []int
		want string
	}{
		{"growing.csv", []int{922, 1042, 1138, 1434}, "LD0040"},
		{"flat.csv", []int{922, 930, 921, 925}, ""},
	} {
		code, out, errOut := runCLI(t, "analyze", "--format", "json", "--fail-on", "never", write(tc.name, tc.mb))
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.name, code, errOut)
		}
		var rep struct {
			Findings []struct {
				RuleID string `json:"rule_id"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Findings {
			got = append(got, f.RuleID)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s: findings %v, want %q", tc.name, got, tc.want)
		}
	}
}
