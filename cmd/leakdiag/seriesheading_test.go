package main

import "testing"

// TestSeriesHeading names a series' first and last times only where the
// capture printed them.
func TestSeriesHeading(t *testing.T) {
	for _, tc := range []struct {
		first, last, want string
	}{
		{"2024-05-01 10:00:00", "2024-05-01 11:00:00", "a series of 3 captures, 2024-05-01 10:00:00 to 2024-05-01 11:00:00"},
		{"", "", "a series of 3 captures, their times not printed"},
		{"", "2024-05-01 11:00:00", "a series of 3 captures, a time not printed to 2024-05-01 11:00:00"},
		{"2024-05-01 10:00:00", "", "a series of 3 captures, 2024-05-01 10:00:00 to a time not printed"},
	} {
		if got := seriesHeading(3, tc.first, tc.last); got != tc.want {
			t.Errorf("seriesHeading(3, %q, %q) = %q, want %q", tc.first, tc.last, got, tc.want)
		}
	}
}
