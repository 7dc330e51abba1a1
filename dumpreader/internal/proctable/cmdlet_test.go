package proctable

import "testing"

func TestIsCmdlet(t *testing.T) {
	tests := []struct {
		word string
		want bool
	}{
		{"Invoke-CimMethod", true},
		{"stop-process", true},
		{"Format-List", true},
		{"ConvertTo-Json", true},
		{"vmware-authd", false},  // an image name with a dash
		{"svchost", false},       // no dash
		{"Get-", false},          // no noun
		{"-rw-r--r--", false},    // ls -l's mode
		{"Get-Process-2", false}, // a second dash
		{"Stop-1Process", false}, // the noun starts with a digit
		{"Frobnicate-Thing", false},
	}
	for _, tc := range tests {
		if got := isCmdlet([]byte(tc.word)); got != tc.want {
			t.Errorf("isCmdlet(%q) = %v, want %v", tc.word, got, tc.want)
		}
	}
}
