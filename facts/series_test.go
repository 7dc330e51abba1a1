package facts

import (
	"fmt"
	"testing"
	"time"
)

func TestParseCaptureTime(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // RFC 3339, "" for no time
	}{
		{"Tue Mar 12 09:41:27.115 2024 (UTC + 1:00)", "2024-03-12T09:41:27+01:00"},
		{"Mon Nov  2 23:05:01.000 2026 (UTC - 7:00)", "2026-11-02T23:05:01-07:00"},
		{"Tue Mar 12 09:41:27.115 2024", "2024-03-12T09:41:27Z"},
		{"2026-11-27T10:00:00Z", "2026-11-27T10:00:00Z"},
		{"yesterday", ""},
		{"", ""},
	} {
		got, ok := ParseCaptureTime(c.in)
		if s := got.Format(time.RFC3339); ok != (c.want != "") || ok && s != c.want {
			t.Errorf("ParseCaptureTime(%q) = %s, %v; want %q", c.in, s, ok, c.want)
		}
	}
}

func snapAt(at string, procs ...*Process) *Snapshot {
	return &Snapshot{SchemaVersion: SchemaVersion, CapturedAt: at, Processes: procs, Sources: []Source{{Path: "c-" + at}}}
}

func TestNewSeriesMatchesProcesses(t *testing.T) {
	s, err := NewSeries([]*Snapshot{
		snapAt("2026-11-27T11:00:00Z", &Process{PID: 8, Image: "a.exe"}, &Process{PID: 12, Image: "new.exe"}, &Process{PID: 20, Image: "t.exe", CreateTime: "2026-11-27T10:30:00Z"}),
		snapAt("2026-11-27T10:00:00Z", &Process{PID: 8, Image: "A.EXE"}, &Process{PID: 12, Image: "old.exe"}, &Process{PID: 20, Image: "t.exe", CreateTime: "2026-11-27T09:00:00Z"}, &Process{PID: 30, Image: "gone.exe"}),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !s.TimesKnown || s.Points[0].Snapshot.CapturedAt != "2026-11-27T10:00:00Z" || s.Hours(1) != 1 {
		t.Fatalf("points not ordered by time: %+v", s.Points)
	}
	type row struct {
		pid          uint64
		image        string
		first, last  int
		presentFirst bool
	}
	var got []row
	for _, p := range s.Processes {
		got = append(got, row{p.PID, p.Image, p.First, p.Last, p.At[0] != nil})
	}
	want := []row{
		{8, "A.EXE", 0, 1, true},     // pid and image match, case folded
		{12, "new.exe", 1, 1, false}, // pid reused by another image
		{20, "t.exe", 1, 1, false},   // created at another time
		{12, "old.exe", 0, 0, true},  // exited
		{20, "t.exe", 0, 0, true},    // exited
		{30, "gone.exe", 0, 0, true}, // exited
	}
	if len(got) != len(want) {
		t.Fatalf("processes %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("process %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestNewSeriesTimes(t *testing.T) {
	a, b := snapAt(""), snapAt("")
	s, err := NewSeries([]*Snapshot{a, b}, nil)
	if err != nil || s.TimesKnown || s.Points[0].TimeFrom != TimeFromOrder || s.Hours(1) != 1 {
		t.Errorf("no times: %+v, %v", s, err)
	}
	t0 := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	s, err = NewSeries([]*Snapshot{a, b}, []time.Time{t0.Add(2 * time.Hour), t0})
	if err != nil || !s.TimesKnown || s.Points[0].Snapshot != b || s.Points[1].TimeFrom != TimeFromGiven || s.Hours(1) != 2 {
		t.Errorf("given times: %+v, %v", s, err)
	}
	if _, err := NewSeries([]*Snapshot{a, b}, []time.Time{t0, t0}); err == nil {
		t.Error("two captures at one time: no error")
	}
	if _, err := NewSeries([]*Snapshot{a}, nil); err == nil {
		t.Error("one capture: no error")
	}
}

func TestGrowth(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	proc := func(handles int64, events, keys int64, names ...NameCount) *Process {
		return &Process{PID: 8, Image: "leaky.exe", HandleCount: n(handles), ByType: map[string]int64{"Event": events, "Key": keys}, TopNames: names}
	}
	s, err := NewSeries([]*Snapshot{
		snapAt("2026-11-27T10:00:00Z", proc(1000, 500, 500, NameCount{Name: `\A`, Type: "Event", Count: 100})),
		snapAt("2026-11-27T11:00:00Z", proc(4000, 3500, 500, NameCount{Name: `\A`, Type: "Event", Count: 2100}, NameCount{Name: `\B`, Type: "Key", Count: 10})),
		snapAt("2026-11-27T12:00:00Z", proc(7000, 6500, 500, NameCount{Name: `\a`, Type: "Event", Count: 4100})),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := s.Growth(s.Processes[0])
	if g.Points != 3 || g.Hours != 2 || g.Handles != 6000 || g.PerHour != 3000 || !g.Monotonic ||
		g.TopType != "Event" || g.TopTypeGrowth != 6000 || g.TopTypePerHour != 3000 || g.OtherTypesGrowth != 0 {
		t.Errorf("growth = %+v", g)
	}
	if len(g.Names) != 1 || g.Names[0].Growth != 4000 || g.Names[0].From != 100 {
		t.Errorf("names = %+v, want \\a grown by 4000 (names compare case-insensitively)", g.Names)
	}
	s2, _ := NewSeries([]*Snapshot{snapAt("", proc(100, 50, 50)), snapAt("", proc(90, 40, 50)), snapAt("", proc(300, 250, 50))}, nil)
	if g := s2.Growth(s2.Processes[0]); g.Monotonic || g.Handles != 200 || g.Hours != 2 {
		t.Errorf("a dip then growth, by order: %+v", g)
	}
}

// TestGrowthLeavesUnknownCountsOut: a capture that shows the process but
// not its count (a summary cut before its total) is left out of the
// growth, never read as a fall to 0; its types that it does give still
// count, those it does not are left out of the type growth.
func TestGrowthLeavesUnknownCountsOut(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	whole := func(handles, events, keys int64) *Process {
		return &Process{PID: 8, Image: "leaky.exe", HandleCount: n(handles), ByType: map[string]int64{"Event": events, "Key": keys}}
	}
	// A `handle -s -p` summary cut after its Event row.
	cut := &Process{PID: 8, Image: "leaky.exe", ByType: map[string]int64{"Event": 9000}, TypesPartial: true}
	for _, tc := range []struct {
		name                   string
		procs                  []*Process
		points, unknown        int
		handles                int64
		monotonic              bool
		topType                string
		topGrowth, otherGrowth int64
	}{
		{"last cut", []*Process{whole(1000, 500, 500), whole(4000, 3500, 500), cut}, 2, 1, 3000, true, "Event", 8500, 0},
		{"middle cut", []*Process{whole(1000, 500, 500), cut, whole(7000, 6500, 500)}, 2, 1, 6000, true, "Event", 6000, 0},
		{"first cut", []*Process{cut, whole(4000, 3500, 500), whole(7000, 6500, 400)}, 2, 1, 3000, true, "", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var snaps []*Snapshot
			for i, p := range tc.procs {
				snaps = append(snaps, snapAt(fmt.Sprintf("2026-11-27T%02d:00:00Z", 10+i), p))
			}
			s, err := NewSeries(snaps, nil)
			if err != nil {
				t.Fatal(err)
			}
			g := s.Growth(s.Processes[0])
			if g.Points != tc.points || g.Unknown != tc.unknown || g.Handles != tc.handles || g.Monotonic != tc.monotonic ||
				g.TopType != tc.topType || g.TopTypeGrowth != tc.topGrowth || g.OtherTypesGrowth != tc.otherGrowth {
				t.Errorf("growth = %+v", g)
			}
			if _, ok := g.ByType["Key"]; ok && (tc.procs[0] == cut || tc.procs[2] == cut) {
				t.Errorf("Key growth %d from a capture that does not give Key's count", g.ByType["Key"])
			}
		})
	}
}

func TestTypeCount(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	for _, tc := range []struct {
		name  string
		p     *Process
		known bool // of a type ByType does not list
	}{
		{"complete summary", &Process{HandleCount: n(10), ByType: map[string]int64{"Event": 10}}, true},
		{"summary cut short", &Process{ByType: map[string]int64{"Event": 10}, TypesPartial: true}, false},
		{"count but no types", &Process{HandleCount: n(10), ByType: map[string]int64{}}, false},
		{"no count, no types", &Process{ByType: map[string]int64{}}, false},
		{"no handles at all", &Process{HandleCount: n(0), ByType: map[string]int64{}}, true},
	} {
		if _, known := tc.p.TypeCount("Thread"); known != tc.known {
			t.Errorf("%s: TypeCount(Thread) known %v, want %v", tc.name, known, tc.known)
		}
		if got, known := tc.p.TypeCount("Event"); len(tc.p.ByType) > 0 && (got != 10 || !known) {
			t.Errorf("%s: TypeCount(Event) = %d, %v; want 10, true", tc.name, got, known)
		}
	}
}

// TestGrowthNonPaged: the nonpaged pool charged to the process has its
// course over the captures that give it, whether or not they give its
// handle count; captures without it are left out, never read as 0.
func TestGrowthNonPaged(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	proc := func(handles, nonPaged *int64) *Process {
		return &Process{PID: 8, Image: "agent.exe", HandleCount: handles, PoolNonpagedBytes: nonPaged}
	}
	s, err := NewSeries([]*Snapshot{
		snapAt("2026-11-27T10:00:00Z", proc(n(400), n(100_000))),
		snapAt("2026-11-27T11:00:00Z", proc(nil, n(400_000))),
		snapAt("2026-11-27T12:00:00Z", proc(n(402), nil)),
		snapAt("2026-11-27T13:00:00Z", proc(n(401), n(1_000_000))),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := s.Growth(s.Processes[0])
	want := Course{Points: 3, From: 100_000, To: 1_000_000, PerHour: 300_000, Monotonic: true, Fit: 1}
	np := g.NonPaged
	if np.Points != want.Points || np.From != want.From || np.To != want.To || !np.Monotonic ||
		np.PerHour < want.PerHour-1 || np.PerHour > want.PerHour+1 || np.Fit < 0.999 {
		t.Errorf("nonpaged course = %+v, want %+v", np, want)
	}
	if g.Points != 3 || g.Handles != 1 {
		t.Errorf("handle growth = %d points, %d handles; want 3 points, 1 handle (the nonpaged course leaves it alone)", g.Points, g.Handles)
	}
	s2, _ := NewSeries([]*Snapshot{snapAt("", proc(n(5), n(300))), snapAt("", proc(n(5), n(200))), snapAt("", proc(n(5), n(900)))}, nil)
	if np := s2.Growth(s2.Processes[0]).NonPaged; np.Monotonic || np.To-np.From != 600 || np.Points != 3 {
		t.Errorf("a dip then growth: %+v", np)
	}
}
