package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// processDetails are the labels of the lines `!process` prints past a
// PROCESS block's header with flags 1 and up:
//
//	VadRoot ffffb80f3d6b1e10 Vads 63 Clone 0 Private 498. Modified 12. Locked 0.
//	DeviceMap ffff9a0a1e2f6c30
//	Token                             ffff9a0a2a7c5770
//	ElapsedTime                       00:12:55.870
//	QuotaPoolUsage[PagedPool]         0
//	Working Set Sizes (now,min,max)  (1904, 50, 345) (7616KB, 200KB, 1380KB)
//	CommitCharge                      611
var processDetails = []string{
	"VadRoot", "DeviceMap", "Token", "ElapsedTime", "UserTime", "KernelTime",
	"QuotaPoolUsage[PagedPool]", "QuotaPoolUsage[NonPagedPool]", "Working Set Sizes",
	"PeakWorkingSetSize", "VirtualSize", "PeakVirtualSize", "PageFaultCount",
	"MemoryPriority", "BasePriority", "CommitCharge", "Job", "DebugPort",
}

// detailLine reads a detail line of the PROCESS block being read, which
// says the block is `!process` output with flags 1 and up even where the
// command line was not pasted: the lines that follow it (threads and
// their stacks) are details too, read or ignored until the block ends.
func (k *kdReader) detailLine(line []byte) (scan.LineKind, bool) {
	if k.hdr == nil || !k.hdrImage || !isProcessDetail(line) {
		return 0, false
	}
	k.details = true
	return scan.Ignored, true
}

// isProcessDetail reports whether line starts with one of processDetails
// followed by a blank, or, for "Working Set Sizes", by its "(".
func isProcessDetail(line []byte) bool {
	for _, label := range processDetails {
		if scan.HasPrefix(line, label) {
			rest := line[len(label):]
			return len(rest) == 0 || scan.IsSpace(rest[0]) || bytes.HasPrefix(rest, []byte("(now"))
		}
	}
	return false
}
