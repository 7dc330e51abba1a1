package lsof

import (
	"testing"
)

// TestFDCountBesideRows checks a count of a process's descriptors pasted
// among lsof's output (ls /proc/PID/fd | wc -l): it gives the process its
// handle count, named by pid or by the command substitution an lsof -p
// command lists the pid of.
func TestFDCountBesideRows(t *testing.T) {
	rows := "agent   4242 app   40u  IPv4 912345      0t0  TCP 10.0.0.5:41000->10.0.0.9:443 (CLOSE_WAIT)\n" +
		"agent   4242 app   41u  IPv4 912346      0t0  TCP 10.0.0.5:41002->10.0.0.9:443 (CLOSE_WAIT)\n"
	tests := []struct {
		name, text string
		want       int64 // the handle count of pid 4242, -1 for none
	}{
		{"by pid", "$ ls /proc/4242/fd | wc -l\n1200\n$ lsof -i -a -p 4242\n" + rows, 1200},
		{"ls -l prints a total row", "$ sudo ls -l /proc/4242/fd | wc -l\n1201\n$ lsof -i -a -p 4242\n" + rows, 1200},
		{"by substitution", "~ ls /proc/$(pgrep -f agent)/fd | wc -l\n24336\n~ lsof -p $(pgrep -f agent) | grep TCP\n" + rows, 24336},
		{"by shell variable", "$ pid=4242\n$ ls /proc/$pid/fd | wc -l\n12678\n$ lsof -p $pid -nP | grep CLOSE_WAIT | head\n" + rows, 12678},
		{"by shell variable, braced and quoted", "$ ls /proc/${PID}/fd | wc -l\n900\n$ lsof -nP -p \"$PID\" | grep TCP\n" + rows, 900},
		{"another variable than lsof's", "$ ls /proc/$other/fd | wc -l\n900\n$ lsof -p $pid | grep TCP\n" + rows, -1},
		{"the substitution lsof never expanded", "$ ls /proc/$(pgrep -f agent)/fd | wc -l\n24336\n$ lsof -i -a -p 4242\n" + rows, -1},
		{"fewer than listed", "$ ls /proc/4242/fd | wc -l\n1\n$ lsof -i -a -p 4242\n" + rows, 2},
		{"a grep before the count", "$ ls -l /proc/4242/fd | grep socket | wc -l\n1200\n$ lsof -i -a -p 4242\n" + rows, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readLsofBytes(t, []byte(tc.text), "count.txt")
			p := lsofProcess(t, snap, 4242)
			got := int64(-1)
			if p.HandleCount != nil {
				got = *p.HandleCount
			}
			if got != tc.want {
				t.Errorf("handle count %d, want %d", got, tc.want)
			}
			if p.HandlesParsed != 2 {
				t.Errorf("%d descriptors read, want 2", p.HandlesParsed)
			}
		})
	}
}
