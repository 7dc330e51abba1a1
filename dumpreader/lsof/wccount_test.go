package lsof

import (
	"strings"
	"testing"
)

// TestWcCountAndDirPrompt checks the count `lsof ... | wc -l` (or `|
// grep -c`) prints: it is the command's output, said to be no descriptor count (a filter
// before wc counts the rows it kept), not an unrecognized line; and the
// commands after a prompt of the working directory alone ("~ lsof") or
// the second line of a two-line prompt ("└─$ lsof"), whose first line is
// no text of the capture.
func TestWcCountAndDirPrompt(t *testing.T) {
	rows := "agent   4242 app   40u  IPv4 912345      0t0  TCP 10.0.0.5:41000->10.0.0.9:443 (CLOSE_WAIT)\n" +
		"agent   4242 app   41u  IPv4 912346      0t0  TCP 10.0.0.5:41002->10.0.0.9:443 (CLOSE_WAIT)\n"
	tests := []struct {
		name, text string
		want       string // in the lsof-count diagnostic; "" for none
		unrec      int64
	}{
		{"lsof piped into wc", "$ sudo lsof -c agent | wc -l\n1033\n$ lsof -i -a -p 4242\n" + rows, "1033 lines of lsof counted by wc: they count its header", 0},
		{"through a grep", "$ lsof -p 4242 | grep CLOSE_WAIT | wc -l\n   97\n$ lsof -i -a -p 4242\n" + rows, "97 lines of lsof, through | grep, counted", 0},
		{"grep -c counts the lines it keeps", "# lsof -p 4242| grep -c \"protocol: UNIX\"\n64\n$ lsof -i -a -p 4242\n" + rows, "64 lines of lsof, through | grep, counted", 0},
		{"a pipe glued to lsof's name", "root@db01:~# lsof|grep -c contoso\n118203\n$ lsof -i -a -p 4242\n" + rows, "118203 lines of lsof, through | grep", 0},
		{"grep -ic too", "$ lsof -p 4242 | grep -ic close_wait\n97\n$ lsof -i -a -p 4242\n" + rows, "97 lines of lsof, through | grep", 0},
		{"a grep for a pattern that starts with c counts nothing", "$ lsof -p 4242 | grep -- -c\n97\n$ lsof -i -a -p 4242\n" + rows, "", 1},
		{"a directory prompt", "~ lsof -p 4242| grep TCP | wc -l\n97\n~ lsof -i -a -p 4242\n" + rows, "97 lines of lsof, through | grep", 0},
		{"two-line prompts", "╭─root@web01 /home/ops\n╰─# lsof  -p 4242 | wc -l\n37\n┌──(kali㉿kali)-[~]\n└─$ lsof -i -a -p 4242\n" + rows + "┌──(kali㉿kali)-[~]\n└─$\n", "37 lines of lsof counted by wc", 0},
		{"bare prompts after the output", "[admin@db01 ops]$ sudo lsof -p 4242 | wc -l\n37\n[admin@db01 ops]$\n$ lsof -i -a -p 4242\n" + rows + "root@db01:~#\n$\n", "37 lines of lsof counted by wc", 0},
		{"wc -c counts bytes, not lines", "$ lsof -p 4242 | wc -c\n80123\n$ lsof -i -a -p 4242\n" + rows, "", 1},
		{"a number with no wc before it", "$ lsof -i -a -p 4242\n97\n" + rows, "", 1},
		{"prose after a tilde", "~ roughly a thousand of them\n" + rows, "", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readLsofBytes(t, []byte(tc.text), "wc.txt")
			if got := snap.Sources[0].Lines.Unrecognized; got != tc.unrec {
				t.Errorf("%d lines unrecognized, want %d", got, tc.unrec)
			}
			msg := ""
			for _, d := range snap.Diagnostics {
				if d.Code == CodeLsofCount {
					msg = d.Message
				}
			}
			if tc.want == "" && msg != "" || !strings.Contains(msg, tc.want) {
				t.Errorf("lsof-count diagnostic %q, want one saying %q", msg, tc.want)
			}
			if p := lsofProcess(t, snap, 4242); p.HandlesParsed != 2 {
				t.Errorf("%d descriptors read, want 2", p.HandlesParsed)
			}
		})
	}
}
