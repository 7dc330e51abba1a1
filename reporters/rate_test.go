package reporters

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

func TestRates(t *testing.T) {
	tests := []struct {
		hours      float64
		delta      int64
		span, rate string
		header     string
	}{
		{2, 5000, "2.0 hours", "+2,500/h", "per hour"},
		{0.2, 600, "12 minutes", "+50/min", "per minute"},
		{17.0 / 3600, 170, "17 seconds", "+170/capture", "per capture"},
		{1.0 / 3600, -3, "1 second", "-3/capture", "per capture"},
		{0.5, 0, "30 minutes", "", "per minute"},
	}
	for _, tc := range tests {
		if got := facts.SpanText(tc.hours); got != tc.span {
			t.Errorf("facts.SpanText(%v) = %q, want %q", tc.hours, got, tc.span)
		}
		if got := rateText(tc.delta, tc.hours); got != tc.rate {
			t.Errorf("rateText(%d, %v) = %q, want %q", tc.delta, tc.hours, got, tc.rate)
		}
		if got := rateHeader(tc.hours); got != tc.header {
			t.Errorf("rateHeader(%v) = %q, want %q", tc.hours, got, tc.header)
		}
	}
}

// TestDiffSecondsApart: captures 17 seconds apart give the change per
// capture, not "0.0 hours apart" and +36,000/h.
func TestDiffSecondsApart(t *testing.T) {
	hours := 17.0 / 3600
	d := &engine.Diff{
		Old:   engine.DiffPoint{Name: "a.json", Time: "2026-11-27T08:00:00Z", Processes: 1, Handles: 100},
		New:   engine.DiffPoint{Name: "b.json", Time: "2026-11-27T08:00:17Z", Processes: 1, Handles: 270},
		Hours: hours,
		Processes: []engine.ProcessChange{{PID: 7, Image: "agent", Status: engine.Grew, Old: 100, New: 270, Delta: 170,
			PerHour: 170 / hours}},
		Report: &engine.Report{},
	}
	for _, format := range []string{"text", "markdown"} {
		var b bytes.Buffer
		if err := WriteDiff(&b, d, format); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, want := range []string{"17 seconds apart", "+170"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q:\n%s", format, want, out)
			}
		}
		for _, bad := range []string{"0.0 hours", "36,000", "/h"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s says %q:\n%s", format, bad, out)
			}
		}
	}
}
