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
	}
	for _, tc := range tests {
		c, ok := Command([]byte(tc.cmd))
		if ok != (tc.target != "") || c.Target != tc.target || c.Extra != tc.extra {
			t.Errorf("Command(%q) = %+v, %v; want target %q, extra %d", tc.cmd, c, ok, tc.target, tc.extra)
		}
	}
}
