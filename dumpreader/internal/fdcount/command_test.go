package fdcount

import "testing"

// TestCommand checks which command lines count one process's descriptors,
// what names the process and what the count holds besides descriptors.
func TestCommand(t *testing.T) {
	tests := []struct {
		cmd    string
		target string // "" when no count
		extra  int64
	}{
		{"ls /proc/1978/fd | wc -l", "1978", 0},
		{"sudo ls -l /proc/1978/fd | wc -l", "1978", 1},
		{"ls /proc/$(pgrep -f teku)/fd | wc -l", "$(pgrep -f teku)", 0},
		{"ls -la /proc/`pidof java`/fd | wc -l", "`pidof java`", 3},
		{"ll /proc/42/fd | wc -l", "42", 3},
		{"find /proc/42/fd -type l | wc -l", "42", 0},
		{"ls /proc/42/fd/* | wc -l", "42", 0},
		{"ls /proc/*/fd | wc -l", "", 0},
		{"ls /proc/42/fd | grep socket | wc -l", "", 0},
		{"ls /proc/42/fdinfo | wc -l", "", 0},
		{"ls /proc/42/fd", "", 0},
		{"cat /proc/42/limits | wc -l", "", 0},
		{"ls /proc/$(pgrep -f teku/fd | wc -l", "", 0},
		{"ls /proc/$pid/fd | wc -l", "$pid", 0},
		{"ls -l /proc/${PID}/fd | wc -l", "$PID", 1},
		{"ls /proc/$$/fd | wc -l", "", 0},
		{"ls /proc/$1/fd | wc -l", "", 0},
		{"ls /proc/${PID/fd | wc -l", "", 0},
		{"ls /proc/$pid/fdinfo | wc -l", "", 0},
	}
	for _, tc := range tests {
		c, ok := Command([]byte(tc.cmd))
		if ok != (tc.target != "") || c.Target != tc.target || c.Extra != tc.extra {
			t.Errorf("Command(%q) = %+v, %v; want target %q, extra %d", tc.cmd, c, ok, tc.target, tc.extra)
		}
	}
}

// TestCountsSomeLines checks which command lines count the rows a filter
// kept of a listing, and whether the filter may keep ls's other lines.
func TestCountsSomeLines(t *testing.T) {
	tests := []struct {
		cmd       string
		ok, extra bool
	}{
		{"ls -l /proc/42/fd | grep socket | wc -l", true, false},
		{"ls -l|grep socket |wc -l", true, false},
		{"ls -la /proc/42/fd | grep -v pipe | wc -l", true, true},
		{"ls -l /proc/42/fd | grep -iv pipe | wc -l", true, true},
		{"ls -l /proc/42/fd | head -100 | wc -l", true, true},
		{"ls -l /proc/42/fd | sort | grep eventfd | wc -l", true, false},
		{"ls -l /proc/42/fd | wc -l", false, false},
		{"ls -l /proc/42/fd | grep socket | wc -c", false, false},
		{"ls -l /proc/42/fd | awk '{print $11}' | wc -l", false, false},
		{"ls -l /proc/42/fd | grep socket", false, false},
		{"ls -l /proc/42/fd | grep -c socket", true, false},
		{"ls -l /proc/42/fd | grep --count eventfd", true, false},
		{"ls -la /proc/42/fd | grep -vc pipe", true, true},
		{"ls -l /proc/42/fd | head -100 | grep -c socket", true, true},
		{"ls -l /proc/42/fd | grep -c socket | sort", false, false},
		{"ls -l /proc/42/fd | grep -- -c", false, false},
	}
	for _, tc := range tests {
		ok, extra := CountsSomeLines([]byte(tc.cmd))
		if ok != tc.ok || extra != tc.extra {
			t.Errorf("CountsSomeLines(%q) = %v, %v, want %v, %v", tc.cmd, ok, extra, tc.ok, tc.extra)
		}
	}
}

// TestCountsLines: a listing piped into wc -l (or elvish's count, alone)
// through commands that pass every row on is counted whole; a grep
// before, wc -c, or a count given arguments is not.
func TestCountsLines(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"ls /proc/4321/fd | wc -l", true},
		{"ls /proc/4321/fd | sort | wc -l", true},
		{"~> ls /proc/4321/fd/ | count", true},
		{"ls /proc/4321/fd | count -x", false},
		{"ls /proc/4321/fd | grep 1 | count", false},
		{"ls /proc/4321/fd | wc -c", false},
		{"ls /proc/4321/fd", false},
	} {
		if got := CountsLines([]byte(tc.line)); got != tc.want {
			t.Errorf("CountsLines(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}
