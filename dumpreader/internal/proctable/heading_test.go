package proctable

import "testing"

func TestIsMarkdownHeading(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"## Running Python Processes", true},
		{"###### Six", true},
		{"# One", true},
		{"####### Seven", false},
		{"#TYPE System.Diagnostics.Process", false},
		{"##", false},
		{"Handles  NPM(K)", false},
	}
	for _, tc := range tests {
		if got := isMarkdownHeading([]byte(tc.line)); got != tc.want {
			t.Errorf("isMarkdownHeading(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}
