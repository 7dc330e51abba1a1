package facts

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRefListSums appends random runs of counts (addresses anywhere in
// 64 bits, negative counts as a merged handle leaves, objects listed in
// several runs) and checks each gives back the sums, object by object.
func TestRefListSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var l refList
		want := map[objRef]int64{}
		for range 1 + rng.IntN(6) {
			run := map[objRef]int64{}
			for range rng.IntN(40) {
				var addr uint64
				switch rng.IntN(3) {
				case 0:
					addr = 0xffffd7c000000000 + rng.Uint64N(1<<32)&^7
				case 1:
					addr = rng.Uint64()
				default:
					addr = []uint64{0, 1, math.MaxUint64, 0x8000000000000000}[rng.IntN(4)]
				}
				r := objRef{addr, rng.IntN(2) == 0}
				n := rng.Int64N(5) - 1
				if rng.IntN(50) == 0 {
					n = math.MaxInt64 >> 2
				}
				run[r] += n
				want[r] += n
			}
			l.add(run)
		}
		got := map[objRef]int64{}
		l.each(func(r objRef, n int64) { got[r] += n })
		for r, n := range want {
			if n == 0 && got[r] == 0 {
				delete(want, r)
				delete(got, r)
			}
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(objRef{})); diff != "" {
			t.Fatalf("round %d: sums (-want +got):\n%s", round, diff)
		}
	}
}

// TestRefListIsPacked: objects of one pool region, a few bytes each.
func TestRefListIsPacked(t *testing.T) {
	refs := map[objRef]int64{}
	for i := range 1000 {
		refs[objRef{0xffffd7c100000000 + uint64(i)*0x1f40, i%2 == 0}] = 1
	}
	var l refList
	l.add(refs)
	if len(l.enc) > 4*len(refs) || cap(l.enc) > 2*len(l.enc) {
		t.Errorf("1,000 objects take %d bytes (room for %d), want at most 4 each", len(l.enc), cap(l.enc))
	}
}

// TestAlternatingSealsStayLinear: a capture that turns between two
// processes at every handle seals one at each turn; each seal must cost
// its new objects, not every object sealed before (a seal that copied
// them all made the read quadratic: 6,000 turns allocated 866 MB).
func TestAlternatingSealsStayLinear(t *testing.T) {
	b := NewBuilder()
	pos := Position{Path: "c.txt", Line: 1}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const turns = 6000
	for i := range turns {
		for _, addr := range []string{"ffffa100", "ffffa200"} {
			pb := b.Process(addr, pos)
			pb.AddHandle(&Handle{Value: uint64(4 * (i + 1)), Type: "Thread", Naming: Unnamed, Object: 0xffffb000 + uint64(i)*0x80})
		}
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
		t.Errorf("%d turns allocated %d MB, want it linear in the handles (under 64 MB)", turns, got>>20)
	}
	b.ThreadTerminated(0xffffb000)
	for _, p := range b.Snapshot().Processes {
		if p.HandlesToExitedThreads != 1 {
			t.Errorf("%s: %d handles to exited threads, want 1", p.Address, p.HandlesToExitedThreads)
		}
	}
}
