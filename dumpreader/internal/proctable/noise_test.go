package proctable

import "testing"

// TestIsFence: fences as CommonMark has them, an info string after
// backticks or tildes, none with a backtick after backticks.
func TestIsFence(t *testing.T) {
	for in, want := range map[string]bool{
		"```": true, "```text": true, "~~~": true, "``` x": true, "````": true, "~~~ a`b": true,
		"```a`b": false, "``": false, "~~": false, "`x`": false, "text ```": false,
	} {
		if got := IsFence([]byte(in)); got != want {
			t.Errorf("IsFence(%q) = %v, want %v", in, got, want)
		}
	}
}
