package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/engine"
)

// TestOutputHostile: outputs that would destroy an input, directories a
// report cannot be written to, and runs that fail; in each the files
// named keep what they held, no temporary file is left behind, and an
// unwritable output fails before the captures are read (the capture
// given cannot be read, so a later check would fail on it instead).
func TestOutputHostile(t *testing.T) {
	capture, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		// args are analyze's (or another command's, when they start with
		// one), in dir; "CAPTURE" is a copy of the example there, "BROKEN"
		// a file in no format leakdiag reads.
		args []string
		exit int
		want string // in stderr
	}{
		{"-o names the capture", []string{"-o", "CAPTURE", "CAPTURE"}, exitInput, "-o CAPTURE: CAPTURE is one of the inputs"},
		{"-o names the capture another way", []string{"-o", "./sub/../CAPTURE", "CAPTURE"}, exitInput, "is one of the inputs"},
		{"-o names a link to the capture", []string{"-o", "link", "CAPTURE"}, exitInput, "-o link: CAPTURE is one of the inputs"},
		{"-o names a hard link to the capture", []string{"-o", "hard", "CAPTURE"}, exitInput, "-o hard: CAPTURE is one of the inputs"},
		{"FORMAT=FILE names a capture found in a directory", []string{"--format", "json=captures/a.txt", "captures"}, exitInput, "--format json=captures/a.txt: captures/a.txt is one of the inputs"},
		{"FORMAT=FILE names the baseline", []string{"--baseline", "base.json", "--format", "json=base.json", "CAPTURE"}, exitInput, "base.json is one of the inputs"},
		{"two outputs are one file through a link", []string{"--format", "json=report.json", "--format", "sarif=link-report", "CAPTURE"}, exitInput, "is the file of --format json=report.json too"},
		{"diff -o names a capture", []string{"diff", "-o", "CAPTURE", "CAPTURE", "CAPTURE"}, exitInput, "-o CAPTURE: CAPTURE is one of the inputs"},
		{"explain -o names the capture", []string{"--explain", "-o", "CAPTURE", "CAPTURE"}, exitInput, "is one of the inputs"},
		{"no such output directory", []string{"-o", "missing/report.txt", "BROKEN"}, exitInput, "-o missing/report.txt: cannot write a file in missing: no such file or directory"},
		{"the output directory is a file", []string{"--format", "sarif=CAPTURE/x.sarif", "BROKEN"}, exitInput, "cannot write a file in CAPTURE: not a directory"},
		{"the output is a directory", []string{"-o", "captures", "BROKEN"}, exitInput, "-o captures: it is a directory"},
		{"the capture cannot be read", []string{"-o", "report.txt", "BROKEN"}, exitInput, "unknown capture format"},
		{"diff: the capture cannot be read", []string{"diff", "-o", "report.txt", "CAPTURE", "BROKEN"}, exitInput, "unknown capture format"},
	}
	if os.Geteuid() != 0 { // root writes anywhere
		tests = append(tests, struct {
			name string
			args []string
			exit int
			want string
		}{"a read-only output directory", []string{"-o", "ro/report.txt", "BROKEN"}, exitInput, "cannot write a file in ro: permission denied"})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{
				"CAPTURE": string(capture), "BROKEN": "not a capture\n", "captures/a.txt": string(capture),
				"report.txt": "the report of yesterday\n", "report.json": "{}\n", "ro/report.txt": "kept\n",
			}
			for name, data := range files {
				mustWrite(t, filepath.Join(dir, name), data)
			}
			os.Mkdir(filepath.Join(dir, "sub"), 0o755)
			must(t, os.Symlink("CAPTURE", filepath.Join(dir, "link")))
			must(t, os.Symlink("report.json", filepath.Join(dir, "link-report")))
			must(t, os.Link(filepath.Join(dir, "CAPTURE"), filepath.Join(dir, "hard")))
			code, _, errOut := runCLI(t, "analyze", "--format", "json", "-o", filepath.Join(dir, "base.json"), filepath.Join(dir, "CAPTURE"))
			if code != exitFindings {
				t.Fatalf("writing the baseline: exit %d, %s", code, errOut)
			}
			files["base.json"] = readFile(t, filepath.Join(dir, "base.json"))
			must(t, os.Chmod(filepath.Join(dir, "ro"), 0o555))
			defer os.Chmod(filepath.Join(dir, "ro"), 0o755)

			args := tc.args
			if args[0] != "diff" {
				args = append([]string{"analyze"}, args...)
			}
			code, stdout, stderr := runIn(t, dir, args...)
			if code != tc.exit || !strings.Contains(stderr, tc.want) {
				t.Errorf("leakdiag %q: exit %d, stderr %q; want %d and %q\n%s", args, code, stderr, tc.exit, tc.want, stdout)
			}
			for name, data := range files {
				if got := readFile(t, filepath.Join(dir, name)); got != data {
					t.Errorf("%s changed: %.60q, want %.60q", name, got, data)
				}
			}
			checkNoTemporaries(t, dir)
		})
	}
}

