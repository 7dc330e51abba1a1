package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestColorFor: --color and NO_COLOR decide the colour of a text report;
// auto colours only a terminal, which a buffer and /dev/null are not.
func TestColorFor(t *testing.T) {
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	for _, tc := range []struct {
		mode    colorMode
		noColor string
		w       io.Writer
		want    bool
	}{
		{colorAuto, "", &bytes.Buffer{}, false},
		{colorAuto, "", devNull, false}, // a character device, and no terminal
		{colorAlways, "", &bytes.Buffer{}, true},
		{colorAlways, "", devNull, true},
		{colorAlways, "1", &bytes.Buffer{}, false}, // NO_COLOR wins
		{colorNever, "", &bytes.Buffer{}, false},
	} {
		t.Setenv("NO_COLOR", tc.noColor)
		u := uiFlags{color: tc.mode}
		if got := u.colorFor(tc.w); got != tc.want {
			t.Errorf("--color %s, NO_COLOR=%q, %T: colour %v, want %v", tc.mode, tc.noColor, tc.w, got, tc.want)
		}
	}
	if isTerminal(devNull) {
		t.Errorf("isTerminal(%s) = true: /dev/null is a character device, not a terminal", os.DevNull)
	}
	t.Setenv("CI", "")
	if p := newProgress(devNull, 5); p != nil {
		t.Errorf("a progress bar on %s", os.DevNull)
	}
}

// TestColorFlag: --color always colours the text report for CI logs,
// which are no terminal; NO_COLOR still wins; a bad value is exit 2.
func TestColorFlag(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	const ansi = "\x1b["
	for _, tc := range []struct {
		args    []string
		noColor string
		want    bool
	}{
		{[]string{"analyze", "--fail-on", "never", example}, "", false},
		{[]string{"analyze", "--fail-on", "never", "--color", "always", example}, "", true},
		{[]string{"--color=always", "analyze", "--fail-on", "never", example}, "", true},
		{[]string{"analyze", "--fail-on", "never", "--color", "always", "-o", "-", example}, "", true},
		{[]string{"analyze", "--fail-on", "never", "--color", "always", example}, "1", false},
		{[]string{"analyze", "--fail-on", "never", "--color", "never", example}, "", false},
	} {
		t.Setenv("NO_COLOR", tc.noColor)
		code, out, errOut := runCLI(t, tc.args...)
		if code != 0 || strings.Contains(out, ansi) != tc.want {
			t.Errorf("NO_COLOR=%q leakdiag %s: exit %d %s, colour %v, want %v", tc.noColor, strings.Join(tc.args, " "), code, errOut, strings.Contains(out, ansi), tc.want)
		}
	}
	// always colours a text report to a file as well; auto does not.
	dir := t.TempDir()
	for mode, want := range map[string]bool{"always": true, "auto": false} {
		path := filepath.Join(dir, mode+".txt")
		runCLI(t, "analyze", "--fail-on", "never", "--color", mode, "--format", "text="+path, example)
		if b, err := os.ReadFile(path); err != nil || bytes.Contains(b, []byte(ansi)) != want {
			t.Errorf("--color %s to a file: %v, colour %v, want %v", mode, err, bytes.Contains(b, []byte(ansi)), want)
		}
	}
	code, _, errOut := runCLI(t, "analyze", "--color", "sometimes", example)
	if code != exitInput || !strings.Contains(errOut, `invalid argument "sometimes" for "--color" flag: want auto, always or never`) {
		t.Errorf("--color sometimes: exit %d, %q", code, errOut)
	}
}

// TestQuietGolden: --quiet prints the findings alone, for one capture and
// for a batch (only captures with findings, no totals); rules test and
// lint print failures and problems alone (golden: testdata/quiet).
func TestQuietGolden(t *testing.T) {
	dir := t.TempDir()
	quiet := filepath.Join(dir, "quiet.txt")
	if err := os.WriteFile(quiet, []byte(`kd> !process 0 0
**** NT ACTIVE PROCESS DUMP ****
PROCESS 8a5d8020  SessionId: 0  Cid: 0004    Peb: 00000000  ParentCid: 0000
    DirBase: 00039000  ObjectTable: e1000b98  HandleCount: 1200.
    Image: System

PROCESS 8a1f2da0  SessionId: 0  Cid: 0170    Peb: 7ffdf000  ParentCid: 0004
    DirBase: 0a2c0020  ObjectTable: e12d4a08  HandleCount:  240.
    Image: smss.exe
`), 0o644); err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, args := range [][]string{
		{"analyze", "--quiet", example},
		{"analyze", "-q", "--fail-on", "never", quiet},
		{"analyze", "--quiet", "--series=false", example, quiet},
		{"rules", "test", "--quiet", "testdata/ruletests/site"},
		{"rules", "test", "--quiet", "testdata/ruletests/broken"},
		{"rules", "lint", "--quiet", "--no-default-rules", "testdata/lint/unused"},
	} {
		code, out, errOut := runCLI(t, args...)
		out = strings.ReplaceAll(out+errOut, dir+string(filepath.Separator), "DIR/")
		got.WriteString("$ leakdiag " + strings.ReplaceAll(strings.Join(args, " "), dir+string(filepath.Separator), "DIR/") + "\n" + out)
		fmt.Fprintf(&got, "[exit %d]\n\n", code)
	}
	checkCLIGolden(t, "testdata/quiet/quiet.out", got.String())
}
