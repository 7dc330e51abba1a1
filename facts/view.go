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
	PID     int64  `expr:"pid" doc:"the process id (Cid)"`
	PPID    int64  `expr:"ppid" doc:"the parent's process id (ParentCid), 0 when not shown"`
	Session int64  `expr:"session" doc:"the session id, -1 for \"none\" or when not shown"` // -1 for "none" or not shown
	Image   string `expr:"image" doc:"the image name as the debugger prints it (STORE.EXE, svchost.exe)"`
	// Label names the process in a message: "agent.exe (pid 4242)", with
	// whatever of image and pid the capture gives (see label).
	Label string `expr:"label" doc:"how messages name the process: image and pid where known (\"agent.exe (pid 4242)\", \"pid 4242\"), or \"the process the dump was taken of\""`
	// Linux is set for processes of a Linux capture (collect, lsof), whose
	// handles are file descriptors; HandleNoun is what messages call them:
	// "handles" or "file descriptors".
	Linux      bool   `expr:"linux" doc:"the process is from a Linux capture (collect, lsof): its handles are file descriptors"`
	HandleNoun string `expr:"handle_noun" doc:"what messages call the process's handles: \"handles\", or \"file descriptors\" on Linux"`

	// HandleCount is the count the debugger reported, -1 when it did not
	// (HandleCountKnown false).
	HandleCount      int64 `expr:"handle_count" doc:"the HandleCount the debugger reported, -1 when it did not"`
	HandleCountKnown bool  `expr:"handle_count_known" doc:"whether the capture gives the process's handle count"`
	// TableEntries is the "entries in use" of the handle table, -1 when
	// not shown.
	TableEntries int64 `expr:"table_entries" doc:"entries in use of the handle table as !handle's header gives them, -1 when not shown"`
	// PeakHandles is the most handles the process has held, -1 when the
	// capture does not say (see Process.PeakHandles).
	PeakHandles   int64 `expr:"peak_handles" doc:"the most handles the process has held since it started, as System Informer's Statistics tab gives it (Peak handles), or at least the highest descriptor number plus one where lsof (*NNN) or a listing of /proc/PID/fd lists descriptors of 10,000 and more, or a count of 10,000 and more of the descriptors a filter kept (ls -l /proc/PID/fd | grep socket | wc -l), -1 where the capture does not say"`
	HandlesParsed int64 `expr:"handles_parsed" doc:"handles the capture shows for the process (each counted once)"`
	// Handles is the best count there is: the reported one, else the
	// table's, else the handles shown.
	Handles int64 `expr:"handles" doc:"the best count there is: the reported one, else the table's, else the handles shown"`

	ByType map[string]int64 `expr:"by_type" doc:"handles by object type (Event, Key, File, ...)"`
	// TypesKnown says the capture gives the process's handles by type:
	// false where it gives a count only (Get-Process, a counter log,
	// `!process 0 1` without its handle table), so by_type is empty
	// because nothing is known, not because there are no handles.
	TypesKnown    bool    `expr:"types_known" doc:"the capture gives the process's handles by type; false where it gives a count only (Get-Process, a counter log, !process 0 1), so by_type is empty for want of facts"`
	DominantType  string  `expr:"dominant_type" doc:"the type with the most handles"`
	DominantCount int64   `expr:"dominant_count" doc:"the number of handles of the dominant type"`
	DominantShare float64 `expr:"dominant_share" doc:"the dominant type's share of all the process's handles, 0 to 1"`

	DistinctNames int64 `expr:"distinct_names" doc:"the number of distinct object names the process holds handles to; an estimate (within 3.3% in 95% of processes) when distinct_names_estimated"`
	// DistinctNamesEstimated: DistinctNames is an estimate (the process
	// holds more than NameTableLimit distinct names).
	DistinctNamesEstimated bool             `expr:"distinct_names_estimated" doc:"distinct_names is a HyperLogLog estimate: the process holds more than 8,192 distinct names, past which names are counted in bounded memory"`
	Unnamed                int64            `expr:"unnamed" doc:"handles to objects without a name"`
	UnnamedByType          map[string]int64 `expr:"unnamed_by_type" doc:"unnamed handles by object type"`
	// TopUnnamedType is the type with most unnamed handles, and
	// TopUnnamedCount their number.
	TopUnnamedType  string      `expr:"top_unnamed_type" doc:"the type with the most unnamed handles"`
	TopUnnamedCount int64       `expr:"top_unnamed_count" doc:"the number of unnamed handles of that type"`
	Untyped         int64       `expr:"untyped" doc:"handles shown without a type (a handle dump without details)"`
	TopNames        []NameFacts `expr:"top_names" doc:"the names held most, most first (at most 10)"`
	// TopName is TopNames[0], or an empty name with count 0.
	TopName NameFacts `expr:"top_name" doc:"the name held most (top_names[0]), an empty name with count 0 when none"`

	Threads                  int64 `expr:"threads" doc:"threads the capture shows for the process"`
	TerminatedThreads        int64 `expr:"terminated_threads" doc:"of those threads, the ones the capture shows as terminated"`
	Exited                   bool  `expr:"exited" doc:"whether the process has exited (its object is kept alive by handles)"`
	Frozen                   bool  `expr:"frozen" doc:"whether the debugger shows the process as frozen (DeepFreeze)"`
	HandlesToExitedProcesses int64 `expr:"handles_to_exited_processes" doc:"handles the process holds to processes that have exited"`
	HandlesToExitedThreads   int64 `expr:"handles_to_exited_threads" doc:"handles the process holds to threads that have exited"`
	// ExitedSameImage is, for an exited process, the number of exited
	// processes of its image in the capture (itself included); 0 for a
	// live one.
	ExitedSameImage int64 `expr:"exited_same_image" doc:"for an exited process, the exited processes of its image in the capture, itself included (0 for a live process)"`
	// ExitedSameImageFirst marks, of the exited processes of an image
	// that the capture shows no process holding (HeldBy 0), the first in
	// the snapshot's order (the lowest pid): a rule about those zombies
	// together fires once, on it, not once for each.
	ExitedSameImageFirst bool `expr:"exited_same_image_first" doc:"for an exited process no process of the capture is shown holding (held_by 0), whether it is the first (lowest pid) of those of its image: a rule about them together fires once, on it"`
	// HeldBy is, for an exited process, the handles to it that the capture
	// shows other processes holding (0: the holder is not in the capture).
	HeldBy int64 `expr:"held_by" doc:"for an exited process, the handles to it the capture shows other processes holding (0: its holder is not in the capture)"`
	// ZombiesHeld is the number of exited processes a zombie-counting
	// tool (FindZombieHandles) says the process keeps alive, 0 where no
	// tool counted; ZombieImages their images with the zombies of each,
	// most first (type "Process"), and TopZombieImage the first of them.
	ZombiesHeld    int64       `expr:"zombies_held" doc:"exited processes a zombie-counting tool (FindZombieHandles) says the process keeps alive with its handles, 0 where no tool counted"`
	ZombieImages   []NameFacts `expr:"zombie_images" doc:"the images of those zombies with the zombies of each, most first (type Process, at most 10)"`
	TopZombieImage NameFacts   `expr:"top_zombie_image" doc:"the image of which the process holds most zombies (zombie_images[0]), an empty name with count 0 when none"`

	// VerifierLeaks counts the Application Verifier stops that report a
	// leaked handle of the process; VerifierHandle is the first one's
	// handle ("0x808") and VerifierMessage its words.
	VerifierLeaks   int64  `expr:"verifier_leaks" doc:"Application Verifier stops reporting a leaked handle of the process (VERIFIER STOP 901: A HANDLE was leaked, 902: A HKEY was leaked; the PrintAPI layer's leaked printer handles A000, A001, A012)"`
	VerifierHandle  string `expr:"verifier_handle" doc:"the handle the first such stop names, as hex (\"0x808\")"`
	VerifierMessage string `expr:"verifier_message" doc:"the verifier's words of that stop (\"A HANDLE was leaked.\")"`
	// VerifierTooMany counts the stops that warn the process holds too
	// many handles of a kind open (A00B); VerifierOpenHandles is the most
	// such a stop counts and VerifierTooManyMessage its words.
	VerifierTooMany        int64  `expr:"verifier_too_many" doc:"Application Verifier stops warning that the process holds too many print handles open (the PrintAPI layer's A00B: Too many open printer handles; A00D: PrintTicket provider handles; A013: printer change notification handles), stopping at each handle opened past 1,000"`
	VerifierOpenHandles    int64  `expr:"verifier_open_handles" doc:"the most open handles such a stop counts (its first parameter), 0 when the capture omits it"`
	VerifierTooManyMessage string `expr:"verifier_too_many_message" doc:"the verifier's words of the stop that counts most (\"Too many open printer handles\")"`

	// OpenTraced counts the open handles `!htrace` recorded a stack for;
	// OpenSinceSnapshot those `!htrace -diff` lists as opened since its
	// snapshot and still open; TopStackCount the open handles of the
	// stack that opened most.
	OpenTraced        int64 `expr:"open_traced" doc:"open handles !htrace recorded a stack for"`
	OpenSinceSnapshot int64 `expr:"open_since_snapshot" doc:"handles !htrace -diff lists as opened since its snapshot and still open"`
	TopStackCount     int64 `expr:"top_stack_count" doc:"open handles of the stack that opened the most"`
	// TopStackType is the object type of the handles that stack opened,
	// "" when unknown.
	TopStackType string `expr:"top_stack_type" doc:"the object type of the handles that stack opened (from the handle table or the function that opened them), \"\" when unknown"`
	// ReportedLeaks: see Process.
	ReportedLeaks int64 `expr:"reported_leaks" doc:"handles a leak checker (Dr. Memory) reports opened and never closed when the process exited"`

	// Peers is the number of other live processes of the same image
	// (compared case-insensitively) whose handle count is known;
	// PeerMedianHandles the median of their Handles, and PeerRatio this
	// process's Handles over that median (0 without peers). Exited
	// processes and unknown counts take no part; an exited process's peers
	// are the live ones of its image (its ratio is 0).
	Peers             int64   `expr:"peers" doc:"other live processes of the same image with a known handle count (for an exited process, the live ones of its image)"`
	PeerMedianHandles int64   `expr:"peer_median_handles" doc:"the median handles of those peers"`
	PeerRatio         float64 `expr:"peer_ratio" doc:"this process's handles over the peers' median (0 without peers)"`

	// HandleRank is the process's place among the capture's processes by
	// Handles, 1 for the most (ties go to the lower pid): handles hold
	// pool, so when pool runs out, rank 1 is the first suspect.
	HandleRank int64 `expr:"handle_rank" doc:"the process's place by handles among the capture's processes: 1 for the most (ties go to the lower pid)"`

	// Linux: FDLimit is the soft limit on open files, -1 when unknown;
	// FDLimitShare the process's Handles over it (0 when unknown);
	// SocketStates its TCP sockets by state and CloseWait those in
	// CLOSE_WAIT (the peer closed, the process never did).
	FDLimit      int64            `expr:"fd_limit" doc:"Linux: the soft limit on open files (RLIMIT_NOFILE), -1 when unknown"`
	FDLimitShare float64          `expr:"fd_limit_share" doc:"Linux: handles (open fds) over fd_limit, 0 when the limit is unknown"`
	SocketStates map[string]int64 `expr:"socket_states" doc:"Linux: the process's TCP sockets by state (ESTABLISHED, CLOSE_WAIT, ...)"`
	CloseWait    int64            `expr:"close_wait" doc:"Linux: TCP sockets in CLOSE_WAIT: the peer closed and the process never did"`
	// TCPSockets is the process's TCP sockets in any state.
	TCPSockets int64 `expr:"tcp_sockets" doc:"Linux: the process's TCP sockets in any state"`
	// UnidentifiedSockets, DeletedFDs and DeletedBytes: see Process.
	UnidentifiedSockets int64 `expr:"unidentified_sockets" doc:"Linux: sockets lsof shows as \"can't identify protocol\": the connection is gone but the fd was never closed"`
	DeletedFDs          int64 `expr:"deleted_fds" doc:"Linux: fds open to deleted files (program text and memory maps aside)"`
	DeletedBytes        int64 `expr:"deleted_bytes" doc:"Linux: the sizes of the deleted files those fds hold open, each file once"`
	// Inheritable counts handles a child would inherit ((Inherit) on
	// Windows, no close-on-exec on Linux).
	Inheritable int64 `expr:"inheritable" doc:"handles a child process would inherit: marked (Inherit) in a kd handle dump, or fds without close-on-exec on Linux"`
	// Instance is the counter log's or metric's name of the process
	// (svchost#1), "" where the capture does not name it so.
	Instance string `expr:"instance" doc:"the name a counter log or metric gives the process (svchost#1: perfmon's instance name), \"\" where the capture does not name it so"`
	// PrivateBytes and PoolNonpagedBytes: see Process; -1 when the
	// capture does not give them.
	PrivateBytes      int64 `expr:"private_bytes" doc:"the process's private committed bytes (a counter log's Private Bytes), -1 when the capture does not give them"`
	PoolNonpagedBytes int64 `expr:"pool_nonpaged_bytes" doc:"the nonpaged pool bytes charged to the process (a counter log's Pool Nonpaged Bytes, Get-Process's NPM(K) or NPM), -1 when the capture does not give them"`

	// Growth across a series of captures of one machine (all 0 for one
	// capture): see Growth.
	GrowthPoints          int64            `expr:"growth_points" doc:"series: the number of captures the process is in (0 for a capture on its own)"`
	GrowthTimed           bool             `expr:"growth_timed" doc:"series: the captures' times are known, so growth_hours and the *_per_hour facts are per hour; otherwise they count captures"`
	GrowthHours           float64          `expr:"growth_hours" doc:"series: hours from the process's first capture to its last (captures, when the times are unknown)"`
	HandleGrowth          int64            `expr:"handle_growth" doc:"series: handles in the last capture minus the first"`
	GrowthPerHour         float64          `expr:"growth_per_hour" doc:"series: the least-squares slope of the process's handle counts, per hour (per capture when times are unknown)"`
	GrowthMonotonic       bool             `expr:"growth_monotonic" doc:"series: the handle count never fell and did rise"`
	GrowthFit             float64          `expr:"growth_fit" doc:"series: how well a straight line fits the handle counts (R², 0 to 1; 0 for fewer than 3 counts or counts that never change): near 1 for a leak with dips, low for noise or a single jump"`
	TypeGrowth            map[string]int64 `expr:"type_growth" doc:"series: per object type, handles in the last capture minus the first"`
	TopGrowingType        string           `expr:"top_growing_type" doc:"series: the object type that grew most"`
	TopGrowingTypeGrowth  int64            `expr:"top_growing_type_growth" doc:"series: how much top_growing_type grew"`
	TopGrowingTypePerHour float64          `expr:"top_growing_type_per_hour" doc:"series: the slope of top_growing_type's count, per hour"`
	OtherTypesGrowth      int64            `expr:"other_types_growth" doc:"series: how much all types but top_growing_type grew together (negative: fell)"`
	TopGrowingName        string           `expr:"top_growing_name" doc:"series: the object name whose handles grew most (among the captures' most held names)"`
	TopGrowingNameGrowth  int64            `expr:"top_growing_name_growth" doc:"series: how much top_growing_name's handles grew"`
	// NonPagedGrowth* are the course of pool_nonpaged_bytes across the
	// series (Growth.NonPaged), from the captures that give it.
	NonPagedGrowthPoints    int64   `expr:"nonpaged_growth_points" doc:"series: the number of captures that give the nonpaged pool charged to the process (pool_nonpaged_bytes: a counter log's Pool Nonpaged Bytes, Get-Process's NPM(K)); 0 for a capture on its own"`
	NonPagedGrowthFromBytes int64   `expr:"nonpaged_growth_from_bytes" doc:"series: the process's nonpaged pool bytes in the first of those captures"`
	NonPagedGrowthToBytes   int64   `expr:"nonpaged_growth_to_bytes" doc:"series: its nonpaged pool bytes in the last of those captures"`
	NonPagedGrowthBytes     int64   `expr:"nonpaged_growth_bytes" doc:"series: nonpaged_growth_to_bytes minus nonpaged_growth_from_bytes (negative: fell)"`
	NonPagedGrowthPerHour   float64 `expr:"nonpaged_growth_per_hour" doc:"series: the least-squares slope of its nonpaged pool bytes, per hour (per capture when times are unknown)"`
	NonPagedGrowthMonotonic bool    `expr:"nonpaged_growth_monotonic" doc:"series: its nonpaged pool bytes never fell and did rise"`
	NonPagedGrowthFit       float64 `expr:"nonpaged_growth_fit" doc:"series: how well a straight line fits its nonpaged pool bytes (R², 0 to 1; 0 for fewer than 3 values or values that never change)"`

	// bounded: built by this package and within the limits (WithinLimits).
	bounded bool
}

