package psrows

import (
	"bytes"
	"strings"
	"testing"
)

func TestCommandAndParse(t *testing.T) {
	cases := []struct {
		name, cmd, row string
		pid            int64
		want           Row
		noLayout       bool
	}{
		{name: "ps aux", cmd: "ps aux", row: "contoso   4242  3.1 12.0 5123456 987654 ?  Sl  10:00  12:34 java -jar /opt/contoso/app.jar",
			pid: 4242, want: Row{Image: "java", Cmdline: "java -jar /opt/contoso/app.jar"}},
		{name: "ps -aux reads as aux", cmd: "ps -aux", row: "contoso   4242  3.1 12.0 5123456 987654 ?  Sl  10:00  12:34 java -jar a.jar",
			pid: 4242, want: Row{Image: "java", Cmdline: "java -jar a.jar"}},
		{name: "ps auxww", cmd: "ps auxww", row: "root 7 0.0 0.1 100 200 ? Ss Dec07 0:01 /usr/bin/python3 -m fabrikam.worker",
			pid: 7, want: Row{Image: "python3", Cmdline: "/usr/bin/python3 -m fabrikam.worker"}},
		{name: "ps axf tree", cmd: "ps axf", row: " 1590 ?        SLl    0:34  \\_ /usr/sbin/squeezed -daemon true",
			pid: 1590, want: Row{Image: "squeezed", Cmdline: "/usr/sbin/squeezed -daemon true"}},
		{name: "ps -ef", cmd: "ps -ef", row: "root      1590     1  0 Dec07 ?        00:01:02 node /srv/contoso/server.js",
			pid: 1590, want: Row{Image: "node", Cmdline: "node /srv/contoso/server.js", PPID: 1}},
		{name: "ps -efww", cmd: "ps -efww", row: "root      1590     1  0 Dec07 ?        00:01:02 node /srv/contoso/server.js",
			pid: 1590, want: Row{Image: "node", Cmdline: "node /srv/contoso/server.js", PPID: 1}},
		{name: "ps -fp PID", cmd: "ps -fp 1590", row: "root      1590     1  0 Dec07 ?        00:01:02 node s.js",
			pid: 1590, want: Row{Image: "node", Cmdline: "node s.js", PPID: 1}},
		{name: "ps -f -C java", cmd: "ps -f -C java", row: "app 31 1 9 10:00 ? 00:09:00 java -cp lib/* com.contoso.Main",
			pid: 31, want: Row{Image: "java", Cmdline: "java -cp lib/* com.contoso.Main", PPID: 1}},
		{name: "ps -eF", cmd: "ps -eF", row: "app 31 1 9 1000 2000 3 10:00 ? 00:09:00 ruby app.rb",
			pid: 31, want: Row{Image: "ruby", Cmdline: "ruby app.rb", PPID: 1}},
		{name: "ps -elf", cmd: "ps -elf", row: "4 S app 31 1 0 80 0 - 1000 ep_pol 10:00 ? 00:00:01 perl /opt/x.pl",
			pid: 31, want: Row{Image: "perl", Cmdline: "perl /opt/x.pl", PPID: 1}},
		{name: "ps -e gives the name alone", cmd: "ps -e", row: "  31 ?        00:00:01 java",
			pid: 31, want: Row{Image: "java"}},
		{name: "ps -eo pid,cmd", cmd: "ps -eo pid,cmd", row: " 4242 java -jar /opt/contoso/app.jar",
			pid: 4242, want: Row{Image: "java", Cmdline: "java -jar /opt/contoso/app.jar"}},
		{name: "ps -o pid,ppid,args glued", cmd: "ps -opid,ppid,args", row: " 4242  1 python3 fabrikam/main.py",
			pid: 4242, want: Row{Image: "python3", Cmdline: "python3 fabrikam/main.py", PPID: 1}},
		{name: "ps -o list in quotes and spaces", cmd: `ps -o "pid,user,args"`, row: "4242 app node x.js",
			pid: 4242, want: Row{Image: "node", Cmdline: "node x.js"}},
		{name: "ps --format", cmd: "ps --format=pid,comm,args", row: "4242 node node x.js",
			pid: 4242, want: Row{Image: "node", Cmdline: "node x.js"}},
		{name: "ps -o args= -p PID has no pid column", cmd: "ps -o args= -p 4242", row: "java -Xmx1g -jar b.jar",
			pid: 4242, want: Row{Image: "java", Cmdline: "java -Xmx1g -jar b.jar"}},
		{name: "ps -p PID -o cmd", cmd: "ps -p 4242 -o cmd", row: "java -jar b.jar",
			pid: 4242, want: Row{Image: "java", Cmdline: "java -jar b.jar"}},
		{name: "ps -o lstart before the command", cmd: "ps -o pid,lstart,args", row: "4242 Mon Dec  7 10:00:00 2026 java -jar b.jar",
			pid: 4242, want: Row{Image: "java", Cmdline: "java -jar b.jar"}},
		{name: "ps -o args without a pid of its own", cmd: "ps -o args", noLayout: true},
		{name: "ps -o with a column after the command", cmd: "ps -o pid,args,rss", noLayout: true},
		{name: "ps v", cmd: "ps v", noLayout: true},
		{name: "ps through a pipe stops the options", cmd: "ps aux | grep -o java", row: "a 9 0 0 1 1 ? S 10:00 0:00 java -jar c.jar",
			pid: 9, want: Row{Image: "java", Cmdline: "java -jar c.jar"}},
		{name: "adb shell ps, toybox's layout", cmd: "adb shell ps | grep com.contoso", row: "u0_a42 1308 804 2645105 172980 0 0 S com.contoso.app",
			pid: 1308, want: Row{Image: "com.contoso.app", Cmdline: "com.contoso.app", PPID: 804}},
		{name: "adb -s SERIAL shell ps -ef", cmd: "adb -s emulator-5554 shell ps -ef", row: "u0_a42 1308 804 0 10:00:00 ? 00:00:01 com.contoso.app",
			pid: 1308, want: Row{Image: "com.contoso.app", Cmdline: "com.contoso.app", PPID: 804}},
		{name: "adb shell without ps", cmd: "adb shell cat /proc/1308/limits", noLayout: true},
		{name: "retitled", cmd: "ps aux", row: "www 9 0 0 1 1 ? S 10:00 0:00 nginx: worker process",
			pid: 9, want: Row{Image: "nginx", Cmdline: "nginx: worker process"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cols, ok := Command(bytes.Fields([]byte(c.cmd)))
			if ok == c.noLayout {
				t.Fatalf("Command(%q) ok = %v", c.cmd, ok)
			}
			if !ok {
				return
			}
			line := []byte(c.row)
			pid, row, ok := Parse(line, bytes.Fields(line), cols, 3)
			c.want.Line = 3
			if !ok || pid != c.pid || row != c.want {
				t.Errorf("Parse(%q) = %d %+v %v, want %d %+v", c.row, pid, row, ok, c.pid, c.want)
			}
		})
	}
}

