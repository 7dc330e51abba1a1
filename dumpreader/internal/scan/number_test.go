package scan

import "testing"

// TestAllDigits: one or more decimal digits, as a string or bytes; none
// is not a number.
func TestAllDigits(t *testing.T) {
	for in, want := range map[string]bool{
		"0": true, "4711": true, "007": true,
		"": false, "-1": false, "12a": false, " 12": false, "0x1f": false, "١٢": false,
	} {
		if got := AllDigits(in); got != want {
			t.Errorf("AllDigits(%q) = %v, want %v", in, got, want)
		}
		if got := AllDigits([]byte(in)); got != want {
			t.Errorf("AllDigits([]byte(%q)) = %v, want %v", in, got, want)
		}
	}
}
