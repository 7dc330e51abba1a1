package facts

import (
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

func TestViewsCountsAndPeers(t *testing.T) {
	b := NewBuilder()
	add := func(addr string, pid uint64, image string, count *int64, handles int) {
		p := b.Process(addr, Position{Path: "c.txt", Line: int64(pid)})
		p.P.PID, p.P.Image, p.P.HandleCount = pid, image, count
		for v := 1; v <= handles; v++ {
			p.AddHandle(&Handle{Value: uint64(v * 4), Type: "Event", Naming: Unnamed})
		}
	}
	n := func(v int64) *int64 { return &v }
	add("a1", 0x10, "svchost.exe", n(400), 0)
	add("a2", 0x14, "SVCHOST.EXE", n(500), 0)
	add("a3", 0x18, "svchost.exe", n(600), 0)
	add("a4", 0x1c, "svchost.exe", n(12000), 3)
	add("a5", 0x20, "agent.exe", nil, 7)
	snap, procs := Views(b.Snapshot())

	type peer struct {
		PID, Peers, Median int64
		Ratio              float64
	}
	var got []peer
	for _, p := range procs {
		got = append(got, peer{p.PID, p.Peers, p.PeerMedianHandles, p.PeerRatio})
	}
	want := []peer{
		{0x10, 3, 600, 400.0 / 600},
		{0x14, 3, 600, 500.0 / 600},
		{0x18, 3, 500, 600.0 / 500},
		{0x1c, 3, 500, 12000.0 / 500},
		{0x20, 0, 0, 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("peers: diff (-want +got):\n%s", diff)
	}
	agent := procs[4]
	if agent.HandleCount != -1 || agent.HandleCountKnown || agent.Handles != 7 || agent.TopUnnamedType != "Event" || agent.TopUnnamedCount != 7 {
		t.Errorf("agent.exe facts: %+v", agent)
	}
	if snap.ProcessCount != 5 || snap.TotalHandles != 400+500+600+12000+7 || snap.UnknownCounts != 1 {
		t.Errorf("snapshot facts: %+v", snap)
	}
}

// TestExitedSameImageFirst: of an image's exited processes, the first no
// process of the capture is shown holding is marked, once per image.
func TestExitedSameImageFirst(t *testing.T) {
	procs := []*Process{
		{PID: 10, Image: "a.exe", Exited: true, HeldBy: 1},
		{PID: 20, Image: "A.EXE", Exited: true},
		{PID: 30, Image: "a.exe", Exited: true},
		{PID: 40, Image: "b.exe", Exited: true},
		{PID: 50, Image: "a.exe"},
	}
	v := NewViewSet(&Snapshot{Processes: procs})
	want := map[uint64][2]any{10: {int64(3), false}, 20: {int64(3), true}, 30: {int64(3), false}, 40: {int64(1), true}, 50: {int64(0), false}}
	for i, p := range procs {
		f := v.Process(i)
		if got := [2]any{f.ExitedSameImage, f.ExitedSameImageFirst}; got != want[p.PID] {
			t.Errorf("pid %d: exited_same_image, _first = %v, want %v", p.PID, got, want[p.PID])
		}
	}
}

// TestExitedPeers: an exited process's peers are the live processes of
// its image with a known count, which it takes no part in.
func TestExitedPeers(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	procs := []*Process{
		{PID: 10, Image: "ServiceA.exe", Exited: true, HandleCount: n(0)},
		{PID: 20, Image: "servicea.exe", HandleCount: n(112)},
		{PID: 30, Image: "WerFault.exe", Exited: true},
		{PID: 40, Image: "worker.exe", Exited: true},
		{PID: 50, Image: "worker.exe", HandleCount: n(300)},
		{PID: 60, Image: "worker.exe", HandleCount: n(500)},
	}
	v := NewViewSet(&Snapshot{Processes: procs})
	want := map[uint64][2]int64{10: {1, 112}, 20: {0, 0}, 30: {0, 0}, 40: {2, 400}, 50: {1, 500}, 60: {1, 300}}
	for i, p := range procs {
		f := v.Process(i)
		if got := [2]int64{f.Peers, f.PeerMedianHandles}; got != want[p.PID] || f.Exited && f.PeerRatio != 0 {
			t.Errorf("pid %d: peers, median = %v (ratio %v), want %v", p.PID, got, f.PeerRatio, want[p.PID])
		}
	}
}

// TestWholeFactsSize: a ViewSet holds a wholeFacts per process; it stays
// at 64 bytes.
func TestWholeFactsSize(t *testing.T) {
	if n := unsafe.Sizeof(wholeFacts{}); n > 64 {
		t.Errorf("wholeFacts is %d bytes, over 64", n)
	}
}

// TestLabelOfTheOnlyProcess: the one process of a capture that gives
// neither its image nor its pid is named for what the capture is (a
// debugger's, a leak checker's, an admin tool's).
func TestLabelOfTheOnlyProcess(t *testing.T) {
	for _, tc := range []struct {
		format string
		pid    uint64
		want   string
	}{
		{"kd", 0, "the process the dump was taken of"},
		{"minidump", 0x4d38, "pid 19768 (the debugged process)"},
		{"drmemory", 0, "a program the report does not name"},
		{"drmemory", 1234, "pid 1234 (the program checked)"},
		// An admin tool's one row without the image was taken of no
		// debugged process.
		{"wmic", 4412, "pid 4412"},
		{"getprocess", 0, "the one process the capture shows"},
	} {
		s := &Snapshot{Processes: []*Process{{PID: tc.pid}}, Sources: []Source{{Path: "c.txt", Format: tc.format}}}
		if got := NewViewSet(s).Process(0).Label; got != tc.want {
			t.Errorf("%s, pid %d: label %q, want %q", tc.format, tc.pid, got, tc.want)
		}
	}
}
