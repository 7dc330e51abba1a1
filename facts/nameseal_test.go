package facts

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sealStream is the named handles of one process of a test: names drawn
// from a vocabulary of distinct names, a few of them held far more often
// than the rest.
type sealStream struct {
	pid     uint64
	handles int
	names   int // distinct names the rest are drawn from
	heavy   int // handles to each of three names held often
}

// handlesOf returns the handles of s, in a fixed order for a seed.
func handlesOf(s sealStream, seed uint64) []Handle {
	rng := rand.New(rand.NewPCG(seed, s.pid))
	var hs []Handle
	add := func(typ, name string) {
		hs = append(hs, Handle{Value: uint64(4 * (len(hs) + 1)), Type: typ, Naming: Named, Name: name,
			Pos: Position{Path: "c.txt", Line: int64(len(hs) + 1), Offset: int64(100 * len(hs))}})
	}
	for i := range s.handles {
		if s.heavy > 0 && i%(s.handles/(3*s.heavy)+1) == 0 {
			add("Key", fmt.Sprintf(`\REGISTRY\MACHINE\SOFTWARE\Heavy%d`, i%3))
			continue
		}
		n := rng.IntN(s.names)
		typ := "File"
		if n%4 == 0 {
			typ = "Event"
		}
		add(typ, fmt.Sprintf(`\Device\HarddiskVolume2\pid%d\req-%d.tmp`, s.pid, n))
	}
	return hs
}

var sealStreams = []sealStream{
	{pid: 10, handles: 6, names: 3},
	{pid: 20, handles: 500, names: 60},
	{pid: 30, handles: 3000, names: 400, heavy: 200},
	{pid: 40, handles: 5000, names: 2000, heavy: 300},
	{pid: 50, handles: 40_000, names: 30_000, heavy: 2000},
}

// TestSealedProcessReportsAsUnsealed: processes read one block after the
// other (each sealed as the next starts) report the same facts, top names
// and distinct counts included, as each read alone, never sealed.
func TestSealedProcessReportsAsUnsealed(t *testing.T) {
	pos := Position{Path: "c.txt", Line: 1}
	all := NewBuilder()
	for _, s := range sealStreams {
		pb := all.ProcessByPID(s.pid, pos)
		for _, h := range handlesOf(s, 1) {
			pb.AddHandle(&h)
		}
	}
	for _, pb := range all.procs {
		if pb != all.active && pb.hsRead().names.n > sealAbove {
			t.Errorf("pid %d: %d names held once another process was read, over %d", pb.P.PID, pb.hsRead().names.n, sealAbove)
		}
	}
	got := all.Snapshot().Processes
	for i, s := range sealStreams {
		alone := NewBuilder()
		pb := alone.ProcessByPID(s.pid, pos)
		for _, h := range handlesOf(s, 1) {
			pb.AddHandle(&h)
		}
		want := alone.Snapshot().Processes[0]
		if diff := cmp.Diff(want, got[i]); diff != "" {
			t.Errorf("pid %d read among others differs from read alone (-alone +among others):\n%s", s.pid, diff)
		}
	}
}

// TestSealedProcessReopenedKeepsBounds: handles of processes interleaved
// at random (each sealed every time the reader turns to another) keep
// NameTableLimit's bounds: every listed count is at most the true one
// and its error at least the difference; the names held most are listed
// exactly where they stand out; the distinct count is exact unless it says it is an estimate,
// and then within three standard errors.
func TestSealedProcessReopenedKeepsBounds(t *testing.T) {
	for seed := range uint64(4) {
		pos := Position{Path: "c.txt", Line: 1}
		b := NewBuilder()
		streams := make([][]Handle, len(sealStreams))
		for i, s := range sealStreams {
			streams[i] = handlesOf(s, seed)
		}
		truth := make([]exactCounts, len(sealStreams))
		rng := rand.New(rand.NewPCG(seed, 99))
		for left := true; left; {
			left = false
			i := rng.IntN(len(streams))
			for j := range len(streams) {
				if len(streams[(i+j)%len(streams)]) > 0 {
					i, left = (i+j)%len(streams), true
					break
				}
			}
			if !left {
				break
			}
			// A run of up to 200 handles of process i.
			run := min(1+rng.IntN(200), len(streams[i]))
			pb := b.ProcessByPID(sealStreams[i].pid, pos)
			if truth[i] == nil {
				truth[i] = exactCounts{}
			}
			for _, h := range streams[i][:run] {
				pb.AddHandle(&h)
				truth[i][namePair{h.Type, h.Name}]++
			}
			streams[i] = streams[i][run:]
		}
		for i, p := range b.Snapshot().Processes {
			checkNameBounds(t, fmt.Sprintf("seed %d pid %d", seed, p.PID), p, truth[i], sealStreams[i].heavy > 0)
		}
	}
}

