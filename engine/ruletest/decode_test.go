package ruletest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/rules"
)

// A test file is read as rule files are: every problem at once, each
// with its line, column, code and a caret under the spot.
func TestRunFileReportsEveryProblem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad_test.yaml")
	src := `tests:
  - name: one
    procesess:
      - image: a.exe
    expect:
      - {rule: LD0001, imgae: a.exe}
  - name: two
    processes:
      - image: b.exe
        handle_count: many
    quiet: LD0001
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := RunFile(context.Background(), &rules.Set{}, path)
	var list rules.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("RunFile error %v, want a rules.ErrorList", err)
	}
	want := path + `:3:5: unknown key "procesess" in tests[0] (did you mean "processes"?)
        procesess:
        ^
` + path + `:6:24: unknown key "imgae" in tests[0].expect[0] (did you mean "image"?)
          - {rule: LD0001, imgae: a.exe}
                           ^
` + path + `:10:23: tests[1].processes[0].handle_count must be a whole number, not "many"
            handle_count: many
                          ^
` + path + `:11:12: tests[1].quiet must be a list, not "LD0001"
        quiet: LD0001
               ^`
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}
	var codes []string
	for _, e := range list {
		codes = append(codes, e.Code)
	}
	if diff := cmp.Diff([]string{rules.CodeUnknownKey, rules.CodeUnknownKey, rules.CodeBadValue, rules.CodeBadValue}, codes); diff != "" {
		t.Errorf("codes: diff (-want +got):\n%s", diff)
	}
}

// An empty test file (or one of comments only) is an error, as it was.
func TestRunFileEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty_test.yaml")
	if err := os.WriteFile(path, []byte("# nothing yet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := RunFile(context.Background(), &rules.Set{}, path)
	if want := path + ":1:1: an empty test file: it needs a list of tests"; err == nil || err.Error() != want {
		t.Errorf("RunFile(empty) = %v, want %s", err, want)
	}
}
