package lsof

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// flatListing is lsof's listing of one process as a page that lost its
// line breaks shows it: header, rows and elisions on one line.
const flatListing = "COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME " +
	"java 4242 contoso cwd DIR 252,2 4096 2621584 /srv/fabrikam " +
	"java 4242 contoso rtd DIR 252,0 4096 2 / " +
	"java 4242 contoso txt REG 252,2 7734 2885001 /opt/jre/bin/java " +
	"java 4242 contoso mem REG 252,0 161704 1310723 /lib64/ld-2.12.so [...] " +
	"java 4242 contoso 0r CHR 1,3 0t0 26 /dev/null " +
	"java 4242 contoso 3w REG 252,2 48759 2753619 /srv/fabrikam/gc.log " +
	"java 4242 contoso 4r REG 252,2 65944582 2884909 /opt/jre/lib/rt.jar " +
	"java 4242 contoso 5u IPv4 39331 0t0 TCP *:8080 (LISTEN) [...]\n"

// TestReadFlattenedListing: a listing flattened onto one line is cut
// back into its header, rows and elisions and read (it was one line
// that did not parse, and the capture refused).
func TestReadFlattenedListing(t *testing.T) {
	snap := readLsofBytes(t, []byte("$ lsof -p 4242\n"+flatListing), "flat.txt")
	checkLsofLines(t, snap, "flat.txt")
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 || l.Parsed != 2 {
		t.Errorf("lines %+v, want 2 parsed, none unrecognized", l)
	}
	p := lsofProcess(t, snap, 4242)
	if p.HandlesParsed != 4 || p.Image != "java" {
		t.Errorf("%s with %d descriptors, want java with 4", p.Image, p.HandlesParsed)
	}
	if p.HandleCount != nil {
		t.Errorf("count %d set, want none: the listing is elided", *p.HandleCount)
	}
	var repaired, elisions int
	for _, d := range snap.Diagnostics {
		switch d.Code {
		case facts.CodeRepaired:
			repaired++
		case facts.CodeElision:
			elisions++
		}
	}
	if repaired != 1 || elisions != 2 {
		t.Errorf("%d repaired and %d elision diagnostics, want 1 and 2: %+v", repaired, elisions, snap.Diagnostics)
	}
	checkParallel(t, "flattened", flatListing+flatListing)
}

// TestFlattenedPieces checks which lines are cut, and where.
func TestFlattenedPieces(t *testing.T) {
	if got := flattenedPieces([]byte(flatListing[:len(flatListing)-1]), nil); len(got) != 11 {
		t.Errorf("%d pieces, want 11 (header, 8 rows, 2 elisions): %q", len(got), got)
	}
	for _, line := range []string{
		// A header alone, aligned as lsof prints it.
		"COMMAND     PID   TID TASKCMD               USER   FD      TYPE             DEVICE  SIZE/OFF       NODE NAME",
		// One row after the header: nothing to say it was flattened.
		"COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME java 4242 contoso cwd DIR 252,2 4096 2621584 /srv/fabrikam",
		// Prose.
		"COMMAND and PID are the first columns lsof prints, and NAME the last one of every row it prints for java 4242 java 4242 ",
	} {
		if got := flattenedPieces([]byte(line), nil); len(got) != 0 {
			t.Errorf("flattenedPieces(%q) = %q, want none", line, got)
		}
	}
}

// flatSeveral is a listing of several processes flattened onto one line,
// its TID column blank and an elision before the first row, as a wiki
// shows an example of lsof's output.
const flatSeveral = "COMMAND PID TID USER FD TYPE DEVICE SIZE/OFF NODE NAME ... " +
	"agent 2678 ann 3u unix 0xffff88013e71cac0 0t0 7624 /tmp/agent.sock " +
	"agent 2678 ann 6w FIFO 0,8 0t0 4795 pipe " +
	"sshd 3031 root cwd DIR 8,6 4096 2 / " +
	"sshd 3031 root rtd DIR 8,6 4096 2 / " +
	"sshd 3031 root txt REG 8,6 517088 1053360 /usr/sbin/sshd " +
	"sshd 3031 root 0u CHR 1,3 0t0 1028 /dev/null " +
	"sshd 3031 root 3u IPv4 8026 0t0 TCP *:22 (LISTEN) " +
	"web 4242 1000 5u IPv4 68343 0t0 TCP 10.0.0.5:56194->10.0.0.9:443 (ESTABLISHED) ...\n"

// TestReadFlattenedSeveral: a flattened listing of several processes is
// cut before each process's rows, not only the first's (it was refused).
func TestReadFlattenedSeveral(t *testing.T) {
	snap := readLsofBytes(t, []byte(flatSeveral), "flat-several.txt")
	checkLsofLines(t, snap, "flat-several.txt")
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
		t.Errorf("lines %+v, want none unrecognized", l)
	}
	for pid, want := range map[uint64]int64{2678: 2, 3031: 2, 4242: 1} {
		if p := lsofProcess(t, snap, pid); p.HandlesParsed != want {
			t.Errorf("pid %d: %d descriptors, want %d", pid, p.HandlesParsed, want)
		}
	}
	if p := lsofProcess(t, snap, 3031); p.HandleCount == nil || *p.HandleCount != 2 {
		t.Errorf("sshd's count %v, want 2: its rows are whole", p.HandleCount)
	}
	checkParallel(t, "flattened several", flatSeveral+flatSeveral)
	// A sentence that names two programs and their pids is no listing.
	for _, line := range []string{
		"COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME are the columns; sshd 3031 root 3u is a row, and so is web 4242 ann 5u",
	} {
		if got := flattenedPieces([]byte(line), nil); len(got) != 0 {
			t.Errorf("flattenedPieces(%q) = %q, want none", line, got)
		}
	}
}
