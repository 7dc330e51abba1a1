package facts

import (
	"fmt"
	"math"
)

// Captures taken seconds apart (collect --interval 5s, a test harness)
// make a rate per hour absurd: 0.0 hours apart, +612,528/h from 170
// handles. Spans and rates are given in the unit the span is measured in:
// hours from an hour up, minutes from a minute, and below that the change
// per capture, which is what was seen. Evidence, reports and rule
// messages all say them so.

// SpanText says how far apart captures are: "2.0 hours", "12 minutes",
// "40 seconds".
func SpanText(hours float64) string {
	switch secs := hours * 3600; {
	case hours >= 1:
		return fmt.Sprintf("%.1f hours", hours)
	case secs >= 60:
		return Plural(int(math.Round(secs/60)), "minute")
	default:
		return Plural(int(math.Round(secs)), "second")
	}
}

// RateUnit is the unit a slope per hour, measured over hours across points
// captures, is best given in, and the factor that turns the slope into it:
// per hour ("h", 1) from an hour up, per minute ("min", 1/60) from a
// minute, else per capture ("capture", the hours between two captures).
func RateUnit(hours float64, points int) (unit string, factor float64) {
	switch {
	case hours >= 1:
		return "h", 1
	case hours*60 >= 1:
		return "min", 1.0 / 60
	}
	return "capture", hours / float64(max(points-1, 1))
}
