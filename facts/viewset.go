package facts

import (
	"sort"
	"strings"
)

// ViewSet gives the facts rules see for one snapshot: the snapshot's,
// and each process's when asked for.
//
// A process's ProcessFacts is a large struct with maps and lists of its
// own; made for every process at once, they took more memory than the
// snapshot itself (1.8 GB for 500,000 processes). The few figures that
// need the whole capture (a process's peers of the same image, its
// handle rank, the exited processes of its image, the totals) are worked
// out once, into a few numbers per process; Process builds the rest from
// the process alone, so a caller that evaluates a process's rules and
// lets its facts go holds one at a time.
type ViewSet struct {
	snap  *Snapshot
	facts SnapshotFacts
	whole []wholeFacts
	// linux: the capture is of a Linux machine; debuggee: it is a
	// user-mode dump of one process (see label).
	linux, debuggee bool
	// series and growth, for the last capture of a series: each
	// process's series, nil for none.
	series *Series
	growth []*ProcessSeries
}

// wholeFacts are the figures of a process that depend on the others.
type wholeFacts struct {
	handles      int64 // BestCount, which the others are worked out from
	peers        int64
	peerMedian   int64
	peerRatio    float64
	handleRank   int64
	exitedOfSame int64
}

// NewViewSet returns the facts rules see for s.
func NewViewSet(s *Snapshot) *ViewSet {
	v := &ViewSet{snap: s, whole: make([]wholeFacts, len(s.Processes))}
	for i, p := range s.Processes {
		v.whole[i].handles = p.BestCount()
	}
	v.setPeers()
	v.setHandleRanks()
	v.setExitedSameImage()
	v.linux = isLinux(s)
	v.debuggee = len(s.Processes) == 1 && s.Processes[0].Address == "" && !v.linux
	f := &v.facts
	f.Host, f.OSVersion, f.CapturedAt = s.Host, s.OSVersion, s.CapturedAt
	f.ProcessCount = int64(len(s.Processes))
	memoryFacts(f, s.Memory)
	for i, p := range s.Processes {
		f.TotalHandles += v.whole[i].handles
		f.HandlesParsed += p.HandlesParsed
		if p.HandleCount == nil {
			f.UnknownCounts++
		}
		if p.HandlesParsed > 0 && p.TableEntries != nil && *p.TableEntries > p.HandlesParsed {
			f.PartialTables++
		}
		if p.Exited {
			f.ExitedProcesses++
		}
	}
	for _, src := range s.Sources {
		f.Lines += src.Lines.Total
		f.Unrecognized += src.Lines.Unrecognized
	}
	for _, d := range s.Diagnostics {
		if d.Severity == SevWarning || d.Severity == SevError {
			f.Warnings++
		}
	}
	f.checkLimits()
	return v
}

// NewSeriesViewSet returns the facts rules see for the last capture of a
// series, with each of its processes' growth across the series.
func NewSeriesViewSet(s *Series) *ViewSet {
	last := s.Points[len(s.Points)-1].Snapshot
	v := NewViewSet(last)
	v.facts.SeriesPoints = int64(len(s.Points))
	v.facts.SeriesHours = s.Hours(len(s.Points) - 1)
	index := make(map[*Process]int, len(last.Processes))
	for i, p := range last.Processes {
		index[p] = i
	}
	v.series, v.growth = s, make([]*ProcessSeries, len(last.Processes))
	for _, ps := range s.Processes {
		if p := ps.At[len(s.Points)-1]; p != nil {
			v.growth[index[p]] = ps
		}
	}
	return v
}

// Snapshot returns the snapshot's facts.
func (v *ViewSet) Snapshot() *SnapshotFacts { return &v.facts }

// Len returns the number of processes, those of the snapshot.
func (v *ViewSet) Len() int { return len(v.whole) }

// Handles returns the Handles of the i-th process, without building its
// facts.
func (v *ViewSet) Handles(i int) int64 { return v.whole[i].handles }

