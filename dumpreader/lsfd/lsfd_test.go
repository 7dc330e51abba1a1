package lsfd

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// read reads text as lsfd's output named name.
func read(t *testing.T, text string) *facts.Snapshot {
	t.Helper()
	b := facts.NewBuilder()
	log := facts.NewSourceLog("t.txt", Name)
	if err := Read(b, log, strings.NewReader(text)); err != nil {
		t.Fatalf("Read: %v", err)
	}
	b.AddSource(log)
	return b.Snapshot()
}

const defaultHeader = "COMMAND            PID   USER ASSOC  XMODE   TYPE       SOURCE MNTID    INODE NAME\n"

// TestRead reads lsfd's layouts: each process's descriptors by kind, its
// count where it was listed whole, the diagnostics.
func TestRead(t *testing.T) {
	type proc struct {
		PID    uint64
		Image  string
		Count  int64 // -1: not set
		ByType map[string]int64
	}
	tests := []struct {
		name  string
		text  string
		lines facts.LineCounts
		procs []proc
		names []string // the handles' names, "type name" each, of the first process
		diags []string // line:code
	}{
		{
			name: "default columns, 2.39's XMODE",
			text: defaultHeader +
				"worker            4711 svcapp   cwd  r----    DIR    nvme0n1p2    30   393217 /srv/queue\n" +
				"worker            4711 svcapp   exe  r----    REG    nvme0n1p2    30   393244 /srv/queue/bin/worker\n" +
				"worker            4711 svcapp     1  -w---   FIFO       pipefs    14    88120 pipe:[88120]\n" +
				"worker            4711 svcapp     3  rw---    REG    nvme0n1p2    30   393301 /srv/queue/spool/jobs 2026.db\n" +
				"worker            4711 svcapp     5  rw---    TCP       sockfs     8    90377 state=close-wait laddr=10.0.3.17:8443 raddr=10.0.3.40:51872\n" +
				"worker            4711 svcapp     6  rw---  TCPv6       sockfs     8    90378 state=established laddr=[::1]:8443 raddr=[::1]:40110\n" +
				"worker            4711 svcapp     7  rw---  eventfd anon_inodefs  15     1057 id=101\n" +
				"worker            4711 svcapp     8  rw---   UNKN anon_inodefs    15     1057 [io_uring]\n" +
				"worker            4711 svcapp     9  rw---  UNIX-STREAM sockfs   8    19582 state=connected\n",
			lines: facts.LineCounts{Total: 10, Parsed: 10},
			procs: []proc{{4711, "worker", 7, map[string]int64{"pipe": 1, "file": 1, "TCP": 1, "TCP6": 1, "eventfd": 1, "anon_inode": 1, "UNIX": 1}}},
			names: []string{
				"pipe pipe:[88120]", "file /srv/queue/spool/jobs 2026.db",
				"TCP 10.0.3.17:8443 -> 10.0.3.40:51872 (CLOSE_WAIT)", "TCP6 [::1]:8443 -> [::1]:40110 (ESTABLISHED)",
				"anon_inode [io_uring]", "UNIX unix:[19582]",
			},
		},
		{
			name: "rows of TYPE ERROR: a descriptor lsfd could not read",
			text: defaultHeader +
				"worker            4711 svcapp   cwd ????-- ERROR readlink:EACCES\n" +
				"worker            4711 svcapp     3  rw---    REG    nvme0n1p2    30   393301 /srv/queue/a.db\n" +
				"worker            4711 svcapp    31 ????-- ERROR readlink:EACCES\n" +
				"Web Content       9120 alice      7 ????-- ERROR     stat:EACCES             /home/alice/.cache/x\n",
			lines: facts.LineCounts{Total: 5, Parsed: 5},
			procs: []proc{
				{4711, "worker", 2, map[string]int64{"file": 1, "other": 1}},
				{9120, "Web Content", -1, map[string]int64{"other": 1}},
			},
			names: []string{"file /srv/queue/a.db"},
			diags: []string{"4:" + facts.CodeMissing, "5:" + scan.CodePartial},
		},
		{
			name: "a command of two words, 2.38's MODE, an empty NAME",
			text: "COMMAND           PID USER ASSOC MODE TYPE SOURCE MNTID INODE NAME\n" +
				"Web Content      9120 alice   cwd r--   DIR  dm-1    28     2 /\n" +
				"Web Content      9120 alice    44 rw-  UNIX sockfs    8 71234\n",
			lines: facts.LineCounts{Total: 3, Parsed: 3},
			procs: []proc{{9120, "Web Content", 1, map[string]int64{"UNIX": 1}}},
			names: []string{"UNIX unix:[71234]"},
		},
		{
			name: "columns -o picks",
			text: "$ lsfd -o PID,ASSOC,TYPE,NAME -p 812\n" +
				"PID ASSOC  TYPE NAME\n" +
				"812     3   REG /var/log/app.log\n" +
				"812     4 eventpoll tfds=3\n",
			lines: facts.LineCounts{Total: 4, Parsed: 3, Ignored: 1},
			procs: []proc{{812, "", -1, map[string]int64{"file": 1, "eventpoll": 1}}},
			names: []string{"file /var/log/app.log"},
			diags: []string{"3:" + scan.CodePartial},
		},
		{
			name: "a filter selects descriptors",
			text: "# lsfd -Q 'TYPE == \"TCP\"'\n" + defaultHeader +
				"worker            4711 svcapp     5  rw---    TCP       sockfs     8    90377 state=close-wait laddr=10.0.3.17:8443 raddr=10.0.3.40:51872\n",
			lines: facts.LineCounts{Total: 3, Parsed: 2, Ignored: 1},
			procs: []proc{{4711, "worker", -1, map[string]int64{"TCP": 1}}},
			names: []string{"TCP 10.0.3.17:8443 -> 10.0.3.40:51872 (CLOSE_WAIT)"},
			diags: []string{"1:" + scan.CodePartial},
		},
		{
			name: "a pipe through head cuts the listing; lsfd run in a container",
			text: "$ kubectl exec web-0 -- lsfd -p 1 | head -n 2\n" +
				"COMMAND PID USER  ASSOC MODE TYPE  SOURCE MNTID      INODE NAME\n" +
				"sleep     1 root    exe  ---  REG overlay     0    1255122 /usr/bin/sleep\n",
			lines: facts.LineCounts{Total: 3, Parsed: 2, Ignored: 1},
			procs: []proc{{1, "sleep", -1, map[string]int64{}}},
			diags: []string{"1:" + scan.CodePartial},
		},
		{
			name:  "a pipe through sort and less passes every row",
			text:  "$ sudo lsfd -p 12 | sort | less\n" + defaultHeader + "w 12 u cwd r---- DIR sda 1 2 /\nw 12 u 3 rw--- REG sda 1 9 /a\n",
			lines: facts.LineCounts{Total: 4, Parsed: 3, Ignored: 1},
			procs: []proc{{12, "w", 1, map[string]int64{"file": 1}}},
			names: []string{"file /a"},
		},
		{
			name:  "rows without a header (lsfd -n) in the default columns' shape",
			text:  "worker            4711 svcapp     5  rw---    TCP       sockfs     8    90377 state=listen laddr=0.0.0.0:8443\n",
			lines: facts.LineCounts{Total: 1, Parsed: 1},
			procs: []proc{{4711, "worker", -1, map[string]int64{"TCP": 1}}},
			names: []string{"TCP 0.0.0.0:8443 (LISTEN)"},
			diags: []string{"1:" + CodeNoHeadings, "1:" + scan.CodePartial},
		},
		{
			name: "lsfd -n after its command, 2.38's MODE, a command of two words",
			text: "$ sudo lsfd -n -p 9120\n" +
				"Web Content      9120 alice   cwd r--   DIR  dm-1    28     2 /\n" +
				"Web Content      9120 alice    44 rw-  UNIX sockfs    8 71234\n",
			lines: facts.LineCounts{Total: 3, Parsed: 2, Ignored: 1},
			procs: []proc{{9120, "Web Content", 1, map[string]int64{"UNIX": 1}}},
			names: []string{"UNIX unix:[71234]"},
		},
		{
			name: "lsfd -n -o names the columns",
			text: "$ lsfd -n -o PID,TYPE,ASSOC,NAME -p 812\n" +
				"812   REG     3 /var/log/app.log\n" +
				"812 eventpoll 4 tfds=3\n",
			lines: facts.LineCounts{Total: 3, Parsed: 2, Ignored: 1},
			procs: []proc{{812, "", -1, map[string]int64{"file": 1, "eventpoll": 1}}},
			names: []string{"file /var/log/app.log"},
			diags: []string{"2:" + scan.CodePartial},
		},
		{
			name: "lsfd -n -o without ASSOC is not read, and says why",
			text: "$ lsfd -n -o PID,TYPE,NAME\n" +
				"812   REG /var/log/app.log\n",
			lines: facts.LineCounts{Total: 2, Ignored: 1, Unrecognized: 1},
			diags: []string{"1:" + CodeNoHeadings, "2:" + facts.CodeUnrecognized},
		},
		{
			name:  "lsof's rows without a header are not in lsfd's shape",
			text:  "worker 4711 svcapp    3u   REG  259,2     4096  393301 /srv/queue/jobs.db\n",
			lines: facts.LineCounts{Total: 1, Unrecognized: 1},
			diags: []string{"1:" + facts.CodeUnrecognized},
		},
		{
			name:  "a descriptor shown twice",
			text:  defaultHeader + "w 12 u cwd r---- DIR sda 1 2 /\nw 12 u 3 rw--- REG sda 1 9 /a\nw 12 u 3 rw--- REG sda 1 9 /a\n",
			lines: facts.LineCounts{Total: 4, Parsed: 4},
			procs: []proc{{12, "w", 1, map[string]int64{"file": 1}}},
			names: []string{"file /a"},
			diags: []string{"4:" + facts.CodeDuplicate},
		},
		{
			name: "a later command lists a process again: no joined captures",
			text: "$ lsfd -p 12\n" + defaultHeader + "w 12 u cwd r---- DIR sda 1 2 /\nw 12 u 3 rw--- REG sda 1 9 /a\n" +
				"$ lsfd -p 12 | head -3\n" + defaultHeader + "w 12 u cwd r---- DIR sda 1 2 /\nw 12 u 3 rw--- REG sda 1 9 /a\n",
			lines: facts.LineCounts{Total: 8, Parsed: 6, Ignored: 2},
			procs: []proc{{12, "w", -1, map[string]int64{"file": 1}}},
			names: []string{"file /a"},
			diags: []string{"5:" + scan.CodePartial, "8:" + facts.CodeDuplicate},
		},
		{
			name: "-o without TYPE, the command wrapped onto a second line: kinds by NAME",
			text: "# lsfd -oCOMMAND,PID,USER,ASSOC,SOURCE,MNTID,NAME\n         -Q '(FD >= 0)'\n" +
				"COMMAND    PID USER ASSOC SOURCE MNTID NAME\n" +
				"contosod   812 root     3 sockfs     8 state=listen laddr=0.0.0.0:8443\n" +
				"contosod   812 root     4 pipefs    14 pipe:[88120]\n" +
				"contosod   812 root     5 nvme0n1   30 /var/log/contoso.log\n",
			lines: facts.LineCounts{Total: 6, Parsed: 4, Ignored: 2},
			procs: []proc{{812, "contosod", -1, map[string]int64{"socket": 1, "pipe": 1, "file": 1}}},
			names: []string{"file /var/log/contoso.log", "pipe pipe:[88120]", "socket state=listen laddr=0.0.0.0:8443"},
			diags: []string{"2:" + scan.CodePartial},
		},
		{
			name: "lsfd | wc -l under time: a count of lines, then the shell's times",
			text: "# time lsfd | wc -l\n216088\n\nreal\t0m4.811s\nuser\t0m3.638s\nsys\t0m1.196s\n" +
				"# lsfd -p 12 | grep REG | wc -l\n1\n",
			lines: facts.LineCounts{Total: 8, Parsed: 2, Ignored: 6},
			diags: []string{"2:" + CodeLsfdCount, "7:" + scan.CodePartial, "8:" + CodeLsfdCount},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := read(t, tc.text)
			if diff := cmp.Diff(tc.lines, snap.Sources[0].Lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s\n%+v", diff, snap.Diagnostics)
			}
			var procs []proc
			for _, p := range snap.Processes {
				n := int64(-1)
				if p.HandleCount != nil {
					n = *p.HandleCount
				}
				procs = append(procs, proc{p.PID, p.Image, n, p.ByType})
			}
			if diff := cmp.Diff(tc.procs, procs); diff != "" {
				t.Errorf("processes (-want +got):\n%s", diff)
			}
			if len(snap.Processes) > 0 {
				var names []string
				for _, n := range snap.Processes[0].TopNames {
					names = append(names, n.Type+" "+n.Name)
				}
				if diff := cmp.Diff(tc.names, names, sortStrings); diff != "" {
					t.Errorf("names (-want +got):\n%s", diff)
				}
			}
			var diags []string
			for _, d := range snap.Diagnostics {
				diags = append(diags, fmt.Sprintf("%d:%s", d.Line, d.Code))
			}
			if diff := cmp.Diff(tc.diags, diags); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%+v", diff, snap.Diagnostics)
			}
		})
	}
}

