package lsof

import "testing"

// TestCutName: lsof prints 9 characters of a command name unless run with
// +c, so a 9-character name may be a longer one cut ("td-agent-bit"
// shows as "td-agent-"): one info diagnostic says so, naming the first.
// A name under 9 characters, a command with +c, and -F's c field (never
// cut) give none.
func TestCutName(t *testing.T) {
	const rows = "fabrikam- 4242 app   40u  REG  253,0  1024  912345 /var/lib/fabrikam/spool/a\n" +
		"fabrikam- 4242 app   41u  REG  253,0  1024  912346 /var/lib/fabrikam/spool/b\n" +
		"contosod- 4343 app   40u  REG  253,0  1024  912347 /var/lib/contoso/c\n" +
		"nginx     4444 www    3u  REG  253,0  1024  912348 /var/log/nginx/access.log\n"
	for _, tc := range []struct {
		name, capture string
		want          int // diagnostics
		line          int64
	}{
		{"cut names", "$ lsof -n\n" + rows, 1, 2},
		{"without the command line", rows, 1, 1},
		{"with +c 15", "$ lsof +c 15 -n\n" + rows, 0, 0},
		{"with +c0", "$ lsof +c0\n" + rows, 0, 0},
		{"short names", "nginx     4444 www    3u  REG  253,0  1024  912348 /var/log/nginx/access.log\n", 0, 0},
		{"field output", "p4242\ncfabrikam-\nf40\ntREG\nn/var/lib/fabrikam/spool/a\n", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := readLsofBytes(t, []byte(tc.capture), "cut.txt")
			var got []int64
			for _, d := range snap.Diagnostics {
				if d.Code == CodeCutName {
					got = append(got, d.Line)
				}
			}
			if len(got) != tc.want || (tc.want > 0 && got[0] != tc.line) {
				t.Errorf("%s diagnostics at lines %v, want %d at line %d", CodeCutName, got, tc.want, tc.line)
			}
		})
	}
}
