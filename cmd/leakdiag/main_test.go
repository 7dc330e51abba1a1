package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

const seed = "../../testdata/kd/seed-xp-process00-handle.txt"

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIWithInput(t, "", args...)
}

func runCLIWithInput(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestFactsReadsStandardInput(t *testing.T) {
	capture, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLIWithInput(t, string(capture), "facts", "-")
	if code != exitOK || !strings.Contains(out, "<stdin>") || !strings.Contains(out, "smss.exe") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
}

func TestFactsText(t *testing.T) {
	code, out, errOut := runCLI(t, "facts", seed)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"5 processes", "smss.exe", "1276", "0x4fc", "count-mismatch", "PARSED"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestFactsJSONReadsBack(t *testing.T) {
	code, out, errOut := runCLI(t, "facts", "--json", seed)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	snap, err := facts.DecodeJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Processes) != 5 || snap.Sources[0].Format != "kd" {
		t.Errorf("snapshot has %d processes, format %q", len(snap.Processes), snap.Sources[0].Format)
	}
	// The JSON form is itself a capture leakdiag reads, with the same facts.
	path := filepath.Join(t.TempDir(), "snap.json")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	code, again, errOut := runCLI(t, "facts", "--json", path)
	if code != exitOK || again != out {
		t.Errorf("re-reading the snapshot: exit %d, stderr %q, same output %v", code, errOut, again == out)
	}
}

func TestFactsErrors(t *testing.T) {
	dir := t.TempDir()
	prose := filepath.Join(dir, "prose.txt")
	os.WriteFile(prose, []byte("Dear vendor,\nplease fix your driver.\n"), 0o644)
	binary := filepath.Join(dir, "blob.bin")
	os.WriteFile(binary, []byte{0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 0, 0}, 0o644)
	mdmp := filepath.Join(dir, "crash.dmp")
	os.WriteFile(mdmp, []byte("MDMP\x93\xa7\x00\x00"), 0o644)
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"missing file", []string{"facts", filepath.Join(dir, "nope.txt")}, "no such file"},
		{"unknown format", []string{"facts", prose}, "unknown capture format"},
		{"binary", []string{"facts", binary}, "unknown capture format"},
		{"minidump", []string{"facts", mdmp}, "minidump"},
		{"bad flag", []string{"facts", "--frobnicate", seed}, "unknown flag"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			if code != exitInput {
				t.Errorf("exit %d, want %d", code, exitInput)
			}
			if out != "" {
				t.Errorf("stdout %q, want none", out)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tc.msg) {
				t.Errorf("stderr %q, want one line containing %q", errOut, tc.msg)
			}
		})
	}
}
