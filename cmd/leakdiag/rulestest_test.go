package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestRulesTest: the site example's tests pass; the broken ones fail with
// readable expected/got diffs (golden: testdata/ruletests/broken.out).
func TestRulesTest(t *testing.T) {
	code, out, errOut := runCLI(t, "rules", "test", "testdata/ruletests/site")
	if code != 0 || !strings.Contains(out, "3 tests: 3 passed, 0 failed") {
		t.Errorf("site tests: exit %d %s\n%s", code, errOut, out)
	}
	code, out, errOut = runCLI(t, "rules", "test", "testdata/ruletests/broken")
	got := out + errOut + fmt.Sprintf("exit %d\n", code)
	checkCLIGolden(t, "testdata/ruletests/broken.out", got)
}

func TestRulesTestBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := dir + "/" + name
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct{ src, want string }{
		{"tests:\n  - name: x\n    expect: [{rule: LD0001}]\n    procesess: []\n", `a_test.yaml:4:5: unknown key "procesess" in tests[0] (did you mean "processes"?)`},
		{"tests:\n  - name: x\n    expect: [{rule: LD0001}]\n", "FAIL"},
		{"tests:\n  - name: x\n    capture: nope.txt\n    quiet: [LD0001]\n", "nope.txt"},
	} {
		p := write("a_test.yaml", tc.src)
		code, out, errOut := runCLI(t, "rules", "test", p)
		if code == 0 || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("%q: exit %d, want %q in\n%s%s", tc.src, code, tc.want, out, errOut)
		}
	}
	if code, _, errOut := runCLI(t, "rules", "test", t.TempDir()); code != 2 || !strings.Contains(errOut, "no test files") {
		t.Errorf("empty dir: exit %d %q", code, errOut)
	}
}

// TestDefaultRulesTests runs rules.d's own test file, as .ci/run does.
func TestDefaultRulesTests(t *testing.T) {
	code, out, errOut := runCLI(t, "rules", "test", "--no-default-rules", "../../rules.d")
	if code != 0 || !strings.Contains(out, "0 failed") {
		t.Errorf("exit %d %s\n%s", code, errOut, out)
	}
}

// TestRulesTestCoverageAndJUnit: --coverage lists the rules the directory
// defines or overrides (not the defaults it does not touch) and names the
// gaps, --min-coverage fails under the threshold, --junit writes the
// results.
func TestRulesTestCoverageAndJUnit(t *testing.T) {
	junit := t.TempDir() + "/rules.xml"
	code, out, _ := runCLI(t, "rules", "test", "--coverage", "--junit", junit, "testdata/ruletests/site")
	if code != 0 || strings.Contains(out, "LD0006") || !strings.Contains(out, "LD0001    2         0         no case keeps it quiet") ||
		!strings.Contains(out, "coverage: 1 of 2 rules under test") {
		t.Errorf("--coverage: exit %d\n%s", code, out)
	}
	b, err := os.ReadFile(junit)
	if err != nil || !strings.Contains(string(b), `<testsuites name="leakdiag rules test" tests="3" failures="0" errors="0">`) {
		t.Errorf("--junit: %v\n%s", err, b)
	}
	if code, out, _ := runCLI(t, "rules", "test", "--min-coverage", "90", "testdata/ruletests/site"); code != 1 || !strings.Contains(out, "under --min-coverage 90.0%") {
		t.Errorf("--min-coverage 90: exit %d\n%s", code, out)
	}
	runCLI(t, "rules", "test", "--junit", junit, "testdata/ruletests/broken")
	if b, _ := os.ReadFile(junit); !strings.Contains(string(b), `failures="2" errors="1"`) || !strings.Contains(string(b), "- SITE0001 image=spoolsv.exe severity=warning") {
		t.Errorf("--junit of the broken tests:\n%s", b)
	}
}

// TestSiteRulesExample: docs/examples/site-rules lints clean and its tests
// pass, as the guide says.
func TestSiteRulesExample(t *testing.T) {
	if code, out, errOut := runCLI(t, "rules", "test", "../../docs/examples/site-rules"); code != 0 || !strings.Contains(out, "6 tests: 6 passed") {
		t.Errorf("rules test: exit %d %s\n%s", code, errOut, out)
	}
	if code, out, _ := runCLI(t, "rules", "lint", "--strict", "../../docs/examples/site-rules"); code != 0 {
		t.Errorf("rules lint --strict: exit %d\n%s", code, out)
	}
}
