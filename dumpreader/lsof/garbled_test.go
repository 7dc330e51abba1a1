package lsof

import "testing"

// TestGarbledSocketState: a state a page garbled into several words
// ("(CLOS _WAIT)") is no state lsof prints: the socket counts as one of
// UNKNOWN state, said by a diagnostic, and is no CLOSE_WAIT nor a "CLOS";
// -T's ST= and a one-word state read as before.
func TestGarbledSocketState(t *testing.T) {
	const capture = "contoso   4242 app   40u  IPv4 912345      0t0  TCP 10.0.0.5:41000->10.0.0.9:443 (CLOSE_WAIT)\n" +
		"contoso   4242 app   41u  IPv4 912346      0t0  TCP 10.0.0.5:41002->10.0.0.9:443 (CLOS _WAIT)\n" +
		"contoso   4242 app   42u  IPv4 912347      0t0  TCP 10.0.0.5:41004->10.0.0.9:443 (ST=ESTABLISHED QR=0 QS=0)\n"
	checkParallel(t, "garbled state", capture)
	snap := readLsofBytes(t, []byte(capture), "garbled.txt")
	p := lsofProcess(t, snap, 4242)
	want := map[string]int64{"CLOSE_WAIT": 1, "UNKNOWN": 1, "ESTABLISHED": 1}
	if len(p.SocketStates) != len(want) {
		t.Errorf("states %v, want %v", p.SocketStates, want)
	}
	for s, n := range want {
		if p.SocketStates[s] != n {
			t.Errorf("states %v, want %v", p.SocketStates, want)
			break
		}
	}
	var lines []int64
	for _, d := range snap.Diagnostics {
		if d.Code == CodeGarbledState {
			lines = append(lines, d.Line)
		}
	}
	if len(lines) != 1 || lines[0] != 2 {
		t.Errorf("%s diagnostics at lines %v, want one at line 2", CodeGarbledState, lines)
	}
}
