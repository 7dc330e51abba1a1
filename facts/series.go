package facts

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Series is several captures of one machine, oldest first: a leak is
// growth, and growth needs more than one capture.
type Series struct {
	Points []SeriesPoint
	// TimesKnown: every point has a time (from the capture or given), so
	// growth can be per hour; otherwise only the order is known.
	TimesKnown bool
	// Processes are the processes of every point, matched across them,
	// in the order of the last point's processes, then those that exited
	// before it.
	Processes []*ProcessSeries
	// Why says why the captures are read as one machine over time, for
	// reports: "they name the same host, FILESRV01", "they show the same
	// 12 processes" (SameProcesses), "--series says so". Empty when the
	// user compared them (leakdiag diff).
	Why string
}

// SeriesPoint is one capture of a series.
type SeriesPoint struct {
	Snapshot *Snapshot
	// Time is when the capture was taken; TimeFrom says how that is known:
	// "capture" (the capture says so), "given" (--at) or "order" (only
	// the order is known; Time is zero).
	Time     time.Time
	TimeFrom string
	// Name names the point in reports: its first source's path.
	Name string
}

// ProcessSeries is one process across the points of a series. A pid
// reused by another image, or by a process created at another time, is
// another process.
type ProcessSeries struct {
	PID        uint64
	Image      string
	CreateTime string
	// At holds the process in each point, nil where it is not there.
	At []*Process
	// First and Last are the first and last points it is in.
	First, Last int
}

// TimeFrom values.
const (
	TimeFromCapture = "capture"
	TimeFromGiven   = "given"
	TimeFromOrder   = "order"
)

// NewSeries orders snapshots by time (those with times; without, as
// given) and matches their processes. times[i], when not zero, is the
// time of snaps[i] given by the user; otherwise the capture's own
// CapturedAt is used if it parses.
func NewSeries(snaps []*Snapshot, times []time.Time) (*Series, error) {
	if len(snaps) < 2 {
		return nil, fmt.Errorf("a series needs at least two captures, not %d", len(snaps))
	}
	s := &Series{TimesKnown: true}
	for i, snap := range snaps {
		p := SeriesPoint{Snapshot: snap, TimeFrom: TimeFromOrder, Name: pointName(snap, i)}
		switch {
		case i < len(times) && !times[i].IsZero():
			p.Time, p.TimeFrom = times[i], TimeFromGiven
		default:
			if t, ok := ParseCaptureTime(snap.CapturedAt); ok {
				p.Time, p.TimeFrom = t, TimeFromCapture
			}
		}
		if p.TimeFrom == TimeFromOrder {
			s.TimesKnown = false
		}
		s.Points = append(s.Points, p)
	}
	if s.TimesKnown {
		sort.SliceStable(s.Points, func(i, j int) bool { return s.Points[i].Time.Before(s.Points[j].Time) })
		for i := 1; i < len(s.Points); i++ {
			if !s.Points[i].Time.After(s.Points[i-1].Time) {
				return nil, fmt.Errorf("captures %s and %s are both at %s: a series needs captures taken at different times",
					s.Points[i-1].Name, s.Points[i].Name, s.Points[i].Time.Format(time.RFC3339))
			}
		}
	}
	s.match()
	return s, nil
}

func pointName(snap *Snapshot, i int) string {
	if len(snap.Sources) > 0 {
		return snap.Sources[0].Path
	}
	return fmt.Sprintf("capture %d", i+1)
}

// match pairs each point's processes with those of the earlier points by
// pid and image (case folded) and, where both captures say, create time;
// processes without a pid (a counter log without ID Process) by image,
// instance and run.
func (s *Series) match() {
	type key struct {
		pid        uint64
		image      string
		createTime string
		instance   string
		run        int64
	}
	open := map[key]*ProcessSeries{} // the latest process series of each key
	var all []*ProcessSeries
	for i, pt := range s.Points {
		for _, p := range pt.Snapshot.Processes {
			k := key{pid: p.PID, image: strings.ToLower(p.Image), createTime: p.CreateTime}
			if p.PID == 0 {
				k.instance, k.run = strings.ToLower(p.Instance), p.Run
			}
			ps := open[k]
			if ps == nil && p.CreateTime != "" {
				// The earlier capture may not say when it was created.
				old := k
				old.createTime = ""
				if ps = open[old]; ps != nil && ps.CreateTime == "" {
					delete(open, old)
					open[k] = ps
				} else {
					ps = nil
				}
			}
			if ps != nil && ps.At[i] != nil {
				ps = nil // the same pid twice in one capture: keep them apart
			}
			if ps == nil {
				ps = &ProcessSeries{PID: p.PID, Image: p.Image, At: make([]*Process, len(s.Points)), First: i}
				all = append(all, ps)
				open[k] = ps
			}
			if ps.CreateTime == "" {
				ps.CreateTime = p.CreateTime
			}
			ps.At[i] = p
			ps.Last = i
		}
	}
	last := len(s.Points) - 1
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if (a.Last == last) != (b.Last == last) {
			return a.Last == last
		}
		if a.PID != b.PID {
			return a.PID < b.PID
		}
		return a.Image < b.Image
	})
	s.Processes = all
}

// Hours is how many hours point i is after the first point (its index
// when times are not known).
func (s *Series) Hours(i int) float64 {
	if !s.TimesKnown {
		return float64(i)
	}
	return s.Points[i].Time.Sub(s.Points[0].Time).Hours()
}

// captureTime reads WinDbg's "Debug session time" value: "Tue Mar 12
// 09:41:27.115 2024 (UTC + 1:00)". Compiled when first used: its bounded
// repetitions are most of the package's start-up otherwise.
var captureTime = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:\w{3} )?(\w{3}) +(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)? (\d{4})(?: \((?:UTC|GMT) *([+-]) *(\d{1,2}):(\d{2})\))?`)
})

// ParseCaptureTime reads a capture's time as Snapshot.CapturedAt has it:
// WinDbg's "Debug session time" form, or RFC 3339 (leakdiag's own
// snapshots). A time without a zone is taken as UTC.
func ParseCaptureTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	m := captureTime().FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	month, err := time.Parse("Jan", m[1])
	if err != nil {
		return time.Time{}, false
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	zone := time.UTC
	if m[7] != "" {
		off := atoi(m[8])*3600 + atoi(m[9])*60
		if m[7] == "-" {
			off = -off
		}
		zone = time.FixedZone("", off)
	}
	t := time.Date(atoi(m[6]), month.Month(), atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5]), 0, zone)
	return t, true
}
