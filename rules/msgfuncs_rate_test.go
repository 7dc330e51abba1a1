package rules

import "testing"

// TestMessageRate: rate gives a slope in the unit of its span, as the
// reports do.
func TestMessageRate(t *testing.T) {
	rate := messageFuncs["rate"].(func(float64, float64, bool, int64) string)
	for _, tc := range []struct {
		perHour, hours float64
		timed          bool
		points         int64
		want           string
	}{
		{2500, 2, true, 3, "2,500 per hour"},
		{2400, 0.5, true, 3, "40 per minute"},
		{612528, 20.0 / 3600, true, 3, "1,701 per capture"},
		{170, 2, false, 3, "170 per capture"},
	} {
		if got := rate(tc.perHour, tc.hours, tc.timed, tc.points); got != tc.want {
			t.Errorf("rate(%v, %v, %v, %d) = %q, want %q", tc.perHour, tc.hours, tc.timed, tc.points, got, tc.want)
		}
	}
}