// TestBracedName: busybox's ps puts a process's name in braces before a
// command line whose program is named otherwise; the name is the image,
// the rest the command line. Text that only starts with a brace is a
// command line as any other.
func TestBracedName(t *testing.T) {
	cols, ok := Header(bytes.Fields([]byte("PID   USER     TIME   COMMAND")))
	if !ok {
		t.Fatal("busybox ps's header not read")
	}
	for row, want := range map[string]Row{
		"    5 root       0:33 {celery} /venv/bin/python /venv/bin/celery worker":  {Image: "celery", Cmdline: "/venv/bin/python /venv/bin/celery worker"},
		"    6 root       0:01 {contoso-agent} node /srv/agent.js":                 {Image: "contoso-agent", Cmdline: "node /srv/agent.js"},
		"    7 root       0:01 {celery}":                                           {Image: "{celery}", Cmdline: "{celery}"},
		"    8 root       0:01 {a b} node x.js":                                    {Image: "{a", Cmdline: "{a b} node x.js"},
		"    9 root       0:01 {" + strings.Repeat("x", maxComm+1) + "} node x.js": {Image: "{" + strings.Repeat("x", maxComm+1) + "}", Cmdline: "{" + strings.Repeat("x", maxComm+1) + "} node x.js"},
	} {
		line := []byte(row)
		_, got, ok := Parse(line, bytes.Fields(line), cols, 1)
		want.Line = 1
		if !ok || got != want {
			t.Errorf("Parse(%q) = %+v %v, want %+v", row, got, ok, want)
		}
	}
}

