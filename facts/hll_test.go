package facts

import (
	"fmt"
	"math"
	"testing"
)

// TestHyperLogLogError: the estimate of distinct keys stays within three
// standard errors (DistinctNamesError) of the truth from a few thousand
// to two million keys, and repeating keys does not move it.
func TestHyperLogLogError(t *testing.T) {
	var worst float64
	for _, n := range []int{1_000, 9_000, 30_000, 250_000, 2_000_000} {
		var h hyperLogLog
		for i := range n {
			h.add(pairKey(1, fmt.Sprintf(`\Device\HarddiskVolume2\tmp\%d.tmp`, i)))
		}
		e := h.estimate()
		for i := range n / 10 {
			h.add(pairKey(1, fmt.Sprintf(`\Device\HarddiskVolume2\tmp\%d.tmp`, i)))
		}
		if again := h.estimate(); again != e {
			t.Errorf("%d keys: estimate %v, %v once some repeat", n, e, again)
		}
		rel := math.Abs(e-float64(n)) / float64(n)
		worst = max(worst, rel)
		if rel > 3*DistinctNamesError {
			t.Errorf("%d keys: estimate %.0f, off by %.2f%% (three standard errors: %.2f%%)", n, e, 100*rel, 300*DistinctNamesError)
		}
	}
	t.Logf("worst relative error %.2f%%", 100*worst)
}
