package lsof

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestFoldedRowNames: a page that folded rows, their names on the next
// line indented deeper than the rows, is read without those lines, which
// are noted, not left unrecognized; prose after the listing, not indented
// deeper than its rows, still is.
func TestFoldedRowNames(t *testing.T) {
	const capture = `   $ lsof -a -p 605 -d ^txt
   COMMAND  PID USER   FD   TYPE  DEVICE SIZE/OFF     NODE NAME
   mailer   605 root  cwd   VDIR  136,8     1024    23554 /var/spool/mqueue
   mailer   605 root    3r  DOOR             0t0       58
           /var/run/name_service_door(door to nscd[81]) (FA:->0x30002b156c0)
   mailer   605 root    4w  VCHR  21,0           11010052
                           /devices/pseudo/log@0:conslog->LOG
   mailer   605 root    5u  IPv4 0x300010ea640      0t0      TCP *:smtp (LISTEN)
   The final file descriptor is write-only.
`
	snap := readLsofBytes(t, []byte(capture), "folded.txt")
	if l := snap.Sources[0].Lines; l.Unrecognized != 1 {
		t.Errorf("%d lines unrecognized, want the prose line only: %+v", l.Unrecognized, snap.Diagnostics)
	}
	p := lsofProcess(t, snap, 605)
	if p.HandlesParsed != 3 {
		t.Errorf("%d descriptors read, want 3", p.HandlesParsed)
	}
	var noted bool
	for _, d := range snap.Diagnostics {
		noted = noted || d.Code == facts.CodeRepaired && d.Line == 5
	}
	if !noted {
		t.Errorf("no diagnostic at line 5 says the rows were folded: %+v", snap.Diagnostics)
	}
}
