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
// handle rank, the exited processes of its image, the totals, the
// processes with most handles) are worked out once, into a few numbers
// per process, from one pass over the processes (a ViewTally); the rest
// is built from the process alone when asked for, so a caller that
// evaluates a process's rules and lets its facts go holds one at a time,
// and the processes themselves need not be held (a Stream's are not).
type ViewSet struct {
	snap  *Snapshot // nil for a stream: Process needs it
	facts SnapshotFacts
	whole []wholeFacts
	top   []TopProcess
	// linux: the capture is of a Linux machine; only names its one
	// process where it gives neither image nor pid (see label), nil for a
	// capture of several.
	linux bool
	only  *subject
	// series and growth, for the last capture of a series: each
	// process's series, nil for none.
	series *Series
	growth []*ProcessSeries
}

// wholeFacts are the figures of a process that depend on the others, and
// what of the process they are worked out from. A ViewSet holds one for
// every process, 500,000 of them for a zombie leak's capture: it is kept
// at 64 bytes, its flags in the room its int32 leaves (at 72 bytes,
// bench/mem.sh's snapshot rows took about a quarter more peak memory;
// TestWholeFactsSize).
type wholeFacts struct {
	handles      int64 // BestCount, which the others are worked out from
	pid          uint64
	image        int32 // the index of the lowercased image among the tally's
	exited       bool
	known        bool // the capture gives the process's count
	exitedFirst  bool // the first exited process of its image held by none shown
	held         bool // exited, and held by a process of the capture
	peers        int64
	peerMedian   int64
	peerRatio    float64
	handleRank   int64
	exitedOfSame int64
}

// TopProcess is one of the processes with the most handles (ViewSet.Top).
type TopProcess struct {
	// Index is the process's place in the snapshot.
	Index   int
	PID     uint64
	Image   string
	Handles int64
	// Known is false when the capture gives no count and Handles is what
	// it shows.
	Known   bool
	address string
}

// TopProcessesLimit is how many processes ViewSet.Top lists.
const TopProcessesLimit = 20

// NewViewSet returns the facts rules see for s.
func NewViewSet(s *Snapshot) *ViewSet {
	t := NewViewTally()
	// Sized once: grown by append, 500,000 processes' figures (64 bytes
	// each) were held twice over while the slice was copied.
	t.v.whole = make([]wholeFacts, 0, len(s.Processes))
	for _, p := range s.Processes {
		t.Add(p)
	}
	v := t.ViewSet(s)
	v.snap = s
	return v
}

// ViewTally gathers what a ViewSet's capture-wide figures need from a
// snapshot's processes, given one at a time and in order (Add), without
// holding them: a few numbers a process, its image among the distinct
// ones, and the processes with most handles so far.
type ViewTally struct {
	v      *ViewSet
	images map[string]int32
	first  *Process // while there is one process
}

// NewViewTally returns an empty tally.
func NewViewTally() *ViewTally {
	return &ViewTally{v: &ViewSet{}, images: map[string]int32{}}
}

// Add tallies the next process of the snapshot.
func (t *ViewTally) Add(p *Process) {
	v, f := t.v, &t.v.facts
	i := len(v.whole)
	if i == 0 {
		t.first = p
	} else {
		t.first = nil
	}
	w := wholeFacts{handles: p.BestCount(), pid: p.PID, image: -1, exited: p.Exited, held: p.HeldBy > 0, known: p.HandleCount != nil}
	if p.Image != "" {
		key := strings.ToLower(p.Image)
		id, ok := t.images[key]
		if !ok {
			id = int32(len(t.images))
			t.images[key] = id
		}
		w.image = id
	}
	v.whole = append(v.whole, w)
	f.TotalHandles += w.handles
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
	v.offerTop(TopProcess{Index: i, PID: p.PID, Image: p.Image, Handles: w.handles, Known: w.known, address: p.Address})
}

// ViewSet returns the facts rules see for the snapshot whose processes
// were tallied; head gives the rest of the snapshot (its processes are
// not read). The tally is not used afterwards.
func (t *ViewTally) ViewSet(head *Snapshot) *ViewSet {
	v := t.v
	v.setPeers()
	v.setHandleRanks()
	v.setExitedSameImage()
	v.linux = isLinux(head)
	v.only = onlySubject(head, len(v.whole) == 1 && t.first.Address == "" && !v.linux)
	f := &v.facts
	f.Host, f.OSVersion, f.CapturedAt = head.Host, head.OSVersion, head.CapturedAt
	f.ProcessCount = int64(len(v.whole))
	f.TypeTotalsKnown = len(head.TypeTotals) > 0
	memoryFacts(f, head.Memory)
	for _, src := range head.Sources {
		f.Lines += src.Lines.Total
		f.Unrecognized += src.Lines.Unrecognized
	}
	for _, d := range head.Diagnostics {
		if d.Severity == SevWarning || d.Severity == SevError {
			f.Warnings++
		}
	}
	f.checkLimits()
	t.v, t.first = nil, nil
	return v
}