// NameFacts is a named object a process holds handles to.
type NameFacts struct {
	Name  string `expr:"name" doc:"the object's name (\\REGISTRY\\MACHINE\\..., \\Device\\..., a leaf name)"`
	Type  string `expr:"type" doc:"the object's type"`
	Count int64  `expr:"count" doc:"the process's handles to that name; past 8,192 distinct names, never above the true count and short of it by up to count_error"`
	// CountError bounds how far the true count may exceed Count (see
	// NameCount.Error); 0 when Count is exact.
	CountError int64 `expr:"count_error" doc:"how far the true count may exceed count: 0 (exact) but for a process of more than 8,192 distinct names"`
}

// SnapshotFacts is the capture as rules see it.
type SnapshotFacts struct {
	// SeriesPoints is the number of captures of the series this one is
	// the last of (0 for a capture on its own), SeriesHours the hours
	// from the first to it (captures, when times are unknown).
	SeriesPoints int64   `expr:"series_points" doc:"series: the number of captures of the series this is the last of (0 for a capture on its own)"`
	SeriesHours  float64 `expr:"series_hours" doc:"series: hours from the first capture to this one (captures, when the times are unknown)"`
	// NonPagedPoolGrowth* are the course of nonpaged_pool_kb, the
	// machine's nonpaged pool, across the series (Series.NonPagedPool),
	// from the captures that give it.
	NonPagedPoolGrowthPoints    int64   `expr:"nonpaged_pool_growth_points" doc:"series: the number of captures that give the machine's nonpaged pool in use (nonpaged_pool_kb: !vm, a counter log's Memory Pool Nonpaged Bytes); 0 for a capture on its own"`
	NonPagedPoolGrowthFromKB    int64   `expr:"nonpaged_pool_growth_from_kb" doc:"series: the nonpaged pool in use, in KB, in the first of those captures"`
	NonPagedPoolGrowthToKB      int64   `expr:"nonpaged_pool_growth_to_kb" doc:"series: the nonpaged pool in use, in KB, in the last of those captures"`
	NonPagedPoolGrowthKB        int64   `expr:"nonpaged_pool_growth_kb" doc:"series: nonpaged_pool_growth_to_kb minus nonpaged_pool_growth_from_kb (negative: fell)"`
	NonPagedPoolGrowthPerHour   float64 `expr:"nonpaged_pool_growth_per_hour" doc:"series: the least-squares slope of the nonpaged pool in use, KB per hour (per capture when times are unknown)"`
	NonPagedPoolGrowthMonotonic bool    `expr:"nonpaged_pool_growth_monotonic" doc:"series: the nonpaged pool in use never fell and did rise"`
	NonPagedPoolGrowthFit       float64 `expr:"nonpaged_pool_growth_fit" doc:"series: how well a straight line fits the nonpaged pool in use (R², 0 to 1; 0 for fewer than 3 values or values that never change)"`

	Host       string `expr:"host" doc:"the machine's name, when the capture gives it"`
	OSVersion  string `expr:"os_version" doc:"the Windows version, when the capture gives it"`
	CapturedAt string `expr:"captured_at" doc:"when the capture was taken, as it says"`

	ProcessCount int64 `expr:"process_count" doc:"the processes in the capture"`
	// TotalHandles is the sum of the processes' Handles.
	TotalHandles  int64 `expr:"total_handles" doc:"the sum of the processes' handles"`
	HandlesParsed int64 `expr:"handles_parsed" doc:"the handles the capture shows"`
	// UnknownCounts is the number of processes whose handle count the
	// capture does not give; PartialTables the number whose handle dump
	// shows fewer handles than their table holds.
	UnknownCounts int64 `expr:"unknown_counts" doc:"processes whose handle count the capture does not give"`
	PartialTables int64 `expr:"partial_tables" doc:"processes whose handle dump shows fewer handles than their table holds"`
	// ExitedProcesses is the number of processes that have exited but
	// whose process objects the capture still shows.
	ExitedProcesses int64 `expr:"exited_processes" doc:"processes that have exited but whose objects the capture still shows"`
	// TypeTotalsKnown: the capture states handles by type over the whole
	// system (Snapshot.TypeTotals: handle -s), with or without processes.
	TypeTotalsKnown bool `expr:"type_totals_known" doc:"whether the capture states handle counts by type over the whole system (Sysinternals handle -s)"`

	Lines        int64 `expr:"lines" doc:"lines read from the capture"`
	Unrecognized int64 `expr:"unrecognized" doc:"lines leakdiag did not recognize"`
	Warnings     int64 `expr:"warnings" doc:"diagnostics of severity warning or error"`

	// Memory facts, from `!vm` (MemoryKnown) and `!poolused`
	// (PoolTagsKnown); see memoryFacts. Sizes a capture does not give are
	// -1, shares of them 0.
	MemoryKnown           bool    `expr:"memory_known" doc:"whether the capture has !vm output or a counter log's Memory counters (the memory facts below are -1 or 0 without either)"`
	PhysicalMemoryKB      int64   `expr:"physical_memory_kb" doc:"physical memory in KB (!vm Physical Memory), -1 when not shown"`
	AvailableMemoryKB     int64   `expr:"available_memory_kb" doc:"available physical memory in KB (!vm Available Pages), -1 when not shown"`
	CommitKB              int64   `expr:"commit_kb" doc:"committed memory in KB (!vm Committed pages), -1 when not shown"`
	CommitLimitKB         int64   `expr:"commit_limit_kb" doc:"the commit limit in KB (!vm Commit limit), -1 when not shown"`
	CommitUsedShare       float64 `expr:"commit_used_share" doc:"commit over the commit limit, 0 to 1 (0 when either is unknown)"`
	NonPagedPoolKB        int64   `expr:"nonpaged_pool_kb" doc:"nonpaged pool in use in KB (!vm NonPagedPool Usage, plus NonPagedPoolNx on Windows 8 and later), -1 when not shown"`
	NonPagedPoolMaxKB     int64   `expr:"nonpaged_pool_max_kb" doc:"the nonpaged pool's maximum in KB (!vm NonPagedPool Max), -1 when not shown"`
	NonPagedPoolUsedShare float64 `expr:"nonpaged_pool_used_share" doc:"nonpaged pool in use over its maximum, 0 to 1 (0 when either is unknown)"`
	PagedPoolKB           int64   `expr:"paged_pool_kb" doc:"paged pool in use in KB (!vm PagedPool Usage), -1 when not shown"`
	PagedPoolMaxKB        int64   `expr:"paged_pool_max_kb" doc:"the paged pool's maximum in KB (!vm PagedPool Maximum), -1 when not shown"`
	PagedPoolUsedShare    float64 `expr:"paged_pool_used_share" doc:"paged pool in use over its maximum, 0 to 1 (0 when either is unknown)"`
	FreeSystemPTEs        int64   `expr:"free_system_ptes" doc:"free system page table entries (!vm Free System PTEs), -1 when not shown"`
	PoolFailures          int64   `expr:"pool_failures" doc:"pool allocations that have failed, as !vm warns (0 when it does not)"`
	// PoolWarnings counts the debugger's starred warnings about pool
	// ("Excessive NonPaged Pool Usage", "Excessive Paged Pool Usage").
	PoolWarnings int64 `expr:"pool_warnings" doc:"the debugger's starred warnings about pool in !vm (\"Excessive NonPaged Pool Usage\", \"Excessive Paged Pool Usage\")"`
	// DriverPoolLeakAllocations and DriverPoolLeakDriver are from Driver
	// Verifier's bugcheck 0xC4 (0x60, 0x62) in !analyze -v; see
	// driverLeakFacts.
	DriverPoolLeakAllocations int64  `expr:"driver_pool_leak_allocations" doc:"pool allocations drivers left unfreed when they unloaded, as Driver Verifier's bugcheck 0xC4 (parameter 1 0x60 or 0x62) counts them, in !analyze -v or the debugger's break-in (*** Fatal System Error), or as !verifier 3's driver list counts them for a driver Loaded and Unloaded (Current Pool Allocations); 0 when the capture shows none"`
	DriverPoolLeakDriver      string `expr:"driver_pool_leak_driver" doc:"the driver of that bugcheck (its IMAGE_NAME, else the driver !verifier 3 names), empty when not shown"`
	// DriverPoolLeakBugcheck: the capture shows the bugcheck, not only
	// !verifier 3's list of drivers.
	DriverPoolLeakBugcheck bool `expr:"driver_pool_leak_bugcheck" doc:"the capture shows Driver Verifier's bugcheck 0xC4 of such a leak (the machine stopped), not only !verifier 3's driver list counting it"`
	// DriverPoolLeakListedBytes, DriverPoolLeakTopTag and
	// DriverPoolLeakTopCaller are from the allocations `!verifier 3`
	// lists for that driver (unfreedFacts).
	DriverPoolLeakListedBytes int64  `expr:"driver_pool_leak_listed_bytes" doc:"the bytes of the allocations !verifier 3 lists as that driver's still in pool; 0 when the capture does not list them"`
	DriverPoolLeakTopTag      string `expr:"driver_pool_leak_top_tag" doc:"the pool tag with most of those bytes, empty when none is listed"`
	DriverPoolLeakTopCaller   string `expr:"driver_pool_leak_top_caller" doc:"the code that made the largest allocation of that tag (its symbol, fabrikamflt!PreCreate+0x53, else its address), empty when none is listed"`

	// ZombiesReported and TopZombieImageReported are a debugger
	// extension's count of zombie processes it does not list
	// (zombieReportFacts).
	ZombiesReported        int64     `expr:"zombies_reported" doc:"zombie processes (exited, their objects still referenced) a debugger extension counted without listing them (mex's !tl and !tl -z); 0 when the capture has no such count"`
	TopZombieImageReported NameFacts `expr:"top_zombie_image_reported" doc:"the image with the most of those zombies and their number (type Process), an empty name with count 0 when the count names no image"`

	// PoolExhausted* are the System event log's events of pool running
	// out, 2019 (nonpaged) and 2020 (paged): see poolExhaustionFacts.
	PoolExhaustedNonPagedEvents int64  `expr:"pool_exhausted_nonpaged_events" doc:"System log events 2019 (source Srv: the server could not allocate from nonpaged pool because the pool was empty) the capture holds; 0 when none"`
	PoolExhaustedPagedEvents    int64  `expr:"pool_exhausted_paged_events" doc:"System log events 2020 (the same for paged pool) the capture holds; 0 when none"`
	PoolExhaustedFirst          string `expr:"pool_exhausted_first" doc:"the time of the earliest of those events as the capture prints it, empty when no time was read"`
	PoolExhaustedLast           string `expr:"pool_exhausted_last" doc:"the time of the latest of those events as the capture prints it, empty when no time was read"`

	// FileTable* and FileMaxReached* are a Linux capture's kernel file
	// table: see fileTableFacts.
	FileTableAllocated     int64   `expr:"file_table_allocated" doc:"the machine's file handles allocated, /proc/sys/fs/file-nr's first figure (cat or sysctl fs.file-nr); -1 when not shown"`
	FileTableMax           int64   `expr:"file_table_max" doc:"the most file handles the kernel allocates, file-nr's third figure or fs.file-max; -1 when not shown"`
	FileTableUsedShare     float64 `expr:"file_table_used_share" doc:"file handles allocated over the most there may be, 0 to 1 (0 when either is unknown)"`
	FileMaxReachedMessages int64   `expr:"file_max_reached_messages" doc:"the kernel's \"VFS: file-max limit N reached\" messages the capture holds (an open failed with ENFILE: the machine's file table was full); 0 when none"`
	FileMaxReachedLimit    int64   `expr:"file_max_reached_limit" doc:"the limit the first of those messages names, 0 when none"`

	PoolTagsKnown        bool    `expr:"pool_tags_known" doc:"whether the capture has !poolused output (the pool tag facts below are 0 or empty without it)"`
	NonPagedPoolTagBytes int64   `expr:"nonpaged_pool_tag_bytes" doc:"nonpaged bytes of all tags: !poolused's TOTAL row, else the largest sum of one listing's rows"`
	PagedPoolTagBytes    int64   `expr:"paged_pool_tag_bytes" doc:"paged bytes of all tags: !poolused's TOTAL row, else the largest sum of one listing's rows"`
	TopNonPagedTag       string  `expr:"top_nonpaged_tag" doc:"the pool tag with the most nonpaged bytes (Thre, File, a driver's tag), empty when none"`
	TopNonPagedTagDesc   string  `expr:"top_nonpaged_tag_desc" doc:"what pooltag.txt says of that tag, with its binary (\"Thread objects, nt!ps\"), empty when it does not know the tag"`
	TopNonPagedTagDriver string  `expr:"top_nonpaged_tag_driver" doc:"the driver pooltag.txt (or PoolMon's mapping) names as that tag's, i8042prt.sys; empty when it names none or the kernel itself (nt!ps: objects the kernel makes for whoever holds their handles)"`
	TopNonPagedTagBytes  int64   `expr:"top_nonpaged_tag_bytes" doc:"that tag's nonpaged bytes"`
	TopNonPagedTagAllocs int64   `expr:"top_nonpaged_tag_allocs" doc:"that tag's outstanding nonpaged allocations"`
	TopNonPagedTagShare  float64 `expr:"top_nonpaged_tag_share" doc:"that tag's share of nonpaged pool, 0 to 1: of the TOTAL row of !poolused, else of !vm's nonpaged pool usage; 0 when neither is shown"`
	// TopNonPagedTagTwin is another tag with as many outstanding nonpaged
	// allocations as the top one (within 1%, at least 1,000): allocated
	// one for one with it, most likely by the same leak (a driver's tag
	// and IoWI, Even or File); "" when none. TopPagedTagTwin likewise.
	TopNonPagedTagTwin string  `expr:"top_nonpaged_tag_twin" doc:"another pool tag with as many outstanding nonpaged allocations as the top one (within 1%, at least 1,000): most likely the same leak (a driver's tag and IoWI, Even, File), or \"\""`
	TopPagedTag        string  `expr:"top_paged_tag" doc:"the pool tag with the most paged bytes, empty when none"`
	TopPagedTagDesc    string  `expr:"top_paged_tag_desc" doc:"what pooltag.txt says of that tag, with its binary, empty when it does not know the tag"`
	TopPagedTagDriver  string  `expr:"top_paged_tag_driver" doc:"the driver pooltag.txt names as that tag's, empty when it names none or the kernel itself"`
	TopPagedTagBytes   int64   `expr:"top_paged_tag_bytes" doc:"that tag's paged bytes"`
	TopPagedTagAllocs  int64   `expr:"top_paged_tag_allocs" doc:"that tag's outstanding paged allocations"`
	TopPagedTagShare   float64 `expr:"top_paged_tag_share" doc:"that tag's share of paged pool, 0 to 1: of the TOTAL row of !poolused, else of !vm's paged pool usage; 0 when neither is shown"`
	TopPagedTagTwin    string  `expr:"top_paged_tag_twin" doc:"the same for the top paged pool tag"`

	// PoolGrowth* are the tag that grew most between the first and the
	// latest of a capture's pool tag listings (PoolMon's screens one after
	// another, !poolused run twice): see poolGrowthFacts. Zero or empty
	// when the capture lists pool tags once or not at all, or no tag grew.
	PoolGrowthTag        string `expr:"pool_growth_tag" doc:"the pool tag whose bytes grew most from the first listing that showed it to the latest, of those that never fell (else of all); empty when the capture lists pool tags once or not at all, or none grew"`
	PoolGrowthPool       string `expr:"pool_growth_pool" doc:"that tag's pool that grew, \"nonpaged\" or \"paged\"; empty when none grew"`
	PoolGrowthDesc       string `expr:"pool_growth_desc" doc:"what pooltag.txt (or PoolMon's mapping) says of that tag, with its binary, empty when it does not know the tag"`
	PoolGrowthDriver     string `expr:"pool_growth_driver" doc:"the driver pooltag.txt (or PoolMon's mapping) names as that tag's; empty when it names none or the kernel itself"`
	PoolGrowthBytes      int64  `expr:"pool_growth_bytes" doc:"how many bytes of that pool the tag gained from its first listing to its latest (0 when none grew)"`
	PoolGrowthAllocs     int64  `expr:"pool_growth_allocs" doc:"how many outstanding allocations it gained (negative when fewer allocations hold more bytes)"`
	PoolGrowthFromBytes  int64  `expr:"pool_growth_from_bytes" doc:"its bytes at the first listing that showed it"`
	PoolGrowthToBytes    int64  `expr:"pool_growth_to_bytes" doc:"its bytes at the latest"`
	PoolGrowthFromAllocs int64  `expr:"pool_growth_from_allocs" doc:"its outstanding allocations at the first listing that showed it"`
	PoolGrowthToAllocs   int64  `expr:"pool_growth_to_allocs" doc:"its outstanding allocations at the latest"`
	PoolGrowthListings   int64  `expr:"pool_growth_listings" doc:"how many listings showed the tag in that pool (2 or more; 0 when none grew)"`
	PoolGrowthNeverFell  bool   `expr:"pool_growth_never_fell" doc:"whether neither its allocations nor its bytes ever fell from one listing that showed it to the next: a tag that only grows is how PoolMon's documentation tells a leak"`

	// bounded: built by this package and within the limits (WithinLimits).
	bounded bool
}

