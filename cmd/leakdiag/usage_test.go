package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestUsageGolden: a command without the arguments it needs prints what
// it needs, its usage and examples, and exits 2 (golden:
// testdata/usage/args.out).
func TestUsageGolden(t *testing.T) {
	var got strings.Builder
	for _, args := range [][]string{
		{"analyze"},
		{"facts"},
		{"diff"},
		{"diff", "a.txt", "b.txt", "c.txt"},
		{"rules", "explain"},
		{"rules", "test"},
	} {
		code, out, errOut := runCLI(t, args...)
		fmt.Fprintf(&got, "$ leakdiag %s\n%s%s[exit %d]\n\n", strings.Join(args, " "), out, errOut, code)
		if code != exitInput || out != "" || !strings.Contains(errOut, "Usage:\n") || !strings.Contains(errOut, "Examples:\n") {
			t.Errorf("leakdiag %s: exit %d, stdout %q; want 2, and usage and examples on stderr", strings.Join(args, " "), code, out)
		}
	}
	checkCLIGolden(t, "testdata/usage/args.out", got.String())
}

// TestBadNumbers: negative and out-of-range numbers are refused with exit 2
// before anything is read.
func TestBadNumbers(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"analyze", "--top", "-1", example}, "--top -1: want the number of findings to report, or 0 for all"},
		{[]string{"analyze", "--jobs", "0", example}, "--jobs 0: want 1 or more captures at once"},
		{[]string{"analyze", "--jobs", "-4", example, example}, "--jobs -4: want 1 or more"},
		{[]string{"analyze", "--top", "many", example}, `invalid argument "many" for "--top" flag`},
		{[]string{"analyze", "--explain", "--pid", "-1", example}, `invalid argument "-1" for "--pid" flag`},
		{[]string{"rules", "test", "--min-coverage", "-5", "testdata/ruletests/site"}, "--min-coverage -5: want a percent, 0 to 100"},
		{[]string{"rules", "test", "--min-coverage", "101", "testdata/ruletests/site"}, "--min-coverage 101: want a percent, 0 to 100"},
		{[]string{"collect", "--count", "-1", "-o", "-"}, "--count -1: want 1 or more"},
		{[]string{"collect", "--count", "2", "--interval", "-1s", "-o", "-"}, "--interval -1s: want a positive duration"},
	} {
		code, out, errOut := runCLI(t, tc.args...)
		if code != exitInput || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("leakdiag %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", strings.Join(tc.args, " "), code, out, errOut, tc.want)
		}
	}
}

// TestRulesExplainNearest: an unknown id names the nearest ids.
func TestRulesExplainNearest(t *testing.T) {
	code, out, errOut := runCLI(t, "rules", "explain", "LD9999")
	if code != exitInput || out != "" || !strings.HasPrefix(errOut, `leakdiag: no rule "LD9999"; the nearest: LD0039, LD0029 and LD0019 (leakdiag rules list shows all `) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestCompletion: the shell completion (cobra's __complete, which the
// scripts call) offers each flag's values and rule ids.
func TestCompletion(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"analyze", "--format", ""}, []string{"html", "json", "jsonl", "junit", "markdown", "sarif", "text"}},
		{[]string{"analyze", "--fail-on", ""}, []string{"info", "warning", "error", "never"}},
		{[]string{"diff", "--fail-on", "w"}, []string{"info", "warning", "error", "never"}},
		{[]string{"analyze", "--input-format", ""}, []string{"kd", "handle", "lsof", "minidump", "snapshot"}},
		{[]string{"facts", "--input-format", ""}, []string{"kd", "handle", "lsof", "minidump", "snapshot"}},
		{[]string{"diff", "--format", ""}, []string{"text", "json", "markdown"}},
		{[]string{"facts", "--format", ""}, []string{"text", "json"}},
		{[]string{"rules", "list", "--format", ""}, []string{"text", "json"}},
		{[]string{"analyze", "--color", ""}, []string{"auto", "always", "never"}},
		{[]string{"rules", "explain", "LD000"}, []string{"LD0001\tProcess holds an abnormal number of handles", "LD0002\t", "LD0009\t"}},
		{[]string{"rules", "explain", "--rules", "testdata/ruletests/site", "site"}, []string{"SITE0001\tThe print spooler holds more than 2,000 handles"}},
		{[]string{"analyze", "--explain", "--rule", "ld001"}, []string{"LD0010\t", "LD0019\t"}},
	} {
		code, out, _ := runCLI(t, append([]string{"__complete"}, tc.args...)...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != 0 || len(lines) < 2 || !strings.HasPrefix(lines[len(lines)-1], ":") {
			t.Errorf("__complete %s: exit %d\n%s", strings.Join(tc.args, " "), code, out)
			continue
		}
		offered := strings.Join(lines[:len(lines)-1], "\n") + "\n"
		for _, w := range tc.want {
			if !strings.Contains(offered, w) {
				t.Errorf("__complete %q offers\n%swant %q among them", tc.args, offered, w)
			}
		}
	}
}