// runIn runs leakdiag in dir, the paths in args relative to it.
func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	must(t, os.Chdir(dir))
	defer os.Chdir(wd)
	return runCLI(t, args...)
}

// checkNoTemporaries: no file a report was written to first is left in
// dir or below it.
func checkNoTemporaries(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", path)
		}
		return nil
	})
}

// TestOutputsAllOrNothing: a report whose writing fails midway, after
// another report was written, replaces neither; a run that writes them
// all replaces both, keeping each file's permissions.
func TestOutputsAllOrNothing(t *testing.T) {
	tests := []struct {
		name    string
		second  error // what writing the second report returns
		replace bool
	}{
		{"the second report fails midway", errors.New("disk full"), false},
		{"both are written", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.sarif")
			mustWrite(t, a, "old a\n")
			mustWrite(t, b, "old b\n")
			must(t, os.Chmod(a, 0o640))
			outs := outputs{
				{format: "json", path: a, flag: "--format json=" + a, rep: halfWriter{}},
				{format: "sarif", path: b, flag: "--format sarif=" + b, rep: halfWriter{err: tc.second}},
			}
			done, err := outs.open(nil)
			if err != nil {
				t.Fatal(err)
			}
			err = outs.write(io.Discard, &engine.Report{})
			done()
			if (err == nil) != (tc.second == nil) {
				t.Fatalf("write error %v, want one: %v", err, tc.second != nil)
			}
			wantA, wantB := "old a\n", "old b\n"
			if tc.replace {
				wantA, wantB = "half a report, then the rest\n", "half a report, then the rest\n"
			}
			if got := readFile(t, a); got != wantA {
				t.Errorf("a.json = %q, want %q", got, wantA)
			}
			if got := readFile(t, b); got != wantB {
				t.Errorf("b.sarif = %q, want %q", got, wantB)
			}
			if st, err := os.Stat(a); err != nil || st.Mode().Perm() != 0o640 {
				t.Errorf("a.json mode %v, %v; want 0640 kept", st.Mode(), err)
			}
			checkNoTemporaries(t, dir)
		})
	}
}

// halfWriter writes half a report, then fails with err (or writes the
// rest).
type halfWriter struct{ err error }

func (h halfWriter) Write(w io.Writer, _ *engine.Report) error {
	io.WriteString(w, "half a report")
	if h.err != nil {
		return h.err
	}
	_, err := io.WriteString(w, ", then the rest\n")
	return err
}

// TestOutFileInPlace: a target that is no regular file is written in
// place, and a link is written through and stays a link.
func TestOutFileInPlace(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.txt")
	link := filepath.Join(dir, "link.txt")
	mustWrite(t, real, "old\n")
	must(t, os.Symlink("real.txt", link))
	for _, target := range []string{os.DevNull, link} {
		if err := writeFileAtomic(target, []byte("new\n")); err != nil {
			t.Errorf("writeFileAtomic(%s): %v", target, err)
		}
	}
	if st, err := os.Stat(os.DevNull); err != nil || st.Mode().IsRegular() {
		t.Errorf("%s is now a regular file", os.DevNull)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s is no longer a link", link)
	}
	if got := readFile(t, real); got != "new\n" {
		t.Errorf("through the link, %s = %q, want the new content", real, got)
	}
	checkNoTemporaries(t, dir)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mustWrite(t *testing.T, path, data string) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Dir(path), 0o755))
	must(t, os.WriteFile(path, []byte(data), 0o644))
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCollectKeepsOutputUntilSnapshot: collect -o leaves an existing
// file as it was until it has a snapshot to write: a scan that fails
// keeps it, one that works replaces it.
func TestCollectKeepsOutputUntilSnapshot(t *testing.T) {
	skipUnlessLinux(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "snap.json")
	mustWrite(t, out, "yesterday's snapshot\n")
	for _, tc := range []struct {
		name string
		args []string
		exit int
		want string // the file's start
	}{
		{"no procfs to read", []string{"--proc", t.TempDir()}, exitInput, "yesterday's snapshot\n"},
		{"no such process", []string{"--pid", "4000000000"}, exitInput, "yesterday's snapshot\n"},
		{"a snapshot", []string{"--pid", "self"}, exitOK, "{"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"collect", "-o", out}, tc.args...)
			for i, a := range args {
				if a == "self" {
					args[i] = strconv.Itoa(os.Getpid())
				}
			}
			code, _, stderr := collectCLI(t, args...)
			if code != tc.exit {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.exit, stderr)
			}
			if got := readFile(t, out); !strings.HasPrefix(got, tc.want) {
				t.Errorf("%s holds %.40q, want it to start %q", out, got, tc.want)
			}
			checkNoTemporaries(t, dir)
		})
	}
}
