package reporters

import (
	"fmt"
	"math"

	"github.com/leakdiag/leakdiag/facts"
)

// Captures taken seconds apart (collect --interval 5s, a test harness)
// make a rate per hour absurd: 0.0 hours apart, +612,528/h from 170
// handles. The span and the rates are given in the unit the span is
// measured in: hours from an hour up, minutes from a minute, and below
// that the change per capture, which is what was seen.

// spanText says how far apart two captures are: "2.0 hours", "12
// minutes", "40 seconds".
func spanText(hours float64) string {
	switch secs := hours * 3600; {
	case hours >= 1:
		return fmt.Sprintf("%.1f hours", hours)
	case secs >= 60:
		return facts.Plural(int(math.Round(secs/60)), "minute")
	default:
		return facts.Plural(int(math.Round(secs)), "second")
	}
}

// rate is the change of delta over hours in the span's unit: per hour
// from an hour up, per minute from a minute, else per capture (delta
// itself). unit is "h", "min" or "capture"; "" when the change or the
// span is 0.
func rate(delta int64, hours float64) (perUnit int64, unit string) {
	switch {
	case delta == 0 || hours <= 0:
		return 0, ""
	case hours >= 1:
		return int64(float64(delta) / hours), "h"
	case hours*60 >= 1:
		return int64(float64(delta) / (hours * 60)), "min"
	}
	return delta, "capture"
}

// rateText writes a rate: "+2,500/h", "+40/min", "+170/capture"; "" for
// none.
func rateText(delta int64, hours float64) string {
	n, unit := rate(delta, hours)
	if unit == "" {
		return ""
	}
	return signed(n) + "/" + unit
}

// rateHeader names the rate column of a Markdown table for a span
// (unknown times, 0, leave the column empty under "per hour").
func rateHeader(hours float64) string {
	switch {
	case hours <= 0 || hours >= 1:
		return "per hour"
	case hours*60 >= 1:
		return "per minute"
	}
	return "per capture"
}
