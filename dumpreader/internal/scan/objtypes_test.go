package scan

import "testing"

func TestIsObjectType(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"Event", true}, {"ALPC Port", true}, {"ActivationObject", true}, {"WmiGuid", true},
		{"TpWorkerFactory", true}, {"Key", true},
		{"event", false}, {"ALPC", false}, {"Port ", false}, {"", false}, {"Handle", false},
		{"notepad.exe", false}, {"0x1234", false},
	} {
		if got := IsObjectType([]byte(tc.name)); got != tc.want {
			t.Errorf("IsObjectType(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}
