package reporters

import (
	"github.com/leakdiag/leakdiag/facts"
)

// rate is the change of delta between two captures hours apart in the
// span's unit (facts.RateUnit): unit is "h", "min" or "capture" (delta
// itself); "" when the change or the span is 0.
func rate(delta int64, hours float64) (perUnit int64, unit string) {
	if delta == 0 || hours <= 0 {
		return 0, ""
	}
	unit, factor := facts.RateUnit(hours, 2)
	if unit == "capture" {
		return delta, unit
	}
	return int64(float64(delta) / hours * factor), unit
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
