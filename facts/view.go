package facts

import (
	"strconv"
)

// The types in this file are the fact schema rules see: the variable
// `process` of a process-scope condition is a ProcessFacts, `snapshot` is a
// SnapshotFacts, in CEL and in expr alike, under the snake_case names of
// their `expr` tags. They differ from Process and Snapshot where a
// condition needs it: counts a capture does not give are -1 rather than
// null (with a flag saying so), and figures only the whole capture gives
// (a process's siblings of the same image) are filled in.

// ProcessFacts is a process as rules see it.
type ProcessFacts struct {
	PID     int64  `expr:"pid"`
	PPID    int64  `expr:"ppid"`
	Session int64  `expr:"session"` // -1 for "none" or not shown
	Image   string `expr:"image"`
	// Label names the process in a message: "agent.exe (pid 4242)", with
	// whatever of image and pid the capture gives (see label).
	Label string `expr:"label"`
	// Linux is set for processes of a Linux capture (collect, lsof), whose
	// handles are file descriptors; HandleNoun is what messages call them:
	// "handles" or "file descriptors".
	Linux      bool   `expr:"linux"`
	HandleNoun string `expr:"handle_noun"`

	// HandleCount is the count the debugger reported, -1 when it did not
	// (HandleCountKnown false).
	HandleCount      int64 `expr:"handle_count"`
	HandleCountKnown bool  `expr:"handle_count_known"`
	// TableEntries is the "entries in use" of the handle table, -1 when
	// not shown.
	TableEntries  int64 `expr:"table_entries"`
	HandlesParsed int64 `expr:"handles_parsed"`
	// Handles is the best count there is: the reported one, else the
	// table's, else the handles shown.
	Handles int64 `expr:"handles"`

	ByType map[string]int64 `expr:"by_type"`
	// TypesKnown says the capture gives the process's handles by type:
	// false where it gives a count only (Get-Process, a counter log,
	// `!process 0 1` without its handle table), so by_type is empty
	// because nothing is known, not because there are no handles.
	TypesKnown    bool    `expr:"types_known"`
	DominantType  string  `expr:"dominant_type"`
	DominantCount int64   `expr:"dominant_count"`
	DominantShare float64 `expr:"dominant_share"`

	DistinctNames int64 `expr:"distinct_names"`
	// DistinctNamesEstimated: DistinctNames is an estimate (the process
	// holds more than NameTableLimit distinct names).
	DistinctNamesEstimated bool             `expr:"distinct_names_estimated"`
	Unnamed                int64            `expr:"unnamed"`
	UnnamedByType          map[string]int64 `expr:"unnamed_by_type"`
	// TopUnnamedType is the type with most unnamed handles, and
	// TopUnnamedCount their number.
	TopUnnamedType  string      `expr:"top_unnamed_type"`
	TopUnnamedCount int64       `expr:"top_unnamed_count"`
	Untyped         int64       `expr:"untyped"`
	TopNames        []NameFacts `expr:"top_names"`
	// TopName is TopNames[0], or an empty name with count 0.
	TopName NameFacts `expr:"top_name"`

	Threads                  int64 `expr:"threads"`
	TerminatedThreads        int64 `expr:"terminated_threads"`
	Exited                   bool  `expr:"exited"`
	Frozen                   bool  `expr:"frozen"`
	HandlesToExitedProcesses int64 `expr:"handles_to_exited_processes"`
	HandlesToExitedThreads   int64 `expr:"handles_to_exited_threads"`
	// ExitedSameImage is, for an exited process, the number of exited
	// processes of its image in the capture (itself included); 0 for a
	// live one.
	ExitedSameImage int64 `expr:"exited_same_image"`
	// HeldBy is, for an exited process, the handles to it that the capture
	// shows other processes holding (0: the holder is not in the capture).
	HeldBy int64 `expr:"held_by"`

	// VerifierLeaks counts the Application Verifier stops that report a
	// leaked handle of the process; VerifierHandle is the first one's
	// handle ("0x808") and VerifierMessage its words.
	VerifierLeaks   int64  `expr:"verifier_leaks"`
	VerifierHandle  string `expr:"verifier_handle"`
	VerifierMessage string `expr:"verifier_message"`

	// OpenTraced counts the open handles `!htrace` recorded a stack for;
	// OpenSinceSnapshot those `!htrace -diff` lists as opened since its
	// snapshot and still open; TopStackCount the open handles of the
	// stack that opened most.
	OpenTraced        int64 `expr:"open_traced"`
	OpenSinceSnapshot int64 `expr:"open_since_snapshot"`
	TopStackCount     int64 `expr:"top_stack_count"`
	// TopStackType is the object type of the handles that stack opened,
	// "" when unknown.
	TopStackType string `expr:"top_stack_type"`

	// Peers is the number of other live processes of the same image
	// (compared case-insensitively) whose handle count is known;
	// PeerMedianHandles the median of their Handles, and PeerRatio this
	// process's Handles over that median (0 without peers). Exited
	// processes and unknown counts take no part.
	Peers             int64   `expr:"peers"`
	PeerMedianHandles int64   `expr:"peer_median_handles"`
	PeerRatio         float64 `expr:"peer_ratio"`

	// HandleRank is the process's place among the capture's processes by
	// Handles, 1 for the most (ties go to the lower pid): handles hold
	// pool, so when pool runs out, rank 1 is the first suspect.
	HandleRank int64 `expr:"handle_rank"`

	// Linux: FDLimit is the soft limit on open files, -1 when unknown;
	// FDLimitShare the process's Handles over it (0 when unknown);
	// SocketStates its TCP sockets by state and CloseWait those in
	// CLOSE_WAIT (the peer closed, the process never did).
	FDLimit      int64            `expr:"fd_limit"`
	FDLimitShare float64          `expr:"fd_limit_share"`
	SocketStates map[string]int64 `expr:"socket_states"`
	CloseWait    int64            `expr:"close_wait"`
	// TCPSockets is the process's TCP sockets in any state.
	TCPSockets int64 `expr:"tcp_sockets"`
	// UnidentifiedSockets, DeletedFDs and DeletedBytes: see Process.
	UnidentifiedSockets int64 `expr:"unidentified_sockets"`
	DeletedFDs          int64 `expr:"deleted_fds"`
	DeletedBytes        int64 `expr:"deleted_bytes"`
	// Inheritable counts handles a child would inherit ((Inherit) on
	// Windows, no close-on-exec on Linux).
	Inheritable int64 `expr:"inheritable"`

	// Growth across a series of captures of one machine (all 0 for one
	// capture): see Growth.
	GrowthPoints          int64            `expr:"growth_points"`
	GrowthTimed           bool             `expr:"growth_timed"`
	GrowthHours           float64          `expr:"growth_hours"`
	HandleGrowth          int64            `expr:"handle_growth"`
	GrowthPerHour         float64          `expr:"growth_per_hour"`
	GrowthMonotonic       bool             `expr:"growth_monotonic"`
	TypeGrowth            map[string]int64 `expr:"type_growth"`
	TopGrowingType        string           `expr:"top_growing_type"`
	TopGrowingTypeGrowth  int64            `expr:"top_growing_type_growth"`
	TopGrowingTypePerHour float64          `expr:"top_growing_type_per_hour"`
	OtherTypesGrowth      int64            `expr:"other_types_growth"`
	TopGrowingName        string           `expr:"top_growing_name"`
	TopGrowingNameGrowth  int64            `expr:"top_growing_name_growth"`

	// bounded: built by this package and within the limits (WithinLimits).
	bounded bool
}

