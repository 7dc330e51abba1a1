package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSeriesErrorsNameTheFiles: a series that cannot be made says which
// file is at fault. Collected snapshots all name /proc as their source,
// so the captures' own names do not tell.
func TestSeriesErrorsNameTheFiles(t *testing.T) {
	snap := func(at string) string {
		return `{"schema_version": 1, "host": "web1", "captured_at": "` + at + `", "sources": [{"path": "/proc", "format": "procfs",` +
			` "lines": {"total": 0, "parsed": 0, "ignored": 0, "unrecognized": 0}}], "processes": [], "diagnostics": []}` + "\n"
	}
	files := map[string]string{
		"same-time.json": snap("2026-11-27T10:00:00Z") + snap("2026-11-27T10:00:00Z"),
		"a.json":         snap("2026-11-27T10:00:00Z"),
		"b.json":         snap("2026-11-27T10:00:00Z"),
		"bad-second.json": snap("2026-11-27T10:00:00Z") +
			`{"schema_version": 1, "processes": [{"pid": 1, "handle_count": -2}]}`,
	}
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name string
		args []string
		want string
	}{{
		name: "analyze: a series file of captures at one time",
		args: []string{"analyze", p("same-time.json")},
		want: "series file " + p("same-time.json") + ": captures /proc and /proc are both at 2026-11-27T10:00:00Z",
	}, {
		name: "diff: a series file of captures at one time",
		args: []string{"diff", p("same-time.json")},
		want: "series file " + p("same-time.json") + ": captures /proc and /proc are both at",
	}, {
		name: "analyze --series: two files at one time",
		args: []string{"analyze", "--series", p("a.json"), p("b.json")},
		want: p("a.json") + " and " + p("b.json") + ": captures /proc and /proc are both at",
	}, {
		name: "diff: two files at one time",
		args: []string{"diff", p("a.json"), p("b.json")},
		want: p("a.json") + " and " + p("b.json") + ": captures /proc and /proc are both at",
	}, {
		name: "analyze: a series file whose second snapshot is invalid",
		args: []string{"analyze", p("bad-second.json")},
		want: p("bad-second.json") + ": snapshot JSON 2: processes[0].handle_count: -2 is negative",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tc.args...)
			if code != exitInput || !strings.Contains(errOut, tc.want) {
				t.Errorf("leakdiag %v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, exitInput, tc.want)
			}
		})
	}
}
