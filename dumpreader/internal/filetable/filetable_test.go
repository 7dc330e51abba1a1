package filetable

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"

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
	for line, want := range map[string]string{
		"fs.file-nr = 64320\t0\t65536":                                                   "parsed",
		"fs.file-max = 65536":                                                            "parsed",
		"/proc/sys/fs/file-nr:64320\t0\t65536":                                           "parsed",
		"[812345.123456] VFS: file-max limit 65536 reached":                              "parsed",
		"Dec 07 10:00:00 web01 kernel: VFS: file-max limit 65536 reached":                "parsed",
		"Dec  7 10:00:00 web01 kernel: [12345.678901] VFS: file-max limit 65536 reached": "parsed",
		"kern  :info  : [12345.678901] VFS: file-max limit 65536 reached":                "parsed",
		"<6>[12345.678901] VFS: file-max limit 65536 reached":                            "parsed",
		"> [12345.678] VFS: file-max limit 65536 reached":                                "parsed",
		"VFS: file-max limit 65536 reached":                                              "parsed",
		"fs.inotify.max_user_watches = 8192":                                             "ignored",
		"we saw VFS: file-max limit 65536 reached in the log":                            "",
		"[812345.123456] VFS: file-max limit reached":                                    "",
		"fs.file-nr: 1 2 3":                                                              "",
	} {
		got, ok := Line([]byte(line), b, pos)
		name := ""
		switch {
		case ok && got == scan.Parsed:
			name = "parsed"
		case ok && got == scan.Ignored:
			name = "ignored"
		case ok:
			name = "other"
		}
		if name != want {
			t.Errorf("Line(%q) = %q, want %q", line, name, want)
		}
	}
	ft := b.Snapshot().Memory.FileTable
	if ft == nil || ft.LimitReached != 7 || ft.Allocated != 64320 || ft.Max != 65536 {
		t.Errorf("file table %+v, want 64,320 of 65,536 and 7 messages", ft)
	}
}
