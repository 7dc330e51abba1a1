package lsof

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestRelistedByLaterCommand: a process a second lsof command lists again
// repeats the rows of the first listing, as expected of two commands: the
// repeats are counted once and noted as such, not warned about as joined
// captures; a descriptor repeated under one command still is.
func TestRelistedByLaterCommand(t *testing.T) {
	const capture = `$ lsof +D /var/log
COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF   NODE NAME
logd     123 root    5w   REG    8,1    12345 123456 /var/log/syslog
$ lsof /var/log/syslog
COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF   NODE NAME
logd     123 root    5w   REG    8,1    12345 123456 /var/log/syslog
`
	snap := readLsofBytes(t, []byte(capture), "relisted.txt")
	p := lsofProcess(t, snap, 123)
	if p.HandlesParsed != 1 {
		t.Errorf("%d descriptors read, want the one descriptor once", p.HandlesParsed)
	}
	var sev []facts.Severity
	for _, d := range snap.Diagnostics {
		if d.Code == facts.CodeDuplicate {
			sev = append(sev, d.Severity)
		}
	}
	if len(sev) != 1 || sev[0] != facts.SevInfo {
		t.Errorf("duplicate diagnostics of severities %v, want one info: %+v", sev, snap.Diagnostics)
	}

	// Under one command, the same descriptor twice is a joined capture.
	const joined = `$ lsof -p 123
COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF   NODE NAME
logd     123 root  cwd    DIR    8,1     4096      2 /
logd     123 root    5w   REG    8,1    12345 123456 /var/log/syslog
logd     123 root    5w   REG    8,1    12345 123456 /var/log/syslog
`
	snap = readLsofBytes(t, []byte(joined), "joined.txt")
	warned := false
	for _, d := range snap.Diagnostics {
		warned = warned || d.Code == facts.CodeDuplicate && d.Severity == facts.SevWarning
	}
	if !warned {
		t.Errorf("no duplicate warning for a descriptor repeated under one command: %+v", snap.Diagnostics)
	}
}

// TestRelistedGrowth: a process a later lsof command lists again with
// more descriptors is said to have grown between the listings, by how
// many; one listed again unchanged is not.
func TestRelistedGrowth(t *testing.T) {
	const before = `$ lsof -p 4242
COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF   NODE NAME
app     4242 svc   cwd    DIR    8,1     4096      2 /
app     4242 svc     5u   REG    8,1        0 700001 /tmp/spool-1
app     4242 svc     6u   REG    8,1        0 700002 /tmp/spool-2
`
	const after = `$ lsof -p 4242
COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF   NODE NAME
app     4242 svc   cwd    DIR    8,1     4096      2 /
app     4242 svc     5u   REG    8,1        0 700001 /tmp/spool-1
app     4242 svc     6u   REG    8,1        0 700002 /tmp/spool-2
app     4242 svc     7u   REG    8,1        0 700003 /tmp/spool-3
app     4242 svc     8u   REG    8,1        0 700004 /tmp/spool-4
app     4242 svc     9u   REG    8,1        0 700005 /tmp/spool-5
`
	tests := []struct {
		name, text string
		want       string // the growth diagnostic, "" for none
	}{
		{"grown", before + after, "pid 4242 app is listed again by a later lsof listing, with 3 descriptors besides the 2 listed before: opened between the listings (or a listing of other descriptors); its handle count is of all of them"},
		{"unchanged", before + before, ""},
		{"grown, the second listing under its own header alone", before + strings.TrimPrefix(after, "$ lsof -p 4242\n"), "pid 4242 app is listed again by a later lsof listing, with 3 descriptors besides the 2 listed before: opened between the listings (or a listing of other descriptors); its handle count is of all of them"},
		{"one listing", after, ""},
		{"the first listing selected a file", "$ lsof /tmp/spool-1\nCOMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF   NODE NAME\n" +
			"app     4242 svc     5u   REG    8,1        0 700001 /tmp/spool-1\n" + after, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readLsofBytes(t, []byte(tc.text), "relisted.txt")
			got := ""
			for _, d := range snap.Diagnostics {
				if d.Code == CodeRelistedGrowth {
					got = d.Message
				}
			}
			if got != tc.want {
				t.Errorf("growth diagnostic %q, want %q", got, tc.want)
			}
		})
	}
}
