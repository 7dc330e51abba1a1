package lsof

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// TestReadCommentedListing: a listing pasted as shell comments, every line
// after "# ", is read as the listing it is; a root prompt ("# lsof") is
// still a command, and the comments end where a line comes without one.
func TestReadCommentedListing(t *testing.T) {
	const capture = `# lsof -p 2718
lsof -p 2718

# COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF  NODE NAME
# agent   2718 svc   cwd    DIR    8,1     4096  6052 /srv/agent
# agent   2718 svc   rtd    DIR    8,1     4096     2 /
# agent   2718 svc   txt    REG    8,1      522  6053 /srv/agent/agent
# agent   2718 svc     0u   CHR  136,0      0t0     3 /dev/pts/0
# agent   2718 svc     3u  unix 0x0000      0t0 89245 socket
# agent   2718 svc     4r  FIFO    0,8      0t0 89247 pipe
# agent   2718 svc     5u  sock    0,7      0t0 89254 can't identify protocol
It created the socket as descriptor 5.
`
	snap := readLsofBytes(t, []byte(capture), "commented.txt")
	checkLsofLines(t, snap, "commented.txt")
	p := lsofProcess(t, snap, 2718)
	if p.Image != "agent" || p.HandleCount == nil || *p.HandleCount != 4 || p.HandlesParsed != 4 {
		t.Errorf("agent: image %q, count %v, parsed %d; want agent, 4 descriptors read", p.Image, p.HandleCount, p.HandlesParsed)
	}
	l := snap.Sources[0].Lines
	if l.Unrecognized != 1 {
		t.Errorf("%d lines unrecognized, want the prose line after the listing only", l.Unrecognized)
	}
	repaired := 0
	for _, d := range snap.Diagnostics {
		if d.Code == facts.CodeRepaired {
			repaired++
		}
	}
	if repaired != 1 {
		t.Errorf("%d repaired diagnostics, want one that says the listing was commented", repaired)
	}
	if !Sniff([]byte(capture)) {
		t.Errorf("Sniff does not take a commented listing for lsof")
	}
}

// TestCommentedPromptAndRows: a session pasted as shell comments, "# #
// ps -eo ..." and its rows, is read as the ps command it is, whose rows
// are its output, read (neither "#" nor a pid starting a ps row is named
// as a command whose output is not read), and the lsof command after it
// still says what it selects.
func TestCommentedPromptAndRows(t *testing.T) {
	const capture = `# # ps -eo pid,comm | grep web
#     734 web
#     735 web
# # lsof -i TCP:80
# COMMAND PID USER FD   TYPE DEVICE SIZE/OFF NODE NAME
# web     734 root 6u  IPv4   5933      0t0  TCP *:http (LISTEN)
# web     735 www  6u  IPv4   5933      0t0  TCP *:http (LISTEN)
`
	snap := readLsofBytes(t, []byte(capture), "commented-ps.txt")
	var ignored []string
	partial := false
	for _, d := range snap.Diagnostics {
		switch d.Code {
		case facts.CodeIgnoredCommand:
			ignored = append(ignored, d.Message)
		case scan.CodePartial:
			partial = partial || strings.Contains(d.Message, "(-i)")
		}
	}
	if len(ignored) != 0 {
		t.Errorf("ignored-command diagnostics %q, want none: ps's rows are read", ignored)
	}
	if !partial {
		t.Errorf("no partial-listing diagnostic naming -i: %v", snap.Diagnostics)
	}
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
		t.Errorf("%d lines unrecognized, want none", l.Unrecognized)
	}
}
