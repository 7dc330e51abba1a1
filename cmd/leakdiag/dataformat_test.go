package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestFormatJSON: every command that prints data takes --format json,
// and --json still says the same (issue 14, item 7); rules list and
// rules explain in JSON, golden (testdata/dataformat/*.json).
func TestFormatJSON(t *testing.T) {
	const site = "testdata/dataformat/rules"
	for _, args := range [][]string{
		{"facts", seed},
		{"rules", "list"},
		{"rules", "schema"},
		{"rules", "explain", "LD0001"},
		{"rules", "list", "--no-default-rules", "--rules", site},
		{"rules", "explain", "--no-default-rules", "--rules", site, "SITE0001"},
	} {
		name := strings.Join(args, " ")
		code, out, errOut := runCLI(t, append(args, "--format", "json")...)
		if code != 0 || !json.Valid([]byte(out)) {
			t.Errorf("leakdiag %s --format json: exit %d %s, JSON %v", name, code, errOut, json.Valid([]byte(out)))
		}
		_, alias, _ := runCLI(t, append(args, "--json")...)
		if alias != out {
			t.Errorf("leakdiag %s: --json and --format json differ", name)
		}
		_, text, _ := runCLI(t, args...)
		_, text2, _ := runCLI(t, append(args, "--format", "text")...)
		if text != text2 || text == out {
			t.Errorf("leakdiag %s: --format text is not the default text", name)
		}
		for _, bad := range [][]string{{"--format", "yaml"}, {"--json", "--format", "text"}} {
			code, out, errOut := runCLI(t, append(args, bad...)...)
			if code != exitInput || out != "" || !strings.Contains(errOut, "--format") {
				t.Errorf("leakdiag %s %s: exit %d, stderr %q", name, strings.Join(bad, " "), code, errOut)
			}
		}
	}
	for _, tc := range []struct{ golden, cmd string }{
		{"list.json", "list"},
		{"explain.json", "explain SITE0001"},
	} {
		args := append([]string{"rules"}, strings.Fields(tc.cmd)...)
		_, out, errOut := runCLI(t, append(args, "--no-default-rules", "--rules", site, "--format", "json")...)
		checkCLIGolden(t, "testdata/dataformat/"+tc.golden, out+errOut)
	}
	if code, _, errOut := runCLI(t, "rules", "schema", "--format", "xml"); code != exitInput || errOut != fmt.Sprintf("leakdiag: --format %q: leakdiag rules schema prints text or json\n", "xml") {
		t.Errorf("rules schema --format xml: exit %d, %q", code, errOut)
	}
}
