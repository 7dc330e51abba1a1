package lsof

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestPSBesideListing checks ps rows pasted beside lsof's listing (or a
// count of /proc/PID/fd): the rows of the pids the capture lists give
// those processes their command lines, read by the header or by the
// layout the ps command's options give.
func TestPSBesideListing(t *testing.T) {
	const rows = "$ lsof -p 4242\n" +
		"COMMAND  PID    USER   FD   TYPE DEVICE SIZE/OFF    NODE NAME\n" +
		"java    4242 contoso  cwd    DIR  253,0     4096       2 /\n" +
		"java    4242 contoso  10u  IPv4  12345      0t0     TCP *:8080 (LISTEN)\n"
	const cmd = "java -Xmx2g -jar /opt/contoso/app.jar --port 8080"
	tests := []struct {
		name, text    string
		cmdline, code string
		ppid          uint64
	}{
		{name: "ps aux through grep", text: "$ ps aux | grep java\n" +
			"contoso   4242  3.1 12.0 5123456 987654 ?     Sl   10:00  12:34 " + cmd + "\n" + rows, cmdline: cmd},
		{name: "ps -ef with its header, after the listing", text: rows + "$ ps -ef\n" +
			"UID          PID    PPID  C STIME TTY          TIME CMD\n" +
			"root           1       0  0 Dec07 ?        00:00:09 /sbin/init\n" +
			"contoso     4242       1 12 Dec07 ?        01:02:03 " + cmd + "\n", cmdline: cmd, ppid: 1},
		{name: "ps -o pid,args", text: "# ps -o pid,args -p 4242\n  PID COMMAND\n 4242 " + cmd + "\n" + rows, cmdline: cmd},
		{name: "ps -eo pid,ppid,cmd without header", text: "[root@db01 ~]# ps -eo pid,ppid,cmd --no-headers | grep app.jar\n 4242     1 " + cmd + "\n" + rows,
			cmdline: cmd, ppid: 1},
		{name: "ps -p PID -o args=", text: "$ ps -p 4242 -o args=\n" + cmd + "\n" + rows, cmdline: cmd},
		{name: "the row of another pid", text: "$ ps aux | grep java\n" +
			"contoso   4243  3.1 12.0 5123456 987654 ?     Sl   10:00  12:34 " + cmd + "\n" + rows},
		{name: "a row of another program (a container's pid)", text: "$ ps aux\n" +
			"root   4242  0.0  0.1  1000  100 ?     Ss   10:00   0:00 /pause\n" + rows, code: CodePSImage},
	}
	// lsof's rows right after ps's, without a command line between:
	// rows with a TID column have as many words as ps aux's rows, and a
	// header too.
	const tidRows = "java    4242 4250 contoso   1w   REG  253,1 38599 660111 /var/log/contoso/out.log (deleted)\n" +
		"java    4242 4251 contoso   1w   REG  253,1 38599 660111 /var/log/contoso/out.log (deleted)\n"
	tests = append(tests,
		struct {
			name, text    string
			cmdline, code string
			ppid          uint64
		}{name: "lsof rows with a TID column right after ps aux's", text: "$ ps aux | grep java\n" +
			"contoso   4242  3.1 12.0 5123456 987654 ?     Sl   10:00  12:34 " + cmd + "\n" + tidRows + rows, cmdline: cmd},
		struct {
			name, text    string
			cmdline, code string
			ppid          uint64
		}{name: "an lsof header right after ps -ef's rows", text: "$ ps -ef | grep java\n" +
			"contoso     4242       1 12 Dec07 ?        01:02:03 " + cmd + "\n" +
			"COMMAND  PID  TID   USER   FD   TYPE DEVICE SIZE/OFF   NODE NAME\n" + tidRows + rows, cmdline: cmd, ppid: 1},
	)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readLsofBytes(t, []byte(tc.text), "ps.txt")
			p := lsofProcess(t, snap, 4242)
			if p.Cmdline != tc.cmdline || p.PPID != tc.ppid || p.Image != "java" {
				t.Errorf("image %q cmdline %q ppid %d, want java %q %d", p.Image, p.Cmdline, p.PPID, tc.cmdline, tc.ppid)
			}
			want := int64(1)
			if strings.Contains(tc.text, "(deleted)") {
				want = 2 // fd 1 of the thread rows, then 10u
			}
			if p.HandlesParsed != want {
				t.Errorf("%d descriptors read, want %d", p.HandlesParsed, want)
			}
			var codes []string
			for _, d := range snap.Diagnostics {
				codes = append(codes, d.Code)
				if d.Code == facts.CodeUnrecognized || d.Code == facts.CodeIgnoredCommand {
					t.Errorf("diagnostic %s: %s", d.Code, d.Message)
				}
			}
			if tc.code != "" && !contains(codes, tc.code) {
				t.Errorf("diagnostics %v lack %s", codes, tc.code)
			}
			if len(snap.Processes) != 1 {
				t.Errorf("%d processes, want 1: rows of ps are no processes", len(snap.Processes))
			}
			checkParallel(t, tc.name, tc.text)
		})
	}
}

// TestPSBesideCount: a process only counted (ls /proc/PID/fd | wc -l)
// gets its image and command line from its ps row.
func TestPSBesideCount(t *testing.T) {
	text := "$ ps -ef | grep server.js\n" +
		"app       777     1  9 Dec07 ?        01:02:03 node /srv/fabrikam/server.js\n" +
		"$ ls /proc/777/fd | wc -l\n" +
		"4096\n" +
		"$ lsof -p 777 | grep TCP\n" +
		"node    777  app   40u  IPv4 912345      0t0  TCP 10.0.0.5:41000->10.0.0.9:443 (CLOSE_WAIT)\n"
	snap := readLsofBytes(t, []byte(text), "count.txt")
	p := lsofProcess(t, snap, 777)
	if p.Cmdline != "node /srv/fabrikam/server.js" || p.PPID != 1 || p.HandleCount == nil || *p.HandleCount != 4096 {
		t.Errorf("cmdline %q ppid %d count %v", p.Cmdline, p.PPID, p.HandleCount)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestPSBusyboxBracedName: busybox's ps shows a process whose name is not
// its program's ("{celery} /venv/bin/python /venv/bin/celery worker": a
// Python script) with the name in braces before the command line. The
// name is the one lsof shows and the rest the command line; before, the
// braced name was taken for the program, unlike lsof's, and the command
// line was dropped (ps-image).
func TestPSBusyboxBracedName(t *testing.T) {
	const cmd = "/venv/bin/python /venv/bin/celery -A contoso worker --concurrency=2"
	text := "$ ps aux\n" +
		"PID   USER     TIME   COMMAND\n" +
		"    1 root       0:00 /sbin/tini -- /entrypoint.sh\n" +
		"    5 root       0:33 {celery} " + cmd + "\n" +
		"   80 root       0:00 sh\n" +
		"$ lsof -p 5\n" +
		"celery    5 root    0r     FIFO      0,10      0t0 900001 pipe\n" +
		"celery    5 root    1w     FIFO      0,10      0t0 900002 pipe\n"
	snap := readLsofBytes(t, []byte(text), "bb.txt")
	p := lsofProcess(t, snap, 5)
	if p.Image != "celery" || p.Cmdline != cmd {
		t.Errorf("image %q cmdline %q, want celery %q", p.Image, p.Cmdline, cmd)
	}
	for _, d := range snap.Diagnostics {
		if d.Code == CodePSImage || d.Code == facts.CodeUnrecognized {
			t.Errorf("diagnostic %s: %s", d.Code, d.Message)
		}
	}
	checkParallel(t, "braced", text)
}
