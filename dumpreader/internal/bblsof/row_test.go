package bblsof

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseRow checks which lines are rows of busybox's lsof, and what
// their fields are.
func TestParseRow(t *testing.T) {
	type got struct {
		PID        int64
		Exe, Link  string
		FD         int64
		Tabbed, OK bool
		Distinct   bool
	}
	tests := []struct {
		line string
		want got
	}{
		{"42\t/usr/bin/contoso\tsocket:[9001]", got{42, "/usr/bin/contoso", "socket:[9001]", -1, true, true, false}},
		{"42\t/usr/bin/contoso\t7\tsocket:[9001]", got{42, "/usr/bin/contoso", "socket:[9001]", 7, true, true, true}},
		{"42\t/usr/bin/contoso\t7\t/srv/a b.db (deleted)", got{42, "/usr/bin/contoso", "/srv/a b.db (deleted)", 7, true, true, false}},
		{"42   /usr/bin/contoso   7   anon_inode:[pidfd]", got{42, "/usr/bin/contoso", "anon_inode:[pidfd]", 7, false, true, true}},
		{"42 /usr/bin/contoso (deleted) 7 pipe:[5]", got{42, "/usr/bin/contoso (deleted)", "pipe:[5]", 7, false, true, true}},
		{"42 /usr/bin/node /srv/app.js", got{42, "/usr/bin/node", "/srv/app.js", -1, false, true, false}},
		{"42\t/usr/bin/contoso\t99999999999\tsocket:[1]", got{}},
		{"0\t/usr/bin/contoso\t/dev/null", got{}},
		{"42\tcontoso\t/dev/null", got{}},
		{"42\t/usr/bin/contoso\tnot a link", got{}},
		{"pid\t/usr/bin/contoso\t/dev/null", got{}},
		{"42", got{}},
	}
	for _, tc := range tests {
		r, ok := ParseRow([]byte(tc.line))
		g := got{OK: ok}
		if ok {
			g = got{r.PID, string(r.Exe), string(r.Link), r.FD, r.Tabbed, ok, r.Distinct()}
		}
		if diff := cmp.Diff(tc.want, g); diff != "" {
			t.Errorf("ParseRow(%q): diff (-want +got):\n%s", tc.line, diff)
		}
	}
}
