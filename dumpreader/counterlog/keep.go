package counterlog

import (
	"time"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// MaxPoints, MaxProcessPoints and MinPoints are the limits on the samples
// of a log kept (scan.SeriesPoints): a log of many processes keeps fewer.
const (
	MaxPoints        = scan.MaxSeriesPoints
	MaxProcessPoints = scan.MaxSeriesProcessPoints
	MinPoints        = scan.MinSeriesPoints
)

// sample is one row of a log as kept: its time, line, the values of the
// process counters read (slot*nCounters+counter, -1 where blank), and
// each slot's run; and the values of the Memory counters read (-1 where
// blank).
type sample struct {
	at   time.Time
	line int64
	vals []int64
	runs []int32
	mem  [nMem]int64
}

// keeper keeps at most max samples of a stream, evenly spread: every
// stride-th sample, and the latest. When max are kept, every other one
// is let go and the stride doubles. Samples let go are reused.
type keeper struct {
	max    int
	stride int
	seen   int
	kept   []*sample
	latest *sample // the latest sample, when the stride did not keep it
	free   []*sample
}

func newKeeper(max int) *keeper { return &keeper{max: max, stride: 1} }

// next returns a sample to fill for the next row, sized for n values and
// slots slots.
func (k *keeper) next(n, slots int) *sample {
	var s *sample
	if len(k.free) > 0 {
		s, k.free = k.free[len(k.free)-1], k.free[:len(k.free)-1]
	} else {
		s = &sample{}
	}
	s.vals = resize(s.vals, n)
	s.mem = blankMemory()
	if cap(s.runs) >= slots {
		s.runs = s.runs[:slots]
	} else {
		s.runs = make([]int32, slots)
	}
	return s
}

func resize(v []int64, n int) []int64 {
	if cap(v) >= n {
		v = v[:n]
	} else {
		v = make([]int64, n)
	}
	for i := range v {
		v[i] = -1
	}
	return v
}

// setMax lowers the samples kept at most to n (a header naming more
// processes), thinning those kept.
func (k *keeper) setMax(n int) {
	if n >= k.max {
		return
	}
	k.max = n
	for len(k.kept) >= k.max {
		k.thin()
	}
}

// add takes s, filled, as the next sample.
func (k *keeper) add(s *sample) {
	if k.latest != nil {
		k.free = append(k.free, k.latest)
		k.latest = nil
	}
	if k.seen%k.stride == 0 {
		k.kept = append(k.kept, s)
		if len(k.kept) >= k.max {
			k.thin()
		}
	} else {
		k.latest = s
	}
	k.seen++
}

// thin lets every other kept sample go.
func (k *keeper) thin() {
	n := 0
	for i, s := range k.kept {
		if i%2 == 0 {
			k.kept[n] = s
			n++
		} else {
			k.free = append(k.free, s)
		}
	}
	clear(k.kept[n:])
	k.kept = k.kept[:n]
	k.stride *= 2
}

// samples returns the samples kept, the latest last.
func (k *keeper) samples() []*sample {
	if k.latest != nil {
		return append(k.kept, k.latest)
	}
	return k.kept
}
