package lsof

import (
	"testing"
)

// TestBlankCommandRows checks rows without a COMMAND (toybox's lsof
// leaves it blank; authors cut long ones): each is read from the pid on,
// its image unknown, its deleted file counted; the capture is taken for
// lsof's; a busybox row and a ps row are not read so.
func TestBlankCommandRows(t *testing.T) {
	const capture = "12391    u0_a120  282w      REG              253,0     28716      33632 /data/data/com.contoso.app/cache/logs-v2/7001 (deleted)\n" +
		"12391    u0_a120  283w      REG              253,0     28716      33632 /data/data/com.contoso.app/cache/logs-v2/7001 (deleted)\n" +
		"12391    u0_a120  284w      REG              253,0     25403      33647 /data/data/com.contoso.app/cache/logs-v2/7002\n" +
		"12391    u0_a120   61u     IPv4            9920113       0t0        TCP 10.0.2.15:40312->10.0.9.4:443 (ESTABLISHED)\n"
	if !Sniff([]byte(capture)) {
		t.Fatalf("Sniff: rows without COMMAND not taken for lsof's")
	}
	checkParallel(t, "no command", capture)
	snap := readLsofBytes(t, []byte(capture), "blank.txt")
	p := lsofProcess(t, snap, 12391)
	if p.Image != "" || p.HandlesParsed != 4 || p.DeletedFDs != 2 || p.SocketStates["ESTABLISHED"] != 1 {
		t.Errorf("read image %q, %d parsed, %d deleted, states %v; want no image, 4, 2, one ESTABLISHED",
			p.Image, p.HandlesParsed, p.DeletedFDs, p.SocketStates)
	}
	if u := snap.Sources[0].Lines.Unrecognized; u != 0 {
		t.Errorf("%d lines unrecognized, want 0", u)
	}
	found := false
	for _, d := range snap.Diagnostics {
		found = found || d.Code == CodeNoCommand
	}
	if !found {
		t.Errorf("no %s diagnostic", CodeNoCommand)
	}

	for _, text := range []string{
		"12391 /system/bin/app_process64 282 /data/data/com.contoso.app/cache/7001\n12391 /system/bin/app_process64 283 /dev/null\n",
		"    1 root      0:01 /sbin/init\n  412 root      0:00 /usr/sbin/contosod -f\n",
	} {
		if Sniff([]byte(text)) {
			t.Errorf("Sniff took %q for lsof's", text)
		}
	}
}
