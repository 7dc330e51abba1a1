//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptRemovesTemporaryFiles builds leakdiag and interrupts it
// while it copies a gzip'd minidump from standard input to a temporary
// file: it exits 2 saying it was interrupted, and the file is gone.
func TestInterruptRemovesTemporaryFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs leakdiag: not with -short")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH, and the test builds leakdiag with it")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "leakdiag")
	if out, err := exec.Command(goCmd, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	gz, err := os.ReadFile("../../testdata/examples/contoso-agent-events.dmp.gz")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	cmd := exec.Command(bin, "facts", "-")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// Half the dump: enough to tell it is a minidump and start the copy,
	// which then waits for more.
	if _, err := stdin.Write(gz[:len(gz)/2]); err != nil {
		t.Fatal(err)
	}
	copying := false
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && !copying; time.Sleep(10 * time.Millisecond) {
		left, _ := os.ReadDir(tmp)
		copying = len(left) > 0
	}
	if !copying {
		t.Fatal("leakdiag made no temporary file")
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	// The copy is blocked reading standard input: the rest lets the read
	// return, and the next one sees the interrupt. The signal is handled
	// on another goroutine, so the rest comes slowly.
	time.Sleep(100 * time.Millisecond)
	for rest := gz[len(gz)/2:]; len(rest) > 0; rest = rest[min(len(rest), 1024):] {
		if _, err := stdin.Write(rest[:min(len(rest), 1024)]); err != nil {
			break // leakdiag has ended
		}
		time.Sleep(5 * time.Millisecond)
	}
	stdin.Close()
	err = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitInput || !strings.Contains(stderr.String(), "leakdiag: interrupted") {
		t.Errorf("exit %d (%v), stderr %q; want %d and interrupted", code, err, stderr.String(), exitInput)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}