// NameFacts is a named object a process holds handles to.
type NameFacts struct {
	Name  string `expr:"name"`
	Type  string `expr:"type"`
	Count int64  `expr:"count"`
	// CountError bounds how far the true count may exceed Count (see
	// NameCount.Error); 0 when Count is exact.
	CountError int64 `expr:"count_error"`
}

// SnapshotFacts is the capture as rules see it.
type SnapshotFacts struct {
	// SeriesPoints is the number of captures of the series this one is
	// the last of (0 for a capture on its own), SeriesHours the hours
	// from the first to it (captures, when times are unknown).
	SeriesPoints int64   `expr:"series_points"`
	SeriesHours  float64 `expr:"series_hours"`

	Host       string `expr:"host"`
	OSVersion  string `expr:"os_version"`
	CapturedAt string `expr:"captured_at"`

	ProcessCount int64 `expr:"process_count"`
	// TotalHandles is the sum of the processes' Handles.
	TotalHandles  int64 `expr:"total_handles"`
	HandlesParsed int64 `expr:"handles_parsed"`
	// UnknownCounts is the number of processes whose handle count the
	// capture does not give; PartialTables the number whose handle dump
	// shows fewer handles than their table holds.
	UnknownCounts int64 `expr:"unknown_counts"`
	PartialTables int64 `expr:"partial_tables"`
	// ExitedProcesses is the number of processes that have exited but
	// whose process objects the capture still shows.
	ExitedProcesses int64 `expr:"exited_processes"`

	Lines        int64 `expr:"lines"`
	Unrecognized int64 `expr:"unrecognized"`
	Warnings     int64 `expr:"warnings"`

	// Memory facts, from `!vm` (MemoryKnown) and `!poolused`
	// (PoolTagsKnown); see memoryFacts. Sizes a capture does not give are
	// -1, shares of them 0.
	MemoryKnown           bool    `expr:"memory_known"`
	PhysicalMemoryKB      int64   `expr:"physical_memory_kb"`
	AvailableMemoryKB     int64   `expr:"available_memory_kb"`
	CommitKB              int64   `expr:"commit_kb"`
	CommitLimitKB         int64   `expr:"commit_limit_kb"`
	CommitUsedShare       float64 `expr:"commit_used_share"`
	NonPagedPoolKB        int64   `expr:"nonpaged_pool_kb"`
	NonPagedPoolMaxKB     int64   `expr:"nonpaged_pool_max_kb"`
	NonPagedPoolUsedShare float64 `expr:"nonpaged_pool_used_share"`
	PagedPoolKB           int64   `expr:"paged_pool_kb"`
	PagedPoolMaxKB        int64   `expr:"paged_pool_max_kb"`
	PagedPoolUsedShare    float64 `expr:"paged_pool_used_share"`
	FreeSystemPTEs        int64   `expr:"free_system_ptes"`
	PoolFailures          int64   `expr:"pool_failures"`
	// PoolWarnings counts the debugger's starred warnings about pool
	// ("Excessive NonPaged Pool Usage", "Excessive Paged Pool Usage").
	PoolWarnings int64 `expr:"pool_warnings"`

	PoolTagsKnown        bool    `expr:"pool_tags_known"`
	NonPagedPoolTagBytes int64   `expr:"nonpaged_pool_tag_bytes"`
	PagedPoolTagBytes    int64   `expr:"paged_pool_tag_bytes"`
	TopNonPagedTag       string  `expr:"top_nonpaged_tag"`
	TopNonPagedTagDesc   string  `expr:"top_nonpaged_tag_desc"`
	TopNonPagedTagBytes  int64   `expr:"top_nonpaged_tag_bytes"`
	TopNonPagedTagAllocs int64   `expr:"top_nonpaged_tag_allocs"`
	TopNonPagedTagShare  float64 `expr:"top_nonpaged_tag_share"`
	// TopNonPagedTagTwin is another tag with as many outstanding nonpaged
	// allocations as the top one (within 1%, at least 1,000): allocated
	// one for one with it, most likely by the same leak (a driver's tag
	// and IoWI, Even or File); "" when none. TopPagedTagTwin likewise.
	TopNonPagedTagTwin string  `expr:"top_nonpaged_tag_twin"`
	TopPagedTag        string  `expr:"top_paged_tag"`
	TopPagedTagDesc    string  `expr:"top_paged_tag_desc"`
	TopPagedTagBytes   int64   `expr:"top_paged_tag_bytes"`
	TopPagedTagAllocs  int64   `expr:"top_paged_tag_allocs"`
	TopPagedTagShare   float64 `expr:"top_paged_tag_share"`
	TopPagedTagTwin    string  `expr:"top_paged_tag_twin"`

	// bounded: built by this package and within the limits (WithinLimits).
	bounded bool
}

