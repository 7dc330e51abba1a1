package facts

import "testing"

// TestPoolCommandsNameTheTool: the text's pool line names the commands
// that listed the tags as the capture shows them (PoolMon's as well as
// !poolused), each once, at most three, and nothing when none is shown.
func TestPoolCommandsNameTheTool(t *testing.T) {
	for _, tc := range []struct {
		cmds []string
		want string
	}{
		{nil, ""},
		{[]string{""}, ""},
		{[]string{"poolmon -b"}, " (poolmon -b)"},
		{[]string{"!poolused 2", "", "!poolused 2", "!poolused 4"}, " (!poolused 2, !poolused 4)"},
		{[]string{"a", "b", "c", "d"}, " (a, b, c)"},
	} {
		var ls []PoolListing
		for _, c := range tc.cmds {
			ls = append(ls, PoolListing{Command: c})
		}
		if got := poolCommands(ls); got != tc.want {
			t.Errorf("poolCommands(%q) = %q, want %q", tc.cmds, got, tc.want)
		}
	}
}
