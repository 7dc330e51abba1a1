package getprocess

import (
	"strconv"
	"strings"
	"time"

	"github.com/leakdiag/leakdiag/facts"
)

// Get-Date prints its long date in the language of the session's
// culture:
//
//	Montag, 7. Dezember 2026 13:05:12        (de-DE)
//	lundi 7 décembre 2026 13:05:12           (fr-FR)
//	lunes, 7 de diciembre de 2026 13:05:12   (es-ES)
//
// A month named is a date no culture reads otherwise; localStamp reads
// the languages whose long date is the day, the month's name and the
// year, in that order.

// localMonths are the months' names, lower case, in German, French,
// Spanish, Italian, Portuguese and Dutch.
var localMonths = map[string]time.Month{}

func init() {
	for _, names := range [...][12]string{
		{"januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"},
		{"jänner"}, // de-AT
		{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
		{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
		{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	} {
		for i, n := range names {
			if n != "" {
				localMonths[n] = time.Month(i + 1)
			}
		}
	}
}

// localWeekdays are the days' names that may open a long date.
var localWeekdays = map[string]bool{}

func init() {
	for _, d := range strings.Fields("montag dienstag mittwoch donnerstag freitag samstag sonntag " +
		"lundi mardi mercredi jeudi vendredi samedi dimanche " +
		"lunes martes miércoles jueves viernes sábado domingo " +
		"lunedì martedì mercoledì giovedì venerdì sabato domenica " +
		"segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo " +
		"maandag dinsdag woensdag donderdag vrijdag zaterdag zondag") {
		localWeekdays[d] = true
	}
}

// localStamp reads a long date and time of those languages: an optional
// weekday, the day ("7" or "7."), the month's name, the year (Spanish
// and Portuguese put "de" between them) and H:mm:ss.
func localStamp(s string) (time.Time, bool) {
	var f []string
	for i, w := range strings.Fields(strings.ToLower(s)) {
		w = strings.TrimSuffix(w, ",")
		switch {
		case i == 0 && localWeekdays[w]:
		case w == "de" || w == "del":
		default:
			f = append(f, w)
		}
	}
	if len(f) != 4 {
		return time.Time{}, false
	}
	day, err := strconv.Atoi(strings.TrimSuffix(f[0], "."))
	month, ok := localMonths[f[1]]
	if err != nil || !ok || len(f[2]) != 4 {
		return time.Time{}, false
	}
	year, err := strconv.Atoi(f[2])
	if err != nil {
		return time.Time{}, false
	}
	clock, err := time.Parse("15:04:05", f[3])
	if err != nil || day < 1 || day > 31 {
		return time.Time{}, false
	}
	t := time.Date(year, month, day, clock.Hour(), clock.Minute(), clock.Second(), 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, false // 31 February
	}
	return t, true
}

// resolveSlashDates reads the short dates with slashes of a loop's times
// one way for all of them: day first where one of them has a first field
// past 12 (07/12/2026 and 13/12/2026: en-GB, fr-FR), month first where
// one has a second field past 12 or where none tells (the invariant
// culture's, which "$(Get-Date)" prints; a diagnostic says it assumed it).
// Times that no one way reads are dropped: the series is then read by the
// order of its tables, as the diagnostic about its times says.
func resolveSlashDates(log *facts.SourceLog, times []stamp) []stamp {
	mdAll, dmAll, differ := true, true, false
	first := -1
	for i, s := range times {
		if !s.slash {
			continue
		}
		if first < 0 {
			first = i
		}
		mdAll = mdAll && !s.at.IsZero()
		dmAll = dmAll && !s.alt.IsZero()
		differ = differ || !s.at.Equal(s.alt)
	}
	if first < 0 {
		return times
	}
	out := make([]stamp, 0, len(times))
	for _, s := range times {
		switch {
		case !s.slash:
		case mdAll:
		case dmAll:
			s.at = s.alt
		default:
			continue // neither way reads every date
		}
		out = append(out, s)
	}
	if mdAll && dmAll && differ {
		log.Diag(times[first].line, facts.SevInfo, CodeTime,
			"the short dates printed (%s) read month first or day first, and none has a field past 12 to tell: read month first, the invariant culture's (\"$(Get-Date)\"); Get-Date -Format o prints a date no culture reads otherwise",
			times[first].at.Format("01/02/2006"))
	}
	return out
}

// unreadStamp tells a line that is most likely a time in a form
// parseStamp does not read: a few words, among them a year (four digits,
// 1970 to 2199) and a time of day (H:mm:ss), and no process row's cells
// (no word of digits alone longer than the day's two, but the year), nor
// a list's property and value.
func unreadStamp(line []byte) bool {
	f := strings.Fields(string(line))
	if len(f) < 2 || len(f) > 8 {
		return false
	}
	var year, clock bool
	for _, w := range f {
		if strings.HasSuffix(w, ":") {
			return false // a list's "StartTime :" and its value
		}
		w = strings.Trim(w, ".,")
		if n, err := strconv.Atoi(w); err == nil {
			switch {
			case len(w) == 4 && n >= 1970 && n < 2200 && !year:
				year = true
			case len(w) > 2:
				return false
			}
			continue
		}
		if _, err := time.Parse("15:04:05", w); err == nil {
			clock = true
		}
	}
	return year && clock
}