// TestExamples: every command's help has an Examples: section, and each
// example is true: one that names only files the checkout has (bundled
// captures, docs/examples, rules.d) runs, from the checkout's root and
// writing into a scratch directory, and exits 0 (1 for analyze and diff,
// whose findings fail a run); the others parse (their command, flags and
// arguments).
func TestExamples(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	for _, dir := range []string{"testdata", "docs", "rules.d"} {
		if err := os.Symlink(filepath.Join(repo, dir), filepath.Join(work, dir)); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(work)
	root := newRootCmd(strings.NewReader(""), nil, nil)
	var all []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		all = append(all, c)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	ran, parsed := 0, 0
	for _, c := range all {
		if c.Hidden || c.Name() == cobra.ShellCompRequestCmd || c.Name() == cobra.ShellCompNoDescRequestCmd {
			continue
		}
		code, out, _ := runCLI(t, append(strings.Fields(c.CommandPath())[1:], "--help")...)
		if code != 0 || !strings.Contains(out, "\nExamples:\n") {
			t.Errorf("%s --help has no Examples: section", c.CommandPath())
		}
		for _, line := range strings.Split(c.Example, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			fields := strings.Fields(line)
			if fields[0] != "leakdiag" {
				t.Errorf("%s: example %q does not start with leakdiag", c.CommandPath(), line)
				continue
			}
			args := fields[1:]
			for i, a := range args {
				if a == ">" || a == "<" || a == "|" {
					args = args[:i]
					break
				}
			}
			cmd, rest, err := newRootCmd(strings.NewReader(""), nil, nil).Find(args)
			if err == nil {
				err = cmd.ParseFlags(rest)
			}
			if err == nil {
				err = cmd.ValidateArgs(cmd.Flags().Args())
			}
			if err != nil {
				t.Errorf("%s: example %q does not parse: %v", c.CommandPath(), line, err)
				continue
			}
			if !strings.HasPrefix(cmd.CommandPath()+" ", c.CommandPath()+" ") && c != root && c.Name() != "help" {
				t.Errorf("%s: example %q is of %s", c.CommandPath(), line, cmd.CommandPath())
			}
			if !runnable(cmd) {
				parsed++
				continue
			}
			ran++
			code, out, errOut := runCLI(t, args...)
			if code != 0 && !(code == exitFindings && (cmd.Name() == "analyze" || cmd.Name() == "diff")) {
				t.Errorf("%s: example %q exits %d:\n%.2000s%.2000s", c.CommandPath(), line, code, out, errOut)
			}
		}
	}
	t.Logf("ran %d examples, parsed %d", ran, parsed)
	if ran < 15 || parsed < 8 {
		t.Errorf("ran %d examples and parsed %d: there are more", ran, parsed)
	}
}

// runnable says whether an example parsed into cmd may run: every file it
// reads is in the checkout (collect reads this machine, and never runs;
// nor does an example that reads standard input).
func runnable(cmd *cobra.Command) bool {
	if cmd.Name() == "collect" {
		return false
	}
	exists := func(p string) bool {
		_, err := os.Stat(p)
		return p != "-" && err == nil // the tests' standard input is empty
	}
	for _, flag := range []string{"rules", "baseline", "suppressions"} {
		if f := cmd.Flags().Lookup(flag); f != nil && f.Changed {
			vals, _ := cmd.Flags().GetStringArray(flag)
			if flag == "baseline" {
				v, _ := cmd.Flags().GetString(flag)
				vals = []string{v}
			}
			for _, v := range vals {
				if !exists(v) {
					return false
				}
			}
		}
	}
	switch cmd.Name() {
	case "analyze", "facts", "diff", "lint", "test", "merge":
		for _, a := range cmd.Flags().Args() {
			if !exists(a) {
				return false
			}
		}
	}
	return true
}
