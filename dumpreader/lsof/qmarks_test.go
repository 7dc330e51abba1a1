package lsof

import (
	"slices"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestReadQmarkBlanks: a listing whose non-breaking spaces became '?' is
// detected and read once its header shows the damage; a '?' inside a
// name, not before a blank, is kept, and lines of '?' alone are blank,
// as are the rules of dashes the author framed the paste with.
func TestReadQmarkBlanks(t *testing.T) {
	const text = "----------------------------------------\n?\n$ lsof -p 77\n?\n" +
		"COMMAND? PID USER?? FD?? TYPE DEVICE SIZE/OFF??? NODE NAME\n?\n" +
		"agent?? 77 app?? 3r?? REG??? 8,1???? 1804 2886346 /srv/a?b.txt\n" +
		"agent?? 77 app?? 4u?? IPv4 9012 0t0 TCP *:8080 (LISTEN)\n?\n" +
		"----------------------------------------\n"
	if !Sniff([]byte(text)) {
		t.Fatalf("Sniff = false, want true")
	}
	snap := readLsofBytes(t, []byte(text), "q.txt")
	if len(snap.Processes) != 1 {
		t.Fatalf("processes = %d, want 1", len(snap.Processes))
	}
	p := snap.Processes[0]
	if p.PID != 77 || p.Image != "agent" || p.HandlesParsed != 2 {
		t.Errorf("process = pid %d image %q parsed %d, want 77 agent 2", p.PID, p.Image, p.HandlesParsed)
	}
	if !slices.ContainsFunc(p.TopNames, func(n facts.NameCount) bool { return n.Name == "/srv/a?b.txt" }) {
		t.Errorf("top names = %v, want /srv/a?b.txt among them", p.TopNames)
	}
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("unrecognized lines = %d, want 0", n)
	}
	if !slices.ContainsFunc(snap.Diagnostics, func(d facts.Diagnostic) bool { return d.Code == facts.CodeRepaired }) {
		t.Errorf("diagnostics = %v, want one %q", snap.Diagnostics, facts.CodeRepaired)
	}
}
