package volatility

import (
	"strings"
	"time"
)

// timeWords returns how many words from ti on are a time cell: one for
// a mark of none ("N/A", "-"), a date and a time of day with the zone
// the tool adds ("2018-09-11 10:50:18 UTC+0000", Rekall's "2018-10-13
// 16:15:51Z", Volatility 3's "2005-07-04 18:17:26.000000", perhaps with
// " UTC"), and none when the cell is empty (Volatility 2 leaves Exit
// blank for a live process).
func timeWords(m *matcher, ti int) int {
	n := len(m.toks)
	if ti >= n {
		return 0
	}
	w := m.word(ti)
	if string(w) == "N/A" || string(w) == "-" {
		return 1
	}
	if ti+4 < n && isCTime(m, ti) {
		return 5
	}
	if !isDate(w) || ti+1 >= n || !isClock(m.word(ti+1)) {
		return 0
	}
	if ti+2 < n && isZone(m.word(ti+2)) {
		return 3
	}
	return 2
}

// weekdays and months are the names the C library's time prints, which
// Volatility 1 uses ("Thu Jan 28 16:11:40 2010").
var (
	weekdays = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	months   = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// isCTime recognizes the five words of such a time from ti on.
func isCTime(m *matcher, ti int) bool {
	day, year := m.word(ti+2), m.word(ti+4)
	return oneOf(string(m.word(ti)), weekdays) && oneOf(string(m.word(ti+1)), months) &&
		len(day) <= 2 && isDec(day) && isClock(m.word(ti+3)) && len(year) == 4 && isDec(year)
}

func oneOf(w string, set []string) bool {
	for _, s := range set {
		if w == s {
			return true
		}
	}
	return false
}

// isDate recognizes YYYY-MM-DD.
func isDate(w []byte) bool {
	if len(w) != 10 || w[4] != '-' || w[7] != '-' {
		return false
	}
	for i, c := range w {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// isClock recognizes HH:MM:SS, with a fraction and a Z perhaps.
func isClock(w []byte) bool {
	return len(w) >= 8 && w[2] == ':' && w[5] == ':' && w[0] >= '0' && w[0] <= '9'
}

// isZone recognizes the zone after a time: UTC, UTC+0000, +0000.
func isZone(w []byte) bool {
	s := string(w)
	s = strings.TrimPrefix(s, "UTC")
	if s == "" {
		return true
	}
	return len(s) == 5 && (s[0] == '+' || s[0] == '-') && isDec(w[len(w)-4:])
}

// parseTime reads a time cell's words into RFC 3339, UTC; "" for none,
// for the zero times Volatility 2 prints for System (1970-01-01) and
// for a time it cannot place (another zone's name).
func parseTime(words []string) string {
	if len(words) == 5 && oneOf(words[0], weekdays) {
		// Volatility 1's, in UTC.
		t, err := time.Parse("Mon Jan 2 15:04:05 2006", strings.Join(words, " "))
		if err != nil || t.Year() <= 1970 {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	if len(words) < 2 {
		return ""
	}
	clock := words[1]
	zone := ""
	if strings.HasSuffix(clock, "Z") {
		clock = strings.TrimSuffix(clock, "Z")
	}
	if len(words) > 2 {
		zone = strings.TrimPrefix(words[2], "UTC")
	}
	if i := strings.IndexByte(clock, '.'); i >= 0 {
		clock = clock[:i]
	}
	t, err := time.Parse("2006-01-02 15:04:05", words[0]+" "+clock)
	if err != nil {
		return ""
	}
	if zone != "" {
		z, err := time.Parse("-0700", zone)
		if err != nil {
			return ""
		}
		_, off := z.Zone()
		t = t.Add(-time.Duration(off) * time.Second)
	}
	if t.Year() <= 1970 {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
