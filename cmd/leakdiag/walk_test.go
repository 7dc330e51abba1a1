package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// notesDir writes a directory as captures are kept: two captures from
// testdata beside a README, a table of sources, an empty file and notes in
// a subdirectory.
func notesDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, content []byte) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFrom := func(name, src string) {
		t.Helper()
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		write(name, b)
	}
	copyFrom("kd/seed.txt", seed)
	copyFrom("handle/notepad.txt", "../../testdata/handleexe/v4-a-p-notepad-all-types-crlf.txt")
	write("README.md", []byte("# Captures of FILESRV01\n\nTaken with `!process 0 0` and `!handle 0 3` when the server hung.\n"))
	write("SOURCES.tsv", []byte("file\tsource\tnote\nkd/seed.txt\tticket 4711\tcut short\n"))
	write("kd/empty.txt", nil)
	write("notes/todo.txt", []byte("ask the vendor for symbols\n"))
	return dir
}

// TestAnalyzeDirectorySkipsNonCaptures: files found in a directory that
// are no capture at all are skipped, one line each, and the batch reports
// the captures and exits as their findings say (golden, text and JSON).
func TestAnalyzeDirectorySkipsNonCaptures(t *testing.T) {
	dir := notesDir(t)
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := runCLI(t, "analyze", "--fail-on", "never", "--format", format, dir)
			if code != exitOK || errOut != "" {
				t.Fatalf("exit %d, stderr %q; want 0 and nothing", code, errOut)
			}
			out = strings.ReplaceAll(out, dir+string(filepath.Separator), "DIR/")
			checkCLIGolden(t, filepath.Join("testdata", "walk", "notes-skipped."+format), out)
		})
	}
}

// TestAnalyzeDirectoryStillFailsOnDamagedCaptures: a file that looks like
// a capture (a minidump header, a gzip or zip container) but cannot be
// read fails the batch with exit 2, as does a non-capture named on the
// command line, and a directory with no capture at all. (A gzip stream
// cut short is read up to the cut, with a diagnostic: see
// dumpreader.TestHostileContainers.)
func TestAnalyzeDirectoryStillFailsOnDamagedCaptures(t *testing.T) {
	for _, tc := range []struct{ name, content string }{
		{"bad-header.dmp", "MDMP this is not a whole minidump"},
		{"bad-header.txt.gz", "\x1f\x8b\x08 not a gzip header"},
		{"cut.zip", "PK\x03\x04 an archive cut short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := notesDir(t)
			if err := os.WriteFile(filepath.Join(dir, tc.name), []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := runCLI(t, "analyze", "--fail-on", "never", dir)
			if code != exitInput || !strings.Contains(errOut, "1 capture could not be analysed") {
				t.Errorf("exit %d, stderr %q; want %d and the failed capture", code, errOut, exitInput)
			}
			if !strings.Contains(out, tc.name+": not analysed") || !strings.Contains(out, "README.md: skipped") {
				t.Errorf("report does not name the damaged capture and the skipped README:\n%s", out)
			}
		})
	}
	dir := notesDir(t)
	code, _, errOut := runCLI(t, "analyze", "--fail-on", "never", filepath.Join(dir, "README.md"))
	if code != exitInput || !strings.Contains(errOut, "unknown capture format") {
		t.Errorf("README.md named on the command line: exit %d, stderr %q; want %d", code, errOut, exitInput)
	}
	code, _, errOut = runCLI(t, "analyze", "--fail-on", "never", filepath.Join(dir, "notes"))
	if code != exitInput || !strings.Contains(errOut, "no capture in the directory") {
		t.Errorf("a directory of notes: exit %d, stderr %q; want %d", code, errOut, exitInput)
	}
}

// TestCapturesOfSkips: which files a directory walk keeps and skips, and
// that a forced --input-format keeps them all.
func TestCapturesOfSkips(t *testing.T) {
	dir := notesDir(t)
	rel := func(p string) string { r, _ := filepath.Rel(dir, p); return filepath.ToSlash(r) }
	captures, skipped, batch, err := capturesOf([]string{dir}, false, true)
	if err != nil || !batch {
		t.Fatalf("capturesOf = batch %v, %v", batch, err)
	}
	var kept, skip []string
	for _, c := range captures {
		kept = append(kept, rel(c[0]))
	}
	for _, s := range skipped {
		skip = append(skip, rel(s.Path)+": "+s.Reason)
	}
	if diff := cmp.Diff([]string{"handle/notepad.txt", "kd/seed.txt"}, kept); diff != "" {
		t.Errorf("kept (-want +got):\n%s", diff)
	}
	want := []string{"README.md: " + notCapture, "SOURCES.tsv: " + notCapture, "kd/empty.txt: an empty file", "notes/todo.txt: " + notCapture}
	if diff := cmp.Diff(want, skip); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	captures, skipped, _, err = capturesOf([]string{dir}, false, false)
	if err != nil || len(captures) != 6 || len(skipped) != 0 {
		t.Errorf("forced format: %d captures, %d skipped, %v; want all 6 read", len(captures), len(skipped), err)
	}
}

// TestWalkFollowsALinkedDirectory: a directory argument that is a
// symbolic link (a mounted volume) is walked, its files named under the
// link's name.
func TestWalkFollowsALinkedDirectory(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	if err := os.MkdirAll(filepath.Join(real, "host"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(real, "host", "a.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	got, err := walkCaptures(link)
	if want := []string{filepath.Join(link, "host", "a.txt")}; err != nil || len(got) != 1 || got[0] != want[0] {
		t.Errorf("walkCaptures(link) = %q, %v; want %q", got, err, want)
	}
}
