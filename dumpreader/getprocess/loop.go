package getprocess

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Get-Process run in a loop and pasted as one file prints the same
// processes table after table, each maybe after the time Get-Date
// printed:
//
//	PS C:\> while ($true) { Get-Date; Get-Process agent; sleep 600 }
//
//	Monday, December 7, 2026 10:41:02 AM
//
//	Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName
//	-------  ------    -----      -----     ------     --  -- -----------
//	   1200      40    10300      16156       0.20   5120   0 agent
//	...
//
// ReadSeries reads such a capture as a series, a snapshot per table, as
// separate Get-Process files are read (proctable.Repeats tells the
// tables of the same processes); the times between the tables, where
// every table has one, are the snapshots' times.

// Diagnostic codes of the Get-Process reader.
const (
	// CodeLoop: a capture of several tables of the same processes, read
	// as a series.
	CodeLoop = "loop-series"
	// CodeTime: the tables of a series without a time each (read by
	// their order), times without a zone (read as UTC), or times out of
	// order.
	CodeTime = "sample-time"
	// CodeThinned: a loop of more tables than a series keeps
	// (proctable.MaxPoints, fewer of many processes), of which evenly
	// spread ones are kept.
	CodeThinned = "thinned-samples"
)

// ReadSeries reads PowerShell output from r, accounting every line in
// log, into a snapshot per table when its tables repeat the same
// processes (Get-Process in a loop), oldest first, else into one
// snapshot as Read does; the rows of each machine a PSComputerName (or
// CSName) column names are a series of their own, the machines' one
// after another. The snapshots have no sources and no diagnostics: the
// caller gives them log's.
func ReadSeries(log *facts.SourceLog, r io.Reader) ([]*facts.Snapshot, error) {
	log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	var times []stamp
	var rd *proctable.Reader
	unreadNoted := false
	t := tool
	t.Noise = func(line []byte) (scan.LineKind, bool) {
		if st, ok := parseStamp(line); ok {
			if len(times) < maxStamps {
				st.line = rd.LineNo
				times = append(times, st)
			}
			return scan.Parsed, true
		}
		if unreadStamp(line) {
			if !unreadNoted {
				unreadNoted = true
				log.Diag(rd.LineNo, facts.SevInfo, CodeTime,
					"%q looks like a time, in a form leakdiag does not read (a language whose month names it does not know, or a date it cannot tell the order of): not a sample time; Get-Date -Format o prints one it reads", string(line))
			}
			return scan.Ignored, true
		}
		return noise(line)
	}
	rd = proctable.NewReader(t, facts.NewBuilder(), log)
	rd.SplitRepeats(facts.NewBuilder)
	rd.SplitHosts(facts.NewBuilder)
	err := rd.Read(r)
	points := rd.Points()
	out := make([][]*facts.Snapshot, len(points)) // each point's, a machine each
	for i, p := range points {
		out[i] = append(out[i], p.B.Snapshot())
		for _, b := range p.HostBuilders() {
			out[i] = append(out[i], b.Snapshot())
		}
	}
	if len(points) > 1 {
		tables := points[len(points)-1].Index + 1
		log.Diag(points[1].Line, facts.SevInfo, CodeLoop,
			"%d tables of the same processes (a command run in a loop): read as a series, a capture per table, this one %s", tables, ordinal(points[1].Index))
		if tables > len(points) {
			log.Diag(points[1].Line, facts.SevInfo, CodeThinned,
				"%d of the %d tables kept, evenly spread (the first and the last among them), for the series", len(points), tables)
		}
		placeTimes(log, points, resolveSlashDates(log, times), out)
	}
	return byHost(out), err
}

// byHost orders the snapshots of the points, each point's a machine
// each, as a series per machine: the series of the machine shown first,
// then the next's, each oldest first.
func byHost(points [][]*facts.Snapshot) []*facts.Snapshot {
	var hosts []string
	series := map[string][]*facts.Snapshot{}
	for _, snaps := range points {
		for _, s := range snaps {
			h := strings.ToLower(s.Host)
			if _, ok := series[h]; !ok {
				hosts = append(hosts, h)
			}
			series[h] = append(series[h], s)
		}
	}
	out := make([]*facts.Snapshot, 0, len(points))
	for _, h := range hosts {
		out = append(out, series[h]...)
	}
	return out
}

// ordinal names the table at index i of a series.
func ordinal(i int) string {
	if i == 1 {
		return "the second"
	}
	return "table " + strconv.Itoa(i+1) + " (the second kept)"
}

// maxStamps bounds the times kept: one per table is all a series uses.
const maxStamps = 1 << 16

// stamp is a time printed between the tables, at line.
type stamp struct {
	line  int64
	at    time.Time
	zoned bool
	// slash says the time is a short date with slashes and a 24-hour
	// time, at its month-first reading and alt its day-first one, each
	// zero where the date is none that way.
	slash bool
	alt   time.Time
}