// TestSniff: lsfd's header with a row is lsfd's; lsof's listing, ps's,
// lsfd's rows without the header and its header alone are not.
func TestSniff(t *testing.T) {
	row := "worker            4711 svcapp     3  rw---    REG    nvme0n1p2    30   393301 /srv/queue/jobs.db\n"
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"header and row", defaultHeader + row, true},
		{"after a prompt, in a fence", "```\n$ lsfd -p 4711\n" + defaultHeader + row + "```\n", true},
		{"header alone", defaultHeader, false},
		{"two rows alone", row + row, false},
		{"three rows alone, in the default columns' shape", row + row + row, true},
		{"lsfd -n and a row", "$ lsfd -n -p 4711\n" + row, true},
		{"lsof's rows without a header", strings.Repeat("worker 4711 svcapp    3u   REG  259,2     4096  393301 /srv/queue/jobs.db\n", 4), false},
		{"lsof", "COMMAND   PID   USER   FD   TYPE DEVICE SIZE/OFF    NODE NAME\nworker 4711 svcapp    3u   REG  259,2     4096  393301 /srv/queue/jobs.db\n", false},
		{"ps", "  PID TTY          TIME CMD\n 4711 ?        00:00:01 worker\n", false},
	}
	for _, tc := range tests {
		if got := Sniff([]byte(tc.text)); got != tc.want {
			t.Errorf("%s: Sniff(%q) = %v, want %v", tc.name, tc.text, got, tc.want)
		}
	}
}

