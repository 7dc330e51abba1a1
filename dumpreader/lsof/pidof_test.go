package lsof

import (
	"testing"
)

// TestPidofNamesCutImage: a process that lsof -p $(pidof NAME) lists
// under its command name cut to nine characters has the image NAME, and
// no cut-name note; another substitution leaves the cut name.
func TestPidofNamesCutImage(t *testing.T) {
	const rows = "COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF    NODE NAME\n" +
		"contoso-a 638 root  cwd    DIR   0,19      200   33103 /run/contoso\n" +
		"contoso-a 638 root    3u  IPv4  12345      0t0     TCP *:9090 (LISTEN)\n"
	for _, tc := range []struct {
		cmd, image string
		cut        bool
	}{
		{"# lsof -p $(pidof contoso-agent)\n", "contoso-agent", false},
		{"$ sudo lsof -p `pidof -s contoso-agent`\n", "contoso-agent", false},
		{"$ lsof -p $(pgrep -f contoso-agent)\n", "contoso-a", true},
		{"$ lsof -p $(pidof fabrikam)\n", "contoso-a", true},
		{"$ lsof -p $(pidof contoso-agent contoso-b)\n", "contoso-a", true},
	} {
		snap := readLsofBytes(t, []byte(tc.cmd+rows), "pidof.txt")
		p := lsofProcess(t, snap, 638)
		cut := false
		for _, d := range snap.Diagnostics {
			cut = cut || d.Code == CodeCutName
		}
		for _, d := range snap.Diagnostics {
			if d.Code == "pid-image-conflict" {
				t.Errorf("%q: %s", tc.cmd, d.Message)
			}
		}
		if p.Image != tc.image || cut != tc.cut {
			t.Errorf("%q: image %q (cut-name %v), want %q (%v)", tc.cmd, p.Image, cut, tc.image, tc.cut)
		}
	}
}