// emptyCounts stands for a map of counts a process or its view does not
// have: both are read, never written, so they share it.
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
	f.OpenSinceSnapshot, f.ReportedLeaks = p.OpenSinceSnapshot, p.ReportedLeaks
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
	f.PeakHandles = -1
	if p.PeakHandles != nil {
		f.PeakHandles = *p.PeakHandles
	}
	f.ZombiesHeld = p.ZombiesHeld
	f.ZombieImages = make([]NameFacts, len(p.ZombieImages))
	for i, n := range p.ZombieImages {
		f.ZombieImages[i] = NameFacts{Name: n.Name, Type: n.Type, Count: n.Count}
	}
	if len(f.ZombieImages) > 0 {
		f.TopZombieImage = f.ZombieImages[0]
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
	f.Instance, f.PrivateBytes, f.PoolNonpagedBytes = p.Instance, -1, -1
	if p.PrivateBytes != nil {
		f.PrivateBytes = *p.PrivateBytes
	}
	if p.PoolNonpagedBytes != nil {
		f.PoolNonpagedBytes = *p.PoolNonpagedBytes
	}
	for _, v := range p.VerifierStops {
		if v.TooMany() {
			if f.VerifierTooMany == 0 || int64(v.Open) > f.VerifierOpenHandles {
				f.VerifierOpenHandles, f.VerifierTooManyMessage = int64(v.Open), v.Message
			}
			f.VerifierTooMany++
			continue
		}
		if f.VerifierLeaks == 0 {
			f.VerifierHandle = "0x" + strconv.FormatUint(v.Handle, 16)
			f.VerifierMessage = v.Message
		}
		f.VerifierLeaks++
	}
}

