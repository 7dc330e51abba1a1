package lsof

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// TestReadLsofPathCommand: an lsof command pasted without a prompt that
// runs lsof by its path is the command line of the rows after it (it
// was an unrecognized line, and its grep not seen: the rows were taken
// for a partial listing only because cwd and txt were missing).
func TestReadLsofPathCommand(t *testing.T) {
	const rows = "ruby    4242 contoso    1w   REG              202,3 5120  77 /srv/fabrikam/log/worker.log\n" +
		"ruby    4242 contoso    2w   REG              202,3 5120  77 /srv/fabrikam/log/worker.log\n"
	for _, cmd := range []string{
		"/usr/sbin/lsof -p 4242 | grep worker.log",
		"sudo /usr/bin/lsof -p 4242 | grep worker.log",
	} {
		t.Run(cmd, func(t *testing.T) {
			snap := readLsofBytes(t, []byte(cmd+"\n"+rows), "path.txt")
			checkLsofLines(t, snap, "path.txt")
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d unrecognized lines, want 0", n)
			}
			found := false
			for _, d := range snap.Diagnostics {
				if d.Code == scan.CodePartial && d.Line == 1 {
					found = true
				}
			}
			if !found {
				t.Errorf("no partial-listing diagnostic at the command (line 1): %v", snap.Diagnostics)
			}
			if p := lsofProcess(t, snap, 4242); p.Image != "ruby" {
				t.Errorf("image %q, want ruby", p.Image)
			}
		})
	}
}

// TestIsLsofPath checks which lines run lsof by its path.
func TestIsLsofPath(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"/usr/sbin/lsof -p 1", true},
		{"/usr/sbin/lsof", true},
		{"sudo /usr/bin/lsof -nP", true},
		{"/usr/sbin/lsof|grep x", true},
		{"/usr/sbin/lsofx -p 1", false},
		{"/var/log/app.log is held by lsof", false},
		{"lsof -p 1", false},
	}
	for _, tc := range tests {
		if got := isLsofPath([]byte(tc.line)); got != tc.want {
			t.Errorf("isLsofPath(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}
