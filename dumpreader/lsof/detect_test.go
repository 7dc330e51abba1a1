package lsof

import (
	"bytes"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"strings"
	"testing"
)

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
		{"rows without header (lsof | grep)", row + row, true},
		{"rows without header, TID column", "ossfs   514        root   36u   REG  253,1 1073741824  1054100 /tmp/tmpa1 (deleted)\n" +
			"ossfs   514  3511  root   36u   REG  253,1 1073741824  1054100 /tmp/tmpa1 (deleted)\n", true},
		{"rows without header, TID and TASKCMD", "java  4242                 app   14u  REG  0,1  0  1048579 /memfd:x (deleted)\n" +
			"java  4242 4263 C2\\x20Compil   app   14u  REG  0,1  0  1048579 /memfd:x (deleted)\n", true},
		{"one row after a blanked prompt", "root@ :~# lsof -n | grep deleted|more\n" +
			"ossfs   514  root   36u   REG  253,1 1073741824  1054100 /tmp/tmpa1 (deleted)\n", true},
		{"one row after a bracket prompt", "[app@web01 ~]$ lsof -p 4242 | grep CLOSE_WAIT\n" +
			"java  4242 app   87u  IPv6 120377  0t0  TCP 10.0.3.17:51002->10.0.9.4:5432 (CLOSE_WAIT)\n", true},
		{"grep'd rows of the process's own FDs", "nginx 1301 root cwd DIR 259,2 4096 2 /\nnginx 1301 root txt REG 259,2 1190032 1966100 /usr/sbin/nginx (deleted)\n", true},
		{"grep'd rows of sockets", "python2.6 2711 svc 6u sock 0,6 0t0 17178 can't identify protocol\n" +
			"python2.6 2711 svc 7u sock 0,6 0t0 17191 can't identify protocol\n", true},
		{"lsof's own rows without header", "lsof   4711 alice  txt   REG   8,1  163136  280624 /usr/bin/lsof\n" +
			"lsof   4711 alice  mem   REG   8,1 1689360  263347 /lib/x86_64-linux-gnu/libc-2.24.so\n", true},
		{"rows with columns elided", "java 1234 app 45u IPv6 ... TCP host:443->peer:5521 (CLOSE_WAIT)\n" +
			"java 1234 app 46u IPv6 … TCP host:443->peer:5522 (CLOSE_WAIT)\n", true},
		{"a row with columns elided after an lsof command", "$ lsof -p 1234 | grep CLOSE_WAIT\n" +
			"java 1234 app 45u IPv6 ... TCP host:443->peer:5521 (CLOSE_WAIT)\n", true},
		{"rows without header among prose", "Here is what I see:\n\n    " + strings.TrimSuffix(row, "\n") + "\n    " + strings.TrimSuffix(row, "\n") + "\n\nAny idea?\n", true},

		{"header alone, quoted in a doc", "The listing starts with\n" + header + "and then one row per file.\n", false},
		{"prose about the columns", "lsof prints the COMMAND, PID, USER, FD, TYPE, DEVICE, SIZE/OFF, NODE and NAME columns.\n", false},
		{"a p line alone", "p1234\n", false},
		{"p lines without f", "p1234\ncjava\np1235\ncsh\n", false},
		{"one row without header, alone", row, false},
		{"a command line", "$ sudo lsof -nP -p 4242\n", false},
		{"one row after another command", "$ grep CLOSE_WAIT notes.txt\n" + row, false},
		{"ps aux", "USER  PID %CPU %MEM    VSZ   RSS TTY STAT START TIME COMMAND\n" +
			"app  4242  0.3  2.1 3300000 170000 ?  Sl  Jan01 12:00 java -jar app.jar\n" +
			"root  812  0.0  0.1  15420  5120 ?  Ss  Jan01  0:00 sshd: /usr/sbin/sshd -D\n", false},
		{"ls -l of /proc/PID/fd", "lrwx------ 1 app app 64 Jan  1 12:00 36 -> /tmp/tmpa1 (deleted)\n" +
			"lrwx------ 1 app app 64 Jan  1 12:00 37 -> socket:[17178]\n", false},
		{"ls -li", "1054100 -rw-r--r-- 1 root root 1073741824 Jan  1 12:00 tmpa1\n1054101 drwxr-xr-x 2 root root 4096 Jan  1 12:00 dir\n", false},
		{"ss -tanp", "CLOSE-WAIT 1 0 10.0.3.17:51002 10.0.9.4:5432 users:((\"java\",pid=4242,fd=87))\n" +
			"CLOSE-WAIT 1 0 10.0.3.17:51004 10.0.9.4:5432 users:((\"java\",pid=4242,fd=88))\n", false},
		{"fuser -v", "                     USER        PID ACCESS COMMAND\n/tmp/tmpa1:          root        514 F.... ossfs\n", false},
		{"df", "Filesystem     1K-blocks     Used Available Use% Mounted on\n/dev/vda1       41152736 39152736   2000000  96% /\n", false},
		{"kd handle entries", "0004: Object: 8a1b2c30  GrantedAccess: 001f0003 Entry: e1001008\n" +
			"Object: 8a1b2c30  Type: (8a3f1e70) Event\n    ObjectHeader: 8a1b2c18 (new version)\n        HandleCount: 1  PointerCount: 1\n", false},
		{"handle -a rows", "java.exe pid: 4242 CONTOSO\\svc\n   4C: File  (RW-)   C:\\Windows\\Temp\\x (deleted)\n   50: File  (RW-)   C:\\Temp\\y\n", false},
		{"prose shaped like a row", "sshd 812 root 3u IPv4 was the last line I saw\nnginx 1301 root 6u REG file system\n", false},
		{"ps output", "  PID TTY          TIME CMD\n 4242 pts/0    00:00:01 java\n", false},
		{"netstat output", "tcp6       0      0 10.0.3.17:43512         10.0.9.4:5432           CLOSE_WAIT  4242/java\n", false},
		{"handle output", "java.exe pid: 4242 CONTOSO\\svc\n   4: File  (RW-)   C:\\Windows\n", false},
		{"kd output", "0: kd> !handle 0 3\nPROCESS 8a1b2c30  SessionId: 0  Cid: 0ef0    Peb: 7ffdf000  ParentCid: 0e3c\n", false},
		{"one row with columns elided, alone", "java 1234 app 45u IPv6 ... TCP host:443->peer:5521 (CLOSE_WAIT)\n", false},
		{"rows whose FD was elided", "java 1234 app ... IPv6 ... TCP host:443->peer:5521 (CLOSE_WAIT)\n" +
			"java 1234 app ... IPv6 ... TCP host:443->peer:5522 (CLOSE_WAIT)\n", false},
		{"ps rows with columns elided", "app 4242 0.3 ... Sl Jan01 12:00 java -jar app.jar\n" +
			"app 4243 0.1 ... Sl Jan01 12:00 java -jar b.jar\n", false},
		{"prose with an elision", "java 1234 app 45u IPv6 ... and then it was gone\nnginx 1301 root 6u REG ... file system\n", false},
		{"handle rows with an elision", "java.exe pid: 4242 CONTOSO\\svc\n   4C: File  (RW-)   ...\n   50: File  (RW-)   C:\\Temp\\y\n", false},
		{"prose starting with field letters", "perhaps\nfor the record\nnothing else\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sniff([]byte(tc.text)); got != tc.want {
				t.Errorf("Sniff(%q) = %v, want %v", tc.text, got, tc.want)
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
	for b.Len() < scan.SniffLen+100 {
		b.WriteString("java    4242  app   12u  a_inode   0,14        0 1058 [eventfd]\n")
	}
	if !Sniff(b.Bytes()[:scan.SniffLen]) {
		t.Errorf("Sniff(64 KiB head of a listing) = false, want true")
	}
	prose := bytes.Repeat([]byte("nothing to see here, "), scan.SniffLen/21+1)
	cut := append(prose, "\np1234\nf12"...)
	if Sniff(cut[len(cut)-scan.SniffLen:]) {
		t.Errorf("Sniff(head ending in a cut f line) = true, want false")
	}
}
