package lsof

import "github.com/leakdiag/leakdiag/facts"

// A write-up that chases a leak often lists the process twice, before
// and after the requests that leak:
//
//	$ lsof -p 74403
//	...  6u  REG ... /tmp/go-app-dir/go-app-file-497238242
//	$ lsof -p 74403
//	...  6u  REG ... /tmp/go-app-dir/go-app-file-497238242
//	... 12u  REG ... /tmp/go-app-dir/go-app-file-221217053
//
// The rows of the second listing that repeat the first are counted once;
// those it shows first are descriptors opened between the two commands,
// and how many is the point of the capture: it is said.

// CodeRelistedGrowth: a later lsof listing (a command, or a header after
// rows) shows a process again with
// descriptors the earlier listing did not show.
const CodeRelistedGrowth = "relisted-growth"

// relistedFinish says, for each process a later lsof command listed
// again, how many descriptors the later listings added.
func (r *lsofReader) relistedFinish() {
	for _, p := range r.order {
		if p.relisted == 0 || p.grown == 0 || !p.firstWhole {
			continue // a first listing of some descriptors says nothing of growth
		}
		r.log.Diag(p.line, facts.SevInfo, CodeRelistedGrowth,
			"pid %d %s is listed again by a later lsof listing, with %s descriptors besides the %s listed before: opened between the listings (or a listing of other descriptors); its handle count is of all of them",
			p.pid, p.pb.P.Image, facts.FormatCount(p.grown), facts.FormatCount(p.fds-p.grown))
	}
}
