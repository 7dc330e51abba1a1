package engine

import (
	"sort"
)

// rank orders findings by severity, then score (both highest first), then
// rule id, pid and image: a total order, so reports never flake.
func rank(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if sa, sb := a.Severity.Rank(), b.Severity.Rank(); sa != sb {
			return sa > sb
		}
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		pa, pb := pidOf(a), pidOf(b)
		if pa != pb {
			return pa < pb
		}
		return imageOf(a) < imageOf(b)
	})
	for i := range fs {
		fs[i].Rank = i + 1
	}
}

func pidOf(f *Finding) uint64 {
	if f.Process == nil {
		return 0
	}
	return f.Process.PID
}

func imageOf(f *Finding) string {
	if f.Process == nil {
		return ""
	}
	return f.Process.Image + "\x00" + f.Process.Address
}
