package lsof

import (
	"strings"
	"testing"
)

// TestSummary checks a summary of lsof's rows, counts per value of a
// column (awk or cut, then uniq -c, or an awk that counts): its lines are
// the command's output, no descriptor and no unrecognized line; a capture
// of one alone is lsof's; one diagnostic names the largest count; and a
// line that is a whole row after its count is still read as a row.
func TestSummary(t *testing.T) {
	tests := []struct {
		name, text string
		largest    string // in the lsof-summary diagnostic
		fds        int64  // rows read for pid 4242, -1 for no process
	}{
		{"counts per pid",
			"lsof | awk '{ print $2; }' | sort -rn | uniq -c | sort -rn | head\n  22116 4242\n   3146 4343\n   2480 4444\n",
			`22116 "4242" at line 2`, -1},
		{"counts per command, then rows",
			"sudo lsof | cut -d ' ' -f1 | sort | uniq -c | sort -n | tail\n    339 contoso\n  73615 fabrikam\n\nAdd a lot of file descriptor like\n" +
				"fabrikam  4242                   app   43u      REG                9,2  170188800    8138552 /srv/db/base/16402/486815881\n" +
				"fabrikam  4242                   app   44u      REG                9,2 1043021824    8130679 /srv/db/base/16402/439059455\n",
			`73615 "fabrikam" at line 3`, 2},
		{"sudo's prompt, then counts",
			" sudo lsof -n | cut -f1 -d' ' | uniq -c | sort | tail\nPassword:\n 381 contoso\n4914 fabrikam\n",
			`4914 "fabrikam"`, -1},
		{"a count of lines the cut left empty",
			"lsof -n | grep contoso | cut -d'/' -f2- | sort | uniq -c\n    182 \n    363 dev/null\n     91 lib64/libc-2.19.so\n",
			`363 "dev/null"`, -1},
		{"an awk that counts per process",
			"sudo lsof -u app | awk '$4 ~ /[0-9]+[rwu -].*/{p[$1\"\\t\"$2]=p[$1\"\\t\"$2]+1}END{for (i in p) print p[i],i}' | sort -n | tail\n20 httpd\t4343\n4094 contoso\t4242\n",
			`4094 "contoso\t4242"`, -1},
		{"a whole row after its count is a row",
			"$ sudo lsof -p 4242 | grep TCP | cut -d'>' -f2 | sort -n | uniq -c| sort -n\n      1 localhost:43364 (ESTABLISHED)\n" +
				"      1 contoso 4242 root   26u  IPv4 46510232      0t0      TCP localhost:9090 (LISTEN)\n    169 10.0.0.9:http-alt (ESTABLISHED)\n",
			`169 "10.0.0.9:http-alt (ESTABLISHED)"`, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkParallel(t, tc.name, tc.text)
			if !Sniff([]byte(tc.text)) && !SniffCount([]byte(tc.text)) {
				t.Fatalf("Sniff, SniffCount = false, want one true")
			}
			snap := readLsofBytes(t, []byte(tc.text), "summary.txt")
			unrec := int64(0)
			if strings.Contains(tc.text, "Add a lot") {
				unrec = 1 // the prose
			}
			if u := snap.Sources[0].Lines.Unrecognized; u != unrec {
				t.Errorf("%d lines unrecognized, want %d", u, unrec)
			}
			msg := ""
			for _, d := range snap.Diagnostics {
				if d.Code == CodeLsofSummary {
					msg = d.Message
				}
			}
			if !strings.Contains(msg, "the largest, "+tc.largest) {
				t.Errorf("lsof-summary diagnostic %q, want one naming %s", msg, tc.largest)
			}
			if tc.fds < 0 {
				if len(snap.Processes) != 0 {
					t.Errorf("%d processes read, want none", len(snap.Processes))
				}
			} else if p := lsofProcess(t, snap, 4242); p.HandlesParsed != tc.fds || p.HandleCount != nil {
				t.Errorf("pid 4242: %d descriptors read, count %v; want %d, none", p.HandlesParsed, p.HandleCount, tc.fds)
			}
		})
	}
}
