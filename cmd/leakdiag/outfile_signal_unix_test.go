//go:build unix

package main

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestOutFileSignal: SIGINT while a report is written to its temporary
// file removes that file and still ends the run by the signal; the
// report it would have replaced stays. The run is this test binary,
// started again as a helper.
func TestOutFileSignal(t *testing.T) {
	if os.Getenv("LEAKDIAG_SIGNAL_HELPER") != "" {
		signalHelper()
		return
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "report.json")
	mustWrite(t, target, "the old report\n")
	cmd := exec.Command(os.Args[0], "-test.run=^TestOutFileSignal$")
	cmd.Env = append(os.Environ(), "LEAKDIAG_SIGNAL_HELPER="+target)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("helper: %v, want it ended by SIGINT\n%s", err, out)
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Errorf("helper ended with %v, want by SIGINT\n%s", exit, out)
	}
	if got := readFile(t, target); got != "the old report\n" {
		t.Errorf("report.json = %q, want the old report", got)
	}
	checkNoTemporaries(t, dir)
}

// signalHelper opens the report named by $LEAKDIAG_SIGNAL_HELPER as
// analyze does, writes half of it, and interrupts itself.
func signalHelper() {
	outs := outputs{{format: "json", path: os.Getenv("LEAKDIAG_SIGNAL_HELPER"), flag: "-o"}}
	done, err := outs.open(nil)
	if err != nil {
		panic(err)
	}
	defer done()
	io.WriteString(outs[0].file, "half a rep")
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	time.Sleep(10 * time.Second)
	panic("SIGINT did not end the run")
}
