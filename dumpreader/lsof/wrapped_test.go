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

// TestTermFoldedRowNames: a paste of a terminal's screen keeps where the
// terminal cut rows longer than it is wide: the end of a NAME at the
// start of the next line, not indented. Such a word, after a row at
// least as long as every row before it, is noted, not left unrecognized
// (it was an unrecognized line each); a count after a row still is not
// read so.
func TestTermFoldedRowNames(t *testing.T) {
	const pad = "/srv/contoso/data/nodes/0/indices/fabrikam-index/2/index/segments-of-a-long-path/and-more"
	capture := "java    4242 contoso  875r      REG                8,3      5285 2148641170 " + pad + "/_1.cfs\n" +
		"java    4242 contoso  876r      REG                8,3  37509255 2148680299 " + pad + "/_16d1_0.d\n" +
		"vd\n" +
		"java    4242 contoso  877r      REG                8,3 117618112 2148651284 " + pad + "/_26gh_0.d\n" +
		"oc\n" +
		"java    4242 contoso  879r      REG                8,3 766023672 2148651289 " + pad + "/_26.fdt\n"
	snap := readLsofBytes(t, []byte(capture), "cut.txt")
	checkLsofLines(t, snap, "cut.txt")
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
		t.Errorf("%d lines unrecognized, want 0: %+v", l.Unrecognized, snap.Diagnostics)
	}
	if p := lsofProcess(t, snap, 4242); p.HandlesParsed != 4 {
		t.Errorf("%d descriptors read, want 4", p.HandlesParsed)
	}
	var noted bool
	for _, d := range snap.Diagnostics {
		noted = noted || d.Code == facts.CodeRepaired && d.Line == 3
	}
	if !noted {
		t.Errorf("no diagnostic at line 3 says the rows were cut: %+v", snap.Diagnostics)
	}

	// A shorter row than one before it is no terminal's width; a number
	// is no NAME's end.
	for name, text := range map[string]string{
		"shorter row": "java    4242 contoso  876r      REG                8,3  37509255 2148680299 " + pad + "/_16d1_0.doc\n" +
			"java    4242 contoso  875r      REG                8,3      5285 2148641170 " + pad + "/_1.cfs\n" + "vd\n",
		"a count": "java    4242 contoso  876r      REG                8,3  37509255 2148680299 " + pad + "/_16d1_0.d\n" + "845\n",
	} {
		snap := readLsofBytes(t, []byte(text), "notcut.txt")
		if l := snap.Sources[0].Lines; l.Unrecognized != 1 {
			t.Errorf("%s: %d lines unrecognized, want 1", name, l.Unrecognized)
		}
	}
}