// label names a process in a message with what the capture gives: "agent.exe
// (pid 4242)", "pid 4242" without an image ("pid 4242 (the debugged
// process)" for the one process of a user-mode capture), and, for that one
// when the capture names neither, what only names (onlySubject: "the
// process the dump was taken of", "a program the report does not name"); a
// process a counter log names by instance only, "svchost.exe (instance
// svchost#1)".
func label(image string, pid int64, only *subject, instance string) string {
	switch {
	case image != "" && pid > 0:
		return image + " (pid " + strconv.FormatInt(pid, 10) + ")"
	case image != "" && instance != "":
		return image + " (instance " + instance + ")"
	case image != "":
		return image
	case pid > 0 && only != nil && only.withPID != "":
		return "pid " + strconv.FormatInt(pid, 10) + " (" + only.withPID + ")"
	case pid > 0:
		return "pid " + strconv.FormatInt(pid, 10)
	case only != nil:
		return only.alone
	}
	return "a process of unknown pid and image"
}

// isLinux reports whether s is a capture of a Linux machine, whose
// handles are file descriptors.
// subject names the one process of a capture of one process that gives
// neither its image nor its pid (alone), or only its pid (withPID; none
// said when empty).
type subject struct{ alone, withPID string }

var (
	dumpSubject    = &subject{alone: "the process the dump was taken of", withPID: "the debugged process"}
	checkerSubject = &subject{alone: "a program the report does not name", withPID: "the program checked"}
	// An admin tool's table of one row without the image (wmic process
	// where ... get ProcessId,HandleCount) was taken of no debugged
	// process: its pid is all there is to say.
	toolSubject = &subject{alone: "the one process the capture shows"}
	// Sysinternals Handle names every process it lists: the one it does
	// not is the process its type summaries count, run with -p on a
	// command line the capture does not show.
	summarySubject = &subject{alone: "the process of Handle's type summary"}
)

