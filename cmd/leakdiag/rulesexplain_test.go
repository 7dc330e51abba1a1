package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRulesExplainNamesWhereEachPartCameFrom: a site override's keys are
// attributed to the site file, the rest to the default rule, and keys no
// file sets to "default".
func TestRulesExplainNamesWhereEachPartCameFrom(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site.yaml")
	os.WriteFile(site, []byte(`params:
  heavy_thresholds: {store.exe: 250000}
rules:
  - id: LD0001
    override: true
    severity: error
    params: {threshold: 20000}
`), 0o644)
	code, out, errOut := runCLI(t, "rules", "explain", "--rules", dir, "ld0001")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for key, want := range map[string]string{
		"severity":                site + `:6:15\s+error`,
		"params.threshold":        site + `:7:14\s+20000`,
		"params.heavy_thresholds": site + `:2:3\s+\{.*"store.exe":250000`,
		"title":                   `\(built-in\) rules\.d/10-handle-count\.yaml:\d+:\d+\s+Process holds`,
		"enabled":                 `default\s+true`,
		"score":                   `default\s+\(the process's handle count\)`,
	} {
		re := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(key) + `\s+` + want)
		if !re.MatchString(out) {
			t.Errorf("%s: want %s in:\n%s", key, want, out)
		}
	}
	if !strings.Contains(out, "overridden at "+site+":4:5") {
		t.Errorf("the override is not named:\n%s", out)
	}
	code, _, errOut = runCLI(t, "rules", "explain", "LD0100")
	if code != 2 || !strings.Contains(errOut, `no rule "LD0100"; the nearest: LD0010, `) {
		t.Errorf("unknown id: exit %d, %q", code, errOut)
	}
}
