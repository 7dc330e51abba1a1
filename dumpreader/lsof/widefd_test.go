package lsof

import "testing"

// TestWideFDRows checks rows of descriptors of 10,000 and more, which
// lsof prints as "*" and their last three digits: they are read (a
// listing of them alone is still lsof's), each counts once though two
// of them print alike, and a listing pasted twice counts them once.
func TestWideFDRows(t *testing.T) {
	header := "COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF      NODE NAME\n"
	base := "agent   31337 app   cwd    DIR  253,0     4096         2 /\n" +
		"agent   31337 app   rtd    DIR  253,0     4096         2 /\n" +
		"agent   31337 app   txt    REG  253,0   901234    131072 /opt/agent/bin/agent\n" +
		"agent   31337 app     0r   CHR    1,3      0t0         6 /dev/null\n" +
		"agent   31337 app     1w   REG  253,0     1200    131090 /var/log/agent.log\n"
	// 10998, 10999, 11000, 11310 and 12310: the two 310s differ.
	wide := "agent   31337 app  *998u  FIFO   0,12      0t0  90000001 pipe\n" +
		"agent   31337 app  *999u  FIFO   0,12      0t0  90000001 pipe\n" +
		"agent   31337 app  *000u  a_inode 0,13       0      1060 [eventpoll]\n" +
		"agent   31337 app  *310r  FIFO   0,12      0t0  90000002 pipe\n" +
		"agent   31337 app  *310w  FIFO   0,12      0t0  90000003 pipe\n"
	tests := []struct {
		name  string
		text  string
		count int64
		whole bool // the listing is whole: the handle count is set
	}{
		{"whole listing", header + base + wide, 7, true},
		{"pasted twice", header + base + wide + header + base + wide, 7, true},
		{"wide rows alone, no header", wide, 5, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !Sniff([]byte(tc.text)) {
				t.Fatalf("Sniff = false, want true")
			}
			snap := readLsofBytes(t, []byte(tc.text), "wide.txt")
			p := lsofProcess(t, snap, 31337)
			if p.HandlesParsed != tc.count {
				t.Errorf("%d descriptors read, want %d", p.HandlesParsed, tc.count)
			}
			switch {
			case tc.whole && p.HandleCount == nil:
				t.Errorf("no handle count, want %d", tc.count)
			case tc.whole && *p.HandleCount != tc.count:
				t.Errorf("handle count %d, want %d", *p.HandleCount, tc.count)
			}
			// Descriptor 12310 was opened while 0 to 12309 were open.
			if p.PeakHandles == nil || *p.PeakHandles != 12311 {
				t.Errorf("peak handles %v, want 12311", p.PeakHandles)
			}
			if snap.Sources[0].Lines.Unrecognized != 0 {
				t.Errorf("%d lines unrecognized, want 0", snap.Sources[0].Lines.Unrecognized)
			}
			found := false
			for _, d := range snap.Diagnostics {
				found = found || d.Code == CodeWideFD
			}
			if !found {
				t.Errorf("no %s diagnostic", CodeWideFD)
			}
		})
	}
}