// debuggerFormats are the formats of a debugger's or a dump's capture,
// whose one process is the one debugged.
var debuggerFormats = map[string]bool{"kd": true, "minidump": true}

// onlySubject is how a capture of one process names it when it gives
// neither image nor pid: a leak checker's report (Dr. Memory) is of the
// program it ran, a debugger's or a dump's of the process debugged,
// Handle's of the process its summary counts, an admin tool's of the one
// process it shows; nil for a capture of several processes.
func onlySubject(s *Snapshot, one bool) *subject {
	if !one {
		return nil
	}
	if len(s.Sources) == 0 {
		return dumpSubject
	}
	checker, summary := true, true
	for _, src := range s.Sources {
		if debuggerFormats[src.Format] {
			return dumpSubject
		}
		checker = checker && src.Format == "drmemory"
		summary = summary && src.Format == "handle"
	}
	switch {
	case checker:
		return checkerSubject
	case summary:
		return summarySubject
	}
	return toolSubject
}

func isLinux(s *Snapshot) bool {
	for _, src := range s.Sources {
		if src.Format == "lsof" || src.Format == "lsfd" || src.Format == "procfs" || src.Format == "procfd" {
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
	f.GrowthPerHour, f.GrowthMonotonic, f.GrowthFit = g.PerHour, g.Monotonic, g.Fit
	f.TypeGrowth = g.ByType
	f.TopGrowingType, f.TopGrowingTypeGrowth, f.TopGrowingTypePerHour = g.TopType, g.TopTypeGrowth, g.TopTypePerHour
	f.OtherTypesGrowth = g.OtherTypesGrowth
	if len(g.Names) > 0 {
		f.TopGrowingName, f.TopGrowingNameGrowth = g.Names[0].Name, g.Names[0].Growth
	}
	np := g.NonPaged
	f.NonPagedGrowthPoints, f.NonPagedGrowthFromBytes, f.NonPagedGrowthToBytes = int64(np.Points), np.From, np.To
	f.NonPagedGrowthBytes = np.To - np.From
	f.NonPagedGrowthPerHour, f.NonPagedGrowthMonotonic, f.NonPagedGrowthFit = np.PerHour, np.Monotonic, np.Fit
}
