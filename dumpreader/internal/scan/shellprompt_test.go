package scan

import "testing"

func TestIsBareShellPrompt(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"$", true},
		{"#", true},
		{"[ops@host ~]$", true},
		{"user@host:~#", true},
		{"analyst@ubuntu:/opt/volatility3$", true},
		{"costs $", false},
		{"$ vol.py -f m.raw pslist", false},
		{"", false},
	} {
		if got := IsBareShellPrompt([]byte(tc.line)); got != tc.want {
			t.Errorf("IsBareShellPrompt(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}
