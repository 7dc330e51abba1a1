package facts

import "errors"

// Limits on what a snapshot may hold, so that its figures reach rules and
// reports as figures (no sum overflows to -2, no share is +Inf%) and a
// snapshot JSON cannot exhaust the memory. Builder.Snapshot cuts what a
// capture gives past them (a count of 2^62 in a damaged paste) with a
// CodeCapped diagnostic, so every snapshot leakdiag writes reads back;
// DecodeJSON cuts the same, and refuses what no capture gives.
const (
	// ProcessLimit is the most processes a snapshot may hold: Linux's
	// highest pid_max, so every process of any machine fits.
	ProcessLimit = 1 << 22
	// countLimit bounds every count (handles, threads, lines, offsets):
	// 2^40 per process times ProcessLimit processes still sums within
	// an int64.
	countLimit = 1 << 40
	// sizeLimit bounds sizes, the figures in bytes or KB: exact as a
	// float64 (2^53), so shares of them are exact too.
	sizeLimit = 1 << 53
	// stringLimit is the most bytes a string keeps; longer ones are
	// clipped with a diagnostic. No name, path or message is that long.
	stringLimit = 64 << 10
	// listLimit bounds the lists the readers keep whole (a process's
	// modules, a stack's frames, verifier stops): longer ones are cut
	// with a diagnostic. Lists the readers cap (TopNamesLimit,
	// StackLimit, MemoryLimit...) are cut at their own cap.
	listLimit = 1 << 16
	// mapLimit bounds the keys of a map (types, socket states): there
	// are a few dozen object types, and 2^20 of them at countLimit each
	// still sum within an int64.
	mapLimit = 1 << 20
	// sourceListLimit bounds the sources, diagListLimit the diagnostics
	// kept (the rest are counted in one diagnostic).
	sourceListLimit = 1 << 16
	diagListLimit   = 1 << 16
	// jsonValueLimit bounds the text of one value: a process, the memory
	// summary, a source, a diagnostic.
	jsonValueLimit = 64 << 20
	// errorLimit is how many problems one error lists.
	errorLimit = 20
)

// StringLimit and MapLimit are stringLimit and mapLimit for the rules'
// cost estimates: no string or map of a snapshot's facts is larger.
const (
	StringLimit = stringLimit
	MapLimit    = mapLimit
)

// maxProcesses is ProcessLimit, lowered by tests.
var maxProcesses = ProcessLimit

// ErrSnapshotLimit is returned (wrapped) for a snapshot JSON past a limit
// that cannot be cut to it: too many processes, a value too large.
var ErrSnapshotLimit = errors.New("snapshot JSON over a limit")

// CodeCapped is the diagnostic of a value past a limit, cut to it: a
// count over 2^40, a list longer than the readers make it, a string
// longer than stringLimit.
const CodeCapped = "capped"

// listCaps are the lists the readers cap, by JSON name.
var listCaps = map[string]int{
	"top_names":         TopNamesLimit,
	"zombie_images":     TopNamesLimit,
	"open_stacks":       StackLimit,
	"top_commit":        MemoryLimit,
	"top_nonpaged":      MemoryLimit,
	"top_paged":         MemoryLimit,
	"driver_pool_leaks": MemoryLimit,
	"listings":          poolListingLimit,
	"warnings":          vmWarningLimit,
}