// emptyCounts stands for a map of counts a process does not have: views
// are read, never written, so every view shares it.
var emptyCounts = map[string]int64{}

// processFacts sets *f to p's own facts (ViewSet adds those of the whole
// capture).
func processFacts(p *Process, f *ProcessFacts) {
	*f = ProcessFacts{
		PID: int64(p.PID), PPID: int64(p.PPID), Session: -1, Image: p.Image,
		HandleCount: -1, TableEntries: -1, HandlesParsed: p.HandlesParsed,
		ByType: p.ByType, TypesKnown: len(p.ByType) > 0, DominantType: p.DominantType, DominantShare: p.DominantShare,
		DominantCount: p.ByType[p.DominantType],
		DistinctNames: p.DistinctNames, DistinctNamesEstimated: p.DistinctNamesEstimated, Unnamed: p.Unnamed, UnnamedByType: p.UnnamedByType,
		Untyped: p.Untyped,
		Threads: p.Threads, TerminatedThreads: p.TerminatedThreads, Exited: p.Exited, Frozen: p.Frozen,
		HandlesToExitedProcesses: p.HandlesToExitedProcesses, HandlesToExitedThreads: p.HandlesToExitedThreads,
		HeldBy: p.HeldBy,
	}
	if p.Session != nil {
		f.Session = *p.Session
	}
	f.OpenTraced = p.OpenTraced
	if len(p.OpenStacks) > 0 {
		f.TopStackCount, f.TopStackType = p.OpenStacks[0].Count, p.OpenStacks[0].Type
	}
	f.OpenSinceSnapshot = p.OpenSinceSnapshot
	if p.HandleCount != nil {
		f.HandleCount, f.HandleCountKnown = *p.HandleCount, true
	}
	if p.TableEntries != nil {
		f.TableEntries = *p.TableEntries
	}
	f.Handles = p.BestCount()
	if f.ByType == nil {
		f.ByType = emptyCounts
	}
	if f.UnnamedByType == nil {
		f.UnnamedByType = emptyCounts
	}
	for t, c := range f.UnnamedByType {
		if c > f.TopUnnamedCount || (c == f.TopUnnamedCount && t < f.TopUnnamedType) {
			f.TopUnnamedType, f.TopUnnamedCount = t, c
		}
	}
	f.TopNames = make([]NameFacts, len(p.TopNames))
	for i, n := range p.TopNames {
		f.TopNames[i] = NameFacts{Name: n.Name, Type: n.Type, Count: n.Count, CountError: n.Error}
	}
	if len(f.TopNames) > 0 {
		f.TopName = f.TopNames[0]
	}
	f.FDLimit, f.SocketStates, f.TypeGrowth = -1, emptyCounts, emptyCounts
	if p.FDLimit != nil {
		f.FDLimit = *p.FDLimit
		if f.FDLimit > 0 {
			f.FDLimitShare = float64(f.Handles) / float64(f.FDLimit)
		}
	}
	if p.SocketStates != nil {
		f.SocketStates = p.SocketStates
	}
	f.CloseWait = p.SocketStates["CLOSE_WAIT"]
	for _, n := range p.SocketStates {
		f.TCPSockets += n
	}
	f.UnidentifiedSockets, f.DeletedFDs, f.DeletedBytes = p.UnidentifiedSockets, p.DeletedFDs, p.DeletedBytes
	f.Inheritable = p.Inheritable
	for _, v := range p.VerifierStops {
		if f.VerifierLeaks == 0 {
			f.VerifierHandle = "0x" + strconv.FormatUint(v.Handle, 16)
			f.VerifierMessage = v.Message
		}
		f.VerifierLeaks++
	}
}

