package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// openPTY opens a pseudo-terminal: the terminal side (what a program
// writes to) and the other (what a terminal emulator reads).
func openPTY(t *testing.T) (tty, pty *os.File) {
	t.Helper()
	pty, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { pty.Close() })
	var n uint32
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, pty.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Skipf("no pseudo-terminal: %v", e)
	}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, pty.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Skipf("no pseudo-terminal: %v", e)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	return tty, pty
}

// TestColorOnATerminal: a terminal is one (golang.org/x/term); the text
// report to it is coloured unless --color never, NO_COLOR or TERM=dumb
// say otherwise.
func TestColorOnATerminal(t *testing.T) {
	for _, tc := range []struct {
		args          []string
		noColor, term string
		want          bool
	}{
		{nil, "", "xterm", true},
		{[]string{"--color", "never"}, "", "xterm", false},
		{nil, "1", "xterm", false},
		{nil, "", "dumb", false},
	} {
		tty, pty := openPTY(t)
		if !isTerminal(tty) {
			t.Fatalf("isTerminal(%s) = false", tty.Name())
		}
		t.Setenv("NO_COLOR", tc.noColor)
		t.Setenv("TERM", tc.term)
		read := make(chan []byte)
		go func() {
			var b bytes.Buffer
			buf := make([]byte, 4096)
			for {
				n, err := pty.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			read <- b.Bytes()
		}()
		args := append([]string{"analyze", "--fail-on", "never"}, append(tc.args, example)...)
		var errOut bytes.Buffer
		code := run(args, strings.NewReader(""), tty, &errOut)
		tty.Close()
		out := <-read
		if code != 0 || !bytes.Contains(out, []byte("ContosoAgent.exe")) || bytes.Contains(out, []byte("\x1b[")) != tc.want {
			t.Errorf("NO_COLOR=%q TERM=%s leakdiag %s to a terminal: exit %d %s, colour %v, want %v", tc.noColor, tc.term, strings.Join(args, " "), code, errOut.String(), bytes.Contains(out, []byte("\x1b[")), tc.want)
		}
	}
	tty, _ := openPTY(t)
	defer tty.Close()
	t.Setenv("CI", "")
	if newProgress(tty, 5) == nil {
		t.Errorf("no progress bar on a terminal")
	}
	t.Setenv("CI", "true")
	if newProgress(tty, 5) != nil {
		t.Errorf("a progress bar in CI")
	}
}
