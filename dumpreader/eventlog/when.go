package eventlog

import (
	"strings"
	"time"
)

// layouts are the forms of an event's time the tools print in English
// locales: Get-WinEvent and Format-List (the culture's short date and
// long time), wevtutil (ISO 8601 with fractions of a second and perhaps
// a zone), Get-EventLog's table (no year, no seconds).
var layouts = []string{
	"1/2/2006 3:04:05 PM",
	"1/2/2006 15:04:05",
	"1/2/2006 3:04 PM",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006/01/02 15:04:05", // Japanese
	"Jan 02 15:04",
	"Jan 2 15:04",
}

// dayFirst are the same with the day first, tried when the month cannot
// be one (13/7/2026 is the 13th of July), and the dotted dates of
// cultures that put the day first (07.06.2022, German's; with a dotted
// time, Finnish's and Danish's).
var dayFirst = []string{
	"2/1/2006 3:04:05 PM",
	"2/1/2006 15:04:05",
	"2.1.2006 15:04:05",
	"2.1.2006 15.04.05",
}

// parseWhen reads the time of an event as printed, the zero time when it
// is in none of the forms known. A zone is dropped: times are compared as
// printed, in the one log they come from.
func parseWhen(s string) time.Time {
	return parseWhenIn(s, [][]string{layouts, dayFirst})
}

// parseWhenDayFirst reads the time of an event printed in a language
// whose dates put the day first: 04/06/2021 is the 4th of June.
func parseWhenDayFirst(s string) time.Time {
	return parseWhenIn(s, [][]string{dayFirst, layouts})
}

// parseWhenIn reads s in the first of sets' layouts that fits.
func parseWhenIn(s string, sets [][]string) time.Time {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) == 0 || len(s) > 64 {
		return time.Time{}
	}
	for _, set := range sets {
		for _, l := range set {
			if t, err := time.Parse(l, s); err == nil {
				return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
			}
		}
	}
	return time.Time{}
}
