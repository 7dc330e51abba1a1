package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// collectCLI runs leakdiag with args and returns its exit code and output.
func collectCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func skipUnlessLinux(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skipf("collect reads Linux's /proc; this is %s", runtime.GOOS)
	}
}

// decodeSeries reads the snapshots written one after another to a series
// file, each as facts.DecodeJSON reads a lone snapshot.
func decodeSeries(t *testing.T, data []byte) []*facts.Snapshot {
	t.Helper()
	var snaps []*facts.Snapshot
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return snaps
		}
		if err != nil {
			t.Fatalf("snapshot %d: %v", len(snaps)+1, err)
		}
		snap, err := facts.DecodeJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("snapshot %d: %v", len(snaps)+1, err)
		}
		snaps = append(snaps, snap)
	}
}

// self returns the test process in snap.
func self(t *testing.T, snap *facts.Snapshot) *facts.Process {
	t.Helper()
	for _, p := range snap.Processes {
		if p.PID == uint64(os.Getpid()) {
			return p
		}
	}
	t.Fatalf("pid %d is not among the %d processes", os.Getpid(), len(snap.Processes))
	return nil
}

func TestCollectWritesSnapshot(t *testing.T) {
	skipUnlessLinux(t)
	out := filepath.Join(t.TempDir(), "snap.json")
	code, stdout, stderr := collectCLI(t, "collect", "--pid", strconv.Itoa(os.Getpid()), "-o", out)
	if code != exitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if !strings.HasPrefix(stderr, "leakdiag: snapshot 1/1: 1 process, ") {
		t.Errorf("stderr %q, want the snapshot's line", stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	snap, err := facts.DecodeJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	p := self(t, snap)
	if len(snap.Processes) != 1 || p.HandlesParsed == 0 || p.FDLimit == nil || snap.Sources[0].Format != "procfs" {
		t.Errorf("%d processes, %d descriptors, limit %v, format %q", len(snap.Processes), p.HandlesParsed, p.FDLimit, snap.Sources[0].Format)
	}
}

func TestCollectEveryProcessToStdout(t *testing.T) {
	skipUnlessLinux(t)
	code, stdout, stderr := collectCLI(t, "collect", "-o", "-")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	snap, err := facts.DecodeJSON(strings.NewReader(stdout))
	if err != nil {
		t.Fatal(err)
	}
	if self(t, snap); len(snap.Processes) < 2 {
		t.Errorf("%d processes, want every process", len(snap.Processes))
	}
}

func TestCollectSeries(t *testing.T) {
	skipUnlessLinux(t)
	out := filepath.Join(t.TempDir(), "series.json")
	code, _, stderr := collectCLI(t, "collect", "--pid", strconv.Itoa(os.Getpid()), "--interval", "100ms", "--count", "2", "-o", out)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"snapshot 1/2", "snapshot 2/2", "wrote 2 snapshots to " + out} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	snaps := decodeSeries(t, data)
	if len(snaps) != 2 {
		t.Fatalf("%d snapshots, want 2", len(snaps))
	}
	t0, ok0 := facts.ParseCaptureTime(snaps[0].CapturedAt)
	t1, ok1 := facts.ParseCaptureTime(snaps[1].CapturedAt)
	if !ok0 || !ok1 || t1.Sub(t0) < 90e6 {
		t.Errorf("captured at %q and %q, want 100ms apart", snaps[0].CapturedAt, snaps[1].CapturedAt)
	}
	if a, b := self(t, snaps[0]), self(t, snaps[1]); a.CreateTime != b.CreateTime || a.CreateTime == "" {
		t.Errorf("create times %q and %q, want one", a.CreateTime, b.CreateTime)
	}
	// A series reads as facts.NewSeries wants it.
	if _, err := facts.NewSeries(snaps, nil); err != nil {
		t.Error(err)
	}
}

func TestCollectErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "snap.json")
	tests := []struct {
		name  string
		args  []string
		want  string
		linux bool // the error comes from reading /proc
	}{
		{"no output", []string{"collect"}, "collect needs -o FILE", false},
		{"an argument", []string{"collect", "-o", out, "1234"}, "unknown command", false},
		{"count 0", []string{"collect", "-o", out, "--count", "0"}, "--count 0: want 1 or more", false},
		{"count without interval", []string{"collect", "-o", out, "--count", "3"}, "--count 3 needs --interval", false},
		{"interval without count", []string{"collect", "-o", out, "--interval", "1s"}, "--interval needs --count 2 or more", false},
		{"negative interval", []string{"collect", "-o", out, "--count", "2", "--interval", "-1s"}, "--interval -1s: want a positive duration", false},
		{"bad interval", []string{"collect", "-o", out, "--interval", "soon"}, `invalid argument "soon"`, false},
		{"bad pid", []string{"collect", "-o", out, "--pid", "12,abc"}, `--pid "abc": want a process id`, false},
		{"pid 0", []string{"collect", "-o", out, "--pid", "0"}, `--pid "0": want a process id`, false},
		{"no such pid", []string{"collect", "-o", out, "--pid", "4000000000"}, "no process with pid 4000000000 under /proc", true},
		{"not procfs", []string{"collect", "-o", out, "--proc", t.TempDir()}, "is it a procfs mount?", true},
		{"unwritable output", []string{"collect", "-o", filepath.Join(out, "sub", "x.json")}, "not a directory", true},
	}
	if runtime.GOOS != "linux" {
		tests = append(tests, struct {
			name  string
			args  []string
			want  string
			linux bool
		}{"not Linux", []string{"collect", "-o", out}, "collect reads Linux's /proc", false})
	}
	if err := os.WriteFile(out, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.linux {
				skipUnlessLinux(t)
			}
			code, stdout, stderr := collectCLI(t, tc.args...)
			if code != exitInput || stdout != "" || !strings.Contains(stderr, tc.want) {
				t.Errorf("leakdiag %q: exit %d, stdout %q, stderr %q; want exit %d and %q", tc.args, code, stdout, stderr, exitInput, tc.want)
			}
		})
	}
}
