package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRulesLintGolden runs `rules lint` over each case directory in
// testdata/lint (without the default rules) and compares what it prints,
// and its exit code, with <case>.out: every warning code, and errors with
// their codes.
func TestRulesLintGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/lint/*")
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "rules", "lint", "--no-default-rules", dir)
			got := out + errOut + fmt.Sprintf("exit %d\n", code)
			for _, l := range strings.Split(out, "\n") {
				if i := strings.Index(l, "warning["); i >= 0 {
					codes[l[i+len("warning["):strings.Index(l, "]")]] = true
				}
			}
			checkCLIGolden(t, dir+".out", got)
		})
	}
	for _, c := range []string{"unused-param", "unused-list", "disabled", "shadowed", "never-matches", "costly"} {
		if !codes[c] {
			t.Errorf("no lint case shows warning %s", c)
		}
	}
}

// TestRulesLintDefaultsAndStrict: the default rules and the bundled site
// example lint clean; --strict turns warnings into exit 3.
func TestRulesLintDefaultsAndStrict(t *testing.T) {
	code, out, _ := runCLI(t, "rules", "lint", "../../testdata/examples/contoso-rules")
	if code != 0 || !strings.Contains(out, "0 errors, 0 warnings") {
		t.Errorf("defaults + example: exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, "rules", "lint", "--no-default-rules", "testdata/lint/unused"); code != 0 {
		t.Errorf("warnings without --strict: exit %d, want 0", code)
	}
	if code, _, _ := runCLI(t, "rules", "lint", "--strict", "--no-default-rules", "testdata/lint/unused"); code != 3 {
		t.Errorf("warnings with --strict: exit %d, want 3", code)
	}
	if code, _, errOut := runCLI(t, "rules", "lint", "no/such/dir"); code != 2 || !strings.Contains(errOut, "no/such/dir") {
		t.Errorf("missing path: exit %d, %q", code, errOut)
	}
}
