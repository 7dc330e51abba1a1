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
