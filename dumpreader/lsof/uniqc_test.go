package lsof

import (
	"testing"
)

// TestUniqCountRows checks rows an author counted with uniq -c: each is
// read after its count, a descriptor once however many times it came;
// the capture is taken for lsof's without a header or a command; a line
// whose count is followed by no row, and a busybox row, are not read so.
func TestUniqCountRows(t *testing.T) {
	const capture = "      1 contoso   4321 root  cwd    DIR  259,2     4096   3 /srv/contoso\n" +
		"      1 contoso   4321 root  rtd    DIR  259,2     4096   2 /\n" +
		"      1 contoso   4321 root  txt    REG  259,2   812344  91 /usr/bin/contoso\n" +
		"      1 contoso   4321 root   41u   DIR  0,286        6  96 /run\n" +
		"      3 contoso   4321 root   42u   REG  0,286     1172  45 /etc/passwd\n" +
		"      1 contoso   4321 root   43u  IPv4  91333      0t0 TCP 10.0.3.17:43107->10.0.9.4:5432 (CLOSE_WAIT)\n"
	if !Sniff([]byte(capture)) {
		t.Fatalf("Sniff: rows after uniq -c's counts not taken for lsof's")
	}
	checkParallel(t, "uniq -c", capture)
	snap := readLsofBytes(t, []byte(capture), "uniq.txt")
	p := lsofProcess(t, snap, 4321)
	if p.Image != "contoso" || p.HandleCount == nil || *p.HandleCount != 3 || p.SocketStates["CLOSE_WAIT"] != 1 {
		t.Errorf("read image %q, count %v, states %v; want contoso, 3, one CLOSE_WAIT", p.Image, p.HandleCount, p.SocketStates)
	}
	if u := snap.Sources[0].Lines.Unrecognized; u != 0 {
		t.Errorf("%d lines unrecognized, want 0", u)
	}
	found := false
	for _, d := range snap.Diagnostics {
		if d.Code == CodeUniqCount {
			found = true
			if d.Line != 1 {
				t.Errorf("%s diagnostic at line %d, want 1", CodeUniqCount, d.Line)
			}
		}
	}
	if !found {
		t.Errorf("no %s diagnostic", CodeUniqCount)
	}

	const notRows = "      2 contoso\n      7 1234 /bin/busybox\n"
	if Sniff([]byte(notRows)) {
		t.Errorf("Sniff took counts before no row for lsof's")
	}
}