// Process builds the facts of the snapshot's i-th process. Each call
// builds them anew; the maps of the process (ByType, UnnamedByType) are
// shared with the snapshot, not copied.
func (v *ViewSet) Process(i int) ProcessFacts {
	var f ProcessFacts
	v.ProcessInto(i, &f)
	return f
}

// ProcessInto sets *f to the facts of the i-th process, as Process
// returns them, without copying the large struct: the engine fills its
// block of views in place.
func (v *ViewSet) ProcessInto(i int, f *ProcessFacts) {
	p := v.snap.Processes[i]
	processFacts(p, f)
	w := &v.whole[i]
	f.Peers, f.PeerMedianHandles, f.PeerRatio = w.peers, w.peerMedian, w.peerRatio
	f.HandleRank = w.handleRank
	f.ExitedSameImage = w.exitedOfSame
	f.Linux = v.linux || p.FDLimit != nil || p.SocketStates != nil
	f.HandleNoun = "handles"
	if f.Linux {
		f.HandleNoun = "file descriptors"
	}
	f.Label = label(f.Image, f.PID, v.debuggee, f.Instance)
	if v.growth != nil && v.growth[i] != nil {
		f.setGrowth(v.series.Growth(v.growth[i]))
	}
	f.checkLimits()
}

// Views returns the facts rules see for s: the snapshot's and each
// process's, in the order of s.Processes, all at once. For a capture of
// many processes, a ViewSet builds them one at a time.
func Views(s *Snapshot) (SnapshotFacts, []ProcessFacts) {
	v := NewViewSet(s)
	procs := make([]ProcessFacts, v.Len())
	for i := range procs {
		procs[i] = v.Process(i)
	}
	return v.facts, procs
}

// setPeers works out each process's siblings of the same image: live ones
// with a known count, as exited processes (count 0) and unknown counts
// would drag the median down. The median of the others is read off the
// group sorted once, so a thousand svchost.exe cost a sort, not a thousand.
func (v *ViewSet) setPeers() {
	byImage := map[string][]int{}
	for i, p := range v.snap.Processes {
		if p.Image != "" && !p.Exited && p.HandleCount != nil {
			key := strings.ToLower(p.Image)
			byImage[key] = append(byImage[key], i)
		}
	}
	w := v.whole
	for _, group := range byImage {
		n := len(group)
		if n < 2 {
			continue
		}
		sort.Slice(group, func(a, b int) bool { return w[group[a]].handles < w[group[b]].handles })
		for k, i := range group {
			// at is the j-th smallest of the group without its k-th.
			at := func(j int) int64 {
				if j >= k {
					j++
				}
				return w[group[j]].handles
			}
			m := (n - 1) / 2
			median := at(m)
			if (n-1)%2 == 0 {
				median = (at(m-1) + at(m)) / 2
			}
			w[i].peers, w[i].peerMedian = int64(n-1), median
			if median > 0 {
				w[i].peerRatio = float64(w[i].handles) / float64(median)
			}
		}
	}
}

// setHandleRanks ranks the processes by Handles, most first, ties by pid
// (as rules see it, a signed number) and then by their order in the
// snapshot: a total order, so exactly one process has rank 1.
func (v *ViewSet) setHandleRanks() {
	ps, w := v.snap.Processes, v.whole
	order := make([]int, len(w))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := order[a], order[b]
		if w[x].handles != w[y].handles {
			return w[x].handles > w[y].handles
		}
		return int64(ps[x].PID) < int64(ps[y].PID)
	})
	for rank, i := range order {
		w[i].handleRank = int64(rank + 1)
	}
}

// setExitedSameImage counts the exited processes of each image.
func (v *ViewSet) setExitedSameImage() {
	exited := map[string]int64{}
	for _, p := range v.snap.Processes {
		if p.Exited {
			exited[strings.ToLower(p.Image)]++
		}
	}
	for i, p := range v.snap.Processes {
		if p.Exited {
			v.whole[i].exitedOfSame = exited[strings.ToLower(p.Image)]
		}
	}
}
