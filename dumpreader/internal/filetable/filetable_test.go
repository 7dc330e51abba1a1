package filetable

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

func TestCommand(t *testing.T) {
	for cmd, want := range map[string]Kind{
		"cat /proc/sys/fs/file-nr":                FileNr,
		"root@h:~# sudo cat /proc/sys/fs/file-nr": FileNr,
		"sysctl -n fs.file-nr":                    FileNr,
		"sysctl fs.file-max":                      FileMax,
		"cat /proc/sys/fs/file-max":               FileMax,
		"cat /proc/sys/fs/nr_open":                None,
		"fs.file-nr = 1 0 2":                      None, // sysctl's output, read by Line
		"ls /proc/42/fd | wc -l":                  None,
	} {
		if got := Command([]byte(cmd)); got != want {
			t.Errorf("Command(%q) = %d, want %d", cmd, got, want)
		}
	}
}

// TestLines: the figures after a command, sysctl's lines and the
// kernel's messages are read; prose that quotes the message, and figures
// of another shape, are not.
func TestLines(t *testing.T) {
	pos := facts.Position{Path: "c.txt", Line: 1}
	b := facts.NewBuilder()
	for _, c := range []struct {
		line string
		kind Kind
		want bool
	}{
		{"64320\t0\t65536", FileNr, true},
		{"64320 0", FileNr, false},
		{"9223372036854775807", FileMax, true},
		{"99999999999999999999", FileMax, false}, // 20 digits: no int64
		{"abc", FileMax, false},
	} {
		if got := Figures([]byte(c.line), c.kind, b, pos); got != c.want {
			t.Errorf("Figures(%q, %d) = %v, want %v", c.line, c.kind, got, c.want)
		}
	}
	for line, want := range map[string]bool{
		"fs.file-nr = 64320\t0\t65536":                                    true,
		"fs.file-max = 65536":                                             true,
		"[812345.123456] VFS: file-max limit 65536 reached":               true,
		"Dec 07 10:00:00 web01 kernel: VFS: file-max limit 65536 reached": true,
		"VFS: file-max limit 65536 reached":                               true,
		"we saw VFS: file-max limit 65536 reached in the log":             false,
		"[812345.123456] VFS: file-max limit reached":                     false,
		"fs.file-nr: 1 2 3":                                               false,
	} {
		if got := Line([]byte(line), b, pos); got != want {
			t.Errorf("Line(%q) = %v, want %v", line, got, want)
		}
	}
	ft := b.Snapshot().Memory.FileTable
	if ft == nil || ft.LimitReached != 3 || ft.Allocated != 64320 || ft.Max != 65536 {
		t.Errorf("file table %+v, want 64,320 of 65,536 and 3 messages", ft)
	}
}
