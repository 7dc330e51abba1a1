package rules

import (
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/bad/*.err with what rules.Load reports (review every one by hand)")

// The bad-rule corpus: testdata/bad/<case>.yaml is a rule file that must
// not load, and <case>.err the whole text of the error rules.Load returns
// for it, positions and caret snippets included. A <case>.base.yaml, when
// there is one, is loaded first, as an earlier layer (for overrides and
// duplicates across files).
//
// The first line of each case is a comment naming the error codes the
// load must report, in the order they are printed:
//
//	# codes: type, unknown-param
//
// and code*N stands for N of the same code.
//
// Codes are not in the printed text, so they are written by hand and
// -update leaves them alone.
//
// Where the loader reports the wrong thing, the .err holds what is right
// and the case fails until the loader is fixed: run -update only on the
// cases you mean to rewrite (go test -run 'TestBadRules/NAME' -update),
// and review the diff.

const badDir = "testdata/bad"

type badCase struct {
	name  string
	srcs  []Source
	codes []string
}

func readBadCases(t *testing.T) []badCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(badDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []badCase
	for _, p := range paths {
		if strings.HasSuffix(p, ".base.yaml") {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(p), ".yaml")
		c := badCase{name: name}
		if data, err := os.ReadFile(filepath.Join(badDir, name+".base.yaml")); err == nil {
			c.srcs = append(c.srcs, Source{Path: badDir + "/" + name + ".base.yaml", Data: data})
		} else if !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c.srcs = append(c.srcs, Source{Path: badDir + "/" + name + ".yaml", Data: data})
		first, _, _ := strings.Cut(string(data), "\n")
		list, ok := strings.CutPrefix(first, "# codes:")
		if !ok {
			t.Fatalf("%s: the first line must be `# codes: ...`, the codes the load reports", p)
		}
		for _, code := range strings.Split(list, ",") {
			code = strings.TrimSpace(code)
			n := 1
			if name, count, ok := strings.Cut(code, "*"); ok { // bad-value*53
				if n, err = strconv.Atoi(count); err != nil {
					t.Fatalf("%s: bad count in %q", p, code)
				}
				code = name
			}
			for ; code != "" && n > 0; n-- {
				c.codes = append(c.codes, code)
			}
		}
		cases = append(cases, c)
	}
	if len(cases) == 0 {
		t.Fatalf("no cases in %s", badDir)
	}
	return cases
}

// loadNoPanic is Load, with a panic turned into a test failure.
func loadNoPanic(t *testing.T, srcs []Source) (set *Set, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("Load panicked: %v\n%s", r, debug.Stack())
			set, err = nil, fmt.Errorf("panic: %v", r)
		}
	}()
	return Load(srcs)
}

func TestBadRules(t *testing.T) {
	for _, c := range readBadCases(t) {
		t.Run(c.name, func(t *testing.T) {
			errPath := filepath.Join(badDir, c.name+".err")
			_, err := loadNoPanic(t, c.srcs)
			if err == nil {
				t.Fatalf("Load succeeded; want the errors of %s", errPath)
			}
			got := err.Error()
			if *update {
				if err := os.WriteFile(errPath, []byte(got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, rerr := os.ReadFile(errPath)
			if rerr != nil {
				t.Fatalf("%v (run with -update to write it, then review it)", rerr)
			}
			if diff := cmp.Diff(strings.TrimSuffix(string(want), "\n"), got); diff != "" {
				t.Errorf("Load errors differ from %s (-want +got):\n%s", errPath, diff)
			}

			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Load returned %T, not an ErrorList", err)
			}
			var codes []string
			for i, e := range list {
				codes = append(codes, e.Code)
				// Each error's own text is what the list prints, up to
				// the cap.
				if i < maxErrors && !strings.Contains(got, e.Error()) {
					t.Errorf("error %q is not in the list's text", e.Error())
				}
				if e.Snippet == "" {
					t.Errorf("%s: no snippet", e.Pos)
				}
			}
			if diff := cmp.Diff(c.codes, codes); diff != "" {
				t.Errorf("codes differ from the `# codes:` line (-want +got):\n%s", diff)
			}
			if !sort.SliceIsSorted(list, func(i, j int) bool {
				a, b := list[i].Pos, list[j].Pos
				if a.File != b.File {
					return a.File < b.File
				}
				if a.Line != b.Line {
					return a.Line < b.Line
				}
				return a.Col < b.Col
			}) {
				t.Errorf("errors are not sorted by position:\n%s", got)
			}
		})
	}
}

// TestBadRulesCoverEveryCode checks the corpus has a case for every error
// code rules/errors.go declares, read from its source so that a new code
// needs a new case.
func TestBadRulesCoverEveryCode(t *testing.T) {
	declared := declaredCodes(t)
	covered := map[string][]string{}
	for _, c := range readBadCases(t) {
		for _, code := range c.codes {
			covered[code] = append(covered[code], c.name)
		}
	}
	// Warnings do not stop a load: their cases are the lint corpus of the
	// command that prints them.
	lintOut, _ := filepath.Glob("../cmd/leakdiag/testdata/lint/*.out")
	var lint strings.Builder
	for _, p := range lintOut {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lint.Write(b)
	}
	for name, code := range declared {
		if slices.Contains(WarningCodes, code) {
			if !strings.Contains(lint.String(), "warning["+code+"]") {
				t.Errorf("no case in ../cmd/leakdiag/testdata/lint shows warning %s (%q)", name, code)
			}
			continue
		}
		if len(covered[code]) == 0 {
			t.Errorf("no case in %s for %s (%q)", badDir, name, code)
		}
	}
	for code, cases := range covered {
		found := false
		for _, c := range declared {
			found = found || c == code
		}
		if !found {
			t.Errorf("cases %v expect code %q, which errors.go does not declare", cases, code)
		}
	}
	if len(declared) < 15 {
		t.Errorf("found %d codes in errors.go, want at least 15: %v", len(declared), declared)
	}
}

// declaredCodes returns the Code* constants of errors.go by name.
func declaredCodes(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if !strings.HasPrefix(n.Name, "Code") || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				codes[n.Name] = v
			}
		}
	}
	return codes
}