// placeTimes gives each point the time printed next to its table: the
// times must be as many as the tables and each sit on the same side of
// its table (all before, as `Get-Date; Get-Process`, or all after), in
// order. Otherwise the series is read by the order of its tables, and
// the diagnostic says why.
//
// Of a long series, points are some of its tables (their Index), the
// times all of them: each kept table is checked against its own time and
// the next one's (before) or the one before (after).
func placeTimes(log *facts.SourceLog, points []proctable.Point, times []stamp, out [][]*facts.Snapshot) {
	n := points[len(points)-1].Index + 1
	if len(times) != n {
		log.Diag(points[0].Line, facts.SevInfo, CodeTime,
			"%d tables but %d times printed between them (Get-Date in the loop gives one each): the series is read by the order of its tables, growth per capture, not per hour", n, len(times))
		return
	}
	before, after := true, true
	for _, p := range points {
		i := p.Index
		before = before && times[i].line < p.Line && (i+1 == n || times[i+1].line > p.Line)
		after = after && times[i].line > p.Line && (i == 0 || times[i-1].line < p.Line)
	}
	for i, s := range times {
		if i > 0 && !s.at.After(times[i-1].at) {
			log.Diag(s.line, facts.SevWarning, CodeTime,
				"this time is not later than the one before it (line %d): the series is read by the order of its tables", times[i-1].line)
			return
		}
	}
	if !before && !after {
		log.Diag(points[0].Line, facts.SevInfo, CodeTime,
			"the times printed are not one beside each table: the series is read by the order of its tables")
		return
	}
	zoned := true
	for i, p := range points {
		for _, s := range out[i] {
			s.CapturedAt = times[p.Index].at.Format(time.RFC3339Nano)
		}
	}
	for _, s := range times {
		zoned = zoned && s.zoned
	}
	if !zoned {
		log.Diag(times[0].line, facts.SevInfo, CodeTime, "the times printed have no zone: read as UTC (the series needs only the time between them)")
	}
}

// stampLayouts are the forms a time printed between tables takes: what
// Get-Date prints in en-US (long date and time, 12- or 24-hour) and
// en-GB, its -Format s, u and "yyyy-MM-dd HH:mm:ss", the short date and
// time of cultures that put the year first (ja-JP, zh-CN: 2026/12/07)
// or the day first with dots (de-DE, ru-RU: 07.12.2026), and a date in
// a string ("$(Get-Date)": the invariant culture's month first, but see
// slashLayout). A time with a zone (-Format o) is RFC 3339 and read
// before these; the long dates of other languages are localStamp's.
var stampLayouts = []string{
	"Monday, January 2, 2006 3:04:05 PM",
	"Monday, January 2, 2006 15:04:05",
	"2 January 2006 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z",
	"2006-01-02 15:04:05",
	"2006/1/2 15:04:05",
	"2.1.2006 15:04:05",
	"1/2/2006 3:04:05 PM",
}

// slashLayout is a short date with slashes and a 24-hour time: the
// invariant culture's month first ("$(Get-Date)": 12/07/2026 13:05:12)
// or the day first of en-GB and fr-FR (07/12/2026 13:05:12), which only
// a day past 12 tells apart: resolveSlashDates reads them.
const slashLayout = "1/2/2006 15:04:05"

// parseStamp reads a line that is a time and nothing else, maybe framed
// ("=== 2026-12-07 10:41:02 ===", "[...]") or labelled ("Time: ..."): its
// at and zoned, or, for a short date with slashes and a 24-hour time,
// its month-first and day-first readings (at and alt, zero where the
// date is none that way), which resolveSlashDates chooses between.
func parseStamp(line []byte) (stamp, bool) {
	if len(line) < 8 || len(line) > 80 {
		return stamp{}, false
	}
	s := strings.Trim(string(line), " \t=-*#[]")
	if i := strings.Index(s, ": "); i > 0 && i < 20 && !strings.ContainsAny(s[:i], "0123456789") {
		s = strings.TrimSpace(s[i+2:]) // "Time: 2026-12-07 10:41:02"
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return stamp{at: t, zoned: true}, true
	}
	s = strings.Join(strings.Fields(s), " ")
	for _, l := range stampLayouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return stamp{at: t, zoned: strings.HasSuffix(l, "Z")}, true
		}
	}
	if t, ok := localStamp(s); ok {
		return stamp{at: t}, true
	}
	first, after, _ := strings.Cut(s, "/")
	second, rest, ok := strings.Cut(after, "/")
	if !ok {
		return stamp{}, false
	}
	md, mdErr := time.ParseInLocation(slashLayout, s, time.UTC)
	dm, dmErr := time.ParseInLocation(slashLayout, second+"/"+first+"/"+rest, time.UTC)
	if mdErr != nil && dmErr != nil {
		return stamp{}, false
	}
	return stamp{at: md, alt: dm, slash: true}, true
}