func TestHeader(t *testing.T) {
	for hdr, want := range map[string]Columns{
		"USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND": bsdU,
		"UID          PID    PPID  C STIME TTY          TIME CMD":                  unixF,
		"  PID COMMAND": {PID: 0, PPID: -1, Cmd: 1},
	} {
		if got, ok := Header(bytes.Fields([]byte(hdr))); !ok || got.PID != want.PID || got.PPID != want.PPID || got.Cmd != want.Cmd || got.ImageOnly {
			t.Errorf("Header(%q) = %+v %v, want %+v", hdr, got, ok, want)
		}
	}
	for _, hdr := range []string{"COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME", "  PID  STARTED COMMAND", "PID Command"} {
		if _, ok := Header(bytes.Fields([]byte(hdr))); ok {
			t.Errorf("Header(%q) read as ps's", hdr)
		}
	}
	// ps -e's CMD is the program's name, which its header does not say.
	cmd, _ := Command(bytes.Fields([]byte("ps -e")))
	hdr, _ := Header(bytes.Fields([]byte("  PID TTY          TIME CMD")))
	if got := cmd.WithHeader(hdr); !got.ImageOnly {
		t.Errorf("ps -e's header lost ImageOnly: %+v", got)
	}
	// busybox's ps, run without options as procps's ps -e would be, heads
	// its command line COMMAND.
	cmd, _ = Command(bytes.Fields([]byte("ps")))
	hdr, _ = Header(bytes.Fields([]byte("PID   USER     TIME  COMMAND")))
	if got := cmd.WithHeader(hdr); got.ImageOnly {
		t.Errorf("busybox ps's header read as ps -e's: %+v", got)
	}
}

func TestTableBounded(t *testing.T) {
	tb := NewTable(2)
	for pid := int64(1); pid <= 5; pid++ {
		tb.Add(pid, Row{Image: "x"})
	}
	tb.Add(1, Row{Image: "second"})
	if r, _ := tb.Get(1); tb.Len() != 2 || r.Image != "x" {
		t.Errorf("table holds %d rows, pid 1 %q", tb.Len(), r.Image)
	}
}

// FuzzParse: no command line and row make Command or Parse panic, and a
// row read gives a pid of 32 bits and a bounded command line.
func FuzzParse(f *testing.F) {
	f.Add("ps aux", "a 1 0 0 1 1 ? S 10:00 0:00 x -y")
	f.Add("ps -o args= -p 7", "x")
	f.Add("adb -s e shell ps -A", "u 1 0 1 1 0 0 S y")
	f.Add("ps -eo pid,lstart,comm", "1 Mon Dec 7 10:00:00 2026 z")
	f.Fuzz(func(t *testing.T, cmd, row string) {
		cols, ok := Command(bytes.Fields([]byte(cmd)))
		if !ok {
			return
		}
		line := []byte(row)
		if pid, r, ok := Parse(line, bytes.Fields(line), cols, 1); ok && (pid <= 0 || pid >= 1<<32 || len(r.Cmdline) > CmdlineLimit) {
			t.Errorf("Parse(%q) = %d %+v", row, pid, r)
		}
	})
}
