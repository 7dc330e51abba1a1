package main

import (
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/reporters"
	"github.com/leakdiag/leakdiag/rules"
	"github.com/leakdiag/leakdiag/severity"
)

// TestCIDocCommands checks every leakdiag command in docs/ci.md parses:
// known flags, known formats, a valid combination of outputs; and that its
// suppressions example loads.
func TestCIDocCommands(t *testing.T) {
	src, err := os.ReadFile("../../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	cmdRE := regexp.MustCompile(`(?m)leakdiag (analyze|facts|rules) [^\n]*`)
	found := 0
	for _, line := range cmdRE.FindAllString(string(src), -1) {
		args := strings.Fields(line)[1:]
		found++
		root := newRootCmd(strings.NewReader(""), io.Discard, io.Discard)
		c, rest, err := root.Find(args)
		if err != nil {
			t.Errorf("%q: %v", line, err)
			continue
		}
		if err := c.ParseFlags(rest); err != nil {
			t.Errorf("%q: %v", line, err)
			continue
		}
		if c.Name() != "analyze" {
			continue
		}
		if len(c.Flags().Args()) == 0 {
			t.Errorf("%q: no capture", line)
		}
		formats, _ := c.Flags().GetStringArray("format")
		output, _ := c.Flags().GetString("output")
		if _, err := parseOutputs(formats, output, reporters.Options{}, false); err != nil {
			t.Errorf("%q: %v", line, err)
		}
		if failOn, _ := c.Flags().GetString("fail-on"); func() bool { _, err := severity.ParseFailOn(failOn); return err != nil }() {
			t.Errorf("%q: --fail-on %s", line, failOn)
		}
	}
	if found < 8 {
		t.Errorf("found %d leakdiag commands in docs/ci.md; the doc has more", found)
	}
	block := regexp.MustCompile("(?s)```yaml\n(suppressions:.*?)```").FindStringSubmatch(string(src))
	if block == nil {
		t.Fatal("no suppressions example in docs/ci.md")
	}
	if sups, err := rules.LoadSuppressions("docs/ci.md", []byte(block[1])); err != nil || len(sups) != 2 {
		t.Errorf("the doc's suppressions example: %d entries, %v", len(sups), err)
	}
}

// TestRulesDocExceptionsExample: the exceptions example in docs/rules.md
// layers on the default rules, and explain lists its exceptions.
func TestRulesDocExceptionsExample(t *testing.T) {
	src, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## Exceptions.*?```yaml\n(.*?)```").FindSubmatch(src)
	if m == nil {
		t.Fatal("no exceptions example in docs/rules.md")
	}
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/site.yaml", m[1], 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "rules", "explain", "--rules", dir, "LD0001")
	if code != 0 || !strings.Contains(out, `exception exchange-store`) || !strings.Contains(out, `image glob "backup*.exe" and dominant_type in ["File","Key"]`) {
		t.Errorf("exit %d %s\n%s", code, errOut, out)
	}
}
