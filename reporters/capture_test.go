package reporters

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestUnitOfLinuxCaptures: a report of a Linux capture (leakdiag
// collect, lsof, lsfd, a listing of /proc/PID/fd) counts file
// descriptors; one of a Windows capture, handles.
func TestUnitOfLinuxCaptures(t *testing.T) {
	for format, want := range map[string]unit{
		"procfs": fdUnit, "lsof": fdUnit, "lsfd": fdUnit, "procfd": fdUnit,
		"kd": handleUnit, "handle": handleUnit, "getprocess": handleUnit,
	} {
		if got := unitOf([]facts.Source{{Format: format}}); got != want {
			t.Errorf("unitOf(%s) = %v, want %v", format, got, want)
		}
	}
}
