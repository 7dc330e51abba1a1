package facts

import (
	"math"
	"strings"
)

// Captures that name no host can still be one machine over time: the
// processes give it away. Two captures of one server an hour apart show
// the same services under the same pids; two different servers, or two
// users' machines, show different pids for their processes, or the same
// pid under another image. The rule below is strict on purpose: wrongly
// merging two machines would report growth that is no growth, while a
// series it misses is one --series away.
const (
	// SameProcessesMin is the fewest identified processes (with an image)
	// each capture must show: two tiny captures agree by chance.
	SameProcessesMin = 3
	// SameProcessesShare is the share of the smaller capture's processes
	// that every other capture must show too: processes start and exit
	// between captures, but most of a machine stays.
	SameProcessesShare = 0.8
)

// procKey identifies a process across captures: its pid and image (case
// folded).
type procKey struct {
	pid   uint64
	image string
}

// SameProcesses reports whether snapshots that name no host are one
// machine over time because they show the same processes, and if so how
// many processes every one of them shows. They are when:
//
//   - there are at least two, and none names its host (captures that name
//     one are matched by host instead);
//   - each shows at least SameProcessesMin processes with an image;
//   - for every two of them, at least SameProcessesShare of the smaller
//     one's processes are in the other with the same pid and image, and
//     the same create time where both give one;
//   - no pid is in two of them as different processes: another image, or
//     the same image with another create time (a machine reuses pids, but
//     an unrelated capture is far likelier; --series says otherwise);
//   - no two of them were taken at the same time, and every two differ in
//     some process's handle count: captures that agree on every count show
//     no time passing, they are copies or pieces of one capture (a
//     `!process 0 0` log and a `!handle` log of one dump, which --merge
//     reads as one).
//
// Processes without an image (a Handle summary names only the pid) are
// left out: a pid alone is too weak to match on.
func SameProcesses(snaps []*Snapshot) (n int, ok bool) {
	if len(snaps) < 2 {
		return 0, false
	}
	sets := make([]map[procKey]*Process, len(snaps))
	for i, s := range snaps {
		if s.Host != "" {
			return 0, false
		}
		sets[i] = identified(s)
		if len(sets[i]) < SameProcessesMin {
			return 0, false
		}
	}
	for i := range snaps {
		for j := i + 1; j < len(snaps); j++ {
			if sameTime(snaps[i], snaps[j]) {
				return 0, false
			}
			matched, moved, conflict := matchProcesses(sets[i], sets[j])
			least := int(math.Ceil(SameProcessesShare * float64(min(len(sets[i]), len(sets[j])))))
			if conflict || !moved || matched < least {
				return 0, false
			}
		}
	}
	for k := range sets[0] {
		inAll := true
		for _, set := range sets[1:] {
			if p := set[k]; p == nil || !sameCreateTime(sets[0][k], p) {
				inAll = false
				break
			}
		}
		if inAll {
			n++
		}
	}
	return n, true
}

// identified returns a capture's processes that have an image, by pid and
// image.
func identified(s *Snapshot) map[procKey]*Process {
	out := map[procKey]*Process{}
	for _, p := range s.Processes {
		if p.Image == "" {
			continue
		}
		out[procKey{p.PID, strings.ToLower(p.Image)}] = p
	}
	return out
}

// matchProcesses counts the processes of a that b shows too, says
// whether the count of one of them moved between the two, and whether a
// pid is in both only as different processes (a capture may show an
// exited process beside the one that reused its pid: one match for the
// pid is enough).
func matchProcesses(a, b map[procKey]*Process) (matched int, moved, conflict bool) {
	inB := map[uint64]bool{}
	for k := range b {
		inB[k.pid] = true
	}
	pidMatched := map[uint64]bool{}
	for k, p := range a {
		if q := b[k]; q != nil && sameCreateTime(p, q) {
			matched++
			pidMatched[k.pid] = true
			if p.CountKnown() && q.CountKnown() && p.BestCount() != q.BestCount() {
				moved = true
			}
		}
	}
	for k := range a {
		if inB[k.pid] && !pidMatched[k.pid] {
			return matched, moved, true
		}
	}
	return matched, moved, false
}

func sameCreateTime(a, b *Process) bool {
	return a.CreateTime == "" || b.CreateTime == "" || a.CreateTime == b.CreateTime
}

// sameTime: both captures say when they were taken, and it is the same
// time.
func sameTime(a, b *Snapshot) bool {
	ta, okA := ParseCaptureTime(a.CapturedAt)
	tb, okB := ParseCaptureTime(b.CapturedAt)
	return okA && okB && ta.Equal(tb)
}
