package lsof

import "testing"

// TestParseHumanSize checks which humanized sizes are read, and as what.
func TestParseHumanSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"271M", 271 << 20, true},
		{"7.8K", 7987, true},
		{"1.25G", 1342177280, true},
		{"12Ki", 12 << 10, true},
		{"0K", 0, true},
		{"M", 0, false},
		{"Ki", 0, false},
		{"12", 0, false},
		{"12Q", 0, false},
		{"1.234K", 0, false},
		{"1.K", 0, false},
		{".5K", 0, false},
		{"1234567K", 0, false},
		{"0t12K", 0, false},
		{"8E", 1<<63 - 1, true},
	}
	for _, tc := range tests {
		got, ok := parseHumanSize([]byte(tc.in))
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseHumanSize(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
