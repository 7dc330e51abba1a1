//go:build unix

package dumpreader

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/facts"
)

// TestQuoterHostile: a snapshot JSON names, in its positions, files this
// run never read as captures; quoting them reads nothing, and does not
// hang on a device or a FIFO.
func TestQuoterHostile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	secret := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(secret, []byte("API_KEY=hunter2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	js := filepath.Join(dir, "snap.json")
	tests := []struct {
		name, path string
		want       string // in the error
	}{
		{"a system file", "/etc/passwd", "not a capture this run read"},
		{"the environment", "/proc/self/environ", "not a capture this run read"},
		{"an endless device", "/dev/zero", "not a capture this run read"},
		{"a FIFO", fifo, "not a capture this run read"},
		{"a file beside the snapshot", secret, "not a capture this run read"},
		{"the snapshot itself", js, "not a capture this run read"},
		{"standard input's name", "<stdin>", "not a capture this run read"},
	}
	b := facts.NewBuilder()
	for i, tc := range tests {
		pb := b.Process(strings.Repeat("f", 15)+string(rune('0'+i)), facts.Position{Path: tc.path, Line: 1})
		pb.P.PID, pb.P.Image = uint64(4*(i+1)), "evil.exe"
	}
	var buf bytes.Buffer
	if err := b.Snapshot().WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(js, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var q Quoter
	snap, err := ReadFile(js, Options{Quoter: &q})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Processes) != len(tests) {
		t.Fatalf("read %d processes, want %d", len(snap.Processes), len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := quoteWithin(t, q.Quote, tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || len(got) > 0 {
				t.Errorf("Quote(%q) = %v, %v; want nothing and an error saying %q", tc.path, got, err, tc.want)
			}
		})
	}
}

// TestQuoteNonRegular: Quote itself, given a path, opens only regular
// files.
func TestQuoteNonRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, path := range []string{"/dev/zero", fifo, fifo + "!/kd.txt", dir} {
		got, err := quoteWithin(t, Quote, path)
		if err == nil || !strings.Contains(err.Error(), "not a regular file") || len(got) > 0 {
			t.Errorf("Quote(%q) = %v, %v; want nothing and a not-a-regular-file error", path, got, err)
		}
	}
}

// TestQuoterReadCaptures: what the run read from a file is quoted, by the
// name its positions give; what came from a reader is not.
func TestQuoterReadCaptures(t *testing.T) {
	const capture = "../testdata/kd/seed-xp-process00-handle.txt"
	var q Quoter
	if _, err := ReadFile(capture, Options{Quoter: &q}); err != nil {
		t.Fatal(err)
	}
	got, err := q.Quote(capture, []int64{3})
	if want := "PROCESS 8a5295f0 SessionId: none Cid: 0004 Peb: 00000000 ParentCid: 0000"; err != nil || got[3] != want {
		t.Errorf("Quote(the capture read) = %v, %v; want line 3 %q", got, err, want)
	}
	data, err := os.ReadFile(capture)
	if err != nil {
		t.Fatal(err)
	}
	var fromReader Quoter
	other := filepath.Join(t.TempDir(), "other.txt")
	if err := os.WriteFile(other, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(bytes.NewReader(data), other, Options{Quoter: &fromReader}); err != nil {
		t.Fatal(err)
	}
	if got, err := fromReader.Quote(other, []int64{3}); err == nil || len(got) > 0 {
		t.Errorf("Quote(a name Read was given) = %v, %v; want nothing and an error", got, err)
	}
}

// quoteWithin calls quote for line 1 of path, failing the test instead of
// hanging when it blocks.
func quoteWithin(t *testing.T, quote func(string, []int64) (map[int64]string, error), path string) (map[int64]string, error) {
	t.Helper()
	type result struct {
		m   map[int64]string
		err error
	}
	done := make(chan result, 1)
	go func() {
		m, err := quote(path, []int64{1})
		done <- result{m, err}
	}()
	select {
	case r := <-done:
		return r.m, r.err
	case <-time.After(5 * time.Second):
		t.Fatalf("Quote(%q) still blocked after 5s", path)
		return nil, nil
	}
}