// TestReadBounded reads more processes than the reader keeps: the rest
// are said and not read, every line accounted for.
func TestReadBounded(t *testing.T) {
	var buf bytes.Buffer
	buf.WriteString("PID ASSOC TYPE NAME\n")
	for pid := 1; pid <= processLimit+10; pid++ {
		fmt.Fprintf(&buf, "%d 3 REG /a\n", pid)
	}
	snap := read(t, buf.String())
	if n := len(snap.Processes); n != processLimit {
		t.Errorf("%d processes, want %d", n, processLimit)
	}
	l := snap.Sources[0].Lines
	if l.Parsed+l.Ignored+l.Unrecognized != l.Total {
		t.Errorf("lines %+v do not add up", l)
	}
}

var sortStrings = cmpSortStrings()

// TestSocketStatesBounded: a process's TCP sockets are counted by the
// states TCP has, whatever words the rows carry after "state=", so that
// a capture cannot grow the counts into a map of its own words; a word
// that is no state leaves the socket uncounted and its name without one.
func TestSocketStatesBounded(t *testing.T) {
	var buf bytes.Buffer
	buf.WriteString("PID ASSOC TYPE NAME\n1 cwd DIR /\n")
	for fd := 3; fd < 1003; fd++ {
		fmt.Fprintf(&buf, "1 %d TCP state=bogus%d laddr=10.0.0.1:%d\n", fd, fd, fd)
	}
	buf.WriteString("1 2000 TCP state=close-wait laddr=10.0.0.1:1 raddr=10.0.0.2:2\n")
	snap := read(t, buf.String())
	if len(snap.Processes) != 1 {
		t.Fatalf("%d processes, want 1", len(snap.Processes))
	}
	want := map[string]int64{"CLOSE_WAIT": 1}
	if diff := cmp.Diff(want, snap.Processes[0].SocketStates); diff != "" {
		t.Errorf("socket states (-want +got):\n%s", diff)
	}
}

// TestRelistedByLaterCommand: a process a later lsfd command lists again
// repeats its descriptors, said as information, not as the warning of
// joined captures a descriptor listed twice under one command is.
func TestRelistedByLaterCommand(t *testing.T) {
	rows := defaultHeader + "w 12 u cwd r---- DIR sda 1 2 /\nw 12 u 3 rw--- REG sda 1 9 /a\n"
	for _, tc := range []struct {
		name, text string
		want       facts.Severity
	}{
		{"two commands", "$ lsfd -p 12\n" + rows + "$ lsfd -p 12\n" + rows, facts.SevInfo},
		{"one command", "$ lsfd -p 12\n" + rows + rows, facts.SevWarning},
	} {
		snap := read(t, tc.text)
		var got []facts.Severity
		for _, d := range snap.Diagnostics {
			if d.Code == facts.CodeDuplicate {
				got = append(got, d.Severity)
			}
		}
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s: duplicate diagnostics of severities %v, want one %v", tc.name, got, tc.want)
		}
	}
}