// NewSeriesViewSet returns the facts rules see for the last capture of a
// series, with each of its processes' growth across the series.
func NewSeriesViewSet(s *Series) *ViewSet {
	last := s.Points[len(s.Points)-1].Snapshot
	v := NewViewSet(last)
	v.facts.SeriesPoints = int64(len(s.Points))
	v.facts.SeriesHours = s.Hours(len(s.Points) - 1)
	v.facts.setPoolCourse(s.NonPagedPool())
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

// Top returns the processes with the most handles, at most
// TopProcessesLimit, most first: by handles, then pid, image and kernel
// address, whatever the snapshot's order.
func (v *ViewSet) Top() []TopProcess { return v.top }

// offerTop keeps c among the top processes if it is one.
func (v *ViewSet) offerTop(c TopProcess) {
	n := len(v.top)
	if n == TopProcessesLimit && !c.before(&v.top[n-1]) {
		return
	}
	at := sort.Search(n, func(j int) bool { return c.before(&v.top[j]) })
	if n < TopProcessesLimit {
		v.top = append(v.top, TopProcess{})
	}
	copy(v.top[at+1:], v.top[at:])
	v.top[at] = c
}

// before orders the top processes.
func (c *TopProcess) before(d *TopProcess) bool {
	switch {
	case c.Handles != d.Handles:
		return c.Handles > d.Handles
	case c.PID != d.PID:
		return int64(c.PID) < int64(d.PID)
	case c.Image != d.Image:
		return c.Image < d.Image
	case c.address != d.address:
		return c.address < d.address
	}
	return c.Index < d.Index
}

// Process builds the facts of the snapshot's i-th process, for a
// ViewSet made from the snapshot (NewViewSet). Each call builds them
// anew; the maps of the process (ByType, UnnamedByType) are shared with
// the snapshot, not copied.
func (v *ViewSet) Process(i int) ProcessFacts {
	var f ProcessFacts
	v.ProcessInto(i, v.snap.Processes[i], &f)
	return f
}

// ProcessInto sets *f to the facts of p, the i-th process, as Process
// returns them, without copying the large struct: the engine fills its
// block of views in place.
func (v *ViewSet) ProcessInto(i int, p *Process, f *ProcessFacts) {
	processFacts(p, f)
	w := &v.whole[i]
	f.Peers, f.PeerMedianHandles, f.PeerRatio = w.peers, w.peerMedian, w.peerRatio
	f.HandleRank = w.handleRank
	f.ExitedSameImage, f.ExitedSameImageFirst = w.exitedOfSame, w.exitedFirst
	f.Linux = v.linux || p.FDLimit != nil || p.SocketStates != nil
	f.HandleNoun = "handles"
	if f.Linux {
		f.HandleNoun = "file descriptors"
	}
	f.Label = label(f.Image, f.PID, v.only, f.Instance)
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
// An exited process takes no part in its image's group, but gets the
// group for its peers: the same program running still (again, for one
// that runs once, as a service restarted after a crash).
func (v *ViewSet) setPeers() {
	byImage := map[int32][]int{}
	var exited []int
	for i, w := range v.whole {
		switch {
		case w.image < 0:
		case w.exited:
			exited = append(exited, i)
		case w.known:
			byImage[w.image] = append(byImage[w.image], i)
		}
	}
	w := v.whole
	for _, group := range byImage {
		sort.Slice(group, func(a, b int) bool { return w[group[a]].handles < w[group[b]].handles })
	}
	for _, i := range exited {
		if group := byImage[w[i].image]; len(group) > 0 {
			n := len(group)
			median := w[group[n/2]].handles
			if n%2 == 0 {
				median = (w[group[n/2-1]].handles + w[group[n/2]].handles) / 2
			}
			w[i].peers, w[i].peerMedian = int64(n), median
		}
	}
	for _, group := range byImage {
		n := len(group)
		if n < 2 {
			continue
		}
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
	w := v.whole
	order := make([]int32, len(w))
	for i := range order {
		order[i] = int32(i)
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := &w[order[a]], &w[order[b]]
		if x.handles != y.handles {
			return x.handles > y.handles
		}
		return int64(x.pid) < int64(y.pid)
	})
	for rank, i := range order {
		w[i].handleRank = int64(rank + 1)
	}
}

// setExitedSameImage counts the exited processes of each image and
// marks the first of each that no process shown holds.
func (v *ViewSet) setExitedSameImage() {
	exited := map[int32]int64{}
	unheld := map[int32]bool{}
	for i := range v.whole {
		if w := &v.whole[i]; w.exited {
			exited[w.image]++
			if !w.held && !unheld[w.image] {
				w.exitedFirst, unheld[w.image] = true, true
			}
		}
	}
	for i := range v.whole {
		if w := &v.whole[i]; w.exited {
			w.exitedOfSame = exited[w.image]
		}
	}
}
