package dumpreader

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLooksLikeLsof checks format detection on every capture at hand:
// the project's lsof captures are detected (and not taken for kd text);
// kd/WinDbg/cdb text and Sysinternals Handle output, the project's and
// the corpus's, are not.
func TestLooksLikeLsof(t *testing.T) {
	groups := []struct {
		glob string
		want bool
	}{
		{filepath.Join(lsofDir, "*.txt"), true},
		{"../testdata/kd/*.txt", false},
		{"../testdata/handleexe/*.txt", false},
		{"../testdata/examples/*.txt", false},
		{"../../shared/corpus/kd/*.txt", false},
		{"../../shared/corpus/um/*.txt", false},
		{"../../shared/corpus/htrace/*.txt", false},
		{"../../shared/corpus/vm/*.txt", false},
		{"../../shared/corpus/handleexe/*.txt", false},
	}
	var corpus int
	for _, g := range groups {
		paths, err := filepath.Glob(g.glob)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(g.glob, "corpus") {
			corpus += len(paths)
		}
		for _, path := range paths {
			t.Run(path, func(t *testing.T) {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if len(data) > sniffLen {
					data = data[:sniffLen]
				}
				if got := looksLikeLsof(data); got != g.want {
					t.Errorf("looksLikeLsof(%s) = %v, want %v", path, got, g.want)
				}
				if g.want && Detect(data) == FormatKD {
					t.Errorf("Detect(%s) = %q: lsof output taken for kd text", path, FormatKD)
				}
			})
		}
	}
	if corpus == 0 {
		t.Log("../../shared/corpus is absent: only the project's own captures were tried")
	}
}

// TestLooksLikeLsofText checks detection on short texts: each form on its
// own and pasted among prose, and prose and other tools' output that share
// a word or a line shape with it.
func TestLooksLikeLsofText(t *testing.T) {
	const header = "COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF    NODE NAME\n"
	const row = "sshd      812 root    3u  IPv4  24533      0t0     TCP *:22 (LISTEN)\n"
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"header and row", header + row, true},
		{"header with TID and TASKCMD", "COMMAND  PID  TID TASKCMD USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\n" +
			"java    4242                 app  cwd    DIR  259,2     4096    2 /\n", true},
		{"header and a thread's row", "COMMAND  PID  TID TASKCMD     USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\n" +
			"java    4242 4251 VM\\x20Thread app    0r   CHR    1,3      0t0    5 /dev/null\n", true},
		{"collapsed blanks", "COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME\nsshd 812 root 3u IPv4 24533 0t0 TCP *:22 (LISTEN)\n", true},
		{"among prose, CRLF", "Any idea what holds these?\r\n\r\n    " + strings.TrimSuffix(header, "\n") + "\r\n    " + strings.TrimSuffix(row, "\n") + "\r\nThanks\r\n", true},
		{"-F pcfn", "p812\ncsshd\nfcwd\nn/\nf3\nn*:22\n", true},
		{"-F0", "p812\x00csshd\x00\nfcwd\x00tDIR\x00n/\x00\nf3\x00tIPv4\x00n*:22\x00\n", true},
		{"-F after a prompt", "$ lsof -F pfn -p 812\np812\nf0\nn/dev/null\n", true},

		{"header alone, quoted in a doc", "The listing starts with\n" + header + "and then one row per file.\n", false},
		{"prose about the columns", "lsof prints the COMMAND, PID, USER, FD, TYPE, DEVICE, SIZE/OFF, NODE and NAME columns.\n", false},
		{"a p line alone", "p1234\n", false},
		{"p lines without f", "p1234\ncjava\np1235\ncsh\n", false},
		{"rows without header (lsof | grep)", row + row, false},
		{"a command line", "$ sudo lsof -nP -p 4242\n", false},
		{"ps output", "  PID TTY          TIME CMD\n 4242 pts/0    00:00:01 java\n", false},
		{"netstat output", "tcp6       0      0 10.0.3.17:43512         10.0.9.4:5432           CLOSE_WAIT  4242/java\n", false},
		{"handle output", "java.exe pid: 4242 CONTOSO\\svc\n   4: File  (RW-)   C:\\Windows\n", false},
		{"kd output", "0: kd> !handle 0 3\nPROCESS 8a1b2c30  SessionId: 0  Cid: 0ef0    Peb: 7ffdf000  ParentCid: 0e3c\n", false},
		{"prose starting with field letters", "perhaps\nfor the record\nnothing else\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := looksLikeLsof([]byte(tc.text)); got != tc.want {
				t.Errorf("looksLikeLsof(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

// TestLooksLikeLsofCutHead checks that detection reads a 64 KiB head
// whose last line is cut, and does not take a cut header-like line for
// a header.
func TestLooksLikeLsofCutHead(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\n")
	for b.Len() < sniffLen+100 {
		b.WriteString("java    4242  app   12u  a_inode   0,14        0 1058 [eventfd]\n")
	}
	if !looksLikeLsof(b.Bytes()[:sniffLen]) {
		t.Errorf("looksLikeLsof(64 KiB head of a listing) = false, want true")
	}
	prose := bytes.Repeat([]byte("nothing to see here, "), sniffLen/21+1)
	cut := append(prose, "\np1234\nf12"...)
	if looksLikeLsof(cut[len(cut)-sniffLen:]) {
		t.Errorf("looksLikeLsof(head ending in a cut f line) = true, want false")
	}
}
