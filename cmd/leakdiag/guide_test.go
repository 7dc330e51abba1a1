package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/rules"
	rulesd "github.com/leakdiag/leakdiag/rules.d"
)

// The rules guide (docs/rules.md) is run as a test, top to bottom, in a
// scratch directory that holds a copy of testdata/examples, as a reader's
// checkout does. Every fenced block must be one of:
//
//   - a ```yaml block after <!-- file: PATH -->: written to PATH;
//   - a ```yaml block after <!-- load -->: loaded as a rule file layered
//     on the default rules, which must load;
//   - a ```json block after <!-- file: PATH -->: must be JSON, written;
//   - a ```console block: "$ leakdiag ..." commands, each followed by the
//     output it prints (stdout, then stderr), "..." standing for any
//     lines, and "[exit N]" when it exits N, not 0. "> FILE" at the end of
//     a command writes its output to FILE instead.
//
// A block of any other kind fails the test, so no example goes unrun.

// guideBlock is one fenced block of the guide.
type guideBlock struct {
	line      int    // of the opening fence
	lang      string // after the fence
	directive string // the <!-- ... --> right before it, if any
	body      []string
}

var guideDirective = regexp.MustCompile(`^<!--\s*(.*?)\s*-->$`)

func guideBlocks(t *testing.T, path string) []guideBlock {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []guideBlock
	var cur *guideBlock
	directive := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.body = append(cur.body, line)
		case strings.HasPrefix(line, "```"):
			cur = &guideBlock{line: n, lang: strings.TrimPrefix(line, "```"), directive: directive}
		case guideDirective.MatchString(line):
			directive = guideDirective.FindStringSubmatch(line)[1]
			continue
		}
		if strings.TrimSpace(line) != "" {
			directive = ""
		}
	}
	if cur != nil {
		t.Fatalf("%s:%d: the block is never closed", path, cur.line)
	}
	return blocks
}

func TestRulesGuide(t *testing.T) {
	guide, err := filepath.Abs("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	examples, err := filepath.Abs("../../testdata/examples")
	if err != nil {
		t.Fatal(err)
	}
	blocks := guideBlocks(t, guide)
	work := t.TempDir()
	if err := os.CopyFS(filepath.Join(work, "testdata", "examples"), os.DirFS(examples)); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	ran := map[string]int{}
	for _, b := range blocks {
		where := fmt.Sprintf("docs/rules.md:%d", b.line)
		text := strings.Join(b.body, "\n") + "\n"
		switch {
		case (b.lang == "yaml" || b.lang == "json") && strings.HasPrefix(b.directive, "file: "):
			path := strings.TrimPrefix(b.directive, "file: ")
			if b.lang == "json" && !json.Valid([]byte(text)) {
				t.Errorf("%s: not JSON", where)
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			ran["file"]++
		case b.lang == "yaml" && b.directive == "load":
			srcs, err := rules.ReadDir(rulesd.FS, ".")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := rules.Load(append(srcs, rules.Source{Path: where, Data: []byte(text)})); err != nil {
				t.Errorf("%s: the example does not load on the default rules:\n%v", where, err)
			}
			ran["load"]++
		case b.lang == "console":
			ran["command"] += runGuideConsole(t, where, b.line, b.body)
		default:
			t.Errorf("%s: a ```%s block with <!-- %s -->: the guide test runs only yaml files and loads, json files and console blocks (see guide_test.go)", where, b.lang, b.directive)
		}
	}
	if ran["file"] < 5 || ran["load"] < 2 || ran["command"] < 10 {
		t.Errorf("ran %v: the guide has more examples than that", ran)
	}
}

// runGuideConsole runs the commands of a console block and compares what
// they print with the block. It returns how many it ran.
func runGuideConsole(t *testing.T, where string, line int, body []string) int {
	t.Helper()
	type command struct {
		line int
		args []string
		out  string // "> FILE"
		want []string
		exit int
	}
	var cmds []*command
	for i, l := range body {
		if rest, ok := strings.CutPrefix(l, "$ "); ok {
			fields := strings.Fields(rest)
			if len(fields) == 0 || fields[0] != "leakdiag" {
				t.Errorf("docs/rules.md:%d: only leakdiag commands run: %q", line+1+i, l)
				return 0
			}
			c := &command{line: line + 1 + i, args: fields[1:]}
			if n := len(c.args); n >= 2 && c.args[n-2] == ">" {
				c.out, c.args = c.args[n-1], c.args[:n-2]
			}
			cmds = append(cmds, c)
			continue
		}
		if len(cmds) == 0 {
			t.Errorf("docs/rules.md:%d: output before any command", line+1+i)
			return 0
		}
		c := cmds[len(cmds)-1]
		if _, err := fmt.Sscanf(l, "[exit %d]", &c.exit); err == nil {
			continue
		}
		c.want = append(c.want, l)
	}
	for _, c := range cmds {
		code, stdout, stderr := runCLI(t, c.args...)
		if c.out != "" {
			if err := os.WriteFile(c.out, []byte(stdout), 0o644); err != nil {
				t.Fatal(err)
			}
			stdout = ""
		}
		got := strings.Split(strings.TrimRight(stdout+stderr, "\n"), "\n")
		if stdout+stderr == "" {
			got = nil
		}
		if code != c.exit {
			t.Errorf("docs/rules.md:%d: %s exits %d, the guide says %d; it printed:\n%s", c.line, strings.Join(c.args, " "), code, c.exit, stdout+stderr)
		}
		if !matchElided(c.want, got) {
			t.Errorf("docs/rules.md:%d: leakdiag %s prints, where the guide shows otherwise:\n%s", c.line, strings.Join(c.args, " "), stdout+stderr)
		}
	}
	return len(cmds)
}

// matchElided reports whether got matches want, where a want line "..."
// matches any number of lines; trailing spaces are ignored.
func matchElided(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if strings.TrimSpace(want[0]) == "..." {
		for i := 0; i <= len(got); i++ {
			if matchElided(want[1:], got[i:]) {
				return true
			}
		}
		return false
	}
	if len(got) == 0 || strings.TrimRight(want[0], " ") != strings.TrimRight(got[0], " ") {
		return false
	}
	return matchElided(want[1:], got[1:])
}

func TestMatchElided(t *testing.T) {
	for _, c := range []struct {
		want, got string
		ok        bool
	}{
		{"a|b", "a|b", true}, {"a|...", "a|b|c", true}, {"...|c", "a|b|c", true}, {"a|...|c", "a|c", true},
		{"a|b", "a|c", false}, {"a|...|d", "a|b|c", false}, {"a", "a|b", false}, {"a  ", "a", true},
	} {
		if got := matchElided(strings.Split(c.want, "|"), strings.Split(c.got, "|")); got != c.ok {
			t.Errorf("matchElided(%q, %q) = %v", c.want, c.got, got)
		}
	}
}