// checkNameBounds checks p's names against the exact counts of its
// handles; with heavy, its most held name must be listed first, exactly
// (a name held far more than the others is never let go of).
func checkNameBounds(t *testing.T, what string, p *Process, truth exactCounts, heavy bool) {
	t.Helper()
	for _, n := range p.TopNames {
		c := truth[namePair{n.Type, n.Name}]
		if n.Count > c || n.Count+n.Error < c {
			t.Errorf("%s: %s count %d error %d, true %d", what, n.Name, n.Count, n.Error, c)
		}
	}
	// The true top names, by count: the first is listed, exactly.
	var best namePair
	for np, c := range truth {
		if c > truth[best] || (c == truth[best] && (np.typ < best.typ || np.typ == best.typ && np.name < best.name)) {
			best = np
		}
	}
	if heavy && (len(p.TopNames) == 0 || p.TopNames[0].Name != best.name || p.TopNames[0].Count != truth[best] || p.TopNames[0].Error != 0) {
		t.Errorf("%s: top name %+v, want %s held %d times, exact", what, p.TopNames, best.name, truth[best])
	}
	n := int64(len(truth))
	if !p.DistinctNamesEstimated && p.DistinctNames != n {
		t.Errorf("%s: %d distinct names exact, true %d", what, p.DistinctNames, n)
	}
	if p.DistinctNamesEstimated && math.Abs(float64(p.DistinctNames-n))/float64(n) > 3*DistinctNamesError {
		t.Errorf("%s: %d distinct names estimated, true %d: outside three standard errors", what, p.DistinctNames, n)
	}
}

// TestSealedTableLetsGoOnce: a table sealed and given back the pairs it
// let go of counts each anew with the error it may have had, gives the
// pairs it never saw no error, and keeps the distinct count exact while
// it holds the keys of the pairs it let go of.
func TestSealedTableLetsGoOnce(t *testing.T) {
	var tab nameTable
	typeName := func(uint32) string { return "File" }
	for i := range 100 {
		for range 100 - i { // name i held 100-i times
			tab.add(0, fmt.Sprintf("n%d", i), Position{Line: int64(i + 1)})
		}
	}
	var let, letHandles int64
	tab.seal(typeName, func(_ uint32, _ string, handles int64) { let, letHandles = let+1, letHandles+handles })
	if tab.n != sealKeep || tab.rare.floor != 100-sealKeep {
		t.Fatalf("sealed: %d slots, floor %d; want %d, %d", tab.n, tab.rare.floor, sealKeep, 100-sealKeep)
	}
	// The names let go of, n16 to n99, held 84 times down to once.
	if let != 100-sealKeep || letHandles != (100-sealKeep)*(101-sealKeep)/2 {
		t.Errorf("seal let go of %d names of %d handles, want %d of %d", let, letHandles, 100-sealKeep, (100-sealKeep)*(101-sealKeep)/2)
	}
	tab.add(0, "n99", Position{Line: 500}) // let go of, held once before
	tab.add(0, "new", Position{Line: 501})
	tab.add(0, "n0", Position{Line: 502}) // kept
	got := map[string][2]int64{}
	for i := range tab.n {
		got[tab.slot(i).name] = [2]int64{tab.slot(i).count - tab.errOf(i), tab.errOf(i)}
	}
	want := map[string][2]int64{"n99": {1, 100 - sealKeep}, "new": {1, 0}, "n0": {101, 0}}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: count and error %v, want %v", name, got[name], w)
		}
	}
	if d, est := tab.distinct(); est || d != 101 {
		t.Errorf("distinct %d (estimated %v), want 101 exact", d, est)
	}
	// Sealed again past droppedLimit, the table estimates, exactly until
	// a pair enters it.
	for i := range 2 * droppedLimit {
		tab.add(0, fmt.Sprintf("m%d", i), Position{})
	}
	tab.seal(typeName, func(uint32, string, int64) {})
	if d, est := tab.distinct(); est || d != 101+2*droppedLimit || tab.rare.hll == nil {
		t.Errorf("distinct %d (estimated %v), want %d exact", d, est, 101+2*droppedLimit)
	}
	tab.add(0, "m0", Position{})
	if d, est := tab.distinct(); !est || math.Abs(float64(d)-(101+2*droppedLimit)) > 3*DistinctNamesError*(101+2*droppedLimit) {
		t.Errorf("distinct %d (estimated %v), want about %d estimated", d, est, 101+2*droppedLimit)
	}
}

// TestSealKeepsHandlesToExited: handles to an exited process and a
// terminated thread count in full when a process's handles to them come
// both before and after its seal.
func TestSealKeepsHandlesToExited(t *testing.T) {
	b := NewBuilder()
	pos := Position{Path: "c.txt", Line: 1}
	gone := b.Process("ffffa001", pos)
	gone.P.PID, gone.P.Exited = 99, true
	b.ThreadTerminated(0xffffb002)
	value := uint64(4)
	hold := func(addr string, typ string, object uint64, n int) {
		pb := b.Process(addr, pos)
		for range n {
			pb.AddHandle(&Handle{Value: value, Type: typ, Naming: Unnamed, Object: object})
			value += 4
		}
	}
	hold("ffffa100", "Process", 0xffffa001, 3)
	hold("ffffa100", "Thread", 0xffffb002, 2)
	hold("ffffa200", "Process", 0xffffa001, 1) // ffffa100 is sealed
	hold("ffffa100", "Process", 0xffffa001, 4)
	hold("ffffa200", "Thread", 0xffffb002, 1) // and again
	hold("ffffa100", "Thread", 0xffffb002, 1)
	got := map[string][3]int64{}
	for _, p := range b.Snapshot().Processes {
		got[p.Address] = [3]int64{p.HandlesToExitedProcesses, p.HandlesToExitedThreads, p.HeldBy}
	}
	want := map[string][3]int64{"ffffa001": {0, 0, 8}, "ffffa100": {7, 3, 0}, "ffffa200": {1, 1, 0}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("handles to the exited, held by (-want +got):\n%s", diff)
	}
}