// label names a process in a message with what the capture gives: "agent.exe
// (pid 4242)", "pid 4242" without an image ("pid 4242 (the debugged
// process)" for the one process of a user-mode capture), and "the process
// the dump was taken of" for that one when the capture names neither.
func label(image string, pid int64, debuggee bool) string {
	switch {
	case image != "" && pid > 0:
		return image + " (pid " + strconv.FormatInt(pid, 10) + ")"
	case image != "":
		return image
	case pid > 0 && debuggee:
		return "pid " + strconv.FormatInt(pid, 10) + " (the debugged process)"
	case pid > 0:
		return "pid " + strconv.FormatInt(pid, 10)
	case debuggee:
		return "the process the dump was taken of"
	}
	return "a process of unknown pid and image"
}

// isLinux reports whether s is a capture of a Linux machine, whose
// handles are file descriptors.
func isLinux(s *Snapshot) bool {
	for _, src := range s.Sources {
		if src.Format == "lsof" || src.Format == "procfs" {
			return true
		}
	}
	return false
}

// BestCount is the best handle count a capture gives for the process:
// the reported one, else the table's, else the handles shown or the
// debugger's type summary adds up to (and never fewer than those: a
// capture never shows more than there are).
func (p *Process) BestCount() int64 {
	n := p.HandlesParsed
	switch {
	case p.HandleCount != nil:
		n = *p.HandleCount
	case p.TableEntries != nil:
		n = *p.TableEntries
	}
	shown := p.HandlesParsed
	if p.TypeCountsFrom == CountsFromSummary && !p.TypesPartial {
		// The debugger's own type summary counts every handle, shown or
		// not; one cut short gives no total.
		var sum int64
		for _, c := range p.ByType {
			sum += c
		}
		shown = max(shown, sum)
	}
	return max(n, shown)
}

// setGrowth fills in a process's growth across a series.
func (f *ProcessFacts) setGrowth(g Growth) {
	f.GrowthPoints, f.GrowthHours, f.HandleGrowth, f.GrowthTimed = int64(g.Points), g.Hours, g.Handles, g.Timed
	f.GrowthPerHour, f.GrowthMonotonic = g.PerHour, g.Monotonic
	f.TypeGrowth = g.ByType
	f.TopGrowingType, f.TopGrowingTypeGrowth, f.TopGrowingTypePerHour = g.TopType, g.TopTypeGrowth, g.TopTypePerHour
	f.OtherTypesGrowth = g.OtherTypesGrowth
	if len(g.Names) > 0 {
		f.TopGrowingName, f.TopGrowingNameGrowth = g.Names[0].Name, g.Names[0].Growth
	}
}
