package kd

import "testing"

// TestParseBugcheckSummary checks the line that sums up a dump's
// bugcheck, and lines like it that are not one.
func TestParseBugcheckSummary(t *testing.T) {
	tests := []struct {
		line     string
		code, p1 uint64
		p4       uint64
		ok       bool
	}{
		{"BugCheck C4, {62, 9707712c, 9c1faf70, 3}", 0xc4, 0x62, 3, true},
		{"BugCheck 1000007E, {ffffffffc0000005, fffff80`12345678, ffffd000`2a1b7e28, ffffd000`2a1b7630}", 0x1000007e, 0xffffffffc0000005, 0xffffd0002a1b7630, true},
		{"BugCheck 0xC4, {0x62, 0x1, 0x2, 0xc}", 0xc4, 0x62, 0xc, true},
		{"BugCheck C4, {62, 9707712c, 9c1faf70}", 0, 0, 0, false},
		{"BugCheck C4, {62, 9707712c, 9c1faf70, zz}", 0, 0, 0, false},
		{"BugCheck Analysis", 0, 0, 0, false},
		{"BugCheck C4 {62, 1, 2, 3}", 0, 0, 0, false},
	}
	for _, tc := range tests {
		code, p1, p4, ok := parseBugcheckSummary([]byte(tc.line))
		if ok != tc.ok || ok && (code != tc.code || p1 != tc.p1 || p4 != tc.p4) {
			t.Errorf("parseBugcheckSummary(%q) = %#x, %#x, %#x, %v; want %#x, %#x, %#x, %v", tc.line, code, p1, p4, ok, tc.code, tc.p1, tc.p4, tc.ok)
		}
	}
}
