package rules

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// compileAll compiles lrs on every processor (compiling the default
// rules' CEL and templates is most of what starting a run costs) and
// returns them in order, with their problems added to l.errs in that
// order too: what Load returns does not depend on which rule finished
// first.
func (l *layering) compileAll(lrs []*layered) []*Rule {
	out := make([]*Rule, len(lrs))
	errs := make([]ErrorList, len(lrs))
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(lrs) {
				return
			}
			// A copy of the layering that only reads the set, its
			// problems going to this rule's list.
			lc := *l
			lc.errs = &errs[i]
			out[i] = lc.compile(lrs[i])
		}
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(lrs)) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	for _, e := range errs {
		*l.errs = append(*l.errs, e...)
	}
	return out
}
