package kd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestIgnoredCommandsBounded: the commands a capture runs that leakdiag
// does not read are named once each up to maxIgnoredNames; the rest are
// counted in one diagnostic, so a capture of many distinct commands
// cannot grow the reader's table of them.
func TestIgnoredCommandsBounded(t *testing.T) {
	var b strings.Builder
	for i := 0; i < maxIgnoredNames+10; i++ {
		fmt.Fprintf(&b, "0:000> !cmd%d\nsome output\n", i)
	}
	snap := readString(t, b.String())
	named, more := 0, ""
	for _, d := range snap.Diagnostics {
		switch {
		case d.Code != facts.CodeIgnoredCommand:
		case strings.Contains(d.Message, "more commands"):
			more = d.Message
		default:
			named++
		}
	}
	if named != maxIgnoredNames || !strings.Contains(more, "10 more commands") {
		t.Errorf("%d commands named, want %d; the rest: %q", named, maxIgnoredNames, more)
	}
}
