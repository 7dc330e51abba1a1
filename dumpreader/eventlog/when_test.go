package eventlog

import (
	"testing"
	"time"
)

// TestParseWhen reads the times the tools print, month first where it can
// be a month, day first where it cannot, and gives the zero time for a
// form it does not know.
func TestParseWhen(t *testing.T) {
	at := func(y int, m time.Month, d, h, min, s int) time.Time {
		return time.Date(y, m, d, h, min, s, 0, time.UTC)
	}
	for in, want := range map[string]time.Time{
		"7/12/2026 9:30:00 AM":           at(2026, 7, 12, 9, 30, 0),
		"7/12/2026 15:00:00":             at(2026, 7, 12, 15, 0, 0),
		"13/7/2026 15:00:00":             at(2026, 7, 13, 15, 0, 0),
		"07.06.2022 19:16:46":            at(2022, 6, 7, 19, 16, 46),
		"07.06.2022 19.16.46":            at(2022, 6, 7, 19, 16, 46),
		"2026-12-07T13:05:12.1234567Z":   at(2026, 12, 7, 13, 5, 12),
		"2026-12-07 13:05:12":            at(2026, 12, 7, 13, 5, 12),
		"yesterday":                      {},
		"":                               {},
		"32/13/2026 25:61:61":            {},
		"7/12/2026 9:30:00 AM and more ": {},
	} {
		if got := parseWhen(in); !got.Equal(want) {
			t.Errorf("parseWhen(%q) = %v, want %v", in, got, want)
		}
	}
}
