package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	rulesd "github.com/leakdiag/leakdiag/rules.d"
)

// TestRulesDirOfDefaults: the checkout's rules.d, named as a directory of
// rules, stands in for the built-in rules instead of loading them twice
// (issue 14, item 1); without it, the defaults' positions say they are
// built in.
func TestRulesDirOfDefaults(t *testing.T) {
	t.Chdir("../..")
	const capture = "testdata/examples/registry-leak-contoso-agent.txt"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"rules", "lint", "rules.d"}, "10 files, "},
		{[]string{"rules", "lint", "--rules", "rules.d"}, "10 files, "},
		{[]string{"rules", "test", "rules.d"}, " passed, 0 failed"},
		{[]string{"rules", "test", "--coverage", "rules.d"}, "(100.0%)"},
		{[]string{"rules", "test", "rules.d/defaults_test.yaml"}, " passed, 0 failed"},
		{[]string{"rules", "list", "--rules", "rules.d"}, " rules.d/10-handle-count.yaml:2:5 "},
		{[]string{"rules", "explain", "--rules", "./rules.d", "LD0001"}, "rule LD0001, defined at rules.d/10-handle-count.yaml:2:5\n"},
		{[]string{"analyze", "--fail-on", "never", "--rules", "rules.d", "--format", "json", capture}, `"defined": "rules.d/10-handle-count.yaml:2:5"`},
		{[]string{"rules", "list"}, " (built-in) rules.d/10-handle-count.yaml:2:5 "},
		{[]string{"analyze", "--fail-on", "never", "--format", "json", capture}, `"defined": "(built-in) rules.d/10-handle-count.yaml:2:5"`},
	} {
		code, out, errOut := runCLI(t, tc.args...)
		if code != 0 || !strings.Contains(out, tc.want) {
			t.Errorf("leakdiag %s: exit %d, want 0 and %q in the output:\n%s%s", strings.Join(tc.args, " "), code, tc.want, out, errOut)
		}
		if tc.args[len(tc.args)-1] != "list" && tc.args[len(tc.args)-1] != capture && strings.Contains(out, "(built-in)") {
			t.Errorf("leakdiag %s: a rule loaded from the binary as well:\n%s", strings.Join(tc.args, " "), out)
		}
	}
}

// TestRulesShadowingGolden: an edited copy of rules.d, and a site file
// that copies a default file under another name, shadow default rules:
// an error per file that names the rules, the built-in file and
// --no-default-rules (golden: testdata/rulesd/shadow.out).
func TestRulesShadowingGolden(t *testing.T) {
	golden, err := filepath.Abs("testdata/rulesd/shadow.out")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	if err := os.CopyFS(filepath.Join(work, "rules.d"), rulesd.FS); err != nil {
		t.Fatal(err)
	}
	edit := func(path, old, new string) {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(b), old) {
			t.Fatalf("%s: %v, or no %q in it", path, err, old)
		}
		if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit(filepath.Join(work, "rules.d", "10-handle-count.yaml"), "threshold: 10000", "threshold: 12000")
	if err := os.Mkdir(filepath.Join(work, "site"), 0o755); err != nil {
		t.Fatal(err)
	}
	shape, err := rulesd.FS.ReadFile("20-shape.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "site", "shape.yaml"), shape, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	var got strings.Builder
	for _, args := range [][]string{
		{"rules", "lint", "rules.d"},
		{"rules", "lint", "--rules", "site"},
		{"analyze", "--rules", "rules.d", "capture.txt"},
		{"rules", "lint", "--no-default-rules", "rules.d"},
	} {
		code, out, errOut := runCLI(t, args...)
		fmt.Fprintf(&got, "$ leakdiag %s\n%s%s[exit %d]\n\n", strings.Join(args, " "), out, errOut, code)
	}
	checkCLIGolden(t, golden, got.String())
}

// TestRulesPathErrors: a --rules path, or a rule or test path, that is
// missing or no directory says which and why (issue 14, item 8).
func TestRulesPathErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"analyze", "--rules", "nonexist", seed}, "leakdiag: --rules nonexist: no such directory\n"},
		{[]string{"analyze", "--rules", seed, seed}, "leakdiag: --rules " + seed + ": not a directory: give the directory that holds the rule files\n"},
		{[]string{"rules", "list", "--rules", "nonexist"}, "leakdiag: --rules nonexist: no such directory\n"},
		{[]string{"rules", "lint", "nonexist"}, "leakdiag: nonexist: no such file or directory\n"},
		{[]string{"rules", "test", "nonexist"}, "leakdiag: nonexist: no such file or directory\n"},
	} {
		code, out, errOut := runCLI(t, tc.args...)
		if code != exitInput || out != "" || errOut != tc.want {
			t.Errorf("leakdiag %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", strings.Join(tc.args, " "), code, out, errOut, tc.want)
		}
	}
}

// TestRulesTestFileLoadsItsRules: naming a test file loads the rule
// files beside it, as naming its directory does (issue 14, item 9).
func TestRulesTestFileLoadsItsRules(t *testing.T) {
	code, out, errOut := runCLI(t, "rules", "test", "--coverage", "testdata/ruletests/site/site_test.yaml")
	if code != 0 || !strings.Contains(out, "3 tests: 3 passed, 0 failed") || !strings.Contains(out, "coverage: 1 of 2 rules under test") {
		t.Errorf("exit %d %s\n%s", code, errOut, out)
	}
	dirOut := out
	_, out, _ = runCLI(t, "rules", "test", "--coverage", "testdata/ruletests/site")
	if out != dirOut {
		t.Errorf("the test file and its directory give different results:\n%s\nand\n%s", dirOut, out)
	}
	// Its directory named as well, or with --rules, loads once.
	for _, args := range [][]string{
		{"rules", "test", "testdata/ruletests/site", "testdata/ruletests/site/site_test.yaml"},
		{"rules", "test", "--rules", "testdata/ruletests/site", "testdata/ruletests/site/site_test.yaml"},
	} {
		if code, out, errOut := runCLI(t, args...); code != 0 || strings.Contains(out+errOut, "already defined") {
			t.Errorf("leakdiag %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
	}
}
