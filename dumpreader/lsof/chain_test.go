package lsof

import (
	"strings"
	"testing"
)

// TestChainedCommands checks a command line of several commands, each of
// whose output the lines after it hold in turn: every count an lsof
// command piped into wc printed, and the time a date printed, are
// accounted for (none is an unrecognized line), the rows after them are
// read with the last lsof command, and a capture of such counts alone is
// read as lsof's, not refused.
func TestChainedCommands(t *testing.T) {
	const row = "contoso 4242 app  729u  IPv4  73013      0t0  TCP localhost:40698->localhost:6379 (ESTABLISHED)\n"
	tests := []struct {
		name, text string
		counts     int   // lsof-count diagnostics
		fds        int64 // rows read for pid 4242, -1 for no process
	}{
		{"counts around a reload, a Gentoo prompt",
			"www-data@dev03 ~ # lsof | grep contoso | wc -l; kill -HUP `ps aux | grep 'contoso: master' | awk '{print $2}'`; sleep 2; lsof | grep contoso |  wc -l\n361\n368\n",
			2, -1},
		{"a date, a count, then the last row",
			"ann@box:~$ date && sudo lsof -i -a -p 4242 | wc -l && sudo lsof -i -a -p 4242 | tail -n 1\nThursday 5 April  16:03:39 AEST 2018\n727\n" + row,
			1, 1},
		{"a date and a count, twice",
			"# date && lsof -p 4242 |wc -l\nThu Aug 25 08:53:01 EDT 2016\n9107\n# date && lsof -p 4242 |wc -l\nThu Aug 25 10:00:30 EDT 2016\n13142\n" + row,
			2, 1},
		{"a pipe glued to lsof's name in a chain",
			"# lsof|grep -c contoso; sleep 60; lsof|grep -c contoso\n118203\n118210\n",
			2, -1},
		{"a semicolon in a quoted pattern is no second command",
			"$ lsof -p 4242 | grep 'a;b' | wc -l\n12\n" + row,
			1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkParallel(t, tc.name, tc.text)
			if !Sniff([]byte(tc.text)) && !SniffCount([]byte(tc.text)) {
				t.Fatalf("Sniff, SniffCount = false, want one true")
			}
			snap := readLsofBytes(t, []byte(tc.text), "chain.txt")
			if u := snap.Sources[0].Lines.Unrecognized; u != 0 {
				t.Errorf("%d lines unrecognized, want 0", u)
			}
			counts := 0
			for _, d := range snap.Diagnostics {
				if d.Code == CodeLsofCount {
					counts++
				}
			}
			if counts != tc.counts {
				t.Errorf("%d lsof-count diagnostics, want %d", counts, tc.counts)
			}
			if tc.fds >= 0 {
				if p := lsofProcess(t, snap, 4242); p.HandlesParsed != tc.fds {
					t.Errorf("%d descriptors read, want %d", p.HandlesParsed, tc.fds)
				}
			}
		})
	}
}

// TestChainBound checks that a line of endless chained commands is cut
// at maxChain of them, and still read.
func TestChainBound(t *testing.T) {
	line := strings.Repeat("lsof -p 4242 | wc -l; ", 10000)
	c, ok := chainOf([]byte(line))
	if !ok || len(c.counts) > maxChain {
		t.Errorf("chainOf(10000 commands) = %d counts, %v; want at most %d", len(c.counts), ok, maxChain)
	}
}
